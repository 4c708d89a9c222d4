// Terraform's own error lines for a report: its error diagnostics (summary: detail), else the tail
// of its stderr, else the message; at most 5 lines, with the folders it ran in written as <stack>
// and <plans>, so a report (and a PR comment built from it) carries no machine path.

/** Absolute POSIX paths not part of a URL (…://host/path), a relative path or a named folder (<stack>/x): a machine's folders. */
const ABSOLUTE_PATH = /(?<![\w.:/~>-])\/(?:[^\s/'"`<>()[\]]+\/)*[^\s/'"`<>()[\]]*/g;

/** `text` with the given folders named, and any other absolute path written <path>. */
export function withoutMachinePaths(text: string, folders: Readonly<Record<string, string>> = {}): string {
  let out = text;
  // Longest first: a stack folder lies inside the plans folder.
  for (const [name, dir] of Object.entries(folders).sort(([, a], [, b]) => b.length - a.length)) if (dir) out = out.split(dir).join(`<${name}>`);
  return out.replace(ABSOLUTE_PATH, (m) => (m === '/' ? m : '<path>'));
}

export function terraformErrorLines(error: unknown, folders: Readonly<Record<string, string>> = {}): string {
  const e = error as { message?: string; diagnostics?: { severity: string; summary: string; detail?: string }[]; stderrTail?: string };
  const diagnostics = (e.diagnostics ?? []).filter((d) => d.severity === 'error').map((d) => (d.detail ? `${d.summary}: ${d.detail}` : d.summary));
  const lines = diagnostics.length ? diagnostics : (e.stderrTail || e.message || 'terraform failed').split('\n').filter((l) => l.trim());
  // A diagnostic's detail runs over several lines: the cap is on lines as printed.
  const printed = lines
    .join('\n')
    .split('\n')
    .filter((l) => l.trim());
  return withoutMachinePaths(printed.slice(0, 5).join('\n'), folders);
}
