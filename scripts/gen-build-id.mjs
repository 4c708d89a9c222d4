// Writes dist/build-id.txt: a hash of the compiled code (dist/**/*.js and the precompiled validators).
// The stack cache keys on it (src/synth/batch.ts), so a rebuilt dbaas never serves stacks the old code
// built, even when package.json's version did not change. Never committed: dist/ is build output.
// Usage: node scripts/gen-build-id.mjs   (run by npm run build, last)
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
const files = readdirSync(dist, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && /\.(c?js|json)$/.test(e.name) && e.name !== 'build-id.txt')
  .map((e) => join(e.parentPath ?? e.path, e.name))
  .sort();
const hash = createHash('sha256');
for (const file of files)
  hash
    .update(`${relative(dist, file)}\0`)
    .update(readFileSync(file))
    .update('\0');
writeFileSync(join(dist, 'build-id.txt'), `${hash.digest('hex').slice(0, 16)}\n`);
