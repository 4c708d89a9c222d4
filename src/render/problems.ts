import type { Problem } from '../errors.js';

/** The documented JSON shape of a problem (see docs/json-output.md). */
export interface ProblemJson {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  file?: string;
  line?: number;
  column?: number;
  field?: string;
  suggestion?: string;
}

export function problemToJson(p: Problem): ProblemJson {
  return {
    code: p.code,
    severity: p.severity,
    message: p.message,
    ...(p.location ? { file: p.location.file, line: p.location.line, column: p.location.column } : {}),
    ...(p.field ? { field: p.field } : {}),
    ...(p.suggestion ? { suggestion: p.suggestion } : {}),
  };
}
