// A scoped plan (only the files a change can affect) must say exactly what a full plan says about
// the databases the change touches.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeScope } from '../../src/plan/incremental.js';
import { planRepo } from '../../src/plan/index.js';
import { readRepoFiles } from '../../src/load/repo.js';
import { resolveRevision } from '../../src/plan/git.js';
import type { PlanReport } from '../../src/plan/types.js';
import { git, initRepo } from '../helpers/git.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);
process.env.DBAAS_NOW = '2026-11-21';

const summary = (r: PlanReport) => ({
  stacks: r.stacks.map((s) => ({ name: s.name, action: s.action, counts: s.counts, touchedBy: s.touchedBy, resources: s.resources, posture: s.posture })),
  destroys: r.destroys,
  exitCode: r.exitCode,
  refusals: r.refusals,
  findings: r.findings.filter((f) => r.stacks.some((s) => s.name === f.database)),
  databases: r.databases,
});

const edit = (file: string, from: string, to: string) => writeFileSync(file, readFileSync(file, 'utf8').replace(from, to));

describe('scoped plans agree with full plans', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempRepo('example');
    await initRepo(dir);
  });

  const scenarios: [string, (d: string) => void][] = [
    ['a database edit', (d) => edit(join(d, 'stacks/payments/orders.yaml'), 'storageGb: 100', 'storageGb: 150')],
    [
      'a shared policy edit',
      (d) => edit(join(d, 'stacks/shared/backup-policies.yaml'), '  retentionDays: 35\n  pointInTimeRecovery', '  retentionDays: 42\n  pointInTimeRecovery'),
    ],
    ['a channel edit', (d) => edit(join(d, 'stacks/shared/channels.yaml'), 'identity-lead@example.com', 'identity-lead2@example.com')],
    ['a deleted database', (d) => rmSync(join(d, 'stacks/payments/carts.yaml'))],
    [
      'a new database reusing a name',
      (d) => writeFileSync(join(d, 'stacks/payments/orders-copy.yaml'), readFileSync(join(d, 'stacks/payments/orders.yaml'), 'utf8')),
    ],
    // reports-clone.yaml mentions "users" in a comment, so it joins the scope: its restore source
    // (reports) must join too, or the scoped plan refuses the clone's unknown source.
    ['a database edit that pulls in a clone by a mention', (d) => edit(join(d, 'stacks/identity/users.yaml'), 'storageGb: 50', 'storageGb: 60')],
    // The changed clone's own source (reports) joins the scope, read from the changed file itself.
    ['a clone edit', (d) => edit(join(d, 'stacks/analytics/reports-clone.yaml'), 'storageGb: 50', 'storageGb: 60')],
    [
      'a guardrail error in a changed database',
      (d) => edit(join(d, 'stacks/payments/orders.yaml'), '    policy: prod-standard', '    policy: prod-standard\n    retentionDays: 7'),
    ],
  ];

  it.each(scenarios)('%s', async (_, change) => {
    change(dir);
    try {
      const scope = await changeScope(dir, (await resolveRevision(dir, 'HEAD'))!, readRepoFiles(dir));
      expect(scope, 'the change should allow a scoped plan').toBeDefined();
      expect(scope!.head.specs.length).toBeLessThan(readRepoFiles(dir).specs.length);
      const scoped = await planRepo({ dir }).catch((e: Error) => e);
      const full = await planRepo({ dir, full: true }).catch((e: Error) => e);
      if (scoped instanceof Error || full instanceof Error) {
        const text = (r: typeof scoped) => (r instanceof Error ? r.message : 'no error');
        expect(text(scoped)).toBe(text(full));
        return;
      }
      expect(summary(scoped.report)).toEqual(summary(full.report));
      expect(scoped.report.problems.map((p) => p.code)).toEqual(full.report.problems.map((p) => p.code));
    } finally {
      await git(dir, 'checkout', '--', '.');
      await git(dir, 'clean', '-fdq');
    }
  });

  it('evaluates the whole repo when the config or a guardrail changes', async () => {
    edit(join(dir, 'dbaas.config.yaml'), 'parallelism: 4', 'parallelism: 3');
    try {
      expect(await changeScope(dir, (await resolveRevision(dir, 'HEAD'))!, readRepoFiles(dir))).toBeUndefined();
    } finally {
      await git(dir, 'checkout', '--', '.');
    }
  });
});
