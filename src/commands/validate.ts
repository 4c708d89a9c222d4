import { BaseCommand, EXIT_CODES_HELP } from '../cli/base.js';
import { validateJson, validateOutcome, type ValidateJson } from '../guard/outcome.js';
import { invalidDatabases } from '../load/invalid.js';
import { guardDir } from '../pipeline.js';
import { annotation, findingAnnotation } from '../render/annotations.js';
import { renderValidateLines } from '../render/validate.js';

export default class Validate extends BaseCommand {
  static override summary = 'Check every spec against its schema and every database against the guardrails.';
  static override description =
    `Reads dbaas.config.yaml and every *.yaml under stacks/, reports every problem in every file at once ` +
    `(one line each with file:line:column), then runs the guardrails (the baseline pack plus the repo's ` +
    `policies/) over every database. Waived findings are listed with their reason; dbaas.config.yaml ` +
    `overrides are listed with theirs. DBAAS_NOW (an ISO date) replaces today's date for waiver ` +
    `expiry.\n\n${EXIT_CODES_HELP}`;
  static override examples = ['<%= config.bin %> validate', '<%= config.bin %> validate --dir ../infra --json'];

  async run(): Promise<ValidateJson> {
    const { flags } = await this.parse(Validate);
    const outcome = validateOutcome(guardDir(flags.dir));
    if (!this.jsonEnabled()) {
      const lines = renderValidateLines(outcome, () => invalidDatabases(flags.dir, outcome.problems));
      // Annotations go after the problem and finding lines, before the summary line.
      const summary = lines.pop()!;
      for (const line of lines) this.log(line);
      if (this.inGithubActions) {
        for (const p of outcome.problems) this.annotate(annotation(p));
        for (const f of outcome.findings) this.annotate(findingAnnotation(f));
      }
      this.log(summary);
    }
    process.exitCode = outcome.exitCode;
    return validateJson(outcome);
  }
}
