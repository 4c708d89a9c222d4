import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DbaasError } from '../../src/errors.js';
import { MANIFEST_FILE, MARKER_FILE, MARKER_TEXT, writeStacks } from '../../src/synth/output.js';
import type { SynthesizedStack } from '../../src/synth/types.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function tempParent(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dbaas-synth-out-'));
  made.push(dir);
  return dir;
}

const stack = (name: string, body: string, notes: string[] = []): SynthesizedStack => ({
  name,
  cloud: 'aws',
  json: `{"name":"${name}","v":"${body}"}\n`,
  notes,
  addresses: [],
});

/** Every file under dir, relative, with its content. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else out[child] = readFileSync(path.join(dir, child), 'utf8');
    }
  };
  walk('');
  return out;
}

describe('writeStacks', () => {
  it('lays stacks out like cdktf with a manifest', async () => {
    const out = path.join(tempParent(), 'cdktf.out');
    const result = await writeStacks(out, [stack('orders', '1', ['a note']), stack('carts', '1')], { toolVersion: '1.2.3' });
    expect(result).toMatchObject({ outDir: out, replaced: false });
    expect(result.stacks.map((s) => s.path)).toEqual(['stacks/carts/cdk.tf.json', 'stacks/orders/cdk.tf.json']);
    const files = tree(out);
    expect(Object.keys(files).sort()).toEqual([MARKER_FILE, MANIFEST_FILE, 'stacks/carts/cdk.tf.json', 'stacks/orders/cdk.tf.json']);
    expect(files['stacks/orders/cdk.tf.json']).toBe(stack('orders', '1').json);
    const manifest = JSON.parse(files[MANIFEST_FILE]!);
    expect(manifest).toMatchObject({ dbaasVersion: '1.2.3', version: '0.21.0' });
    expect(manifest.stacks.orders).toMatchObject({
      name: 'orders',
      workingDirectory: 'stacks/orders',
      synthesizedStackPath: 'stacks/orders/cdk.tf.json',
      sha256: result.stacks.find((s) => s.name === 'orders')?.sha256,
      notes: ['a note'],
    });
  });

  it('replaces an earlier output completely (a removed database leaves no stale stack)', async () => {
    const parent = tempParent();
    const out = path.join(parent, 'cdktf.out');
    await writeStacks(out, [stack('orders', '1'), stack('gone', '1')], { toolVersion: '1' });
    const result = await writeStacks(out, [stack('orders', '2')], { toolVersion: '1' });
    expect(result.replaced).toBe(true);
    expect(Object.keys(tree(out)).sort()).toEqual([MARKER_FILE, MANIFEST_FILE, 'stacks/orders/cdk.tf.json']);
    expect(readdirSync(parent)).toEqual(['cdktf.out']);
  });

  it('leaves the previous output whole when writing fails half-way, and cleans up after itself', async () => {
    const parent = tempParent();
    const out = path.join(parent, 'cdktf.out');
    const many = Array.from({ length: 40 }, (_, i) => stack(`db-${String(i).padStart(2, '0')}`, 'old'));
    await writeStacks(out, many, { toolVersion: '1' });
    const before = tree(out);

    let written = 0;
    const failing = writeStacks(
      out,
      many.map((s) => stack(s.name, 'new')),
      {
        toolVersion: '1',
        afterFile: () => {
          if (++written === 20) throw new Error('disk full (simulated)');
        },
      },
    );
    await expect(failing).rejects.toThrow('disk full (simulated)');
    expect(written).toBeGreaterThanOrEqual(20);
    expect(tree(out)).toEqual(before);
    expect(readdirSync(parent)).toEqual(['cdktf.out']);
  });

  it('refuses to replace a folder that is not a synth output', async () => {
    const parent = tempParent();
    const precious = path.join(parent, 'infra');
    mkdirSync(precious);
    writeFileSync(path.join(precious, 'dbaas.config.yaml'), 'keep me');
    await expect(writeStacks(precious, [stack('orders', '1')], { toolVersion: '1' })).rejects.toBeInstanceOf(DbaasError);
    expect(readFileSync(path.join(precious, 'dbaas.config.yaml'), 'utf8')).toBe('keep me');
    expect(readdirSync(parent)).toEqual(['infra']);
  });

  it('writes its marker, and replaces a folder with that marker and its own manifest', async () => {
    const out = path.join(tempParent(), 'cdktf.out');
    await writeStacks(out, [stack('orders', '1')], { toolVersion: '1' });
    expect(readFileSync(path.join(out, MARKER_FILE), 'utf8')).toBe(MARKER_TEXT);
    const result = await writeStacks(out, [stack('orders', '2')], { toolVersion: '1' });
    expect(result.replaced).toBe(true);
  });

  /** An earlier output of ours, then `change` applied to it. */
  async function tampered(change: (out: string) => void): Promise<{ out: string; before: Record<string, string> }> {
    const out = path.join(tempParent(), 'cdktf.out');
    await writeStacks(out, [stack('orders', '1')], { toolVersion: '1' });
    change(out);
    return { out, before: tree(out) };
  }

  it.each<[string, (out: string) => void, RegExp]>([
    [
      'holds a manifest.json but no marker (any cdktf.out)',
      (out) => rmSync(path.join(out, MARKER_FILE)),
      /not empty and dbaas synth did not write it \(no \.dbaas-synth-output\)/,
    ],
    ['has a marker with other text', (out) => writeFileSync(path.join(out, MARKER_FILE), 'mine\n'), /\.dbaas-synth-output is not one dbaas synth writes/],
    [
      'has a manifest that is not ours',
      (out) => writeFileSync(path.join(out, MANIFEST_FILE), '{"version":"0.21.0","stacks":{}}'),
      /manifest\.json is not a dbaas synth manifest/,
    ],
    ['has a manifest that is not JSON', (out) => writeFileSync(path.join(out, MANIFEST_FILE), 'x'), /manifest\.json is not JSON/],
    ['holds a file synth did not write', (out) => writeFileSync(path.join(out, 'notes.txt'), 'keep me'), /holds notes\.txt, which dbaas synth did not write/],
    [
      'holds a stack folder the manifest does not list',
      (out) => mkdirSync(path.join(out, 'stacks', 'other')),
      /stacks\/ holds other, which its manifest\.json does not list/,
    ],
  ])('refuses a folder that %s, and leaves it as it was', async (_, change, reason) => {
    const { out, before } = await tampered(change);
    const attempt = writeStacks(out, [stack('orders', '2')], { toolVersion: '1' });
    await expect(attempt).rejects.toBeInstanceOf(DbaasError);
    await expect(attempt).rejects.toThrow(reason);
    expect(tree(out)).toEqual(before);
    expect(readdirSync(path.dirname(out))).toEqual(['cdktf.out']);
  });

  it('writes into an empty existing folder', async () => {
    const out = path.join(tempParent(), 'empty');
    mkdirSync(out);
    await writeStacks(out, [stack('orders', '1')], { toolVersion: '1' });
    expect(Object.keys(tree(out)).sort()).toEqual([MARKER_FILE, MANIFEST_FILE, 'stacks/orders/cdk.tf.json']);
  });

  it('rejects a stack name that would escape the output folder', async () => {
    const out = path.join(tempParent(), 'cdktf.out');
    await expect(writeStacks(out, [stack('../evil', '1')], { toolVersion: '1' })).rejects.toThrow(/bad or duplicate stack name/);
  });
});
