// plan --list: stacks with their expected terraform cost and a shard count; invalid input lists nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { planRepo } from '../../src/plan/index.js';
import { planList } from '../../src/plan/list.js';
import type { PlanReport } from '../../src/plan/types.js';
import { renderPlanListText } from '../../src/render/plan-list.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

process.env.DBAAS_NOW = '2026-11-21';
let report: PlanReport;
let counts: Map<string, number>;

beforeAll(async () => {
  const planned = await planRepo({ dir: tempRepo('pass-minimal') });
  report = planned.report;
  counts = new Map(planned.resourceCounts);
  cleanupTempRepos();
});

describe('planList', () => {
  it('costs each created stack 25 + one per resource, in tenths of a second, and suggests shards', () => {
    const list = planList(report, counts, 10, 'abc123');
    expect(list.stacks.length).toBe(report.stacks.length);
    for (const s of list.stacks) {
      expect(s.resources).toBe(counts.get(s.name));
      expect(s.cost).toBe(25 + s.resources);
    }
    expect(list.estimatedSeconds).toBe(list.stacks.reduce((n, s) => n + s.cost, 0) / 10);
    expect(list).toMatchObject({ schemaVersion: 1, commit: 'abc123', targetMinutes: 10, suggestedShards: 1, problems: [], exitCode: ExitCode.ok });
  });

  it('lists nothing for invalid input, keeping its problems and exit code 2; refusals alone do not change the exit code', () => {
    const problem = {
      code: 'DBAAS_UNKNOWN_FIELD',
      severity: 'error' as const,
      message: 'unknown field',
      file: 'stacks/a/b.yaml',
      line: 3,
      column: 5,
      field: 'spec.x',
    };
    const invalid = planList({ ...report, exitCode: ExitCode.invalid, problems: [problem] }, counts, 10, null);
    expect(invalid).toMatchObject({ stacks: [], estimatedSeconds: 0, problems: [problem], exitCode: ExitCode.invalid, commit: null });
    const refused = planList({ ...report, exitCode: ExitCode.findings, refusals: ['x'] }, counts, 10, null);
    expect(refused.exitCode).toBe(ExitCode.ok);
    expect(refused.stacks.length).toBe(report.stacks.length);
  });

  it('renders one line per stack, the problems, and the suggestion', () => {
    const list = planList(report, counts, 10, null);
    const text = renderPlanListText(list).split('\n');
    const first = list.stacks[0]!;
    expect(text[0]).toBe(
      `${first.name} (${first.cloud}, ${first.environment}): create, ${first.resources} resource(s), about ${(first.cost / 10).toFixed(1)} s of terraform`,
    );
    expect(text.at(-2)).toBe(`${list.stacks.length} stack(s), about 1 min of terraform on one runner; suggested shards for 10 min each: 1`);
    const problem = { code: 'DBAAS_X', severity: 'error' as const, message: 'bad', file: 'f.yaml', line: 1, column: 2, field: 'spec.y' };
    expect(renderPlanListText({ ...list, stacks: [], problems: [problem] })).toBe(
      'f.yaml:1:2: error DBAAS_X spec.y: bad\n0 stack(s), about 1 min of terraform on one runner; suggested shards for 10 min each: 1\n',
    );
  });
});
