// The documented JSON contracts (docs/json-output.md, schemas/output/): the document as it is.
import type { Renderer } from './types.js';

const json = (document: unknown): string => `${JSON.stringify(document, null, 2)}\n`;

export const jsonFormat: Renderer = { stdout: 'json', plan: json, drift: json, report: json };
