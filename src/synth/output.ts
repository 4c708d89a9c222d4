// Writes synthesized stacks the way cdktf lays them out (stacks/<name>/cdk.tf.json plus a
// manifest.json), atomically: the new tree is built in a hidden sibling folder and swapped in with
// renames, so a failure at any point leaves the previous output whole.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DbaasError, ExitCode, problem } from '../errors.js';
import { CDKTF_VERSION } from './index.js';
import { stableStringify } from './json.js';
import type { SynthesizedStack } from './types.js';

export const MANIFEST_FILE = 'manifest.json';
export const DEFAULT_OUT_DIR = 'cdktf.out';

export interface WrittenStack {
  readonly name: string;
  readonly cloud: SynthesizedStack['cloud'];
  /** Relative to the output folder, with forward slashes. */
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface WriteResult {
  /** Absolute output folder. */
  readonly outDir: string;
  readonly stacks: readonly WrittenStack[];
  /** Whether an earlier output was replaced. */
  readonly replaced: boolean;
}

export interface WriteOptions {
  /** Recorded in the manifest. */
  readonly toolVersion: string;
  /** Called after each file lands in the staging folder; a throw aborts the write (tests use it). */
  readonly afterFile?: (relativePath: string) => void | Promise<void>;
}

const WRITE_BATCH = 32;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The manifest: cdktf's shape (so cdktf-aware tools find the stacks) plus each stack's hash and notes. */
export function renderManifest(stacks: readonly SynthesizedStack[], toolVersion: string): string {
  const entries = [...stacks]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((s) => [
      s.name,
      {
        name: s.name,
        cloud: s.cloud,
        constructPath: s.name,
        workingDirectory: `stacks/${s.name}`,
        synthesizedStackPath: `stacks/${s.name}/cdk.tf.json`,
        sha256: sha256(s.json),
        annotations: [],
        dependencies: [],
        ...(s.notes.length ? { notes: s.notes } : {}),
      },
    ]);
  return stableStringify({ version: CDKTF_VERSION, dbaasVersion: toolVersion, stacks: Object.fromEntries(entries) });
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/** Refuses to replace a folder that is not an earlier synth output: --out . must not eat a repo. */
async function checkReplaceable(outDir: string): Promise<boolean> {
  let info;
  try {
    info = await stat(outDir);
  } catch {
    return false;
  }
  const refuse = (why: string) =>
    new DbaasError(
      [problem({ code: 'DBAAS_OUT_DIR', message: `refusing to replace ${outDir}: ${why}`, value: outDir, expected: 'a new folder or an earlier `dbaas synth` output' })],
      ExitCode.invalid,
    );
  if (!info.isDirectory()) throw refuse('it is a file');
  const entries = await readdir(outDir);
  if (entries.length > 0 && !entries.includes(MANIFEST_FILE)) throw refuse(`it is not empty and has no ${MANIFEST_FILE}`);
  return true;
}

export async function writeStacks(outDir: string, stacks: readonly SynthesizedStack[], options: WriteOptions): Promise<WriteResult> {
  const target = path.resolve(outDir);
  const parent = path.dirname(target);
  const base = path.basename(target);
  const names = new Set<string>();
  for (const s of stacks) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(s.name) || names.has(s.name)) throw new Error(`bad or duplicate stack name ${JSON.stringify(s.name)}`);
    names.add(s.name);
  }
  const hadPrevious = await checkReplaceable(target);
  await mkdir(parent, { recursive: true });

  const staging = await mkdtemp(path.join(parent, `.${base}.new-`));
  const written: WrittenStack[] = [];
  try {
    const sorted = [...stacks].sort((a, b) => (a.name < b.name ? -1 : 1));
    for (let i = 0; i < sorted.length; i += WRITE_BATCH) {
      // allSettled: nothing may still be writing into staging when a failure removes it.
      const results = await Promise.allSettled(
        sorted.slice(i, i + WRITE_BATCH).map(async (s) => {
          const rel = `stacks/${s.name}/cdk.tf.json`;
          await mkdir(path.join(staging, 'stacks', s.name), { recursive: true });
          await writeFile(path.join(staging, rel), s.json, 'utf8');
          await options.afterFile?.(rel);
          written.push({ name: s.name, cloud: s.cloud, path: rel, bytes: Buffer.byteLength(s.json), sha256: sha256(s.json) });
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
    await writeFile(path.join(staging, MANIFEST_FILE), renderManifest(stacks, options.toolVersion), 'utf8');
    await options.afterFile?.(MANIFEST_FILE);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }

  // Swap: previous → aside, staging → target, then drop the previous. Renames within one folder
  // are atomic; if the second fails the previous output moves back.
  let aside: string | undefined;
  try {
    if (hadPrevious && (await exists(target))) {
      aside = path.join(parent, `.${base}.old-${path.basename(staging).slice(-6)}`);
      await rename(target, aside);
    }
    await rename(staging, target);
  } catch (error) {
    if (aside && !(await exists(target))) await rename(aside, target);
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  if (aside) await rm(aside, { recursive: true, force: true });
  written.sort((a, b) => (a.name < b.name ? -1 : 1));
  return { outDir: target, stacks: written, replaced: aside !== undefined };
}
