// Findings as text lines and the documented JSON shape (docs/json-output.md); their GitHub
// annotations are in annotations.ts, the plan's in the format renderers (formats.ts).
import { ERR } from '../error-codes.js';
import { formatLocation } from '../errors.js';
import { renderFlow } from '../guard/yaml-edit.js';
import type { Finding, GuardrailOverride } from '../guard/types.js';

/** The documented JSON shape of a finding (docs/json-output.md, section validate). */
export interface FindingJson {
  code: Finding['code'];
  guardrail: string;
  severity: 'error' | 'warning';
  database: string;
  file: string;
  line: number;
  column: number;
  field: string;
  message: string;
  remediation: string;
  fix?: Record<string, unknown>;
  waived?: { reason: string; expires: string; file: string; line: number; column: number };
  override?: { from: 'error' | 'warning'; reason: string };
}

export interface OverrideJson {
  guardrail: string;
  severity?: 'error' | 'warning' | 'off';
  reason: string;
  file: string;
  line: number;
  column: number;
}

export function findingToJson(f: Finding): FindingJson {
  return {
    code: f.code,
    guardrail: f.guardrail,
    severity: f.severity,
    database: f.database,
    file: f.location.file,
    line: f.location.line,
    column: f.location.column,
    field: f.field,
    message: f.message,
    remediation: f.remediation,
    ...(f.fix ? { fix: f.fix } : {}),
    ...(f.waived ? { waived: { reason: f.waived.reason, expires: f.waived.expires, ...f.waived.location } } : {}),
    ...(f.override ? { override: { ...f.override } } : {}),
  };
}

export function overrideToJson(o: GuardrailOverride): OverrideJson {
  return { guardrail: o.guardrail, ...(o.severity ? { severity: o.severity } : {}), reason: o.reason, ...o.location };
}

/**
 * `file:line:col: error guardrail-id [database] field: message`, then indented remediation, fix and
 * waiver lines.
 */
export function formatFinding(f: Finding): string[] {
  const level = f.waived ? `${f.severity} (waived)` : f.severity;
  const what = f.code === ERR.GUARDRAIL ? f.guardrail : f.code;
  const lines = [`${formatLocation(f.location)}: ${level} ${what} [${f.database}] ${f.field}: ${f.message}`];
  if (f.waived) lines.push(`    waived until ${f.waived.expires}: ${f.waived.reason} (${formatLocation(f.waived.location)})`);
  else {
    lines.push(`    how to fix: ${f.remediation}`);
    if (f.fix) lines.push(`    dbaas fix writes: ${renderFlow(f.fix)}`);
  }
  if (f.override) lines.push(`    severity ${f.override.from} → ${f.severity} by dbaas.config.yaml: ${f.override.reason}`);
  return lines;
}

export function formatOverride(o: GuardrailOverride): string {
  const what = o.severity === 'off' ? 'is off' : o.severity ? `severity is ${o.severity}` : 'is overridden';
  return `${formatLocation(o.location)}: note guardrail ${o.guardrail} ${what}: ${o.reason}`;
}
