import { BaseCommand, EXIT_CODES_HELP } from '../../cli/base.js';
import { ExitCode, formatLocation } from '../../errors.js';
import { loadPolicyContext } from '../../guard/context.js';
import { testRegistry } from '../../guard/policy-test.js';

/** The documented `dbaas policy test --json` shape. */
export interface PolicyTestJson {
  ok: boolean;
  exitCode: number;
  guardrails: number;
  cases: number;
  failures: { guardrail: string; kind: 'pass' | 'fail' | 'fix'; index: number; file: string; line: number; column: number; message: string }[];
}

export default class PolicyTest extends BaseCommand {
  static override summary = "Run every guardrail's own pass and fail cases.";
  static override description =
    `Each pass case (a partial resolved database) must give no finding, each fail case must give one, ` +
    `and where the guardrail has a fix, the fix must turn each fail case into a pass. Runs the baseline ` +
    `pack and the repo's policies/, so an org tests its own guardrails the same ` +
    `way.\n\n${EXIT_CODES_HELP.replace('guardrail errors, or a plan/apply that was refused', 'a test case does not behave')}`;
  static override examples = ['<%= config.bin %> policy test', '<%= config.bin %> policy test --dir ../infra'];

  async run(): Promise<PolicyTestJson> {
    const { flags } = await this.parse(PolicyTest);
    const context = loadPolicyContext(flags.dir, { withOverrides: false });
    const result = testRegistry(context.registry);
    const exitCode = result.failures.length ? ExitCode.findings : ExitCode.ok;
    if (!this.jsonEnabled()) {
      for (const g of result.guardrails) {
        this.log(`${g.failures.length ? '✗' : '✓'} ${g.id} (${g.cases} cases)`);
        for (const f of g.failures) this.log(`    ${formatLocation(f.location)}: ${f.message}`);
      }
      this.log(
        result.failures.length
          ? `✗ ${result.failures.length} of ${result.cases} cases misbehave in ${result.guardrails.filter((g) => g.failures.length).length} guardrails`
          : `✓ ${result.guardrails.length} guardrails, ${result.cases} cases behave`,
      );
    }
    process.exitCode = exitCode;
    return {
      ok: exitCode === ExitCode.ok,
      exitCode,
      guardrails: result.guardrails.length,
      cases: result.cases,
      failures: result.failures.map((f) => ({ guardrail: f.guardrail, kind: f.kind, index: f.index, ...f.location, message: f.message })),
    };
  }
}
