// Database exclusion patterns: shell-style globs over database names ("*" any run of characters,
// "?" one character), matched whole and case-sensitively, resolved at synth time.

export function globToRegExp(glob: string): RegExp {
  const body = [...glob].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`);
}

/** The databases to export, in their spec order, without those matching any pattern. */
export function exportedDatabases(databases: readonly string[], excludePatterns: readonly string[]): string[] {
  const patterns = excludePatterns.map(globToRegExp);
  return databases.filter((name) => !patterns.some((p) => p.test(name)));
}
