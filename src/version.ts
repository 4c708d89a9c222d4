import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST_DIR, PACKAGE_ROOT, RUNNING_BUILT } from './paths.js';

/** The dbaas version from package.json. */
export const TOOL_VERSION: string = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * A hash of the compiled code (dist/build-id.txt, written by npm run build), so caches keyed on it
 * never outlive the code that filled them; '' when running from src/ (tests), which has no build.
 */
export const BUILD_ID: string = (() => {
  if (!RUNNING_BUILT) return '';
  try {
    return readFileSync(join(DIST_DIR, 'build-id.txt'), 'utf8').trim();
  } catch {
    return '';
  }
})();
