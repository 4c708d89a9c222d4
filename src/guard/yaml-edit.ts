// Edits a YAML file in place, keeping every comment, blank line, quote style and flow/block choice:
// only the bytes of the changed value are rewritten (or a new key inserted where it belongs).
// Shapes it cannot splice safely (aliases, complex keys, an empty value) go through the yaml
// Document API instead, which still keeps comments but may respace the document.
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, Scalar, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { isObject } from '../json.js';

export type EditPath = readonly (string | number)[];

const PLAIN = /^[A-Za-z_./@][A-Za-z0-9_./@-]*$|^[A-Za-z0-9][A-Za-z0-9_./@-]*[A-Za-z_./@-][A-Za-z0-9_./@-]*$/;
const RESERVED = /^(\d{4}-\d{2}-\d{2}.*|true|false|yes|no|on|off|y|n|null|~|[-+]?(\.inf|\.nan|\d[\d_]*(\.\d*)?([eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+))$/i;

/** A scalar as YAML text: plain when unambiguous, else double-quoted (valid YAML, same as JSON). */
export function renderScalar(value: unknown, quote?: Scalar.Type): string {
  if (typeof value === 'string') {
    if (quote === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
    if (quote !== 'QUOTE_DOUBLE' && PLAIN.test(value) && !RESERVED.test(value)) return value;
    return JSON.stringify(value);
  }
  if (value === null || value === undefined) return 'null';
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a scalar here: number, boolean or bigint
  return String(value);
}

/** Flow style, the way the example repo writes short collections: { a: 1 } and [a, b]. */
export function renderFlow(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(renderFlow).join(', ')}]`;
  if (isObject(value)) {
    const entries = Object.entries(value);
    return entries.length ? `{ ${entries.map(([k, v]) => `${renderScalar(k)}: ${renderFlow(v)}`).join(', ')} }` : '{}';
  }
  return renderScalar(value);
}

const FLOW_LIMIT = 72;

/** Block-style lines for a collection at `indent` spaces (short nested collections stay flow). */
function renderBlock(value: unknown, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const inline = (v: unknown) => typeof v !== 'object' || v === null || renderFlow(v).length <= FLOW_LIMIT - indent;
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (inline(item)) return [`${pad}- ${renderFlow(item)}`];
      const lines = renderBlock(item, indent + 2);
      return [`${pad}- ${lines[0]!.trimStart()}`, ...lines.slice(1)];
    });
  }
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    inline(v) ? [`${pad}${renderScalar(k)}: ${renderFlow(v)}`] : [`${pad}${renderScalar(k)}:`, ...renderBlock(v, indent + 2)],
  );
}

/** `key: value` lines for a new entry in a block map at `indent`. */
function renderEntry(key: string | number, value: unknown, indent: number): string {
  const head = `${' '.repeat(indent)}${renderScalar(String(key))}:`;
  if (typeof value !== 'object' || value === null || renderFlow(value).length + head.length < FLOW_LIMIT) return `${head} ${renderFlow(value)}\n`;
  return `${head}\n${renderBlock(value, indent + 2).join('\n')}\n`;
}

/** Nests `value` under the remaining path segments: ['a','b'], 1 → { a: { b: 1 } }. */
function nest(path: EditPath, value: unknown): unknown {
  return path.reduceRight<unknown>((inner, key) => ({ [String(key)]: inner }), value);
}

const columnOf = (text: string, offset: number) => offset - (text.lastIndexOf('\n', offset - 1) + 1);
const lineStart = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
const lineEnd = (text: string, offset: number) => {
  const i = text.indexOf('\n', offset);
  return i < 0 ? text.length : i + 1;
};

type Splice = { start: number; end: number; text: string };
const splice = (text: string, s: Splice) => text.slice(0, s.start) + s.text + text.slice(s.end);

class Unsupported extends Error {}

/** Where to insert a new pair into a map, and the text to insert. */
function insertIntoMap(text: string, map: YAMLMap, key: string | number, value: unknown): Splice {
  const [start, end] = map.range ?? [];
  if (start === undefined || end === undefined) throw new Unsupported('map without a source range');
  if (map.flow) {
    const close = text.lastIndexOf('}', end);
    if (close < start) throw new Unsupported('flow map without a closing brace');
    const entry = `${renderScalar(String(key))}: ${renderFlow(value)}`;
    if (map.items.length === 0) return { start: start, end: close + 1, text: `{ ${entry} }` };
    const at = text[close - 1] === ' ' ? close - 1 : close;
    return { start: at, end: at, text: `, ${entry}` };
  }
  const first = map.items[0];
  const firstKey = first && isPair(first) ? (first.key as Node | null) : null;
  if (!firstKey?.range) throw new Unsupported('block map without keys');
  const indent = columnOf(text, firstKey.range[0]);
  const line = renderEntry(key, value, indent);
  if (end === 0 || text[end - 1] === '\n') return { start: end, end, text: line };
  const at = lineEnd(text, end);
  return at === text.length && text[at - 1] !== '\n' ? { start: at, end: at, text: `\n${line}` } : { start: at, end: at, text: line };
}

/** Replaces a pair's value in place. */
function replaceValue(text: string, pair: Pair, value: unknown, inFlow: boolean): Splice {
  const node = pair.value as Node | null;
  if (!node?.range || node.range[0] === node.range[1]) throw new Unsupported('empty value');
  if (isScalar(node) && (typeof value !== 'object' || value === null)) {
    return { start: node.range[0], end: node.range[1], text: renderScalar(value, node.type) };
  }
  const flowNode = (isMap(node) || isSeq(node)) && node.flow;
  if (inFlow || flowNode || isScalar(node)) {
    const rendered = renderFlow(value);
    if (!inFlow && isScalar(node) && typeof value === 'object' && value !== null && rendered.length > FLOW_LIMIT) {
      return blockReplace(text, pair, value);
    }
    return { start: node.range[0], end: node.range[1], text: rendered };
  }
  return blockReplace(text, pair, value);
}

/** Rewrites `key: <block value>` as `key: <new value>`, keeping the key line's position. */
function blockReplace(text: string, pair: Pair, value: unknown): Splice {
  const key = pair.key as Node;
  const node = pair.value as Node;
  if (!key.range || !node.range) throw new Unsupported('no source range');
  const keyStart = key.range[0];
  const colon = text.indexOf(':', key.range[1]);
  const indent = columnOf(text, keyStart);
  const end = isScalar(node) ? lineEnd(text, node.range[1]) : node.range[1];
  const entry = renderEntry('x', value, indent);
  return { start: colon + 1, end, text: entry.slice(entry.indexOf(':') + 1) };
}

/** Removes a pair from a block map (whole lines) or a flow map (with one comma). */
function removePair(text: string, map: YAMLMap, pair: Pair): Splice {
  const key = pair.key as Node;
  const node = pair.value as Node | null;
  if (!key.range) throw new Unsupported('no source range');
  const valueEnd = node?.range ? node.range[1] : key.range[1];
  if (map.flow) {
    if (map.items.length === 1 && map.range) return { start: map.range[0], end: map.range[1], text: '{}' };
    const index = map.items.indexOf(pair);
    const after = text.slice(valueEnd).match(/^\s*,\s*/)?.[0];
    if (after !== undefined && index < map.items.length - 1) return { start: key.range[0], end: valueEnd + after.length, text: '' };
    const before = text.slice(0, key.range[0]).match(/,\s*$/)?.[0];
    return { start: key.range[0] - (before?.length ?? 0), end: valueEnd, text: '' };
  }
  if (map.items.length === 1) throw new Unsupported('removing the only key of a block map');
  const end = node && !isScalar(node) && text[valueEnd - 1] === '\n' ? valueEnd : lineEnd(text, valueEnd);
  return { start: lineStart(text, key.range[0]), end, text: '' };
}

function findPair(map: YAMLMap, key: string | number): Pair | undefined {
  return map.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(key));
}

function spliceEdit(text: string, doc: Document, path: EditPath, value: unknown): string {
  let node: unknown = doc.contents;
  let inFlow = false;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    const last = i === path.length - 1;
    if (isAlias(node)) throw new Unsupported('alias');
    if (isMap(node)) {
      inFlow ||= Boolean(node.flow);
      if (node.items.some((item) => !isPair(item) || !isScalar(item.key))) throw new Unsupported('complex key');
      const pair = findPair(node, segment);
      if (!pair) {
        if (value === undefined) return text; // removing what is not there
        return splice(text, insertIntoMap(text, node, segment, nest(path.slice(i + 1), value)));
      }
      if (last) {
        if (value === undefined) return splice(text, removePair(text, node, pair));
        return splice(text, replaceValue(text, pair, value, inFlow));
      }
      const child = pair.value;
      if (!isMap(child) && !isSeq(child)) {
        if (value === undefined) return text;
        return splice(text, replaceValue(text, pair, nest(path.slice(i + 1), value), inFlow));
      }
      node = child;
    } else if (isSeq(node)) {
      inFlow ||= Boolean(node.flow);
      const item = node.items[Number(segment)];
      if (item === undefined || typeof segment !== 'number') throw new Unsupported('index outside the list');
      if (last || (!isMap(item) && !isSeq(item))) throw new Unsupported('replacing a list item');
      node = item;
    } else {
      throw new Unsupported('path through a scalar');
    }
  }
  throw new Unsupported('empty path');
}

/**
 * Sets (or with value undefined, removes) `path` in document `index` of a YAML file's text, and
 * returns the new text. Throws when the text is not valid YAML or has no such document.
 */
export function setInYaml(text: string, index: number, path: EditPath, value: unknown): string {
  const docs = parseAllDocuments(text);
  const all = Array.isArray(docs) ? docs : [docs];
  const doc = all[index];
  if (!doc || doc.errors.length) throw new Error(`document ${index} is missing or not valid YAML`);
  try {
    return spliceEdit(text, doc, path, value);
  } catch (error) {
    if (!(error instanceof Unsupported)) throw error;
    // Keep comments through the Document API; respacing is the price for unusual shapes.
    if (value === undefined) doc.deleteIn(path as (string | number)[]);
    else doc.setIn(path as (string | number)[], doc.createNode(value, { flow: false }));
    return all.map((d) => d.toString({ lineWidth: 0, flowCollectionPadding: true })).join('');
  }
}

/** The plain value at `path` in document `index`, or undefined. */
export function getInYaml(text: string, index: number, path: EditPath): unknown {
  const docs = parseAllDocuments(text);
  const doc = (Array.isArray(docs) ? docs : [docs])[index];
  const node: unknown = doc?.getIn(path as (string | number)[], true);
  if (node && typeof node === 'object' && 'toJSON' in node && typeof node.toJSON === 'function') return (node as { toJSON: () => unknown }).toJSON();
  return node;
}
