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

/** Database names declared, and databases restored from, in the files read so far (see withRestoreSources). */
interface RestoreScan {
  readonly names: Set<string>;
  readonly sources: Set<string>;
}

/** The Database names the files declare and the databases they restore from, from parsed documents. */
function scanDocument(value: unknown, scan: RestoreScan): void {
  const doc = value as { kind?: unknown; metadata?: { name?: unknown }; spec?: { restoreFrom?: { database?: unknown } } } | null;
  if (doc?.kind === 'Database' && typeof doc.metadata?.name === 'string') scan.names.add(doc.metadata.name);
  const source = doc?.spec?.restoreFrom?.database;
  if (typeof source === 'string') scan.sources.add(source);
}

function declared(files: readonly TextFile[], scan: RestoreScan): Declared {
  const out: Declared = new Map();
  for (const file of files) {
    for (const doc of parseYaml(file).documents) {
      scanDocument(doc.value, scan);
      const value = doc.value as { kind?: unknown; metadata?: { name?: unknown } } | null;
      const name = value?.metadata?.name;
      if (typeof name !== 'string' || typeof value?.kind !== 'string') continue;
      out.set(`${value.kind}/${name}`, { kind: value.kind, name, text: JSON.stringify(value) });
    }
  }
  return out;
}

/** Names of the documents the change added, removed or edited (a file's other documents are not). */
function changedNames(head: readonly TextFile[], base: readonly TextFile[], scan: RestoreScan): { databases: Set<string>; shared: Set<string> } {
  const before = declared(base, scan);
  const after = declared(head, scan);
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

function scanFiles(files: readonly TextFile[], scan: RestoreScan): void {
  for (const file of files) for (const doc of parseYaml(file).documents) scanDocument(doc.value, scan);
}

/**
 * A restore is validated against its source, so the files declaring the source of every restore in
 * scope join it (transitively: a clone of a clone), else a file pulled in only by a mention would
 * fail with an unknown source. `scan` holds what the changed files declare (read by changedNames).
 */
function withRestoreSources(all: readonly TextFile[], scan: RestoreScan, related: TextFile[], changedSpecs: ReadonlySet<string>): void {
  const inScope = new Set(related.map((f) => f.file));
  const { names: known, sources } = scan;
  // At least one round: the changed files' own restore sources may be missing with nothing related.
  let pending = [...related];
  do {
    scanFiles(pending, scan);
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
  } while (pending.length);
}

export async function changeScope(dir: string, revision: GitRevision, headFiles: RepoFiles): Promise<ChangeScope | undefined> {
  const changed = await changedPaths(dir, revision);
  if (changed.some((p) => p === CONFIG_FILE || p.startsWith(`${POLICIES_DIR}/`))) return undefined;
  const changedSpecs = new Set(changed.filter((p) => p.startsWith(`${STACKS_DIR}/`)));
  const baseChanged = await readRepoFilesAt(dir, revision, [...changedSpecs]);
  if (baseChanged.problems.length) return undefined;
  const headChanged = headFiles.specs.filter((f) => changedSpecs.has(f.file));

  const scan: RestoreScan = { names: new Set(), sources: new Set() };
  const names = changedNames(headChanged, baseChanged.specs, scan);
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
  withRestoreSources(headFiles.specs, scan, related, changedSpecs);

  const byName = (a: TextFile, b: TextFile) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  const databases = headFiles.specs.reduce((n, f) => n + (f.text.match(DATABASE_KIND)?.length ?? 0), 0);
  return {
    head: { ...headFiles, specs: [...headChanged, ...related].sort(byName) },
    base: { ...headFiles, specs: [...baseChanged.specs, ...related].sort(byName), problems: [] },
    databases,
    changed,
  };
}
