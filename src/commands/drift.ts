import { resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base.js';
import { detectDrift, type DriftReport } from '../drift/index.js';
import { DbaasError, ExitCode, problem } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { resolveDir } from '../pipeline.js';
import { driftIssues, renderDriftMarkdown, renderDriftText } from '../render/drift.js';
import { didYouMean } from '../suggest.js';
import { defaultCacheDir, synthBatch } from '../synth/batch.js';
import { SynthError, synthProblem, type SynthesizedStack } from '../synth/index.js';
import { TOOL_VERSION } from '../version.js';
import { ERR } from '../error-codes.js';

export default class Drift extends BaseCommand {
  static override summary = 'Find stacks whose cloud resources no longer match what dbaas built.';
  static override description = `Runs the real terraform plan (refresh against the real state, -detailed-exitcode, no state lock, nothing saved for apply) for every stack, or those named with --only, and reports which stacks drifted and how: each resource terraform would create, change, replace or delete, and whether the refresh saw it changed outside terraform. A stack that was never applied reads as drift of every resource. Needs the same cloud credentials as plan --terraform (read-only is enough).

EXIT CODES
  0  no drift
  1  drift found, or a stack could not be checked (its terraform error is in the report)
  2  invalid input or usage
  3  internal error (re-run with --debug for the trace)`;
  static override examples = [
    '<%= config.bin %> drift',
    '<%= config.bin %> drift --only orders,ledger --format markdown --out drift.md',
    '<%= config.bin %> drift --format json --out drift.json --save-issues drift-issues.json',
  ];

  static override flags = {
    only: Flags.string({ description: 'Comma-separated database names to check. Default: every database.' }),
    format: Flags.string({ description: 'Output format.', options: ['text', 'markdown', 'json'], default: 'text' }),
    out: Flags.file({ description: 'Write the output to this file (atomically) instead of stdout.' }),
    'save-issues': Flags.file({ description: 'Also write one issue (title, body, hidden marker) per stack as JSON, for the drift workflow.' }),
    'work-dir': Flags.directory({ description: 'Where each stack is initialised and planned.', default: '.dbaas/drift' }),
    parallelism: Flags.integer({ description: 'Stacks checked at once.', default: 2, min: 1, max: 32 }),
    offline: Flags.boolean({ description: 'Mock credentials and a local state stand-in (for trying it out; every resource reads as missing).', default: false }),
  };

  async run(): Promise<DriftReport> {
    const { flags } = await this.parse(Drift);
    const resolution = resolveDir(flags.dir);
    if (!resolution.ok) throw new DbaasError(resolution.problems, ExitCode.invalid);
    const entries = resolution.repo.entries;
    const known = entries.map((e) => e.db.name);
    const wanted = flags.only?.split(',').map((n) => n.trim()).filter(Boolean);
    const unknown = (wanted ?? []).filter((n) => !known.includes(n));
    if (unknown.length) {
      throw new DbaasError(
        unknown.map((n) => {
          const hint = didYouMean(n, known);
          return problem({ code: ERR.UNKNOWN_DATABASE, field: '--only', value: n, message: `no database named ${JSON.stringify(n)} in this repo; expected one of the names under stacks/`, ...(hint ? { suggestion: hint } : {}) });
        }),
        ExitCode.invalid,
      );
    }
    const chosen = wanted ? entries.filter((e) => wanted.includes(e.db.name)) : entries;
    const outcomes = await synthBatch(chosen.map((e) => e.db), { config: resolution.repo.config, toolVersion: TOOL_VERSION, ...(flags.offline ? { offlineCheck: true } : {}) }, { cacheDir: defaultCacheDir(resolution.repo.root) });
    const failed = outcomes.flatMap((o, i) => (o instanceof SynthError ? [synthProblem(chosen[i]!, o)] : []));
    if (failed.length) throw new DbaasError(failed, ExitCode.invalid);
    const stacks = outcomes.filter((o): o is SynthesizedStack => !(o instanceof SynthError));

    const workDir = resolve(flags.dir, flags['work-dir']);
    // Loaded only here, as in plan: terraform's runner is start-up the other commands never use.
    const terraform = await import('../terraform/index.js');
    let runner;
    if (flags.offline) {
      const opened = await terraform.openOfflineTerraform({ pluginCacheDir: resolve(workDir, '.plugin-cache'), configDir: workDir });
      if (!opened.ok) throw new DbaasError([problem({ code: ERR.TERRAFORM_UNAVAILABLE, message: `terraform offline: ${opened.reason}` })], ExitCode.invalid);
      runner = opened.runner;
    } else {
      const { openRealRunner } = await import('../plan/terraform.js');
      runner = (await openRealRunner(workDir)).runner;
    }
    const report = await detectDrift(stacks, runner, { workDir, parallelism: flags.parallelism, ...(flags.offline ? { prepare: terraform.prepareOfflineCheck } : {}) });

    if (flags['save-issues']) {
      const server = process.env.GITHUB_SERVER_URL;
      const runUrl = server && process.env.GITHUB_REPOSITORY && process.env.GITHUB_RUN_ID ? `${server}/${process.env.GITHUB_REPOSITORY}/actions/runs/${process.env.GITHUB_RUN_ID}` : undefined;
      writeFileAtomic(resolve(flags['save-issues']), `${JSON.stringify(driftIssues(report, runUrl), null, 2)}\n`);
    }
    if (!this.jsonEnabled()) {
      const rendered = flags.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : flags.format === 'markdown' ? renderDriftMarkdown(report) : renderDriftText(report);
      if (flags.out) writeFileAtomic(resolve(flags.out), rendered);
      else process.stdout.write(rendered);
    }
    process.exitCode = report.exitCode;
    return report;
  }
}
