import { Flags } from '@oclif/core';
import { applyPlans, type ApplyReport } from '../apply/index.js';
import { BaseCommand, EXIT_CODES_HELP } from '../cli/base.js';

export default class Apply extends BaseCommand {
  static override summary = 'Apply the saved, reviewed plans exactly as they are.';
  static override description = `Applies only the plan files saved by dbaas plan --terraform. Refuses, with a reason and exit 1: when the specs, config or policies changed since the plan; when guardrail errors exist; when a plan destroys resources without --allow-destroy; when run in CI off the configured protected branch; when another apply holds the stack; when the manifest names a stack that is not a database of the checkout, or a folder or plan file outside --plans; when the stack synthesized from the checkout differs from the one planned. Destroys are counted from terraform show -json of the plan file, not read from the manifest.

${EXIT_CODES_HELP}`;
  static override examples = ['<%= config.bin %> apply --plans .dbaas/plans'];

  static override flags = {
    plans: Flags.directory({ description: 'Folder written by dbaas plan --terraform --plans.', default: '.dbaas/plans' }),
    'allow-destroy': Flags.boolean({ description: 'Apply plans that destroy resources.', default: false }),
    parallelism: Flags.integer({ description: 'Stacks applied at once. Default: apply.parallelism in dbaas.config.yaml, else 4.', min: 1, max: 64 }),
  };

  async run(): Promise<ApplyReport> {
    const { flags } = await this.parse(Apply);
    const report = await applyPlans({
      dir: flags.dir,
      plansDir: flags.plans.startsWith('/') ? flags.plans : `${flags.dir}/${flags.plans}`,
      allowDestroy: flags['allow-destroy'],
      ...(flags.parallelism ? { parallelism: flags.parallelism } : {}),
    });
    if (!this.jsonEnabled()) {
      for (const a of report.applied) this.log(`applied  ${a.stack}: +${a.add} ~${a.change} -${a.destroy}`);
      for (const r of report.refused) this.log(`refused  ${r.stack}: ${r.reason}`);
      for (const f of report.failed) this.log(`failed   ${f.stack}: ${f.error}`);
      this.log(`${report.applied.length} applied, ${report.refused.length} refused, ${report.failed.length} failed`);
    }
    process.exitCode = report.exitCode;
    return report;
  }
}
