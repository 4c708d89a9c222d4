import { Flags } from '@oclif/core';
import { applyPlans, ENVIRONMENTS, environmentTargets, type ApplyReport, type EnvironmentList } from '../apply/index.js';
import { BaseCommand, EXIT_CODES_HELP } from '../cli/base.js';
import { DbaasError, ExitCode } from '../errors.js';
import { guardDir } from '../pipeline.js';
import type { Environment } from '../spec/generated.js';

export default class Apply extends BaseCommand {
  static override summary = 'Apply the saved, reviewed plans exactly as they are.';
  static override description =
    `Applies only the plan files saved by dbaas plan --terraform. Refuses, with a reason and exit 1: ` +
    `when the specs, config or policies changed since the plan; when guardrail errors exist; when a plan ` +
    `destroys resources without --allow-destroy; when run in CI off the configured protected branch; ` +
    `when another apply holds the stack; when the manifest names a stack that is not a database of the ` +
    `checkout, or a folder or plan file outside --plans; when the stack synthesized from the checkout ` +
    `differs from the one planned; with --environment, when a stack is a database of another ` +
    `environment. Destroys are counted from terraform show -json of the plan file, not read from the ` +
    `manifest.\n\nA stack that fails does not stop the others (--fail-fast starts no further stack after ` +
    `the first failure). Each applied plan is recorded in applied.json next to the manifest, so running ` +
    `apply again applies only what is left and never the same plan twice. SIGINT or SIGTERM stops ` +
    `terraform gracefully (its own interrupt), starts no further stack, releases the locks and still ` +
    `writes the report (apply-report.json next to the manifest).\n\n` +
    `--list-environments prints the environments of dbaas.config.yaml with their approval flag ` +
    `(apply.environments.NAME.requireApproval; default true for production only), for a workflow ` +
    `matrix.\n\n${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> apply --plans .dbaas/plans',
    '<%= config.bin %> apply --environment staging --plans .dbaas/plans',
    '<%= config.bin %> apply --list-environments --json',
  ];

  static override flags = {
    plans: Flags.directory({ description: 'Folder written by dbaas plan --terraform --plans.', default: '.dbaas/plans' }),
    'allow-destroy': Flags.boolean({ description: 'Apply plans that destroy resources.', default: false }),
    parallelism: Flags.integer({ description: 'Stacks applied at once. Default: apply.parallelism in dbaas.config.yaml, else 4.', min: 1, max: 64 }),
    environment: Flags.string({ description: 'Apply only the databases of this environment; refuse stacks of any other.', options: [...ENVIRONMENTS] }),
    'fail-fast': Flags.boolean({ description: 'Start no further stack after the first failure (default: every stack is tried).', default: false }),
    'list-environments': Flags.boolean({
      description: 'Print the environments of dbaas.config.yaml and whether each requires approval, then exit.',
      default: false,
      exclusive: ['environment', 'fail-fast', 'allow-destroy'],
    }),
  };

  async run(): Promise<ApplyReport | EnvironmentList> {
    const { flags } = await this.parse(Apply);
    if (flags['list-environments']) {
      const guarded = guardDir(flags.dir);
      if (!guarded.ok) throw new DbaasError(guarded.problems);
      const targets = environmentTargets(guarded.repo.config);
      if (!this.jsonEnabled()) for (const t of targets) this.log(`${t.name}\t${t.requireApproval ? 'requires approval' : 'applies on merge'}`);
      return targets;
    }
    // The first SIGINT/SIGTERM aborts: terraform gets its own graceful stop (SIGINT, then SIGKILL after
    // a grace period; see src/terraform/runner.ts), locks are released in finally blocks, and the
    // report is written before exit.
    const controller = new AbortController();
    const onSignal = (signal: NodeJS.Signals): void => {
      if (!controller.signal.aborted) process.stderr.write(`dbaas apply: ${signal} received; stopping terraform and writing the report\n`);
      controller.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    let report: ApplyReport;
    try {
      report = await applyPlans({
        dir: flags.dir,
        plansDir: flags.plans.startsWith('/') ? flags.plans : `${flags.dir}/${flags.plans}`,
        allowDestroy: flags['allow-destroy'],
        failFast: flags['fail-fast'],
        signal: controller.signal,
        ...(flags.environment ? { environment: flags.environment as Environment } : {}),
        ...(flags.parallelism ? { parallelism: flags.parallelism } : {}),
      });
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    if (!this.jsonEnabled()) {
      for (const a of report.applied) this.log(`applied  ${a.stack}: +${a.add} ~${a.change} -${a.destroy}`);
      for (const a of report.alreadyApplied) this.log(`skipped  ${a.stack}: this plan was applied by an earlier run`);
      for (const r of report.refused) this.log(`refused  ${r.stack}: ${r.reason}`);
      for (const f of report.failed) {
        this.log(`failed   ${f.stack}: ${f.error}`);
        for (const line of f.terraform) this.log(`           ${line}`);
      }
      for (const n of report.notStarted) this.log(`waiting  ${n.stack}: ${n.reason}`);
      this.log(
        `${report.applied.length} applied, ${report.alreadyApplied.length} already applied, ` +
          `${report.refused.length} refused, ${report.failed.length} failed, ${report.notStarted.length} not ` +
          `started${report.interrupted ? ' (interrupted)' : ''}`,
      );
    }
    process.exitCode = report.exitCode === ExitCode.ok ? ExitCode.ok : ExitCode.findings;
    return report;
  }
}
