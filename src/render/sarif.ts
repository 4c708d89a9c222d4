// SARIF 2.1.0 for GitHub code scanning: each guardrail a rule, each finding a result at its
// file:line:column; waived findings carry an external suppression with the waiver's reason.
import type { FindingJson } from './findings.js';
import type { ProblemJson } from './problems.js';

export interface SarifRule {
  readonly id: string;
  readonly description: string;
  readonly remediation?: string;
  readonly references?: readonly string[];
  readonly severity?: 'error' | 'warning';
}

export interface SarifInput {
  readonly toolVersion: string;
  readonly findings: readonly FindingJson[];
  readonly problems?: readonly ProblemJson[];
  /** Guardrail descriptions for the rules table. Default: rules named by id only. */
  readonly rules?: readonly SarifRule[];
}

type Level = 'error' | 'warning' | 'note';

export function renderSarif(input: SarifInput): string {
  const ruleIds = new Map<string, number>();
  const rules: object[] = [];
  const known = new Map((input.rules ?? []).map((r) => [r.id, r]));
  const ruleIndex = (id: string, fallback: { description: string; level: Level }): number => {
    let index = ruleIds.get(id);
    if (index === undefined) {
      index = rules.length;
      ruleIds.set(id, index);
      const rule = known.get(id);
      rules.push({
        id,
        name: id.replace(/(^|[-_])(\w)/g, (_, __, ch: string) => ch.toUpperCase()),
        shortDescription: { text: rule?.description ?? fallback.description },
        ...(rule?.remediation ? { help: { text: rule.remediation } } : {}),
        defaultConfiguration: { level: rule?.severity ?? fallback.level },
        ...(rule?.references?.length ? { properties: { tags: ['dbaas', ...rule.references] } } : {}),
      });
    }
    return index;
  };
  const location = (file: string | undefined, line: number | undefined, column: number | undefined) =>
    file
      ? [
          {
            physicalLocation: {
              artifactLocation: { uri: file, uriBaseId: '%SRCROOT%' },
              region: { startLine: Math.max(1, line ?? 1), startColumn: Math.max(1, column ?? 1) },
            },
          },
        ]
      : [];

  const results: object[] = [];
  for (const f of input.findings) {
    const level: Level = f.severity === 'error' ? 'error' : 'warning';
    results.push({
      ruleId: f.guardrail,
      ruleIndex: ruleIndex(f.guardrail, { description: f.message, level }),
      level,
      message: { text: `${f.database}: ${f.message} ${f.remediation}`.trim() },
      locations: location(f.file, f.line, f.column),
      partialFingerprints: { dbaasFinding: `${f.guardrail}/${f.database}/${f.field}` },
      ...(f.waived ? { suppressions: [{ kind: 'external', status: 'accepted', justification: `${f.waived.reason} (expires ${f.waived.expires})` }] } : {}),
    });
  }
  for (const p of input.problems ?? []) {
    results.push({
      ruleId: p.code,
      ruleIndex: ruleIndex(p.code, { description: 'Invalid dbaas input', level: 'error' }),
      level: p.severity === 'warning' ? 'warning' : 'error',
      message: { text: `${p.field ? `${p.field}: ` : ''}${p.message}` },
      locations: location(p.file, p.line, p.column),
    });
  }
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'dbaas', semanticVersion: input.toolVersion, informationUri: 'https://github.com/acme/dbaas', rules } },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The infra repo root.' } } },
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
