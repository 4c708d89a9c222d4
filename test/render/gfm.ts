// Renders markdown as GitHub does (CommonMark + GFM, raw HTML allowed as GitHub allows it after
// sanitising) and measures what elements came out, for tests that check spec text stays text.
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';

export function renderGfm(markdown: string): string {
  return micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
}

/** How many of each element (and HTML comments, as "!--") the HTML holds. */
export function elementCounts(html: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of html.matchAll(/<(!--|[a-zA-Z][a-zA-Z0-9-]*)/g)) {
    const name = m[1]!.toLowerCase();
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
const decode = (s: string) =>
  s.replace(
    /&(#x[0-9a-f]+|#\d+|[a-z]+|#39);/gi,
    (all, e: string) =>
      ENTITIES[e] ?? (e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : all),
  );

/** The visible text of the HTML (tags dropped, entities decoded). */
export function visibleText(html: string): string {
  return decode(html.replace(/<[^>]*>/g, ''));
}

/**
 * What github.com would turn into a link after rendering, by scanning text outside <code>, <pre>
 * and <a>: @mentions (users, org/team), #123 issue references, bare URLs and e-mail addresses, and
 * :emoji: shortcodes. (Patterns after GitHub's html-pipeline filters, a little wider to be safe.)
 */
export function githubTextLinks(html: string): string[] {
  const outside = html.replace(/<(code|pre|a)\b[^>]*>[\s\S]*?<\/\1>/gi, ' ');
  const text = visibleText(outside);
  const patterns = [
    /(?<![\w`])@[\p{L}\p{N}][\p{L}\p{N}_-]*(\/[\w-]+)?/gu,
    /(?<![\w&])#\d+/g,
    /\b(https?|ftp):\/\/\S+/gi,
    /\bwww\.\S+/gi,
    /[\w.+-]+@[\w-]+\.[\w.-]+/g,
    /:[a-z0-9_+-]+:/gi,
  ];
  return patterns.flatMap((p) => [...text.matchAll(p)].map((m) => m[0]));
}
