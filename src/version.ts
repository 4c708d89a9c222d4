import { readFileSync } from 'node:fs';

/** The dbaas version from package.json (src/ and dist/ both sit one level below it). */
export const TOOL_VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * A hash of the compiled code (dist/build-id.txt, written by npm run build), so caches keyed on it
 * never outlive the code that filled them; '' when running from src/ (tests), which has no build.
 */
export const BUILD_ID: string = (() => {
  try {
    return readFileSync(new URL('./build-id.txt', import.meta.url), 'utf8').trim();
  } catch {
    return '';
  }
})();
