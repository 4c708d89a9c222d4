import { Flags } from '@oclif/core';
import { BaseCommand, EXIT_CODES_HELP } from '../cli/base.js';
import { DbaasError, ExitCode } from '../errors.js';
import { fixRepo, type FixChange } from '../guard/fix.js';
import { summarize } from '../guard/summary.js';
import { findingToJson, formatFinding, type FindingJson } from '../render/findings.js';
import { isBlocking } from '../guard/types.js';
import { guardDir } from '../pipeline.js';
import { renderFlow } from '../guard/yaml-edit.js';

/** The documented `dbaas fix --json` shape. */
export interface FixJson {
  ok: boolean;
  exitCode: number;
  dryRun: boolean;
  /** Whether files were written (false with --dry-run or when nothing needed fixing). */
  written: boolean;
  files: string[];
  changes: { file: string; field: string; target: string; before: unknown; after: unknown; guardrails: string[]; databases: string[] }[];
  /** Unwaived error findings left after the fixes (they need a human). */
  remaining: FindingJson[];
}

const show = (v: unknown) => (v === undefined ? '(unset)' : renderFlow(v));

export default class Fix extends BaseCommand {
  static override summary = "Write each guardrail finding's fix into the spec files, keeping comments and formatting.";
  static override description = `Runs the guardrails, then writes each error finding's fix (a merge patch) where the value is defined: in the Database, or in its named BackupPolicy when every database inheriting that field from it has the same finding (otherwise as an inline override in the Database's spec.backup, so the policy's other users keep their settings). The result is validated again before anything is written, and each file is replaced atomically. Waived findings are left alone. Prints what changed, file by file.\n\n${EXIT_CODES_HELP.replace('guardrail errors, or a plan/apply that was refused', 'guardrail errors remain that have no automatic fix')}`;
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
    const remaining = result.after.guard.findings.filter(isBlocking);
    const exitCode = remaining.length ? ExitCode.findings : ExitCode.ok;
    if (!this.jsonEnabled()) {
      const verb = flags['dry-run'] ? 'would change' : 'changed';
      for (const file of result.files) {
        this.log(`${file}`);
        for (const c of result.changes.filter((x) => x.file === file)) this.log(`  ${describe(c)}`);
      }
      for (const f of remaining) for (const line of formatFinding(f)) this.log(line);
      const counts = summarize(result.after.guard);
      const head = result.changes.length
        ? `${flags['dry-run'] ? '(dry run) ' : ''}${verb} ${result.changes.length} field${result.changes.length === 1 ? '' : 's'} in ${result.files.length} file${result.files.length === 1 ? '' : 's'}`
        : 'nothing to fix';
      this.log(`${exitCode === ExitCode.ok ? '✓' : '✗'} ${head}; guardrails after: ${counts.errors} errors, ${counts.warnings} warnings, ${counts.waived} waived`);
    }
    process.exitCode = exitCode;
    return {
      ok: exitCode === ExitCode.ok,
      exitCode,
      dryRun: flags['dry-run'],
      written: result.written,
      files: [...result.files],
      changes: result.changes.map((c) => ({ ...c, guardrails: [...c.guardrails], databases: [...c.databases] })),
      remaining: remaining.map(findingToJson),
    };
  }
}

function describe(c: FixChange): string {
  return `${c.field}: ${show(c.before)} → ${show(c.after)}  (${c.target}; ${c.guardrails.join(', ')} for ${c.databases.join(', ')})`;
}
