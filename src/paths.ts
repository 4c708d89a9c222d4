// Where the package's own files are. The code runs from src/ (tests), dist/ (tsc's output) or
// dist/bundle/ (the CLI, one esbuild bundle: scripts/bundle.mjs), and in a bundle a module's code sits
// in whichever file esbuild put it, at any depth: paths are found from the package root, never
// relative to a module.
import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(import.meta.url);

function packageRoot(from: string): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** The dbaas package folder (the one holding package.json). */
export const PACKAGE_ROOT = packageRoot(HERE);

/** The build output folder. */
export const DIST_DIR = join(PACKAGE_ROOT, 'dist');

/** True when this code runs compiled (dist/ or its bundle), false from src/ under a TypeScript runner. */
export const RUNNING_BUILT = HERE.startsWith(DIST_DIR + sep);

/** A folder of the package, with a trailing separator. */
export const packageDir = (name: string): string => join(PACKAGE_ROOT, name) + sep;
