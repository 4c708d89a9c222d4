// A generated file: written, or with --check compared with what would be written (the generators
// under scripts/ and their tests use --check to fail on a stale file).
import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Writes `text` to `target`; under --check, compares instead and prints `staleMessage` when the file
 * differs or is missing. Returns false only for a stale file under --check.
 */
export function writeOrCheck(target, text, staleMessage) {
  if (!process.argv.includes('--check')) {
    writeFileSync(target, text);
    return true;
  }
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // a missing file is stale too
  }
  if (current === text) return true;
  console.error(staleMessage);
  return false;
}
