// Codemod: every quoted 'DBAAS_X' code in src/ becomes ERR.X from src/error-codes.ts, with the import
// added. Idempotent (a second run changes nothing), so it can be re-run after merging branches that
// spelled new codes inline. A code missing from the catalogue is listed, not invented: add it to
// src/error-codes.ts (exit class, summary, fix) and run again. Exit 1 while any remain.
// Usage: node scripts/codemod-error-codes.mjs [--check] [--root DIR]   (--check: change nothing, exit 1 if a run would)
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const rootAt = process.argv.indexOf('--root');
const root = rootAt > 0 ? process.argv[rootAt + 1] : join(dirname(fileURLToPath(import.meta.url)), '..');
const catalogueFile = join(root, 'src', 'error-codes.ts');
const codes = new Set([...readFileSync(catalogueFile, 'utf8').matchAll(/^ {2}(DBAAS_[A-Z0-9_]+): \{$/gm)].map((m) => m[1]));
// Environment variable names share the prefix; they are not problem codes (one list, with the test's).
const ENV_NAMES = new Set(JSON.parse(readFileSync(new URL('./env-names.json', import.meta.url), 'utf8')));

const check = process.argv.includes('--check');
const files = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

const LITERAL = /(['"])(DBAAS_[A-Z0-9_]+)\1/g;
// `| 'DBAAS_X'` or `type T = 'DBAAS_X'`: a type position wants `typeof ERR.X`.
const TYPE_POSITION = /(?:^\s*\||\btype\s+\w+\s*=\s*|\|\s*)$/;

let changed = 0;
const unknown = new Map();
for (const file of files(join(root, 'src'))) {
  if (file === catalogueFile) continue;
  const before = readFileSync(file, 'utf8');
  let used = false;
  const after = before
    .split('\n')
    .map((line) =>
      line.replace(LITERAL, (whole, _q, code, offset) => {
        if (ENV_NAMES.has(code)) return whole;
        if (!codes.has(code)) {
          unknown.set(code, [...(unknown.get(code) ?? []), relative(root, file)]);
          return whole;
        }
        used = true;
        const ref = `ERR.${code.slice('DBAAS_'.length)}`;
        return TYPE_POSITION.test(line.slice(0, offset)) ? `typeof ${ref}` : ref;
      }),
    )
    .join('\n');
  const text = used || after !== before ? withImport(after, file) : after;
  if (text !== before) {
    changed++;
    console.log(`${check ? 'would change' : 'changed'} ${relative(root, file)}`);
    if (!check) writeFileSync(file, text);
  }
}
for (const [code, where] of unknown)
  console.error(`not in src/error-codes.ts: ${code} (${[...new Set(where)].join(', ')}): add it to the catalogue and run again`);
if (unknown.size || (check && changed)) process.exit(1);

/** Adds `import { ERR } from '<relative>/error-codes.js';` after the last top-level import, once. */
function withImport(text, file) {
  if (!/\bERR\./.test(text) || /import \{[^}]*\bERR\b[^}]*\} from '[./]+\/?error-codes\.js';/.test(text)) return text;
  let spec = relative(dirname(file), catalogueFile).replace(/\\/g, '/').replace(/\.ts$/, '.js');
  if (!spec.startsWith('.')) spec = `./${spec}`;
  const lines = text.split('\n');
  let last = -1;
  for (let i = 0; i < lines.length; i++) {
    if (/^import\b/.test(lines[i])) {
      last = i;
      while (last < lines.length && !/;\s*$/.test(lines[last])) last++; // a multi-line import ends at its ';'
      i = last;
    } else if (last >= 0 && lines[i].trim() !== '' && !lines[i].startsWith('//')) break;
  }
  const at = last >= 0 ? last + 1 : lines.findIndex((l) => !l.startsWith('//'));
  lines.splice(at, 0, `import { ERR } from '${spec}';`);
  return lines.join('\n');
}
