// Temp copies of fixture repos, so tests can break them without touching the originals.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');

const made: string[] = [];

/** Copies a fixture repo (or the example repo at the root) into a fresh temp folder. */
export function tempRepo(source: string = 'pass-minimal' /* 'example' or a fixture name */): string {
  const dir = mkdtempSync(join(tmpdir(), 'dbaas-test-'));
  made.push(dir);
  if (source === 'example') {
    // policies/ here is the baseline pack, which ships inside dbaas: an infra repo does not copy it.
    for (const entry of ['dbaas.config.yaml', 'stacks']) {
      cpSync(join(REPO_ROOT, entry), join(dir, entry), { recursive: true });
    }
  } else {
    cpSync(join(FIXTURES, 'repos', source), dir, { recursive: true });
  }
  return dir;
}

export function cleanupTempRepos(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
