import { Args } from '@oclif/core';
import { stringify } from 'yaml';
import { BaseCommand, EXIT_CODES_HELP } from '../../cli/base.js';
import { formatLocation } from '../../errors.js';
import {
  describeEngines,
  describeMatch,
  effectiveSeverity,
  findGuardrail,
  guardrailSummary,
  loadPolicyContext,
  type GuardrailSummaryJson,
} from '../../guard/context.js';

/** The documented `dbaas policy explain ID --json` shape. */
export interface PolicyExplainJson extends GuardrailSummaryJson {
  line: number;
  match: Record<string, unknown>;
  assert: Record<string, unknown>;
  remediation: string;
  fix?: Record<string, unknown>;
  tests: { pass: number; fail: number };
}

export default class PolicyExplain extends BaseCommand {
  static override summary = 'Explain one guardrail: what it requires, why, what it mirrors and how to fix a finding.';
  static override description =
    `Prints the guardrail's description, references, the databases it applies to, its assert (JSON ` +
    `Schema over the resolved database), its remediation and the fix dbaas fix would ` +
    `write.\n\n${EXIT_CODES_HELP}`;
  static override examples = ['<%= config.bin %> policy explain offsite-copy-required'];
  static override args = { id: Args.string({ description: 'Guardrail id (see dbaas policy list).', required: true }) };

  async run(): Promise<PolicyExplainJson> {
    const { args, flags } = await this.parse(PolicyExplain);
    const context = loadPolicyContext(flags.dir);
    const g = findGuardrail(context, args.id);
    const { severity, override } = effectiveSeverity(g, context.overrides);
    if (!this.jsonEnabled()) {
      const indent = (text: string) =>
        text
          .trimEnd()
          .split('\n')
          .map((l) => `  ${l}`)
          .join('\n');
      this.log(`${g.id} (${severity}${override ? `, was ${g.severity}: ${override.reason}` : ''})`);
      this.log(`  ${g.source === 'baseline' ? 'baseline pack' : 'this repo'}: ${formatLocation(g.location)}`);
      this.log('');
      this.log(indent(g.description));
      this.log('');
      this.log(`Applies to: ${describeMatch(g)}`);
      this.log(`Engines: ${describeEngines(g)}`);
      this.log('Mirrors:');
      for (const r of g.references) this.log(`  - ${r}`);
      this.log('Requires (JSON Schema over the resolved database):');
      this.log(indent(stringify(g.assert)));
      this.log(`How to fix: ${g.remediation}`);
      this.log(g.fix ? `dbaas fix writes:\n${indent(stringify(g.fix))}` : 'dbaas fix: no automatic fix; a human decides.');
      this.log(`Tests: ${g.tests.pass.length} pass, ${g.tests.fail.length} fail cases (dbaas policy test)`);
    }
    return {
      ...guardrailSummary(g, context.overrides),
      line: g.location.line,
      match: { ...g.match },
      assert: g.assert,
      remediation: g.remediation,
      ...(g.fix ? { fix: g.fix } : {}),
      tests: { pass: g.tests.pass.length, fail: g.tests.fail.length },
    };
  }
}
