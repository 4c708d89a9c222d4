// Bundles the compiled CLI (dist/) with its dependencies into dist/bundle/: one ESM entry per command
// and hook, one for the synth worker, and shared chunks that load on first use (a repo without GCP
// stacks never loads the google provider). Node's module loader resolving, reading and wrapping some
// 1,400 files was the larger part of a small command's start-up and of a synth worker's
// (bench/README.md, "Measured choices"). oclif.manifest.json points the CLI at these entries.
// @oclif/core stays outside: bin/run.js imports it, and two copies would disagree on its classes.
// Usage: node scripts/bundle.mjs   (run by npm run build, after tsc and gen-validators)
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const outdir = join(dist, 'bundle');

const jsUnder = (dir) =>
  readdirSync(join(dist, dir), { recursive: true })
    .filter((f) => f.endsWith('.js'))
    .map((f) => `${dir}/${f.split('\\').join('/')}`);

const entryPoints = [...jsUnder('commands'), ...jsUnder('hooks'), 'synth/worker.js'].map((file) => ({
  in: join(dist, file),
  // The worker sits at the bundle's top, next to the chunks: pool.ts finds it as ./worker.js.
  out: file === 'synth/worker.js' ? 'worker' : file.replace(/\.js$/, ''),
}));

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints,
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  external: ['@oclif/core'],
  chunkNames: 'chunk-[hash]',
  // Bundled CommonJS packages call require() for Node's built-ins.
  banner: { js: "import { createRequire as __dbaasCreateRequire } from 'node:module'; const require = __dbaasCreateRequire(import.meta.url);" },
  metafile: true,
  logLevel: 'warning',
});

const problems = [];
// A module bundled twice would be two singletons: cdktf's token map, or the util exports the synth
// fast path swaps functions on (src/synth/cdktf.ts), must be the one cdktf's own modules use.
const seen = new Map();
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  for (const input of Object.keys(output.inputs)) {
    if (seen.has(input)) problems.push(`${input} is in both ${seen.get(input)} and ${file}`);
    seen.set(input, file);
  }
}
// pool.ts starts workers from ./worker.js next to the file its code landed in.
const startsWorkers = Object.keys(result.metafile.outputs).filter(
  (file) => file.endsWith('.js') && readFileSync(join(root, file), 'utf8').includes('new URL("./worker.js", import.meta.url)'),
);
if (!startsWorkers.length) problems.push('no output starts synth workers from ./worker.js (src/synth/pool.ts changed how it finds its worker?)');
for (const file of startsWorkers)
  if (!existsSync(join(root, dirname(file), 'worker.js'))) problems.push(`${file} starts synth workers from ./worker.js, which is not next to it`);
if (problems.length) {
  console.error(`scripts/bundle.mjs: the bundle is unsound:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`bundled ${entryPoints.length} entries into ${relative(root, outdir)}/`);
