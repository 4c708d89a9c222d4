// Typed problems and errors. Every user-facing failure is a Problem: a code, a place, the field,
// the bad value and what was expected. Commands print one line per problem and pick the exit code.

export interface SourceLocation {
  /** Path relative to the repo root, with forward slashes. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface Problem {
  /** Stable machine code, e.g. DBAAS_UNKNOWN_FIELD. */
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly location?: SourceLocation;
  /** Dotted field path inside the document, e.g. spec.backup.retentionDays. */
  readonly field?: string;
  readonly value?: unknown;
  readonly expected?: string;
  readonly suggestion?: string;
}

export const ExitCode = { ok: 0, findings: 1, invalid: 2, internal: 3 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error that carries problems to report and the exit code they imply. */
export class DbaasError extends Error {
  constructor(
    readonly problems: readonly Problem[],
    readonly exitCode: ExitCode = ExitCode.invalid,
  ) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'DbaasError';
  }
}

export function problem(p: Omit<Problem, 'severity'> & { severity?: Problem['severity'] }): Problem {
  return { severity: 'error', ...p };
}

export function formatLocation(loc: SourceLocation | undefined): string {
  return loc ? `${loc.file}:${loc.line}:${loc.column}` : '';
}

/** Renders a value for a message without ever dumping a whole structure. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  // Invisible characters are shown as escapes, so "got ..." says what is actually there.
  // JSON.stringify gives undefined only for functions, symbols and the like, which String() names.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- String() only for what JSON cannot show (undefined, functions, symbols)
  const text = (typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value))).replace(
    /[\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\u2800]|(?! )\p{White_Space}/gu,
    (c) => {
      const hex = c.codePointAt(0)!.toString(16);
      return hex.length > 4 ? `\\u{${hex}}` : `\\u${hex.padStart(4, '0')}`;
    },
  );
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** One line: `file:line:col: error CODE field: message (did you mean x?)`. */
export function formatProblem(p: Problem): string {
  const where = formatLocation(p.location);
  const parts = [where ? `${where}:` : '', p.severity, p.code];
  const head = parts.filter(Boolean).join(' ');
  const field = p.field ? ` ${p.field}:` : '';
  const hint = p.suggestion ? ` (${p.suggestion})` : '';
  return `${head}${field} ${p.message}${hint}`;
}

export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      (a.location?.file ?? '').localeCompare(b.location?.file ?? '') ||
      (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
      (a.location?.column ?? 0) - (b.location?.column ?? 0) ||
      a.code.localeCompare(b.code),
  );
}
