// The stages wired together for commands: load → validate → resolve (→ guard → synth → plan).
import { sortProblems, type Problem } from './errors.js';
import { loadRepo, parseRepoFiles, type RepoFiles } from './load/repo.js';
import { resolveRepo, type ResolvedRepo } from './resolve/index.js';
import { validateRepo } from './validate/index.js';

export type Resolution = { ok: true; repo: ResolvedRepo } | { ok: false; problems: readonly Problem[] };

function finish(result: ResolvedRepo | { problems: readonly Problem[] }): Resolution {
  const problems = sortProblems(result.problems);
  if (!('entries' in result) || problems.some((p) => p.severity === 'error')) return { ok: false, problems };
  return { ok: true, repo: { ...result, problems } };
}

/** Loads, validates and resolves the infra repo in `dir`. */
export function resolveDir(dir: string): Resolution {
  return finish(resolveRepo(validateRepo(loadRepo(dir))));
}

/** The same over files from any source (a git revision, a test). */
export function resolveFiles(files: RepoFiles): Resolution {
  return finish(resolveRepo(validateRepo(parseRepoFiles(files))));
}
