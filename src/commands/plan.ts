import { resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { BaseCommand, EXIT_CODES_HELP } from '../cli/base.js';
import { writePlanOutputs } from '../cli/plan-output.js';
import { runPlan } from '../plan/run.js';
import type { PlanListJson, PlanReport } from '../plan/types.js';
import { formatsFor } from '../render/formats.js';
import { renderPlanListText } from '../render/plan-list.js';
import type { Environment } from '../spec/generated.js';

export default class Plan extends BaseCommand {
  static override summary = 'Show what a change does to each database stack, against the base branch.';
  static override description =
    `Runs load → validate → guard → synth for the working tree and for --base (read through git, without ` +
    `touching the working tree), and compares the stacks the change touches, resource by resource. ` +
    `Removing a database, its vault, its backup plan or anything that deletes recovery points is called ` +
    `out and makes the exit code 1 unless --allow-destroy is given.\n\n` +
    `With --terraform, each touched stack is also planned by the real terraform (init with one shared ` +
    `plugin cache, plan -out, show -json); plans and a manifest tying them to their inputs are saved ` +
    `under --plans for dbaas apply.\n\n${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> plan',
    '<%= config.bin %> plan --all',
    '<%= config.bin %> plan --base origin/main --format markdown --out plan.md',
    '<%= config.bin %> plan --terraform --plans .dbaas/plans',
  ];

  static override flags = {
    base: Flags.string({
      description:
        'Git revision to compare against. Default: on a branch, where it left the default branch (merge base ' +
        'with origin/HEAD, origin/main or main); on the default branch, HEAD; without git everything is new.',
      exclusive: ['all'],
    }),
    all: Flags.boolean({ description: 'Plan every database as new (as for a first apply), ignoring git.', default: false }),
    full: Flags.boolean({
      description: 'Evaluate every database, even when the config and policies are unchanged and only the changed files need to be.',
      default: false,
    }),
    format: Flags.string({ description: 'Output format.', options: formatsFor('plan'), default: 'text' }),
    out: Flags.file({ description: 'Write the output to this file (atomically) instead of stdout.' }),
    terraform: Flags.boolean({ description: 'Also run the real terraform plan for each touched stack.', default: false }),
    offline: Flags.boolean({
      description: 'With --terraform: mock credentials and a local state stand-in (reviewable, never applicable).',
      default: false,
      dependsOn: ['terraform'],
    }),
    plans: Flags.directory({ description: 'Where --terraform saves stacks, plans and the manifest.', default: '.dbaas/plans' }),
    parallelism: Flags.integer({ description: 'Stacks planned by terraform at once.', default: 2, min: 1, max: 32 }),
    'allow-destroy': Flags.boolean({ description: 'Accept a plan that destroys data or recovery points.', default: false }),
    'save-markdown': Flags.file({ description: 'Also write the PR comment (markdown) to this file, from the same run.' }),
    'save-json': Flags.file({ description: 'Also write the JSON report to this file, from the same run.' }),
    'save-sarif': Flags.file({ description: 'Also write SARIF 2.1.0 to this file, from the same run.' }),
    environment: Flags.string({
      description: 'Plan only the databases of this environment (one apply job per environment plans its own).',
      options: ['development', 'staging', 'production'],
    }),
    // Partial and sharded plans (src/plan/select.ts, src/plan/shard.ts).
    only: Flags.string({ description: 'Comma-separated database names: plan only these (of the stacks the change touches).' }),
    cloud: Flags.string({ description: 'Plan only the stacks of this cloud (e.g. with credentials for one cloud).', options: ['aws', 'gcp'] }),
    shard: Flags.string({
      description: 'K/N: plan only shard K of N (a deterministic split balanced by expected terraform time); combine the JSON reports with dbaas plan merge.',
    }),
    list: Flags.boolean({
      description: 'List the touched stacks with their expected terraform cost and a suggested shard count, and plan nothing.',
      default: false,
      exclusive: ['shard', 'terraform'],
    }),
    'target-minutes': Flags.integer({ description: 'With --list: terraform time wanted per shard, in minutes.', default: 10, min: 1, max: 600 }),
  };

  async run(): Promise<PlanReport | PlanListJson> {
    const { flags } = await this.parse(Plan);
    const run = await runPlan({
      dir: flags.dir,
      base: flags.base,
      all: flags.all,
      full: flags.full,
      allowDestroy: flags['allow-destroy'],
      environment: flags.environment as Environment | undefined,
      only: flags.only
        ?.split(',')
        .map((n) => n.trim())
        .filter(Boolean),
      cloud: flags.cloud as 'aws' | 'gcp' | undefined,
      shard: flags.shard,
      list: flags.list ? { targetMinutes: flags['target-minutes'] } : undefined,
      terraform: flags.terraform
        ? {
            plansDir: resolve(flags.dir, flags.plans),
            parallelism: flags.parallelism,
            offline: flags.offline,
            interactive: Boolean(process.stderr.isTTY) && process.env.CI !== 'true',
          }
        : undefined,
    });
    if (run.kind === 'list') {
      // writeStdout prints through the one sanitiser (spec names are spec text).
      if (!this.jsonEnabled()) this.writeStdout(renderPlanListText(run.list), 'text');
      process.exitCode = run.list.exitCode;
      return run.list;
    }
    const { report } = run;
    writePlanOutputs(report, flags, {
      printing: !this.jsonEnabled(),
      stdout: (text, kind) => this.writeStdout(text, kind),
      // A shard's findings are every shard's: the merge job annotates them once.
      ...(this.inGithubActions && !flags.shard ? { annotate: (command: string) => this.annotate(command, 'stderr') } : {}),
    });
    process.exitCode = report.exitCode;
    return report;
  }
}
