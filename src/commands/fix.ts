import { Flags } from '@oclif/core';
import { BaseCommand, EXIT_CODES_HELP } from '../cli/base.js';
import { DbaasError, ExitCode } from '../errors.js';
import { fixRepo } from '../guard/fix.js';
import { fixJson, fixOutcome, type FixJson } from '../guard/fix-outcome.js';
import { guardDir } from '../pipeline.js';
import { renderFixLines } from '../render/fix.js';

export default class Fix extends BaseCommand {
  static override summary = "Write each guardrail finding's fix into the spec files, keeping comments and formatting.";
  static override description =
    `Runs the guardrails, then writes each error finding's fix (a merge patch) where the value is ` +
    `defined: in the Database, or in its named BackupPolicy when every database inheriting that field ` +
    `from it has the same finding (otherwise as an inline override in the Database's spec.backup, so the ` +
    `policy's other users keep their settings). The result is validated again before anything is ` +
    `written, and each file is replaced atomically. Waived findings are left alone. Prints what changed, ` +
    `file by file.\n\n${EXIT_CODES_HELP.replace('guardrail errors, or a plan/apply that was refused', 'guardrail errors remain that have no automatic fix')}`;
  static override examples = ['<%= config.bin %> fix --dry-run', '<%= config.bin %> fix', '<%= config.bin %> fix --warnings'];
  static override flags = {
    'dry-run': Flags.boolean({ description: 'Show what would change; write nothing.', default: false }),
    warnings: Flags.boolean({ description: 'Also apply the fixes of warnings. Default: errors only.', default: false }),
  };

  async run(): Promise<FixJson> {
    const { flags } = await this.parse(Fix);
    const start = guardDir(flags.dir);
    if (!start.ok) throw new DbaasError(start.problems, ExitCode.invalid);
    const result = fixRepo(start, { dryRun: flags['dry-run'], includeWarnings: flags.warnings });
    if (!result.after.ok) throw new DbaasError(result.after.problems, ExitCode.invalid);
    const outcome = fixOutcome({ ...result, after: result.after });
    if (!this.jsonEnabled()) for (const line of renderFixLines(outcome, flags['dry-run'])) this.log(line);
    process.exitCode = outcome.exitCode;
    return fixJson(outcome, flags['dry-run'], result.written);
  }
}
