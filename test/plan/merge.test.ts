// mergeShardReports over reports made in process: the merged JSON is byte for byte the unsharded
// report's, with config and terraform destroys, failed terraform plans and findings; compact and
// pretty shard files merge alike; a shard whose repo-wide parts differ is refused.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DbaasError } from '../../src/errors.js';
import { assembleReport, reportHead } from '../../src/plan/assemble.js';
import { mergeShardReports } from '../../src/plan/merge.js';
import { shardReport } from '../../src/plan/select.js';
import type { PlanReport, StackPlan } from '../../src/plan/types.js';

function stack(i: number, kind: number, terraform: boolean): StackPlan {
  const name = `db-${String(i).padStart(3, '0')}-${'xyz'[kind % 3]}`;
  const deleted = kind % 5 === 1;
  return {
    name,
    cloud: i % 2 ? 'aws' : 'gcp',
    team: 'payments',
    environment: 'production',
    file: `stacks/payments/${name}.yaml`,
    line: 6,
    action: deleted ? 'delete' : kind % 5 === 2 ? 'no-op' : kind % 5 === 3 ? 'update' : 'create',
    touchedBy: ['new database', 'a "quoted" \\ name\nwith a newline, ünïcödé ✓ and 𝄞'],
    resources: [
      { address: 'aws_db_instance.db', type: 'aws_db_instance', action: deleted ? 'delete' : 'create', changes: [], destroysData: deleted },
      {
        address: 'aws_backup_vault.vault',
        type: 'aws_backup_vault',
        action: kind % 7 === 4 ? 'replace' : 'update',
        changes: [{ path: 'name', before: 'a', after: { nested: [1, 2] } }],
        destroysData: kind % 7 === 4,
        ...(kind % 7 === 4 ? { reason: 'changing name forces replacement' } : {}),
      },
    ],
    counts: { add: deleted ? 0 : 1 + (kind % 3), change: kind % 2, destroy: deleted ? 2 : 0 },
    destroysData: deleted || kind % 7 === 4,
    posture: {},
    notes: [],
    // Terraform summaries exist only when terraform ran (plan --terraform, with a plans folder).
    ...(terraform && kind % 4 === 0
      ? {
          terraform: {
            ok: kind % 8 !== 0,
            add: 3,
            change: 1,
            destroy: kind % 3,
            ...(kind % 3 ? { deletes: ['aws_db_instance.db', 'aws_sns_topic.alerts'] } : {}),
          },
        }
      : {}),
  } as unknown as StackPlan;
}

function whole(kinds: readonly number[], terraform: boolean): PlanReport {
  const stacks = kinds.map((k, i) => stack(i, k, terraform));
  const findings = kinds.slice(0, 3).map((k, i) => ({
    guardrail: 'g',
    severity: k % 2 ? 'error' : 'warning',
    database: stacks[i]!.name,
    file: 'f.yaml',
    line: 1,
    column: 1,
    field: 'x',
    message: 'm',
    remediation: 'r',
  }));
  const head = {
    schemaVersion: 1 as const,
    toolVersion: '0.1.0',
    base: { ref: 'main', commit: 'a'.repeat(40) },
    databases: stacks.length,
    findings,
    problems: [],
    allowDestroy: false,
  } as unknown as Parameters<typeof assembleReport>[0]['head'];
  return assembleReport({ head, stacks, ruleRefusals: [], ...(terraform ? { plansDir: '/plans' } : {}) });
}

const resourceCounts = (r: PlanReport) => new Map(r.stacks.map((s) => [s.name, s.resources.length * (s.name.length % 5)]));
const pretty = (r: unknown) => `${JSON.stringify(r, null, 2)}\n`;
const mergedJson = (files: { file: string; text: string }[]) => [...mergeShardReports(files).jsonChunks()].join('');

function shardFiles(report: PlanReport, count: number, layout: (r: PlanReport) => string = pretty) {
  return Array.from({ length: count }, (_, i) => {
    const s = shardReport(report, [], resourceCounts(report), { index: i + 1, count }, 'c'.repeat(40));
    // As plan --terraform does: the shard's report assembled again with its plans folder.
    const planned = report.terraform
      ? { ...assembleReport({ head: reportHead(s), stacks: s.stacks, ruleRefusals: [], plansDir: report.terraform.plansDir }), shard: s.shard }
      : s;
    return { file: `shard-${i + 1}.json`, text: layout(planned) };
  });
}

describe('mergeShardReports', () => {
  it('gives the unsharded JSON byte for byte, with destroys of both kinds, failed plans and findings', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(40), { minLength: 0, maxLength: 30 }), fc.integer({ min: 1, max: 9 }), fc.boolean(), (kinds, count, terraform) => {
        const report = whole(kinds, terraform);
        expect(mergedJson(shardFiles(report, count).reverse())).toBe(pretty(report));
      }),
      { numRuns: 150 },
    );
  });

  it('merges compact or otherwise laid-out shards the same way, and parses the stacks for text and markdown', () => {
    const report = whole([0, 1, 4, 8, 11, 3, 2, 9, 16, 25], true);
    expect(report.destroys.length).toBeGreaterThan(1);
    expect(report.destroys.some((d) => d.reason === 'terraform plans to delete it')).toBe(true);
    expect(report.terraform!.failed).toBeGreaterThan(0);
    const files = shardFiles(report, 3, (r) => JSON.stringify(r));
    expect(mergedJson(files)).toBe(pretty(report));
    const mixed = [...shardFiles(report, 3).slice(0, 2), files[2]!];
    const merged = mergeShardReports(mixed);
    expect(merged.report()).toEqual(JSON.parse(pretty(report)));
    expect(merged.summary.exitCode).toBe(report.exitCode);
  });

  it("refuses a shard whose findings differ from the first shard's, and a stack in two shards", () => {
    const report = whole([1, 3, 5, 7, 9, 11], false);
    const files = shardFiles(report, 2);
    const edited = { file: 'edited.json', text: files[1]!.text.replace('"remediation": "r"', '"remediation": "R"') };
    expect(edited.text).not.toBe(files[1]!.text);
    expect(() => mergeShardReports([files[0]!, edited])).toThrow(/edited\.json differs from shard-1\.json in findings/);
    const first = JSON.parse(files[0]!.text) as PlanReport;
    const second = JSON.parse(files[1]!.text) as PlanReport;
    const overlap = {
      file: 'overlap.json',
      text: pretty({ ...second, stacks: [...second.stacks, first.stacks[0]!].sort((a, b) => (a.name < b.name ? -1 : 1)) }),
    };
    try {
      mergeShardReports([files[0]!, overlap]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DbaasError);
      expect((e as DbaasError).problems.map((p) => p.code)).toEqual(['DBAAS_SHARD_OVERLAP']);
    }
  });

  it('refuses what is not a shard report: bad JSON, a whole report, a stack without a name', () => {
    const report = whole([0, 1, 2], false);
    const [one] = shardFiles(report, 1);
    const cases: [string, string][] = [
      ['{"schemaVersion": 1,', 'DBAAS_BAD_JSON'],
      [pretty(report), 'DBAAS_NOT_A_SHARD'],
      [one!.text.replace(/"name": "db-000-x",\n/, ''), 'DBAAS_NOT_A_SHARD'],
      ['[]', 'DBAAS_NOT_A_SHARD'],
    ];
    for (const [text, code] of cases) {
      try {
        mergeShardReports([{ file: 'x.json', text }]);
        expect.unreachable(code);
      } catch (e) {
        expect(
          (e as DbaasError).problems.map((p) => p.code),
          code,
        ).toEqual([code]);
        expect((e as DbaasError).exitCode).toBe(2);
      }
    }
  });
});
