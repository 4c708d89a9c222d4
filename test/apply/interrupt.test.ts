// SIGINT to a real `bin/run.js apply` mid-run: terraform is stopped through its own graceful
// interrupt, the locks are released, the report of what was done is written, and a re-run applies
// the rest. The checkout's synthesis is swapped for terraform_data stand-ins (cli-standin-hook.mjs), under
// the apply command as tsc compiled it (cli-unbundled.mjs): the bundle has no module to swap.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { APPLIED_FILE, REPORT_FILE, type ApplyReport } from '../../src/apply/index.js';
import { readRepoFiles } from '../../src/load/repo.js';
import { planWithTerraform } from '../../src/plan/terraform.js';
import { findTerraformBinary } from '../../src/terraform/index.js';
import { cleanupTempRepos, REPO_ROOT } from '../helpers/repo.js';
import { repoWithDatabases, standin, type Behaviour } from './standin.js';

afterAll(cleanupTempRepos);
process.env.DBAAS_NOW = '2026-11-21';

const terraform = await findTerraformBinary();
const built = existsSync(join(REPO_ROOT, 'dist', 'apply', 'index.js'));
const reason = !terraform.ok ? terraform.reason : !built ? 'dist/ is not built (npm run build)' : '';
if (reason) console.log(`skipped: [integration] apply interrupted by SIGINT: ${reason}`);

const NAMES = ['s01', 's02', 's03', 's04', 's05'];
const HOW: Record<string, Behaviour> = { s02: { sleepSeconds: 25 } };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `dbaas apply ARGS`. */
function apply(dir: string, args: string[]) {
  return execa('node', ['--import', join(REPO_ROOT, 'test', 'apply', 'cli-standin-hook.mjs'), join(REPO_ROOT, 'test', 'apply', 'cli-unbundled.mjs'), ...args], {
    cwd: dir,
    env: { DBAAS_NOW: '2026-11-21', CI: '', GITHUB_ACTIONS: '', GITHUB_REF_NAME: '', DBAAS_TEST_STANDIN: JSON.stringify(HOW) },
    reject: false,
    timeout: 120_000,
  });
}

describe.skipIf(Boolean(reason))(`[integration] apply interrupted by SIGINT or SIGTERM${reason ? ` (skipped: ${reason})` : ''}`, () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '[integration] %s stops terraform, releases the locks, writes the report; a re-run applies the rest',
    async (signal) => {
      const dir = repoWithDatabases(NAMES);
      const plansDir = join(dir, 'plans');
      const stacks = NAMES.map((n) => standin(n, HOW[n]));
      await planWithTerraform(stacks, readRepoFiles(dir), { plansDir, parallelism: 2 });

      const args = ['--dir', dir, '--plans', plansDir, '--parallelism', '1', '--json'];
      const run = apply(dir, args);
      // Wait until s01 is applied and s02's terraform apply is in its 25 s provisioner.
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const applied = existsSync(join(plansDir, APPLIED_FILE)) ? Object.keys(JSON.parse(readFileSync(join(plansDir, APPLIED_FILE), 'utf8')).stacks) : [];
        if (applied.includes('s01') && existsSync(join(plansDir, 'stacks', 's02.lock'))) break;
        await sleep(100);
      }
      await sleep(3000);
      const sentAt = Date.now();
      run.kill(signal);
      const result = await run;
      const stoppedMs = Date.now() - sentAt;

      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(`${signal} received; stopping terraform and writing the report`);
      console.log(`[measured] ${signal} to exit: ${stoppedMs} ms`);
      expect(result.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
      // Well before the 25 s provisioner would have finished: terraform was stopped, not waited for.
      expect(stoppedMs).toBeLessThan(20_000);
      const report = JSON.parse(readFileSync(join(plansDir, REPORT_FILE), 'utf8')) as ApplyReport;
      expect(JSON.parse(result.stdout)).toEqual(report);
      const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', 'output', 'apply-report.schema.json'), 'utf8'));
      const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
      expect(validate(report), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
      expect(validate({ ...report, interrupted: 'yes' })).toBe(false);
      expect(report.interrupted).toBe(true);
      expect(report.applied.map((a) => a.stack)).toEqual(['s01']);
      expect(report.failed.map((f) => f.stack)).toEqual(['s02']);
      expect(report.failed[0]!.error).toMatch(/ABORTED/);
      expect(report.notStarted.map((n) => n.stack)).toEqual(['s03', 's04', 's05']);
      expect(report.notStarted[0]!.reason).toMatch(/interrupted before it started/);
      // proper-lockfile's lock folders and terraform's local state lock are gone.
      expect(readdirSync(join(plansDir, 'stacks')).filter((f) => f.endsWith('.lock'))).toEqual([]);
      expect(existsSync(join(plansDir, 'stacks', 's02', '.terraform.tfstate.lock.info'))).toBe(false);

      // The re-run in text: what a person at a terminal sees.
      const rerun = await apply(
        dir,
        args.filter((a) => a !== '--json'),
      );
      expect(rerun.stdout).toMatch(/^skipped {2}s01: this plan was applied by an earlier run$/m);
      for (const n of ['s03', 's04', 's05']) expect(rerun.stdout).toMatch(new RegExp(`^applied  ${n}: \\+1 ~0 -0$`, 'm'));
      expect(rerun.stdout).toMatch(/^\d applied, 1 already applied, 0 refused, \d failed, 0 not started$/m);
      const rest = JSON.parse(readFileSync(join(plansDir, REPORT_FILE), 'utf8')) as ApplyReport;
      expect(rest.alreadyApplied.map((a) => a.stack)).toEqual(['s01']);
      expect(rest.applied.map((a) => a.stack)).toEqual(['s03', 's04', 's05']);
      expect(rest.interrupted).toBe(false);
      // s02 was cut off mid-apply: it is tried again, and terraform alone judges whether its saved plan still fits the state.
      expect([...rest.applied, ...rest.failed].map((x) => x.stack)).toContain('s02');
    },
  );
});
