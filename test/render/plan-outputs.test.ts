import AjvDraft04 from 'ajv-draft-04';

// CommonJS default export: under NodeNext the class sits on .default.
const Ajv04 = AjvDraft04.default;
import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { planRepo } from '../../src/plan/index.js';
import type { PlanReport } from '../../src/plan/types.js';
import { COMMENT_MARKER, GITHUB_COMMENT_LIMIT, renderMarkdown } from '../../src/render/markdown.js';
import { renderPlanText } from '../../src/render/plan-text.js';
import { renderSarif } from '../../src/render/sarif.js';
import { cleanupTempRepos, FIXTURES, REPO_ROOT, tempRepo } from '../helpers/repo.js';

process.env.DBAAS_NOW = '2026-11-21';
let report: PlanReport;

beforeAll(async () => {
  // The example repo without git: every database is new, with its real findings and waiver.
  report = (await planRepo({ dir: tempRepo('example') })).report;
  cleanupTempRepos();
});

/** The real report scaled to a change touching `n` databases (stacks and findings cloned, renamed). */
function scaled(n: number): PlanReport {
  const stacks = Array.from({ length: n }, (_, i) => ({ ...report.stacks[i % report.stacks.length]!, name: `db-${String(i).padStart(4, '0')}` }));
  const findings = Array.from({ length: n }, (_, i) => ({ ...report.findings[i % report.findings.length]!, database: `db-${String(i).padStart(4, '0')}` }));
  const destroys = Array.from({ length: n / 10 }, (_, i) => ({ stack: `db-${i}`, address: 'aws_db_instance.database', reason: 'database removed' }));
  return { ...report, stacks, findings, destroys, counts: { ...report.counts, stacksChanged: n } };
}

describe('the PR comment (markdown)', () => {
  it('has the header counts, the posture table, findings with file:line, and per-stack details', () => {
    const md = renderMarkdown(report);
    expect(md.startsWith(COMMENT_MARKER)).toBe(true);
    // 13 databases and the 8 account baselines the example config turns on.
    expect(md).toMatch(/dbaas plan: 21 stacks changed · \d+ to add, 0 to change, 0 to destroy · \d+ errors?, \d+ warnings?, 3 waived/);
    expect(md).toContain(
      '| database | env | change | cloud · region | schedule (RPO) | retention | PITR | offsite copy | vault lock | exports | alerts (tiers) → channels | restore test |',
    );
    // Read from the built stack: the vault lock raises the PITR window to 35 days; the weekly restore test in AWS cron.
    expect(md).toContain(
      '| <code>orders</code> | production | 🆕 create | aws eu-west-1 | 0 3 \\* \\* \\* UTC \\(RPO 24h\\) | 35d | 35d | eu-central-1 90d | compliance ≥35d | none | backup failed \\(page/notify/record\\), copy failed \\(notify/record\\), restore failed \\(notify/record\\), backup missing 26h \\(page/notify/record\\) → payments-oncall \\(notify: email/slack\\), payments-pager \\(page: email\\) | 0 5 \\* \\* SUN UTC, RTO 4h \\(slower restore alerts\\) |',
    );
    // GCP: the restore drill and the RTO it measures; Backup and DR's takeover is said outside the collapsed details.
    expect(md).toMatch(
      /\| <code>warehouse-meta<\/code> \| production \|[^\n]*\| n\/a \| none \| enforced ≥35d \\\(Backup and DR\\\) \| 0 3 \\\* \\\* \\\* Europe\/Brussels, kept 30d, excludes scratch \|[^\n]*\| 0 6 \\\* \\\* 0 Europe\/Brussels \\\(clone drill\\\), RTO 4h \\\(slower drill alerts\\\) \|/,
    );
    expect(md).toMatch(/^- <code>warehouse-meta<\/code>: Backup and DR \\\(enhanced backups\\\) takes over/m);
    expect(md).toMatch(
      /\*\*waived until 2027-05-15: data residency[^*]*\*\* <code>offsite-copy-required<\/code> on <code>users<\/code> at <code>stacks\/identity\/users\.yaml:\d+<\/code>/,
    );
  });

  it('stays within 65,536 characters on a change touching 2,000 databases, pointing at the full artifact', () => {
    const md = renderMarkdown(scaled(2000), { artifact: 'plan.json' });
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(md).toMatch(/dbaas plan: 2000 stacks changed/);
    expect(md).toMatch(/more databases not shown \(comment size limit\); see plan\.json/);
    expect(md).toMatch(/more findings not shown/);
    expect(md).toMatch(/more stacks not shown/);
    expect(md).toContain('This plan destroys data or recovery points');
    // Every section made it in, not only the first one to fill up.
    for (const heading of ['#### Databases', '#### Guardrail findings', '#### Changes per stack']) expect(md).toContain(heading);
  });

  it('respects a smaller limit too', () => {
    expect(renderMarkdown(scaled(300), { limit: 10_000 }).length).toBeLessThanOrEqual(10_000);
  });
});

describe('the text plan', () => {
  it("shows each stack's posture read from its stack, with the caveats (not only in collapsed notes)", () => {
    const text = renderPlanText(report);
    const meta = text.slice(text.indexOf('\nwarehouse-meta ('), text.indexOf('\n', text.indexOf('restore test:', text.indexOf('\nwarehouse-meta ('))));
    expect(meta).toContain('cloud · region: gcp europe-west1');
    expect(meta).toContain('PITR: n/a (Backup and DR takes over');
    expect(meta).toContain('exports: 0 3 * * * Europe/Brussels, kept 30d, excludes scratch');
    // Each alert with the tiers it reaches: a production backup alert pages; each channel with its tier.
    expect(meta).toMatch(
      /alerts \(tiers\) → channels: Backup and DR job failed \(page\/notify\/record\), export failed \(notify\/record\).*→ analytics-alerts \(notify: email\/pubsub\), analytics-pager \(page: email\), dbaas-audit-log \(record: email\)/,
    );
    // the restore drill and the RTO it measures, read from the stack
    expect(meta).toContain('restore test: 0 6 * * 0 Europe/Brussels (clone drill), RTO 4h (slower drill alerts)');
    expect(text).toMatch(/! Backup and DR \(enhanced backups\) takes over this instance's backups/);
  });
});

describe('SARIF', () => {
  const schema = JSON.parse(readFileSync(join(FIXTURES, 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8'));
  const validate = new Ajv04({ strict: false, unicodeRegExp: false, validateFormats: false }).compile(schema);

  it('validates against the SARIF 2.1.0 schema, with findings at their file locations', () => {
    const sarif = JSON.parse(renderSarif({ toolVersion: report.toolVersion, findings: report.findings, problems: [] }));
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const results = sarif.runs[0].results;
    expect(results).toHaveLength(report.findings.length);
    const waived = results.find(
      (r: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
        r.ruleId === 'offsite-copy-required' && r.locations[0]!.physicalLocation.artifactLocation.uri === 'stacks/identity/users.yaml',
    );
    expect(waived.suppressions[0]).toMatchObject({ kind: 'external', justification: expect.stringContaining('data residency') });
    expect(waived.locations[0].physicalLocation).toMatchObject({
      artifactLocation: { uri: 'stacks/identity/users.yaml' },
      region: { startLine: expect.any(Number) },
    });
    expect(sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toContain('offsite-copy-required');
  });

  it('validates with invalid-input problems too', () => {
    const sarif = JSON.parse(
      renderSarif({
        toolVersion: '1.0.0',
        findings: [],
        problems: [{ code: 'DBAAS_UNKNOWN_FIELD', severity: 'error', message: 'unknown field', file: 'stacks/a.yaml', line: 3, column: 5, field: 'spec.x' }],
      }),
    );
    expect(validate(sarif)).toBe(true);
    expect(sarif.runs[0].results[0]).toMatchObject({ ruleId: 'DBAAS_UNKNOWN_FIELD', level: 'error' });
  });
});

describe('the JSON report', () => {
  it('validates against its documented schema (schemas/output/plan-report.schema.json)', () => {
    const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', 'output', 'plan-report.schema.json'), 'utf8'));
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    const json = JSON.parse(JSON.stringify(report));
    expect(validate(json), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    // And the schema is strict enough to catch a drifted field.
    expect(validate({ ...json, counts: { ...json.counts, add: 'many' } })).toBe(false);
  });
});
