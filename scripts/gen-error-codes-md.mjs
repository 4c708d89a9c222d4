// Generates docs/error-codes.md from the catalogue in src/error-codes.ts.
// Usage: npm run build && node scripts/gen-error-codes-md.mjs [--check]   (--check exits 1 when stale)
import { errorCodesMarkdown } from '../dist/error-codes.js';
import { writeOrCheck } from './generated-file.mjs';

const target = new URL('../docs/error-codes.md', import.meta.url);
if (!writeOrCheck(target, errorCodesMarkdown(), 'docs/error-codes.md is stale: run npm run build && node scripts/gen-error-codes-md.mjs')) process.exit(1);
