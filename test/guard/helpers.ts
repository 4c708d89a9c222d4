// In-memory variants of the example repo (no disk writes) and temp repos for guardrail fixtures.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readRepoFiles, type RepoFiles } from '../../src/load/repo.js';
import { guardFiles, type Guarded } from '../../src/pipeline.js';
import { FIXTURES, REPO_ROOT, tempRepo } from '../helpers/repo.js';

export const GUARD_FIXTURES = join(FIXTURES, 'guard');
export const TODAY = { DBAAS_NOW: '2026-11-21' };

const example = readRepoFiles(REPO_ROOT);

/** The example repo with some spec files rewritten (file → edit of its text). */
export function exampleFiles(edits: Record<string, (text: string) => string> = {}): RepoFiles {
  for (const file of Object.keys(edits)) if (!example.specs.some((f) => f.file === file)) throw new Error(`no spec file ${file}`);
  return {
    ...example,
    specs: example.specs.map((f) => {
      const edit = edits[f.file];
      if (!edit) return f;
      const text = edit(f.text);
      if (text === f.text) throw new Error(`edit of ${f.file} changed nothing`);
      return { ...f, text };
    }),
  };
}

export function guardExample(edits: Record<string, (text: string) => string> = {}, env: NodeJS.ProcessEnv = TODAY): Extract<Guarded, { ok: true }> {
  const guarded = guardFiles(exampleFiles(edits), { env });
  if (!guarded.ok) throw new Error(`example repo does not guard: ${JSON.stringify(guarded.problems, null, 2)}`);
  return guarded;
}

/** A temp copy of a fixture repo (default: the example repo) with extra files dropped into policies/. */
export function repoWithPolicies(policyFiles: string[], source: string = 'example'): string {
  const dir = tempRepo(source);
  mkdirSync(join(dir, 'policies'), { recursive: true });
  for (const file of policyFiles) copyFileSync(join(GUARD_FIXTURES, file), join(dir, 'policies', file.split('/').pop()!));
  return dir;
}

export function fixtureNames(folder: string): string[] {
  return readdirSync(join(GUARD_FIXTURES, folder)).sort();
}

/** 1-based line of the first line containing `needle`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`"${needle}" not found`);
  return index + 1;
}

export { REPO_ROOT };
