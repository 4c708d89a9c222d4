// Which stacks a change touches: a database whose resolved form (spec, its BackupPolicy, its
// channels, the config it lands in) differs between base and head. A comment-only edit touches
// nothing; a shared policy edit touches every database using it.
import type { ResolvedEntry, ResolvedRepo } from '../resolve/index.js';
import { stackCacheKey } from '../synth/batch.js';
import { compactJson } from '../synth/json.js';

export interface TouchedStack {
  readonly name: string;
  readonly head?: ResolvedEntry;
  readonly base?: ResolvedEntry;
  /** Human reasons: "spec stacks/x.yaml", "BackupPolicy prod-standard", "dbaas.config.yaml". */
  readonly touchedBy: readonly string[];
}

/** Content hash of everything a stack is synthesized from (the stack cache's key). */
export function stackFingerprint(entry: ResolvedEntry, repo: Pick<ResolvedRepo, 'config'>, toolVersion: string): string {
  return stackCacheKey(entry.db, { config: repo.config, toolVersion });
}

const same = (a: unknown, b: unknown) => compactJson(a) === compactJson(b);

function reasons(head: ResolvedEntry, base: ResolvedEntry, headRepo: ResolvedRepo, baseRepo: ResolvedRepo): string[] {
  const out: string[] = [];
  if (!same(head.spec.value, base.spec.value)) out.push(`spec ${head.spec.doc.file}`);
  const policy = head.db.backup.policyName;
  if (policy && !same(head.policy?.value.spec, base.policy?.value.spec)) out.push(`BackupPolicy ${policy}`);
  for (const channel of head.db.notify) {
    if (!same(headRepo.channels.get(channel)?.value.spec, baseRepo.channels.get(channel)?.value.spec)) out.push(`NotificationChannel ${channel}`);
  }
  if (!same(headRepo.config, baseRepo.config)) out.push('dbaas.config.yaml');
  return out.length ? out : ['resolved settings'];
}

export function touchedStacks(head: ResolvedRepo, base: ResolvedRepo | undefined, toolVersion: string): TouchedStack[] {
  const baseByName = new Map((base?.entries ?? []).map((e) => [e.db.name, e]));
  const headNames = new Set(head.entries.map((e) => e.db.name));
  const touched: TouchedStack[] = [];
  for (const entry of head.entries) {
    const before = baseByName.get(entry.db.name);
    if (!before || !base) {
      touched.push({ name: entry.db.name, head: entry, touchedBy: ['new database'] });
    } else if (stackFingerprint(entry, head, toolVersion) !== stackFingerprint(before, base, toolVersion)) {
      touched.push({ name: entry.db.name, head: entry, base: before, touchedBy: reasons(entry, before, head, base) });
    }
  }
  for (const entry of base?.entries ?? []) {
    if (!headNames.has(entry.db.name)) touched.push({ name: entry.db.name, base: entry, touchedBy: ['database removed'] });
  }
  return touched.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
