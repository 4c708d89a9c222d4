// A small CODEOWNERS reader for the tests: GitHub's rules are gitignore patterns, and when several
// lines match a file the last one wins.
export interface OwnerRule {
  readonly pattern: string;
  readonly owners: readonly string[];
  readonly line: number;
}

export function parseCodeowners(text: string): OwnerRule[] {
  return text.split('\n').flatMap((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) return [];
    const [pattern, ...owners] = line.split(/\s+/);
    return [{ pattern: pattern!, owners, line: i + 1 }];
  });
}

function patternToRegExp(pattern: string): RegExp {
  const directory = pattern.endsWith('/');
  let body = pattern.replace(/\/$/, '');
  // A slash at the start or in the middle anchors the pattern at the repo root.
  const anchored = body.startsWith('/') || body.includes('/');
  body = body.replace(/^\//, '');
  const glob = body
    .split(/(\*\*|\*|\?)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part === '?' ? '[^/]' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  // A pattern matches the path itself or anything below it; a trailing slash only what is below.
  return new RegExp(`^${anchored ? '' : '(?:.*/)?'}${glob}${directory ? '/.+' : '(?:/.+)?'}$`);
}

/** The rule that decides who owns `path` (repo-relative, forward slashes), or undefined. */
export function ownerRuleFor(rules: readonly OwnerRule[], path: string): OwnerRule | undefined {
  return [...rules].reverse().find((rule) => patternToRegExp(rule.pattern).test(path));
}
