// The part of the repo a change can affect, so a one-database change in a 10,000-database repo reads
// every file but parses and checks only a few. When the config or a guardrail changed, or a changed
// policy or channel is a config default, there is no shortcut: the whole repo is evaluated.
import { CONFIG_FILE, POLICIES_DIR, STACKS_DIR, type RepoFiles } from '../load/repo.js';
import { parseYaml } from '../load/yaml.js';
import type { TextFile } from '../load/files.js';
import { changedPaths, readRepoFilesAt, type GitRevision } from './git.js';

export interface ChangeScope {
  /** The head repo restricted to the files that matter for this change. */
  readonly head: RepoFiles;
  /** The same files as they were at the base. */
  readonly base: RepoFiles;
  /** Databases in the whole head repo (counted, not parsed). */
  readonly databases: number;
  readonly changed: readonly string[];
}

// Files that define the shared kinds every Database may reference; they are always in scope.
const SHARED_KIND = /^kind:\s*["']?(BackupPolicy|NotificationChannel)["']?\s*(#.*)?$/m;
const DATABASE_KIND = /^kind:\s*["']?Database["']?\s*(#.*)?$/gm;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Declared = Map<string, { kind: string; name: string; text: string }>;

function declared(files: readonly TextFile[]): Declared {
  const out: Declared = new Map();
  for (const file of files) {
    for (const doc of parseYaml(file).documents) {
      const value = doc.value as { kind?: unknown; metadata?: { name?: unknown } } | null;
      const name = value?.metadata?.name;
      if (typeof name !== 'string' || typeof value?.kind !== 'string') continue;
      out.set(`${value.kind}/${name}`, { kind: value.kind, name, text: JSON.stringify(value) });
    }
  }
  return out;
}

/** Names of the documents the change added, removed or edited (a file's other documents are not). */
function changedNames(head: readonly TextFile[], base: readonly TextFile[]): { databases: Set<string>; shared: Set<string> } {
  const before = declared(base);
  const after = declared(head);
  const databases = new Set<string>();
  const shared = new Set<string>();
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(key);
    const b = after.get(key);
    if (a?.text === b?.text) continue;
    const { kind, name } = (a ?? b)!;
    (kind === 'Database' ? databases : shared).add(name);
  }
  return { databases, shared };
}

/** The Database names the files declare and the databases they restore from, one parse per file. */
function scanDatabases(files: readonly TextFile[], names: Set<string>, sources: Set<string>): void {
  for (const file of files) {
    for (const doc of parseYaml(file).documents) {
      const value = doc.value as { kind?: unknown; metadata?: { name?: unknown }; spec?: { restoreFrom?: { database?: unknown } } } | null;
      if (value?.kind === 'Database' && typeof value.metadata?.name === 'string') names.add(value.metadata.name);
      const source = value?.spec?.restoreFrom?.database;
      if (typeof source === 'string') sources.add(source);
    }
  }
}

/**
 * A restore is validated against its source, so the files declaring the source of every restore in
 * scope join it (transitively: a clone of a clone), else a file pulled in only by a mention would
 * fail with an unknown source.
 */
function withRestoreSources(all: readonly TextFile[], changed: readonly TextFile[], related: TextFile[], changedSpecs: ReadonlySet<string>): void {
  const inScope = new Set(related.map((f) => f.file));
  const known = new Set<string>();
  const sources = new Set<string>();
  let pending = [...changed, ...related];
  while (pending.length) {
    scanDatabases(pending, known, sources);
    const missing = [...sources].filter((name) => !known.has(name));
    pending = [];
    if (!missing.length) break;
    const declares = new RegExp(`^\\s*name:\\s*["']?(${missing.map(escape).join('|')})["']?\\s*(#.*)?$`, 'm');
    for (const file of all) {
      if (changedSpecs.has(file.file) || inScope.has(file.file) || !declares.test(file.text)) continue;
      inScope.add(file.file);
      related.push(file);
      pending.push(file);
    }
    // A source no file declares stays missing: validate reports it.
    for (const name of missing) known.add(name);
  }
}

export async function changeScope(dir: string, revision: GitRevision, headFiles: RepoFiles): Promise<ChangeScope | undefined> {
  const changed = await changedPaths(dir, revision);
  if (changed.some((p) => p === CONFIG_FILE || p.startsWith(`${POLICIES_DIR}/`))) return undefined;
  const changedSpecs = new Set(changed.filter((p) => p.startsWith(`${STACKS_DIR}/`)));
  const baseChanged = await readRepoFilesAt(dir, revision, [...changedSpecs]);
  if (baseChanged.problems.length) return undefined;
  const headChanged = headFiles.specs.filter((f) => changedSpecs.has(f.file));

  const names = changedNames(headChanged, baseChanged.specs);
  // A default policy or channel is used by databases that never name it: no textual shortcut.
  const defaults = headFiles.config
    ? (parseYaml(headFiles.config).documents[0]?.value as { defaults?: { backupPolicy?: string; notify?: string[] } } | undefined)?.defaults
    : undefined;
  if ([defaults?.backupPolicy, ...(defaults?.notify ?? [])].some((n) => n !== undefined && names.shared.has(n))) return undefined;

  // Unchanged files that define shared kinds, use a changed policy or channel, or reuse a changed
  // database's name (duplicates) are in scope; a false positive only costs a parse.
  const wanted = [...names.shared, ...names.databases];
  const mentions = wanted.length ? new RegExp(`(?<![\\w-])(${wanted.map(escape).join('|')})(?![\\w-])`) : undefined;
  const related = headFiles.specs.filter((f) => !changedSpecs.has(f.file) && (SHARED_KIND.test(f.text) || (mentions?.test(f.text) ?? false)));
  withRestoreSources(headFiles.specs, [...headChanged, ...baseChanged.specs], related, changedSpecs);

  const byName = (a: TextFile, b: TextFile) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  const databases = headFiles.specs.reduce((n, f) => n + (f.text.match(DATABASE_KIND)?.length ?? 0), 0);
  return {
    head: { ...headFiles, specs: [...headChanged, ...related].sort(byName) },
    base: { ...headFiles, specs: [...baseChanged.specs, ...related].sort(byName), problems: [] },
    databases,
    changed,
  };
}
