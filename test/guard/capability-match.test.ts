// The meta-test for capability matching (issue 13): every guardrail applies to every engine, on every
// cloud, that has its capabilities, as the capability table says; the baseline pack names no engine.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { evaluate, matches } from '../../src/guard/engine.js';
import { BASELINE_DIR, loadRegistry } from '../../src/guard/registry.js';
import type { CompiledGuardrail, JsonObject } from '../../src/guard/types.js';
import { CAPABILITIES, capabilitiesOf, capabilityTable } from '../../src/profiles/capabilities.js';
import { REPO_ROOT } from './helpers.js';

const registry = loadRegistry({ root: REPO_ROOT, repoFiles: [] });
const table = capabilityTable();
const guardrailSchema = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', 'guardrail.schema.json'), 'utf8'));

/** The smallest database the guardrail's non-engine conditions accept, on one engine and cloud. */
function minimalDb(g: CompiledGuardrail, engine: string, cloud: string): JsonObject {
  return {
    name: 'meta',
    engine,
    cloud,
    environment: g.match.environment?.[0] ?? 'production',
    ...(g.match.team ? { team: g.match.team[0] } : {}),
    ...(g.match.labels ? { labels: { ...g.match.labels } } : {}),
  };
}

/** What the table says, computed here without matches(): the cloud and engine lists, then all capabilities. */
function expected(g: CompiledGuardrail, row: (typeof table)[number]): boolean {
  const inList = (list: readonly string[] | undefined, value: string) => !list || list.includes(value);
  if (!inList(g.match.cloud, row.cloud) || !inList(g.match.engine, row.engine)) return false;
  return (g.match.capability ?? []).every((c) => row.capabilities.includes(c));
}

describe('the capability names', () => {
  it('are the same in the guardrail schema and in src/profiles/capabilities.ts', () => {
    expect(guardrailSchema.$defs.Capability.enum).toEqual([...CAPABILITIES]);
  });

  it('cover every capability the table gives an engine', () => {
    for (const row of table) for (const c of row.capabilities) expect(CAPABILITIES, `${row.engine} on ${row.cloud}`).toContain(c);
    expect(table.length).toBeGreaterThanOrEqual(8);
  });
});

describe('every guardrail applies to every engine that has its capabilities', () => {
  describe.each(registry.guardrails.map((g) => [g.id, g] as const))('%s', (_id, g) => {
    it.each(table.map((row) => [`${row.engine} on ${row.cloud}`, row] as const))('%s', (_name, row) => {
      const db = minimalDb(g, row.engine, row.cloud);
      expect(matches(g.match, db)).toBe(expected(g, row));
      // And capabilitiesOf, which matches() reads, agrees with the table row.
      expect([...capabilitiesOf(row.engine, row.cloud)!].sort()).toEqual([...row.capabilities].sort());
    });
  });

  // Beyond matching: each fail case of a capability rule, moved onto every engine and cloud, gives a
  // finding exactly where the engine has the capabilities. A new engine in the table is judged here.
  const capabilityRules = registry.guardrails.filter((g) => g.match.capability);
  it('has capability rules to check', () => {
    expect(capabilityRules.map((g) => g.id)).toEqual(
      expect.arrayContaining([
        'require-ssl',
        'no-public-access',
        'storage-encrypted',
        'high-availability-production',
        'backup-window-clear-of-maintenance',
        'dynamodb-pitr',
        'gcp-mysql-pitr',
      ]),
    );
  });
  describe.each(capabilityRules.map((g) => [g.id, g] as const))('%s catches its fail cases on every engine with its capabilities', (_id, g) => {
    it.each(table.map((row) => [`${row.engine} on ${row.cloud}`, row] as const))('%s', (_name, row) => {
      for (const [index, testCase] of g.tests.fail.entries()) {
        const moved = { ...testCase, engine: row.engine, cloud: row.cloud };
        expect(evaluate(g, moved) !== undefined, `fail case ${index + 1}`).toBe(expected(g, row));
      }
    });
  });
});

describe('the baseline pack', () => {
  const files = readdirSync(BASELINE_DIR).filter((f) => f.endsWith('.yaml'));

  it('names no engine in match: it matches capabilities, so a new engine cannot slip past a rule', () => {
    expect(files.length).toBe(registry.guardrails.length);
    for (const file of files) {
      const doc = parse(readFileSync(join(BASELINE_DIR, file), 'utf8')) as { spec: { match?: Record<string, unknown> } };
      expect(Object.keys(doc.spec.match ?? {}), file).not.toContain('engine');
    }
    for (const g of registry.guardrails) expect(g.match.engine, g.id).toBeUndefined();
  });

  it('matches by capability where it used to list engines', () => {
    const capability = (id: string) => registry.byId.get(id)!.match.capability;
    expect(capability('require-ssl')).toEqual(['tls']);
    expect(capability('no-public-access')).toEqual(['network-endpoint']);
    expect(capability('storage-encrypted')).toEqual(['storage-encryption-toggle']);
    expect(capability('high-availability-production')).toEqual(['high-availability']);
    expect(capability('backup-window-clear-of-maintenance')).toEqual(['maintenance-window']);
    expect(capability('dynamodb-pitr')).toEqual(['table-pitr']);
    expect(capability('gcp-mysql-pitr')).toEqual(['binlog-pitr']);
  });
});
