// Temp copies of fixture repos, so tests can break them without touching the originals.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** One text replacement in a file of a repo copy. */
export type RepoEdit = { readonly file: string; readonly from: string | RegExp; readonly to: string };

/** A temp copy of the example repo with each edit applied; an edit that matches nothing throws. */
export function exampleWith(...edits: RepoEdit[]): string {
  const dir = tempRepo('example');
  for (const { file, from, to } of edits) {
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8');
    const next = text.replace(from, to);
    if (next === text) throw new Error(`edit did not apply to ${file}: ${String(from)}`);
    writeFileSync(path, next);
  }
  return dir;
}
