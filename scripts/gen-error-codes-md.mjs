// Generates docs/error-codes.md from the catalogue in src/error-codes.ts.
// Usage: npm run build && node scripts/gen-error-codes-md.mjs [--check]   (--check exits 1 when stale)
import { readFileSync, writeFileSync } from 'node:fs';
import { errorCodesMarkdown } from '../dist/error-codes.js';

const target = new URL('../docs/error-codes.md', import.meta.url);
const text = errorCodesMarkdown();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // a missing file is stale too
  }
  if (current !== text) {
    console.error('docs/error-codes.md is stale: run npm run build && node scripts/gen-error-codes-md.mjs');
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
}
