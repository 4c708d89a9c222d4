import { BaseCommand, EXIT_CODES_HELP } from '../../cli/base.js';
import { formatLocation } from '../../errors.js';
import { guardrailSummary, loadPolicyContext, type GuardrailSummaryJson } from '../../guard/context.js';

/** The documented `dbaas policy list --json` shape. */
export interface PolicyListJson {
  guardrails: (GuardrailSummaryJson & { fixable: boolean })[];
}

export default class PolicyList extends BaseCommand {
  static override summary = "List every guardrail: the baseline pack and the repo's own policies/.";
  static override description =
    `Shows each guardrail's id, severity (after any dbaas.config.yaml override, with its reason), where ` +
    `it comes from, which databases it applies to and what it mirrors.\n\n${EXIT_CODES_HELP}`;
  static override examples = ['<%= config.bin %> policy list', '<%= config.bin %> policy list --dir ../infra --json'];

  async run(): Promise<PolicyListJson> {
    const { flags } = await this.parse(PolicyList);
    const context = loadPolicyContext(flags.dir);
    const guardrails = context.registry.guardrails.map((g) => ({ ...guardrailSummary(g, context.overrides), fixable: g.fix !== undefined }));
    if (!this.jsonEnabled()) {
      const width = Math.max(...guardrails.map((g) => g.id.length), 2);
      this.log(`${'ID'.padEnd(width)}  ${'SEVERITY'.padEnd(8)}  ${'SOURCE'.padEnd(8)}  ${'FIX'.padEnd(3)}  APPLIES TO`);
      for (const g of guardrails) {
        this.log(`${g.id.padEnd(width)}  ${g.effectiveSeverity.padEnd(8)}  ${g.source.padEnd(8)}  ${(g.fixable ? 'yes' : '-').padEnd(3)}  ${g.appliesTo}`);
      }
      for (const o of context.overrides) {
        this.log(
          `${formatLocation(o.location)}: note ${o.guardrail} ${o.severity ? `severity ${o.severity}` : 'overridden'} by dbaas.config.yaml: ${o.reason}`,
        );
      }
      this.log(`${guardrails.length} guardrails (${guardrails.filter((g) => g.source === 'repo').length} from this repo); dbaas policy explain ID for details`);
    }
    return { guardrails };
  }
}
