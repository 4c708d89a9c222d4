// The only code that reads spec files: walks a folder, refuses links that leave the repo,
// caps file size and insists on UTF-8.
import { closeSync, fstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { problem, type Problem } from '../errors.js';
import { ERR } from '../error-codes.js';

/** Specs are small; anything larger is a mistake or an attack. */
export const MAX_SPEC_FILE_BYTES = 1024 * 1024;

export interface TextFile {
  /** Repo-relative, forward slashes. */
  readonly file: string;
  readonly text: string;
}

const YAML_FILE = /\.ya?ml$/i;

export function toRepoPath(root: string, absolute: string): string {
  const rel = pathBelow(root, absolute);
  return sep === '/' ? rel : rel.split(sep).join('/');
}

/** `path` relative to `base`: a plain cut when it is below it, since path.relative resolves both paths (bench/README.md, "Measured choices"). */
function pathBelow(base: string, path: string): string {
  return path.length > base.length + 1 && path.startsWith(base) && path[base.length] === sep ? path.slice(base.length + 1) : relative(base, path);
}

function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel));
}

/** Every *.yaml / *.yml below `dir`, sorted, following links only while they stay inside `root`. */
export function findYamlFiles(root: string, dir: string): { files: string[]; problems: Problem[] } {
  const files: string[] = [];
  const problems: Problem[] = [];
  const realRoot = realpathSync(root);
  const visited = new Set<string>();

  const walk = (current: string): void => {
    const real = realpathSync(current);
    if (visited.has(real)) return;
    visited.add(real);
    // Entry types come with the listing (no lstat per file); only links need a look at their target.
    const entries = readdirSync(current, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const { name } = entry;
      if (name.startsWith('.')) continue;
      const path = join(current, name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      // A plain entry of a folder whose real path is known is at that path: no realpath call per file.
      let realFile = join(real, name);
      if (entry.isSymbolicLink() || (!isDirectory && !isFile)) {
        let target: string;
        try {
          target = realpathSync(path);
        } catch {
          problems.push(linkProblem(root, path, 'points at nothing'));
          continue;
        }
        if (!isInside(realRoot, target)) {
          problems.push(linkProblem(root, path, `leads outside the repo (to ${target})`));
          continue;
        }
        const stats = statSync(path);
        isDirectory = stats.isDirectory();
        isFile = stats.isFile();
        realFile = target;
      }
      if (isDirectory) walk(path);
      else if (isFile && YAML_FILE.test(name)) {
        // Named where it really is: a link must not move a spec into another team's folder.
        if (!visited.has(realFile)) files.push(join(root, pathBelow(realRoot, realFile)));
        visited.add(realFile);
      }
    }
  };
  walk(dir);
  return { files: files.sort(), problems };
}

function linkProblem(root: string, path: string, what: string): Problem {
  return problem({
    code: ERR.SYMLINK_OUTSIDE_REPO,
    message: `symbolic link ${what}; expected files inside the repo`,
    location: { file: toRepoPath(root, path), line: 1, column: 1 },
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a spec file, or says why not: too large, not UTF-8. */
export function readSpecFile(root: string, path: string, maxBytes = MAX_SPEC_FILE_BYTES): { file: TextFile } | { problem: Problem } {
  const file = toRepoPath(root, path);
  // One open for the size check and the read: the size is the open file's, not a second lookup's.
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const large = tooLarge(file, size, maxBytes);
    if (large) return { problem: large };
    // Read to the size just taken: readFileSync(fd) would ask for it again (one more system call per spec).
    const bytes = Buffer.allocUnsafe(size);
    let filled = 0;
    for (let n; filled < size && (n = readSync(fd, bytes, filled, size - filled, null)) > 0;) filled += n;
    return decodeSpecBytes(file, bytes.subarray(0, filled));
  } finally {
    closeSync(fd);
  }
}

/** Spec bytes from any source (disk, a git blob) as text, or why not: not UTF-8. */
export function decodeSpecBytes(file: string, bytes: Uint8Array): { file: TextFile } | { problem: Problem } {
  try {
    return { file: { file, text: utf8.decode(bytes) } };
  } catch {
    const at = firstInvalidUtf8(bytes);
    const before = utf8.decode(bytes.subarray(0, at));
    const lines = before.split('\n');
    return {
      problem: problem({
        code: ERR.NOT_UTF8,
        message: `byte 0x${bytes[at]?.toString(16).padStart(2, '0')} at offset ${at} is not valid UTF-8; expected a UTF-8 text file`,
        location: { file, line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 },
      }),
    };
  }
}

export function tooLarge(file: string, size: number, maxBytes = MAX_SPEC_FILE_BYTES): Problem | undefined {
  if (size <= maxBytes) return undefined;
  return problem({
    code: ERR.FILE_TOO_LARGE,
    message: `file is ${size} bytes; expected at most ${maxBytes} bytes`,
    location: { file, line: 1, column: 1 },
    value: size,
  });
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.length;
  // The longest valid prefix: binary search over prefixes that decode (a cut multi-byte tail is allowed).
  const decodes = (n: number) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, n), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (decodes(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
