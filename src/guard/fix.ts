// dbaas fix: writes each finding's merge patch into the spec files, where the value is defined.
//
// Where a fix is written (the rule, also in GUARDRAILS.md):
// - A field the Database sets itself is changed in the Database file.
// - A backup field the Database inherits from a named BackupPolicy is changed in the BackupPolicy
//   only when every database inheriting that field from it has the same finding (the policy as a
//   whole is wrong, and nobody else's backups change). Otherwise the Database gets an inline
//   override in spec.backup, starting from the policy's value, so other users of the policy keep
//   theirs.
// - A backup field set nowhere (a default) follows the same rule when the Database names a policy;
//   any other field is written into the Database.
// Edits keep comments and formatting (yaml-edit.ts); the result is re-validated and re-guarded in
// memory before anything is written, and files are replaced atomically (temp file + rename).
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic.js';
import { DbaasError, problem, type Problem } from '../errors.js';
import type { TextFile } from '../load/files.js';
import type { RepoFiles } from '../load/repo.js';
import type { FieldPath } from '../load/yaml.js';
import { guardFiles, type Guarded, type GuardOptions } from '../pipeline.js';
import type { ResolvedEntry } from '../resolve/index.js';
import { fieldName } from '../validate/schema-errors.js';
import { applyMergePatch, patchLeaves } from './merge-patch.js';
import { getInYaml, setInYaml } from './yaml-edit.js';
import type { Finding, JsonObject } from './types.js';
import { ERR } from '../error-codes.js';
import { isObject } from '../json.js';

/** Resolved top-level field → where a Database writes it. */
const DATABASE_PATHS: Record<string, FieldPath> = {
  name: ['metadata', 'name'],
  team: ['metadata', 'team'],
  labels: ['metadata', 'labels'],
};

export interface FixChange {
  readonly file: string;
  /** Field inside the document, e.g. spec.backup.retentionDays. */
  readonly field: string;
  /** The Database or BackupPolicy edited. */
  readonly target: string;
  readonly before: unknown;
  readonly after: unknown;
  /** Guardrails whose fix this is. */
  readonly guardrails: readonly string[];
  /** Databases whose findings it fixes. */
  readonly databases: readonly string[];
}

export interface FixOptions extends GuardOptions {
  /** Also apply the fixes of warnings. Default: errors only. */
  readonly includeWarnings?: boolean;
  /** Compute and report, write nothing. Default: false. */
  readonly dryRun?: boolean;
}

export interface FixResult {
  readonly changes: readonly FixChange[];
  /** Files whose text changed (repo-relative), in order. */
  readonly files: readonly string[];
  /** The repo as it is (or, with dryRun, would be) after the fixes. */
  readonly after: Guarded;
  /** Findings that had a fix and were selected but are still there afterwards. */
  readonly unfixed: readonly Finding[];
  readonly written: boolean;
}

const MAX_ROUNDS = 4;

/** Whether dbaas fix acts on this finding. */
export function isFixable(f: Finding, includeWarnings = false): boolean {
  return f.code === ERR.GUARDRAIL && f.fix !== undefined && !f.waived && (includeWarnings || f.severity === 'error');
}

type Edit = { file: string; index: number; path: FieldPath; value: unknown; target: string; guardrail: string; database: string };

/** The edits that apply one finding's fix. */
function editsFor(finding: Finding, entry: ResolvedEntry, entries: readonly ResolvedEntry[], selected: readonly Finding[]): Edit[] {
  const edits: Edit[] = [];
  const db = entry.spec;
  const onDatabase = (path: FieldPath, value: unknown) =>
    edits.push({ file: db.doc.file, index: db.doc.index, path, value, target: `Database ${db.name}`, guardrail: finding.guardrail, database: entry.db.name });
  const defined = (value: unknown, path: FieldPath) =>
    path.reduce<unknown>((node, key) => (isObject(node) ? node[String(key)] : undefined), value) !== undefined;
  // Writes patch at base path: leaf by leaf into what the file already has, or whole where it has nothing.
  const write = (push: (path: FieldPath, value: unknown) => void, docValue: unknown, path: FieldPath, start: unknown, patch: unknown) => {
    if (defined(docValue, path) && isObject(patch)) {
      for (const leaf of patchLeaves(patch)) push([...path, ...leaf.path], leaf.value === null ? undefined : leaf.value);
    } else {
      push(path, applyMergePatch(start, patch));
    }
  };

  for (const [key, patch] of Object.entries(finding.fix ?? {})) {
    if (key !== 'backup') {
      const path = DATABASE_PATHS[key] ?? ['spec', key];
      write(onDatabase, db.value, path, (entry.db as unknown as JsonObject)[key], patch);
      continue;
    }
    if (!isObject(patch)) continue;
    for (const [field, value] of Object.entries(patch)) {
      const inline: FieldPath = ['spec', 'backup', field];
      const policy = entry.policy;
      const resolvedValue = (entry.db.backup as unknown as JsonObject)[field];
      if (defined(db.value, inline) || !policy) {
        write(onDatabase, db.value, inline, resolvedValue, value);
        continue;
      }
      const inheritors = entries.filter((e) => e.policy?.name === policy.name && !defined(e.spec.value, ['spec', 'backup', field]));
      const wholePolicy = inheritors.every((e) => selected.some((f) => f.database === e.db.name && f.guardrail === finding.guardrail));
      if (wholePolicy) {
        write(
          (path, v) =>
            edits.push({
              file: policy.doc.file,
              index: policy.doc.index,
              path,
              value: v,
              target: `BackupPolicy ${policy.name}`,
              guardrail: finding.guardrail,
              database: entry.db.name,
            }),
          policy.value,
          ['spec', field],
          resolvedValue,
          value,
        );
      } else {
        // An inline override replaces the policy's value for this field, so start from it.
        write(onDatabase, db.value, inline, resolvedValue, value);
        // A Database naming no policy uses the config's default only while it sets no schedule.
        if (field === 'schedule' && !defined(db.value, ['spec', 'backup', 'policy'])) onDatabase(['spec', 'backup', 'policy'], policy.name);
      }
    }
  }
  return edits;
}

/** One round: apply every selected finding's fix to the texts. */
function applyRound(guarded: Extract<Guarded, { ok: true }>, texts: Map<string, string>, options: FixOptions): { changes: FixChange[]; selected: Finding[] } {
  const selected = guarded.guard.findings.filter((f) => isFixable(f, options.includeWarnings));
  const byName = new Map(guarded.repo.entries.map((e) => [e.db.name, e]));
  const edits = selected.flatMap((f) => {
    const entry = byName.get(f.database);
    return entry ? editsFor(f, entry, guarded.repo.entries, selected) : [];
  });
  // One change per file and field: a policy-wide fix found through several databases is one edit.
  const changes = new Map<string, { change: FixChange; edit: Edit }>();
  for (const edit of edits) {
    const key = `${edit.file}\u0000${edit.index}\u0000${JSON.stringify(edit.path)}`;
    const seen = changes.get(key);
    if (seen) {
      const { change } = seen;
      changes.set(key, {
        edit,
        change: {
          ...change,
          after: edit.value,
          guardrails: [...new Set([...change.guardrails, edit.guardrail])],
          databases: [...new Set([...change.databases, edit.database])],
        },
      });
      continue;
    }
    const text = texts.get(edit.file);
    if (text === undefined) continue;
    changes.set(key, {
      edit,
      change: {
        file: edit.file,
        field: fieldName(edit.path),
        target: edit.target,
        before: getInYaml(text, edit.index, edit.path),
        after: edit.value,
        guardrails: [edit.guardrail],
        databases: [edit.database],
      },
    });
  }
  const applied: FixChange[] = [];
  for (const { edit, change } of changes.values()) {
    if (JSON.stringify(change.before) === JSON.stringify(change.after)) continue;
    const text = texts.get(edit.file)!;
    try {
      texts.set(edit.file, setInYaml(text, edit.index, edit.path, edit.value));
      applied.push(change);
    } catch (error) {
      throw new DbaasError([
        problem({
          code: ERR.FIX_FAILED,
          message: `cannot write ${change.field}: ${(error as Error).message}; nothing was changed`,
          location: { file: edit.file, line: 1, column: 1 },
        }),
      ]);
    }
  }
  return { changes: applied, selected };
}

const withTexts = (files: RepoFiles, texts: Map<string, string>): RepoFiles => ({
  ...files,
  specs: files.specs.map((f): TextFile => ({ file: f.file, text: texts.get(f.file) ?? f.text })),
});

/**
 * Fixes the findings of a guarded repo: applies every selected fix, re-checks, and repeats while a
 * round still changes something (a fix can reveal another finding). Writes only when the result is
 * still a valid repo and dryRun is off.
 */
export function fixRepo(start: Extract<Guarded, { ok: true }>, options: FixOptions = {}): FixResult {
  const texts = new Map(start.files.specs.map((f) => [f.file, f.text]));
  const changes: FixChange[] = [];
  let current: Guarded = start;
  for (let round = 0; round < MAX_ROUNDS && current.ok; round++) {
    const { changes: applied } = applyRound(current, texts, options);
    if (applied.length === 0) break;
    changes.push(...applied);
    current = guardFiles(withTexts(start.files, texts), options);
  }
  if (!current.ok) {
    throw new DbaasError([
      problem({ code: ERR.FIX_BROKE_REPO, message: 'the fixes would leave specs that do not validate; nothing was written. Problems after fixing:' }),
      ...current.problems,
    ] as Problem[]);
  }
  const after = current;
  const unfixed = after.guard.findings.filter((f) => isFixable(f, options.includeWarnings));
  const files = [...new Set(changes.map((c) => c.file))];
  if (!options.dryRun) {
    for (const file of files) writeFileAtomic(join(start.files.root, file), texts.get(file)!);
  }
  return { changes, files, after, unfixed, written: !options.dryRun && files.length > 0 };
}
