// The one HTML escape of the report: every string that came from a spec (names, reasons, messages,
// labels) goes through it before it lands in HTML text, an attribute or inline SVG.
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Text safe inside an element or a quoted attribute value (HTML and inline SVG alike). */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"'`]/g, (c) => ENTITIES[c]!);
}
