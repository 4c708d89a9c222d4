// The git edge: reads the infra repo as it was at a revision, without touching the working tree
// or the index (ls-tree + cat-file on object ids only).
import { realpathSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { problem, type Problem } from '../errors.js';
import { decodeSpecBytes, tooLarge, type TextFile } from '../load/files.js';
import { CONFIG_FILE, POLICIES_DIR, STACKS_DIR, type RepoFiles } from '../load/repo.js';
import { ERR } from '../error-codes.js';

export interface GitRevision {
  /** The ref as given (e.g. origin/main). */
  readonly ref: string;
  readonly commit: string;
}

// execa is imported on first use: its start-up is time `plan --all` and `synth` never need (bench/README.md).
const git = async (cwd: string, args: readonly string[], input?: string | Buffer) => {
  const { execa } = await import('execa');
  return execa('git', args, { cwd, reject: false, encoding: 'buffer', input, stripFinalNewline: false, maxBuffer: 1024 * 1024 * 1024 });
};

// A plan asks for the top-level of one folder several times; a git process each time was a tenth of a
// one-database plan. Only found ones are kept: a folder may become a repo (dbaas init) in a process.
const topLevels = new Map<string, string>();

/** The git top-level folder holding `dir`, or undefined when `dir` is not in a git work tree (or git is missing). */
export async function gitTopLevel(dir: string): Promise<string | undefined> {
  const known = topLevels.get(dir);
  if (known !== undefined) return known;
  try {
    const result = await git(dir, ['rev-parse', '--show-toplevel']);
    if (result.exitCode !== 0) return undefined;
    const top = Buffer.from(result.stdout).toString('utf8').trim();
    topLevels.set(dir, top);
    return top;
  } catch {
    return undefined;
  }
}

/** The commit a ref names, or undefined when it names none (e.g. HEAD of a repo without commits). */
export async function resolveRevision(dir: string, ref: string): Promise<GitRevision | undefined> {
  const result = await git(dir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  return result.exitCode === 0 ? { ref, commit: Buffer.from(result.stdout).toString('utf8').trim() } : undefined;
}

/** The current branch name, or undefined on a detached HEAD. */
export async function currentBranch(dir: string): Promise<string | undefined> {
  const result = await git(dir, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  return result.exitCode === 0 ? Buffer.from(result.stdout).toString('utf8').trim() : undefined;
}

const YAML_FILE = /\.ya?ml$/i;

/** The config, spec and policy files of the infra repo at `dir` as they were at `revision` (or only the `only` paths). */
export async function readRepoFilesAt(dir: string, revision: GitRevision, only?: readonly string[]): Promise<RepoFiles> {
  const top = (await gitTopLevel(dir))!;
  const root = realpathSync(dir);
  const prefix = relative(realpathSync(top), root).split(sep).filter(Boolean).join('/');
  const inRepo = (p: string) => (prefix ? `${prefix}/${p}` : p);
  const wantedPaths = only ? only.map(inRepo) : [inRepo(CONFIG_FILE), inRepo(STACKS_DIR), inRepo(POLICIES_DIR)];
  if (wantedPaths.length === 0) return { root, specs: [], policies: [], problems: [] };
  const listing = await git(top, ['ls-tree', '-r', '-z', '--long', '--full-tree', revision.commit, '--', ...wantedPaths]);
  if (listing.exitCode !== 0) throw new Error(`git ls-tree ${revision.ref} failed: ${Buffer.from(listing.stderr).toString('utf8').trim()}`);

  const problems: Problem[] = [];
  const wanted: { file: string; oid: string }[] = [];
  for (const entry of Buffer.from(listing.stdout).toString('utf8').split('\0').filter(Boolean)) {
    const tab = entry.indexOf('\t');
    const [mode, type, oid, size] = entry.slice(0, tab).trim().split(/\s+/);
    const path = entry.slice(tab + 1);
    const file = prefix ? path.slice(prefix.length + 1) : path;
    if (type !== 'blob' || !YAML_FILE.test(file)) continue;
    if (mode === '120000') {
      problems.push(
        problem({
          code: ERR.SYMLINK_IN_GIT,
          message: `is a symbolic link in ${revision.ref}; expected a regular file`,
          location: { file, line: 1, column: 1 },
        }),
      );
      continue;
    }
    const large = tooLarge(file, Number(size));
    if (large) problems.push(large);
    else wanted.push({ file, oid: oid! });
  }
  const blobs = await readBlobs(
    top,
    wanted.map((w) => w.oid),
  );
  const files: TextFile[] = [];
  wanted.forEach(({ file }, i) => {
    const decoded = decodeSpecBytes(file, blobs[i]!);
    if ('problem' in decoded) problems.push(decoded.problem);
    else files.push(decoded.file);
  });
  const byName = (a: TextFile, b: TextFile) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  return {
    root,
    config: files.find((f) => f.file === CONFIG_FILE),
    specs: files.filter((f) => f.file.startsWith(`${STACKS_DIR}/`)).sort(byName),
    policies: files.filter((f) => f.file.startsWith(`${POLICIES_DIR}/`)).sort(byName),
    problems,
  };
}

/** Reads many blobs through one `git cat-file --batch`. */
async function readBlobs(cwd: string, oids: readonly string[]): Promise<Buffer[]> {
  if (oids.length === 0) return [];
  const result = await git(cwd, ['cat-file', '--batch'], `${oids.join('\n')}\n`);
  if (result.exitCode !== 0) throw new Error(`git cat-file failed: ${Buffer.from(result.stderr).toString('utf8').trim()}`);
  const out = Buffer.from(result.stdout);
  const blobs: Buffer[] = [];
  let at = 0;
  for (let i = 0; i < oids.length; i++) {
    const eol = out.indexOf(0x0a, at);
    const header = out.subarray(at, eol).toString('utf8').split(' ');
    const size = Number(header[2]);
    blobs.push(out.subarray(eol + 1, eol + 1 + size));
    at = eol + 1 + size + 1;
  }
  return blobs;
}

/**
 * Config, spec and policy files (repo-relative) that differ between `revision` and the working tree,
 * staged or not, plus untracked ones.
 */
export async function changedPaths(dir: string, revision: GitRevision): Promise<string[]> {
  const top = (await gitTopLevel(dir))!;
  const prefix = relative(realpathSync(top), realpathSync(dir)).split(sep).filter(Boolean).join('/');
  const inRepo = (p: string) => (prefix ? `${prefix}/${p}` : p);
  const paths = [inRepo(CONFIG_FILE), inRepo(STACKS_DIR), inRepo(POLICIES_DIR)];
  const [diff, untracked] = await Promise.all([
    git(top, ['diff', '--name-only', '-z', '--no-renames', revision.commit, '--', ...paths]),
    git(top, ['ls-files', '--others', '--exclude-standard', '-z', '--', ...paths]),
  ]);
  if (diff.exitCode !== 0) throw new Error(`git diff ${revision.ref} failed: ${Buffer.from(diff.stderr).toString('utf8').trim()}`);
  const names = `${Buffer.from(diff.stdout).toString('utf8')}\0${Buffer.from(untracked.stdout).toString('utf8')}`.split('\0').filter(Boolean);
  return [...new Set(names.map((p) => (prefix ? p.slice(prefix.length + 1) : p)))].sort();
}

/**
 * What `plan` compares with when no --base is given. On a branch: where it left the default branch
 * (the merge base with origin's default branch, else origin/main or origin/master, else a local
 * main or master), so commits made on the branch are part of the change. On the default branch
 * itself, or when there is none: the last commit (HEAD), so the change is what is not committed yet.
 */
export async function defaultBase(dir: string): Promise<GitRevision | undefined> {
  // The probes are independent: asked at once, not one git process after another.
  const fallbacks = ['origin/main', 'origin/master', 'main', 'master'];
  const [head, branch, originHead, ...resolved] = await Promise.all([
    resolveRevision(dir, 'HEAD'),
    currentBranch(dir),
    git(dir, ['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']),
    ...fallbacks.map((ref) => resolveRevision(dir, ref)),
  ]);
  if (!head) return undefined;
  const remoteDefault = originHead.exitCode === 0 ? Buffer.from(originHead.stdout).toString('utf8').trim() : undefined;
  const candidates = fallbacks.map((ref, i) => ({ ref, target: resolved[i] }));
  if (remoteDefault) {
    const known = fallbacks.indexOf(remoteDefault);
    candidates.unshift({ ref: remoteDefault, target: known >= 0 ? resolved[known] : await resolveRevision(dir, remoteDefault) });
  }
  for (const { ref, target } of candidates) {
    if (!target) continue;
    if (branch !== undefined && (ref === branch || ref === `origin/${branch}`)) return { ref: 'HEAD', commit: head.commit };
    const mergeBase = await git(dir, ['merge-base', 'HEAD', target.commit]);
    if (mergeBase.exitCode !== 0) continue;
    return { ref: `${ref} (merge base)`, commit: Buffer.from(mergeBase.stdout).toString('utf8').trim() };
  }
  return { ref: 'HEAD', commit: head.commit };
}
