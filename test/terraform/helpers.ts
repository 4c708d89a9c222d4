import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openOfflineTerraform, type OfflineTerraform } from '../../src/terraform/index.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/terraform/', import.meta.url));

const dirs: string[] = [];

export async function makeTmp(prefix = 'dbaas-tf-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

export async function cleanupTmp(): Promise<void> {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

/** Copies a fixture stack to a fresh temp dir so .terraform/ never lands in the repo. */
export async function copyFixture(name: string): Promise<string> {
  const dir = path.join(await makeTmp(), name);
  await cp(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

/** Real terraform + mirror, or a visible reason why the integration tests skip. */
export async function openForTests(): Promise<{ tf: OfflineTerraform; label: string }> {
  const configDir = await makeTmp('dbaas-tf-config-');
  const tf = await openOfflineTerraform({ configDir, timeoutMs: 180_000 });
  if (!tf.ok) console.log(`skipped: ${tf.reason}`);
  return { tf, label: tf.ok ? '' : ` (skipped: ${tf.reason})` };
}
