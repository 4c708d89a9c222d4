import { resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base.js';
import type { DriftReport } from '../drift/index.js';
import { runDrift } from '../drift/run.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { driftIssues } from '../render/drift.js';
import { formatsFor, render } from '../render/formats.js';

export default class Drift extends BaseCommand {
  static override summary = 'Find stacks whose cloud resources no longer match what dbaas built.';
  static override description =
    `Runs the real terraform plan (refresh against the real state, -detailed-exitcode, no state lock, ` +
    `nothing saved for apply) for every stack, or those named with --only, and reports which stacks ` +
    `drifted and how: each resource terraform would create, change, replace or delete, and whether the ` +
    `refresh saw it changed outside terraform. A stack that was never applied reads as drift of every ` +
    `resource. Needs the same cloud credentials as plan --terraform (read-only is enough).\n\n` +
    `EXIT CODES\n` +
    `  0  no drift\n` +
    `  1  drift found, or a stack could not be checked (its terraform error is in the report)\n` +
    `  2  invalid input or usage\n` +
    `  3  internal error (re-run with --debug for the trace)`;
  static override examples = [
    '<%= config.bin %> drift',
    '<%= config.bin %> drift --only orders,ledger --format markdown --out drift.md',
    '<%= config.bin %> drift --format json --out drift.json --save-issues drift-issues.json',
  ];

  static override flags = {
    only: Flags.string({ description: 'Comma-separated database names to check. Default: every database.' }),
    format: Flags.string({ description: 'Output format.', options: formatsFor('drift'), default: 'text' }),
    out: Flags.file({ description: 'Write the output to this file (atomically) instead of stdout.' }),
    'save-issues': Flags.file({ description: 'Also write one issue (title, body, hidden marker) per stack as JSON, for the drift workflow.' }),
    'work-dir': Flags.directory({ description: 'Where each stack is initialised and planned.', default: '.dbaas/drift' }),
    parallelism: Flags.integer({ description: 'Stacks checked at once.', default: 2, min: 1, max: 32 }),
    offline: Flags.boolean({
      description: 'Mock credentials and a local state stand-in (for trying it out; every resource reads as missing).',
      default: false,
    }),
  };

  async run(): Promise<DriftReport> {
    const { flags } = await this.parse(Drift);
    const report = await runDrift({
      dir: flags.dir,
      only: flags.only
        ?.split(',')
        .map((n) => n.trim())
        .filter(Boolean),
      workDir: flags['work-dir'],
      parallelism: flags.parallelism,
      offline: flags.offline,
    });

    if (flags['save-issues']) {
      const server = process.env.GITHUB_SERVER_URL;
      const runUrl =
        server && process.env.GITHUB_REPOSITORY && process.env.GITHUB_RUN_ID
          ? `${server}/${process.env.GITHUB_REPOSITORY}/actions/runs/${process.env.GITHUB_RUN_ID}`
          : undefined;
      writeFileAtomic(resolve(flags['save-issues']), `${JSON.stringify(driftIssues(report, runUrl), null, 2)}\n`);
    }
    if (!this.jsonEnabled()) {
      const rendered = render('drift', flags.format, report);
      if (flags.out) writeFileAtomic(resolve(flags.out), rendered);
      else process.stdout.write(rendered);
    }
    process.exitCode = report.exitCode;
    return report;
  }
}
