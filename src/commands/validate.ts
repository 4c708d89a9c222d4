import { BaseCommand, EXIT_CODES_HELP } from '../cli/base.js';
import { ExitCode, formatProblem } from '../errors.js';
import { resolveDir } from '../pipeline.js';
import { annotation } from '../render/annotations.js';
import { problemToJson, type ProblemJson } from '../render/problems.js';

/** The documented `dbaas validate --json` shape (docs/json-output.md). */
export interface ValidateJson {
  ok: boolean;
  exitCode: number;
  databases: string[];
  problems: ProblemJson[];
}

export default class Validate extends BaseCommand {
  static override summary = 'Check every spec against its schema, names, schedules, secrets and references.';
  static override description = `Reads dbaas.config.yaml and every *.yaml under stacks/, and reports every problem in every file at once, one line each with file:line:column.\n\n${EXIT_CODES_HELP}`;
  static override examples = ['<%= config.bin %> validate', '<%= config.bin %> validate --dir ../infra --json'];

  async run(): Promise<ValidateJson> {
    const { flags } = await this.parse(Validate);
    const result = resolveDir(flags.dir);
    const problems = result.ok ? result.repo.problems : result.problems;
    const exitCode = result.ok ? ExitCode.ok : ExitCode.invalid;
    if (!this.jsonEnabled()) {
      for (const p of problems) this.log(formatProblem(p));
      if (this.inGithubActions) for (const p of problems) this.log(annotation(p));
      this.log(
        result.ok
          ? `✓ ${result.repo.entries.length} databases valid`
          : `✗ ${problems.filter((p) => p.severity === 'error').length} problems; nothing was changed`,
      );
    }
    process.exitCode = exitCode;
    return {
      ok: result.ok,
      exitCode,
      databases: result.ok ? result.repo.entries.map((e) => e.db.name) : [],
      problems: problems.map(problemToJson),
    };
  }
}
