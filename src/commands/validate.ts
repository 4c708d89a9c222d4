import { BaseCommand, EXIT_CODES_HELP } from '../cli/base.js';
import { ExitCode, formatProblem, type Problem } from '../errors.js';
import { summarize } from '../guard/summary.js';
import { findingToJson, formatFinding, formatOverride, overrideToJson, type FindingJson, type OverrideJson } from '../render/findings.js';
import { isBlocking } from '../guard/types.js';
import { parseRepoFiles, readRepoFiles } from '../load/repo.js';
import { guardDir } from '../pipeline.js';
import { annotation, findingAnnotation } from '../render/annotations.js';
import { problemToJson, type ProblemJson } from '../render/problems.js';

/** The documented `dbaas validate --json` shape (docs/json-output.md, section validate). */
export interface ValidateJson {
  /** True when the exit code is 0: valid input and no unwaived guardrail error. */
  ok: boolean;
  exitCode: number;
  databases: string[];
  problems: ProblemJson[];
  /** Guardrail findings, waived ones included (empty when the input is invalid). */
  findings: FindingJson[];
  /** dbaas.config.yaml guardrails.overrides in effect, with their reasons. */
  overrides: OverrideJson[];
  summary: { errors: number; warnings: number; waived: number; guardrails: number };
}

export default class Validate extends BaseCommand {
  static override summary = 'Check every spec against its schema and every database against the guardrails.';
  static override description = `Reads dbaas.config.yaml and every *.yaml under stacks/, reports every problem in every file at once (one line each with file:line:column), then runs the guardrails (the baseline pack plus the repo's policies/) over every database. Waived findings are listed with their reason; dbaas.config.yaml overrides are listed with theirs. DBAAS_NOW (an ISO date) replaces today's date for waiver expiry.\n\n${EXIT_CODES_HELP}`;
  static override examples = ['<%= config.bin %> validate', '<%= config.bin %> validate --dir ../infra --json'];

  async run(): Promise<ValidateJson> {
    const { flags } = await this.parse(Validate);
    const result = guardDir(flags.dir);
    const problems = result.ok ? result.repo.problems : result.problems;
    const findings = result.ok ? result.guard.findings : [];
    const overrides = result.ok ? result.guard.overrides : [];
    const counts = result.ok ? summarize(result.guard) : { errors: 0, warnings: 0, waived: 0 };
    const exitCode = !result.ok ? ExitCode.invalid : findings.some(isBlocking) ? ExitCode.findings : ExitCode.ok;
    if (!this.jsonEnabled()) {
      for (const p of problems) this.log(formatProblem(p));
      for (const f of findings) for (const line of formatFinding(f)) this.log(line);
      for (const o of overrides) this.log(formatOverride(o));
      if (this.inGithubActions) {
        for (const p of problems) this.annotate(annotation(p));
        for (const f of findings) this.annotate(findingAnnotation(f));
      }
      if (!result.ok) this.log(`✗ ${invalidSummary(flags.dir, problems)}`);
      else {
        const tally = `guardrails: ${counts.errors} errors, ${counts.warnings} warnings, ${counts.waived} waived (${result.guard.evaluated} guardrails)`;
        this.log(`${exitCode === ExitCode.ok ? '✓' : '✗'} ${result.repo.entries.length} database${result.repo.entries.length === 1 ? '' : 's'} valid; ${tally}`);
      }
    }
    process.exitCode = exitCode;
    return {
      ok: exitCode === ExitCode.ok,
      exitCode,
      databases: result.ok ? result.repo.entries.map((e) => e.db.name) : [],
      problems: problems.map(problemToJson),
      findings: findings.map(findingToJson),
      overrides: overrides.map(overrideToJson),
      summary: { ...counts, guardrails: result.ok ? result.guard.evaluated : 0 },
    };
  }
}

/**
 * "3 problems: 2 of 9 databases invalid": counted per Database document (a document is invalid when
 * an error points into it, i.e. between its start and the next document of its file). Only read on
 * the failure path, so valid runs do not parse twice.
 */
function invalidSummary(dir: string, problems: readonly Problem[]): string {
  const errors = problems.filter((p) => p.severity === 'error');
  const docs = parseRepoFiles(readRepoFiles(dir)).specs;
  const starts = new Map<string, number[]>();
  for (const d of docs) starts.set(d.file, [...(starts.get(d.file) ?? []), d.locate([]).line]);
  const databases = docs.filter((d) => (d.value as { kind?: unknown } | null)?.kind === 'Database');
  const invalid = databases.filter((d) => {
    const lines = starts.get(d.file) ?? [];
    const from = d.locate([]).line;
    const to = Math.min(...lines.filter((l) => l > from), Number.POSITIVE_INFINITY);
    return errors.some((p) => p.location?.file === d.file && p.location.line >= from && p.location.line < to);
  }).length;
  const noun = errors.length === 1 ? 'problem' : 'problems';
  const scope = databases.length ? `: ${invalid} of ${databases.length} database${databases.length === 1 ? '' : 's'} invalid` : '';
  return `${errors.length} ${noun}${scope}; fix them and run dbaas validate again`;
}
