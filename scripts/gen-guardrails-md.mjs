// Generates GUARDRAILS.md from the baseline pack (policies/*.yaml) and the custom keyword registry.
// Usage: npm run build && node scripts/gen-guardrails-md.mjs [--check]   (--check exits 1 when stale)
import { readFileSync, writeFileSync } from 'node:fs';
import { baselineMarkdown } from '../dist/render/guardrails-md.js';

const target = new URL('../GUARDRAILS.md', import.meta.url);
const text = baselineMarkdown();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // a missing file is stale too
  }
  if (current !== text) {
    console.error('GUARDRAILS.md is stale: run npm run build && node scripts/gen-guardrails-md.mjs');
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
}
