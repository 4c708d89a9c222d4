// Codemod for scripts/check-long-lines.mjs: on each line of src/ over 160 characters, a string or
// template literal longer than 60 characters is split at spaces into pieces joined with +, which is
// the same string at run time; `npm run format` then puts each piece on its own line. Lines it cannot
// read safely (a literal spanning lines, a tagged template, a regex it cannot place) are left alone
// and listed. Run it after `npm run format`, then format again. Idempotent.
// Usage: node scripts/wrap-long-strings.mjs [--root DIR] [FILE...]
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAX = 160;
const PIECE = 100;
const args = process.argv.slice(2);
const rootAt = args.indexOf('--root');
const root = rootAt >= 0 ? args.splice(rootAt, 2)[1] : join(dirname(fileURLToPath(import.meta.url)), '..');
const files = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
const targets = args.length ? args.map((f) => join(root, f)) : files(join(root, 'src')).filter((f) => !f.endsWith(join('src', 'spec', 'generated.ts')));

/** The literals on one line as [start, end) offsets, or undefined when the line cannot be read safely. */
function literals(line) {
  const found = [];
  let i = 0;
  let prev = ''; // last significant character outside literals
  while (i < line.length) {
    const c = line[i];
    if (c === '/' && line[i + 1] === '/') break;
    if (c === '/' && line[i + 1] === '*') {
      const end = line.indexOf('*/', i + 2);
      if (end < 0) return undefined;
      i = end + 2;
      continue;
    }
    if (c === '/' && (prev === '' || '(,=:[!&|?{};+-*%<>~^'.includes(prev))) {
      // a regex literal: skip to its closing slash, minding classes and escapes
      let j = i + 1;
      let inClass = false;
      for (; j < line.length; j++) {
        if (line[j] === '\\') j++;
        else if (line[j] === '[') inClass = true;
        else if (line[j] === ']') inClass = false;
        else if (line[j] === '/' && !inClass) break;
      }
      if (j >= line.length) return undefined;
      i = j + 1;
      prev = '/';
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== c; j++) if (line[j] === '\\') j++;
      if (j >= line.length) return undefined;
      found.push({ start: i, end: j + 1, quote: c });
      i = j + 1;
      prev = c;
      continue;
    }
    if (c === '`') {
      if (/[\w$)\]]/.test(prev)) return undefined; // tagged template
      const end = templateEnd(line, i + 1);
      if (end === undefined) return undefined;
      found.push({ start: i, end: end + 1, quote: '`' });
      i = end + 1;
      prev = '`';
      continue;
    }
    if (!/\s/.test(c)) prev = c;
    i++;
  }
  return found;
}

/** Index of the backtick closing a template whose body starts at `from`, or undefined. */
function templateEnd(line, from) {
  for (let j = from; j < line.length; j++) {
    if (line[j] === '\\') j++;
    else if (line[j] === '`') return j;
    else if (line[j] === '$' && line[j + 1] === '{') {
      let depth = 1;
      j += 2;
      for (; j < line.length && depth > 0; j++) {
        const d = line[j];
        if (d === '{') depth++;
        else if (d === '}') depth--;
        else if (d === "'" || d === '"') {
          let k = j + 1;
          for (; k < line.length && line[k] !== d; k++) if (line[k] === '\\') k++;
          j = k;
        } else if (d === '`') {
          const inner = templateEnd(line, j + 1);
          if (inner === undefined) return undefined;
          j = inner;
        }
      }
      if (depth > 0) return undefined;
      j--;
    }
  }
  return undefined;
}

/** Offsets in a literal's body where it may be cut: after a space, outside ${...}, not after a backslash. */
function cutPoints(body, quote) {
  const cuts = [];
  let depth = 0;
  for (let j = 0; j < body.length; j++) {
    const c = body[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (quote === '`' && c === '$' && body[j + 1] === '{') {
      depth++;
      j++;
    } else if (quote === '`' && depth > 0 && c === '{') depth++;
    else if (quote === '`' && depth > 0 && c === '}') depth--;
    else if (depth === 0 && c === ' ' && j + 1 < body.length) cuts.push(j + 1);
  }
  return cuts;
}

function split(lit, text) {
  const body = text.slice(1, -1);
  const cuts = cutPoints(body, lit.quote);
  const pieces = [];
  let from = 0;
  while (body.length - from > PIECE) {
    const cut = cuts.filter((c) => c > from + 20 && c - from <= PIECE).pop();
    if (cut === undefined) break;
    pieces.push(body.slice(from, cut));
    from = cut;
  }
  pieces.push(body.slice(from));
  return pieces.length > 1 ? pieces.map((p) => `${lit.quote}${p}${lit.quote}`).join(' + ') : text;
}

let changed = 0;
const skipped = [];
for (const file of targets) {
  const before = readFileSync(file, 'utf8');
  const lines = before.split('\n');
  lines.forEach((line, n) => {
    if ([...line].length <= MAX || /https?:\/\//.test(line)) return;
    const lits = literals(line);
    if (!lits) return skipped.push(`${relative(root, file)}:${n + 1}`);
    let out = line;
    for (const lit of [...lits].reverse()) {
      const text = line.slice(lit.start, lit.end);
      if (text.length <= 60) continue;
      // import paths, object keys and type positions stay whole
      if (/\b(from|import)\s*$/.test(line.slice(0, lit.start)) || (/^\s*:/.test(line.slice(lit.end)) && !/\?\s*$/.test(line.slice(0, lit.start)))) continue;
      out = out.slice(0, lit.start) + split(lit, text) + out.slice(lit.end);
    }
    if (out === line && lits.every((l) => l.end - l.start <= 60)) skipped.push(`${relative(root, file)}:${n + 1}`);
    lines[n] = out;
  });
  const after = lines.join('\n');
  if (after !== before) {
    writeFileSync(file, after);
    changed++;
  }
}
console.log(`${changed} file(s) changed`);
for (const s of skipped) console.log(`left for a hand: ${s}`);
