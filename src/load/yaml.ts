// YAML documents with source positions, so every later stage can point at file:line:column.
import { CST, isAlias, isMap, isPair, isScalar, isSeq, Lexer, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import { problem, type Problem, type SourceLocation } from '../errors.js';
import type { TextFile } from './files.js';
import { ERR } from '../error-codes.js';

/** More aliases than this in one document is treated as an alias bomb ("billion laughs"). */
export const MAX_ALIAS_COUNT = 100;

/**
 * Nesting past this bound is refused before parsing: the yaml parser and composer recurse once per
 * level, so 10,000 `[` would overflow the stack. No spec comes near it (a Database is ~6 deep).
 */
export const MAX_NESTING = 256;

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

  const tooDeep = (offset: number): { documents: SourceDocument[]; problems: Problem[] } => {
    lineCounter.lineStarts.length = 0;
    for (let i = 0; i < source.text.length; i++) if (i === 0 || source.text[i - 1] === '\n') lineCounter.addNewLine(i);
    return {
      documents: [],
      problems: [
        problem({
          code: ERR.YAML_TOO_DEEP,
          message: `nesting goes deeper than ${MAX_NESTING} levels; expected a spec nested a few levels deep`,
          location: at(offset),
        }),
      ],
    };
  };
  const deep = deepNestingOffset(source.text);
  if (deep !== undefined) return tooDeep(deep);
  let parsed;
  try {
    parsed = parseAllDocuments(source.text, { lineCounter, uniqueKeys: true, strict: true, prettyErrors: false });
  } catch (error) {
    // The bound above should make this unreachable; a stack overflow is still bad input, not a crash.
    if (error instanceof RangeError) return tooDeep(0);
    throw error;
  }
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
          code: ERR.YAML_SYNTAX,
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
      if (error instanceof RangeError) {
        problems.push(
          problem({
            code: ERR.YAML_TOO_DEEP,
            message: `nesting goes deeper than this tool reads; expected a spec nested a few levels deep`,
            location: at(doc.contents.range?.[0] ?? 0),
          }),
        );
        return;
      }
      problems.push(
        problem({
          code: ERR.YAML_ALIAS_LIMIT,
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

/**
 * Where an upper bound of the nesting depth first passes MAX_NESTING, or undefined. One pass of the
 * yaml lexer (which does not recurse per level), stopped at the first offending token, so the work is
 * bounded by the file size. Per line: two levels per indentation column (a sequence may sit at its
 * parent key's indentation), one per block indicator (`- - x`, `? `, `: `), two per open bracket (a
 * flow sequence of single-pair maps).
 */
export function deepNestingOffset(text: string): number | undefined {
  if (quickNestingBound(text) <= MAX_NESTING) return undefined;
  let offset = 0;
  let flow = 0;
  let indent = 0;
  let indicators = 0;
  let lineStart = true;
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    if (type === 'newline' || type === 'doc-start' || type === 'doc-end') {
      if (flow === 0) [indent, indicators, lineStart] = [0, 0, true];
    } else if (type === 'space') {
      if (lineStart && flow === 0) indent = token.length;
    } else {
      lineStart = false;
      if (type === 'flow-seq-start' || type === 'flow-map-start') flow++;
      else if (type === 'flow-seq-end' || type === 'flow-map-end') flow = Math.max(0, flow - 1);
      else if (flow === 0 && (type === 'seq-item-ind' || type === 'explicit-key-ind' || type === 'map-value-ind')) indicators++;
    }
    if (2 * indent + indicators + 2 * flow + 1 > MAX_NESTING) return offset;
    // The lexer's control tokens (document, flow-error-end, scalar markers) are not source text.
    if (token !== '\x02' && token !== '\x18' && token !== '\x1f') offset += token.length;
  }
  return undefined;
}

/**
 * A cheaper bound over the raw characters, at least the one the lexer pass computes: the deepest line
 * (two per leading space or tab, one per `-`, `?` or `:` anywhere on it) plus two per bracket in the
 * whole file. Ordinary specs stay far below MAX_NESTING and skip the lexer pass.
 */
function quickNestingBound(text: string): number {
  let brackets = 0;
  let deepestLine = 0;
  let line = 0;
  let leading = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */) {
      [line, leading] = [0, true];
      continue;
    }
    if (leading && (c === 32 || c === 9)) line += 2;
    else {
      leading = false;
      if (c === 91 /* [ */ || c === 123 /* { */) brackets++;
      else if (c === 45 /* - */ || c === 63 /* ? */ || c === 58 /* : */) line++;
    }
    if (line > deepestLine) deepestLine = line;
  }
  return deepestLine + 2 * brackets + 1;
}

function offsetOf(doc: Document, path: FieldPath, wantKey: boolean): number {
  let node: unknown = doc.contents;
  let offset = doc.contents?.range?.[0] ?? 0;
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
