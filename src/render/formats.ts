// Every output format, in one registry: a new format is one file in formats/ and its line here. The
// --format options of plan, plan merge, drift and report are read from this registry (formatsFor),
// never listed in a command. The order is the order --help and usage errors list them in.
import { html } from './formats/html.js';
import { jsonFormat } from './formats/json.js';
import { markdown } from './formats/markdown.js';
import { sarif } from './formats/sarif.js';
import { text } from './formats/text.js';
import type { DocumentKind, Documents, PlanRenderOptions, Renderer } from './formats/types.js';

export type { DocumentKind, Documents, PlanRenderOptions, Renderer } from './formats/types.js';

export const RENDERERS = {
  text,
  html,
  markdown,
  json: jsonFormat,
  sarif,
} as const satisfies Record<string, Renderer>;

export type Format = keyof typeof RENDERERS;

/** The formats that render this kind of document: a command's --format options. */
export function formatsFor(kind: DocumentKind): Format[] {
  return (Object.keys(RENDERERS) as Format[]).filter((f) => RENDERERS[f][kind] !== undefined);
}

export function isFormat(kind: DocumentKind, format: string): format is Format {
  return (formatsFor(kind) as string[]).includes(format);
}

/** Renders a document in a format; a format the document has no renderer for is a caller's bug. */
export function render<K extends DocumentKind>(kind: K, format: string, document: Documents[K], options?: PlanRenderOptions): string {
  const renderer = isFormat(kind, format) ? (RENDERERS[format][kind] as ((d: Documents[K], o?: PlanRenderOptions) => string) | undefined) : undefined;
  if (!renderer) throw new Error(`no ${format} renderer for a ${kind} document; expected one of ${formatsFor(kind).join(', ')}`);
  return renderer(document, options);
}

/** How stdout treats the rendered text (see Renderer.stdout). */
export function stdoutKind(format: string): 'text' | 'json' {
  return Object.hasOwn(RENDERERS, format) ? RENDERERS[format as Format].stdout : 'text';
}
