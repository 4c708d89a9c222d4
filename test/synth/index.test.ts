import { tmpdir } from 'node:os';
import { GcsBackend } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { backendFor } from '../../src/synth/backend.js';
import { stackConfig } from '../../src/synth/cdktf.js';
import { synthAll } from '../helpers/synth.js';
import { CDKTF_VERSION, loadBuilder, SynthError, synthStack } from '../../src/synth/index.js';
import { addNote } from '../../src/synth/notes.js';
import { buildExampleStack, context, exampleEntry, exampleRepo, REPO_ROOT, variant } from './helpers.js';

describe('synthStack', () => {
  it('is byte-identical when run twice, for every example database', async () => {
    const entries = exampleRepo().entries;
    const first = await synthAll(entries, context());
    const second = await synthAll(entries, context());
    expect(first.problems).toEqual([]);
    expect(first.stacks.map((s) => s.name)).toEqual([...entries.map((e) => e.db.name)].sort());
    for (const [i, stack] of first.stacks.entries()) expect(second.stacks[i]?.json, stack.name).toBe(stack.json);
  });

  it('writes no clock, no absolute path and no random id into a stack', async () => {
    const { stacks } = await synthAll(exampleRepo().entries, context());
    for (const stack of stacks) {
      expect(stack.json, stack.name).not.toContain(REPO_ROOT);
      expect(stack.json, stack.name).not.toContain(tmpdir());
      expect(stack.json, stack.name).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
      expect(stack.json, stack.name).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    }
  });

  it('records the tool version and the builder’s notes in the "//" metadata', async () => {
    await loadBuilder('aws');
    const stack = synthStack(exampleEntry('ledger').db, context({ toolVersion: '9.9.9' }));
    const meta = JSON.parse(stack.json)['//'];
    expect(meta.dbaas).toMatchObject({ version: '9.9.9', database: 'ledger', cloud: 'aws' });
    expect(meta.dbaas.notes).toEqual(stack.notes);
    expect(stack.notes.length).toBeGreaterThan(0);
    expect(meta.metadata).toMatchObject({ stackName: 'ledger', backend: 's3', version: CDKTF_VERSION });
  });

  it('gives the same JSON as cdktf’s own toTerraform() for every example stack (one resolve pass, not two), up to the escape boundary', async () => {
    // cdktf leaves literal `${` as Terraform syntax; stackConfig escapes it (escape.ts). Undoing the
    // escape gives cdktf's text back exactly; the GCP export workflow holds such literals.
    const unescape = (v: unknown): unknown =>
      typeof v === 'string'
        ? v.replace(/([$%])\1\{/g, '$1{')
        : Array.isArray(v)
          ? v.map(unescape)
          : v && typeof v === 'object'
            ? Object.fromEntries(Object.entries(v).map(([k, x]) => [unescape(k), unescape(x)]))
            : v;
    let escaped = 0;
    for (const { db } of exampleRepo().entries) {
      const stack = await buildExampleStack(db);
      const ours = stackConfig(stack, CDKTF_VERSION);
      if (JSON.stringify(ours).includes('$${')) escaped++;
      expect(unescape(ours), db.name).toEqual(JSON.parse(JSON.stringify(stack.toTerraform())));
    }
    expect(escaped).toBeGreaterThan(0);
  });

  it('owns the backend: a builder that adds one fails loudly instead of splitting state', () => {
    const db = exampleEntry('sessions').db;
    expect(() => synthStack(db, context(), (s) => void new GcsBackend(s, { bucket: 'rogue', prefix: 'x' }))).toThrow(/already a Construct with name 'backend'/);
  });

  it('passes a builder’s notes through', () => {
    const stack = synthStack(exampleEntry('sessions').db, context(), (s) => addNote(s, 'built by a test builder'));
    expect(stack.notes).toEqual(['built by a test builder']);
    expect(JSON.parse(stack.json).terraform.backend).toHaveProperty('s3');
  });

  it('refuses to run before the cloud’s builder is loaded, saying what to do', () => {
    const db = { ...exampleEntry('sessions').db, cloud: 'nocloud' } as never;
    expect(() => synthStack(db, context())).toThrow(/await loadBuilder\('nocloud'\)/);
  });
});

describe('backendFor', () => {
  it('puts GCP state in GCS under <prefix>/<database>', () => {
    expect(backendFor(exampleEntry('reports').db, exampleRepo().config)).toEqual({ type: 'gcs', bucket: 'acme-dbaas-tfstate-gcp', prefix: 'dbaas/reports' });
  });

  it('uses the default prefix when the config gives none', () => {
    const config = { ...exampleRepo().config, state: { aws: { bucket: 'b', region: 'eu-west-1' } } };
    expect(backendFor(exampleEntry('orders').db, config)).toMatchObject({ key: 'dbaas/orders/terraform.tfstate', lock: { useLockfile: true } });
  });

  it('is a SynthError when the cloud has no state in the config', () => {
    const config = { ...exampleRepo().config, state: {} };
    expect(() => backendFor(exampleEntry('orders').db, config)).toThrow(SynthError);
  });
});

describe('synthProblem', () => {
  it('turns a database the cloud cannot express into a located Problem and builds the rest', async () => {
    const broken = { ...exampleEntry('orders'), db: variant('orders', { backup: { schedule: '0 3 1 * 1' } }) };
    const { stacks, problems } = await synthAll([broken, exampleEntry('sessions')], context());
    expect(stacks.map((s) => s.name)).toEqual(['sessions']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'DBAAS_SYNTH_CRON', severity: 'error', field: 'backup.schedule', value: '0 3 1 * 1' });
    // The schedule comes from the prod-standard policy, so that is where the problem points.
    expect(problems[0]?.location).toMatchObject({ file: 'stacks/shared/backup-policies.yaml', line: 8 });
  });
});
