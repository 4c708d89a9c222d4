// Generates GUARDRAILS.md from the baseline pack (policies/*.yaml) and the custom keyword registry.
// Usage: npm run build && node scripts/gen-guardrails-md.mjs [--check]   (--check exits 1 when stale)
import { baselineMarkdown } from '../dist/render/guardrails-md.js';
import { writeOrCheck } from './generated-file.mjs';

const target = new URL('../GUARDRAILS.md', import.meta.url);
if (!writeOrCheck(target, baselineMarkdown(), 'GUARDRAILS.md is stale: run npm run build && node scripts/gen-guardrails-md.mjs')) process.exit(1);
