// No line in src/ over 160 characters (Prettier's printWidth: it wraps code, not strings or comments).
// scripts/long-lines-baseline.json counts, per file, the long lines allowed; it is empty ({}) since every
// line that was too long when the rule came in has been wrapped, so any line over 160 in src/ fails. It
// only shrinks: never add to it by hand (--update rewrites it from the tree). Lines holding a URL are
// exempt (as ESLint's max-len ignoreUrls).
// Usage: node scripts/check-long-lines.mjs [--update] [--root DIR]
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAX = 160;
const rootAt = process.argv.indexOf('--root');
const root = rootAt > 0 ? process.argv[rootAt + 1] : join(dirname(fileURLToPath(import.meta.url)), '..');
const baselineFile = join(root, 'scripts', 'long-lines-baseline.json');
const GENERATED = new Set(['src/spec/generated.ts']);

const files = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : /\.[cm]?ts$/.test(e.name) ? [join(dir, e.name)] : []));

const long = new Map();
for (const file of files(join(root, 'src'))) {
  const name = relative(root, file).replace(/\\/g, '/');
  if (GENERATED.has(name)) continue;
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, i) => ([...line].length > MAX && !/https?:\/\//.test(line) ? [`${name}:${i + 1}: ${[...line].length} characters`] : []));
  if (lines.length) long.set(name, lines);
}

if (process.argv.includes('--update')) {
  const counts = Object.fromEntries([...long].sort(([a], [b]) => (a < b ? -1 : 1)).map(([f, l]) => [f, l.length]));
  writeFileSync(baselineFile, `${JSON.stringify(counts, null, 2)}\n`);
  console.log(`${baselineFile}: ${Object.values(counts).reduce((a, b) => a + b, 0)} line(s) in ${Object.keys(counts).length} file(s)`);
  process.exit(0);
}

let baseline = {};
try {
  baseline = JSON.parse(readFileSync(baselineFile, 'utf8'));
} catch {
  // no baseline: no long line allowed
}
let failed = false;
let shrinkable = 0;
for (const [file, lines] of long) {
  const allowed = baseline[file] ?? 0;
  if (lines.length > allowed) {
    failed = true;
    console.error(`${file}: ${lines.length} line(s) over ${MAX} characters, ${allowed} allowed; wrap them (split the string or comment):`);
    for (const l of lines) console.error(`  ${l}`);
  } else if (lines.length < allowed) shrinkable += allowed - lines.length;
}
for (const [file, allowed] of Object.entries(baseline)) if (!long.has(file)) shrinkable += allowed;
if (shrinkable) console.log(`${shrinkable} line(s) fewer than scripts/long-lines-baseline.json allows: run node scripts/check-long-lines.mjs --update`);
process.exit(failed ? 1 : 0);
