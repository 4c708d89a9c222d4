// Fail closed for a new engine: add one to the capability table (here by mocking the table) and the
// baseline pack judges it by every rule its capabilities call for, with no policy file edited.
import { describe, expect, it, vi } from 'vitest';
import type { Capability } from '../../src/profiles/capabilities.js';

const NEWDB: readonly Capability[] = [
  'sql',
  'tls',
  'network-endpoint',
  'storage-encryption-toggle',
  'maintenance-window',
  'high-availability',
  'instance-storage',
  'pitr',
];

vi.mock('../../src/profiles/capabilities.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/profiles/capabilities.js')>();
  return {
    ...real,
    capabilityTable: () => [...real.capabilityTable(), { engine: 'newdb', cloud: 'aws', capabilities: NEWDB }],
    capabilitiesOf: (engine: string, cloud?: string) =>
      engine === 'newdb' ? new Set(cloud === undefined || cloud === 'aws' ? NEWDB : []) : real.capabilitiesOf(engine, cloud),
  };
});

const { evaluate } = await import('../../src/guard/engine.js');
const { describeEngines } = await import('../../src/guard/context.js');
const { loadRegistry } = await import('../../src/guard/registry.js');
const { REPO_ROOT } = await import('./helpers.js');

describe('a new engine in the capability table', () => {
  const registry = loadRegistry({ root: REPO_ROOT, repoFiles: [] });

  it('is judged by every baseline rule whose capabilities it has', () => {
    expect(registry.problems).toEqual([]);
    const db = {
      name: 'n',
      engine: 'newdb',
      cloud: 'aws',
      environment: 'production',
      requireSsl: false,
      publiclyAccessible: true,
      storageEncrypted: false,
      highAvailability: false,
    };
    const failing = registry.guardrails.filter((g) => g.match.capability && evaluate(g, db)).map((g) => g.id);
    expect(failing).toEqual(['high-availability-production', 'no-public-access', 'require-ssl', 'storage-encrypted']);
    // And not by the rules for capabilities it lacks.
    const pitrOff = { ...db, backup: { pointInTimeRecovery: { enabled: false, retentionDays: 7 } } };
    expect(evaluate(registry.byId.get('dynamodb-pitr')!, pitrOff)).toBeUndefined();
    expect(evaluate(registry.byId.get('gcp-mysql-pitr')!, pitrOff)).toBeUndefined();
  });

  it('shows up among the engines policy explain lists', () => {
    expect(describeEngines(registry.byId.get('require-ssl')!)).toContain('newdb (aws)');
    expect(describeEngines(registry.byId.get('dynamodb-pitr')!)).toBe('dynamodb (aws)');
  });
});
