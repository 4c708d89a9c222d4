// Writes oclif.manifest.json (every command's id, flags and args) after each build. Without it oclif
// imports every command file to learn their flags before running one: ~0.3 s on every invocation.
// It is generated, never edited or committed (.gitignore), so it cannot drift from dist/commands.
// Usage: node scripts/gen-oclif-manifest.mjs   (run by npm run build)
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Plugin } from '@oclif/core';

const root = fileURLToPath(new URL('..', import.meta.url));
const plugin = new Plugin({ root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true, respectNoCacheDefault: true });
await plugin.load();
writeFileSync(new URL('../oclif.manifest.json', import.meta.url), `${JSON.stringify(plugin.manifest, null, 2)}\n`);
