// YAML documents with source positions, so every later stage can point at file:line:column.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import { problem, type Problem, type SourceLocation } from '../errors.js';
import type { TextFile } from './files.js';

/** More aliases than this in one document is treated as an alias bomb ("billion laughs"). */
export const MAX_ALIAS_COUNT = 100;

export type FieldPath = readonly (string | number)[];

export interface SourceDocument {
  readonly file: string;
  /** Index of the document in its file (several documents per file are allowed). */
  readonly index: number;
  readonly value: unknown;
  /** Where a field is; falls back to the closest existing parent for a missing field. */
  locate(path: FieldPath, options?: { key?: boolean }): SourceLocation;
  /** The underlying yaml Document, for edits that keep comments (dbaas fix). */
  readonly document: Document;
}

export function parseYaml(source: TextFile): { documents: SourceDocument[]; problems: Problem[] } {
  const lineCounter = new LineCounter();
  const problems: Problem[] = [];
  const documents: SourceDocument[] = [];
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file: source.file, line, column: col };
  };

  const parsed = parseAllDocuments(source.text, { lineCounter, uniqueKeys: true, strict: true, prettyErrors: false });
  const all = Array.isArray(parsed) ? parsed : [parsed];
  all.forEach((doc, index) => {
    const issues = [...doc.errors, ...doc.warnings];
    const reported = new Set<number>();
    for (const issue of issues) {
      // One cause often yields several parser errors at the same spot: keep the first.
      if (reported.has(issue.pos[0])) continue;
      reported.add(issue.pos[0]);
      problems.push(
        problem({
          code: 'DBAAS_YAML_SYNTAX',
          message: `${issue.message.split('\n')[0]}; expected valid YAML`,
          location: at(issue.pos[0]),
        }),
      );
    }
    if (issues.length > 0 || doc.contents === null) return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      problems.push(
        problem({
          code: 'DBAAS_YAML_ALIAS_LIMIT',
          message: `${(error as Error).message}; expected at most ${MAX_ALIAS_COUNT} alias expansions per document`,
          location: at(doc.contents.range?.[0] ?? 0),
        }),
      );
      return;
    }
    documents.push({
      file: source.file,
      index,
      value,
      document: doc,
      locate: (path, options) => at(offsetOf(doc, path, options?.key ?? false)),
    });
  });
  return { documents, problems };
}

function offsetOf(doc: Document, path: FieldPath, wantKey: boolean): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc);
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) return offset;
      const key = pair.key as Node;
      if (last && wantKey) return key.range?.[0] ?? offset;
      node = pair.value;
      offset = (pair.value as Node | null)?.range?.[0] ?? key.range?.[0] ?? offset;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)] as Node | undefined;
      if (!item) return offset;
      node = item;
      offset = item.range?.[0] ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}
