// The one way spec-derived text enters markdown (PR comment, job summary, GUARDRAILS.md): as text.
// A value can never open an HTML comment, add an image, link, heading, table cell or <details>,
// mention a person or team, or break out of its line. Every renderer calls these helpers; none
// interpolates a value raw.
//
// What GitHub does on top of CommonMark/GFM (and why the word joiner U+2060 below): after rendering,
// github.com turns @name and @org/team into mentions, #123 into issue links, :name: into emoji and
// bare URLs and e-mail addresses into links, by scanning the *text* of the HTML, so a backslash
// escape (which only reaches the markdown parser) cannot stop them. An invisible word joiner after
// the trigger character keeps the text as it reads and breaks the pattern.
// https://docs.github.com/en/get-started/writing-on-github/getting-started-with-writing-and-formatting-on-github/basic-writing-and-formatting-syntax

const WJ = '\u2060';

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// ASCII punctuation that starts or closes a GFM inline construct anywhere in a line. ("." "-" "+"
// "=" matter only at the start of a line: see leading() below.) "$" is GitHub's inline math.
const SPECIAL = /[&<>\\`*_~[\]()!|#$]/g;

/**
 * One visible line: line breaks (which would start a new block, a heading or a list) become spaces,
 * other control and bidi-override characters (which hide or reorder text) become U+FFFD.
 */
export function oneLine(value: string): string {
  return (
    value
      .replace(/\r\n|[\r\n\t\v\f\u2028\u2029\u0085]/g, ' ')
      // eslint-disable-next-line no-control-regex -- matching control characters is the point: they are escaped or stripped
      .replace(/[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '\uFFFD')
  );
}

/** Word joiners that break GitHub's text-level autolinks (see the top of this file). */
function breakAutolinks(value: string): string {
  return value
    .replace(/@(?=[\p{L}\p{N}_-])/gu, `@${WJ}`)
    .replace(/#(?=\p{N})/gu, `#${WJ}`)
    .replace(/:\/\//g, `:${WJ}//`)
    .replace(/(www)\./gi, `$1${WJ}.`)
    .replace(/:([\w+-]+):/g, `:${WJ}$1:`);
}

/** A value that could begin a line: a list marker, a setext underline, an ordered-list number. */
function leading(value: string): string {
  return value.replace(/^([-+=])/, '\\$1').replace(/^(\d+)\./, '$1\\.');
}

/** Spec text in markdown running text, a table cell, a list item or a blockquote. */
export function mdText(value: string): string {
  const line = breakAutolinks(oneLine(String(value)));
  // One pass, so the "#" of an entity written here is not escaped again.
  return leading(line.replace(SPECIAL, (c) => ENTITY[c] ?? `\\${c}`));
}

/**
 * Spec text shown as code in markdown context. A backtick code span cannot escape anything inside
 * it (a value with a backtick ends it), so this is an HTML <code> element whose content is escaped
 * as markdown text; GitHub does not look for mentions or links inside <code>.
 */
export function mdCode(value: string): string {
  return `<code>${mdText(value)}</code>`;
}

/**
 * Spec text inside a raw HTML block (a <details> or <summary> line), where markdown is not parsed
 * and a backslash would show: HTML entities only.
 */
export function htmlText(value: string): string {
  return breakAutolinks(oneLine(String(value))).replace(/[&<>"']/g, (c) => ENTITY[c]!);
}

/**
 * A fenced code block holding lines that may carry spec text verbatim: each line is made one line,
 * and the fence is longer than any run of backticks or tildes inside, so no line can close it.
 */
export function codeBlock(lines: readonly string[], info = ''): string {
  const body = lines.map(oneLine);
  const longest = Math.max(0, ...body.flatMap((l) => (l.match(/`+/g) ?? []).map((run) => run.length)));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${body.join('\n')}\n${fence}`;
}

/**
 * What markdown cut at an arbitrary point needs appended so that text after it renders: the
 * closing fence of an open code block and a </details> per open <details> (inside either, a note
 * would show as code or stay collapsed). The plan workflow's comment step does the same.
 */
export function closeOpenBlocks(markdown: string): string {
  let fence: string | undefined;
  let details = 0;
  for (const line of markdown.split('\n')) {
    const f = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (fence) {
      if (f && f[1]![0] === fence[0] && f[1]!.length >= fence.length && !f[2]!.trim()) fence = undefined;
    } else if (f) fence = f[1];
    else details += (line.match(/<details>/g) ?? []).length - (line.match(/<\/details>/g) ?? []).length;
  }
  return `${fence ? `\n${fence}` : ''}${'\n\n</details>'.repeat(Math.max(0, details))}`;
}
