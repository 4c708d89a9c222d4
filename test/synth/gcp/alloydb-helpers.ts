// An AlloyDB database for the tests: the example repo's warehouse-meta (production, HA, gcp-prod
// policy: "0 20 * * *" UTC, 35 days, PITR 7 days, managed key) as engine alloydb, without the
// fields an AlloyDB stack refuses (copies, vault lock, exports, restore drill, RTO).
import type { ResolvedDatabase } from '../../../src/model/resolved.js';
import { buildAlloyDbStack } from '../../../src/synth/gcp/alloydb.js';
import { notesOf } from '../../../src/synth/notes.js';
import { context, exampleDb, newStack, stackText, type TfJson } from './helpers.js';

export function alloyDb(changes: Partial<Omit<ResolvedDatabase, 'backup'>> & { backup?: Partial<ResolvedDatabase['backup']> } = {}): ResolvedDatabase {
  const base = exampleDb('warehouse-meta');
  const { backup, ...rest } = changes;
  const { objectives: _objectives, ...withoutObjectives } = base;
  const { vaultLock: _vaultLock, restoreTesting: _restoreTesting, ...baseBackup } = base.backup;
  return {
    ...withoutObjectives,
    engine: 'alloydb',
    version: '16',
    instanceClass: '4',
    ...rest,
    backup: { ...baseBackup, copies: [], exports: [], ...(backup ?? {}) },
  } as unknown as ResolvedDatabase;
}

export function alloyText(db: ResolvedDatabase): string {
  const stack = newStack(db.name);
  buildAlloyDbStack(stack, db, context());
  return stackText(stack);
}

export function alloyJson(db: ResolvedDatabase): TfJson {
  return JSON.parse(alloyText(db)) as TfJson;
}

export function alloyNotes(db: ResolvedDatabase): string[] {
  const stack = newStack(db.name);
  buildAlloyDbStack(stack, db, context());
  return notesOf(stack);
}
