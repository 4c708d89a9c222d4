// Writes synthesized stacks the way cdktf lays them out (stacks/<name>/cdk.tf.json plus a
// manifest.json), atomically: the new tree is built in a hidden sibling folder and swapped in with
// renames, so a failure at any point leaves the previous output whole.
import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import { DbaasError, ExitCode, problem } from '../errors.js';
import { CDKTF_VERSION } from './index.js';
import { stableStringify } from './json.js';
import type { SynthesizedStack } from './types.js';
import { ERR } from '../error-codes.js';

export const MANIFEST_FILE = 'manifest.json';
/**
 * Marks a folder `dbaas synth` wrote, with the manifest the only proof it may replace the folder
 * whole: a cdktf.out or any folder that merely holds a manifest.json is not ours to delete.
 */
export const MARKER_FILE = '.dbaas-synth-output';
export const MARKER_TEXT = 'dbaas synth output, format 1. dbaas synth replaces this folder as a whole: keep nothing else here.\n';
export const DEFAULT_OUT_DIR = 'cdktf.out';

export interface WrittenStack {
  readonly name: string;
  readonly cloud: SynthesizedStack['cloud'];
  /** Relative to the output folder, with forward slashes. */
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
  /** What the reviewer must know or do outside the stack. */
  readonly notes: readonly string[];
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

/** What the manifest records of each stack. */
export type ManifestEntry = Pick<SynthesizedStack, 'name' | 'cloud' | 'notes'> & { readonly sha256: string };

/** The manifest: cdktf's shape (so cdktf-aware tools find the stacks) plus each stack's hash and notes. */
export function renderManifest(stacks: readonly ManifestEntry[], toolVersion: string): string {
  const entries = [...stacks]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((s): [string, unknown] => [
      s.name,
      {
        name: s.name,
        cloud: s.cloud,
        constructPath: s.name,
        workingDirectory: `stacks/${s.name}`,
        synthesizedStackPath: `stacks/${s.name}/cdk.tf.json`,
        sha256: s.sha256,
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

/** The names of the stacks a manifest lists, or why it is not one `dbaas synth` writes. */
function manifestStacks(text: string): string[] | string {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    return `its ${MANIFEST_FILE} is not JSON`;
  }
  const m = manifest as { dbaasVersion?: unknown; stacks?: unknown };
  if (typeof m !== 'object' || m === null || typeof m.dbaasVersion !== 'string' || typeof m.stacks !== 'object' || m.stacks === null)
    return `its ${MANIFEST_FILE} is not a dbaas synth manifest`;
  const names = Object.keys(m.stacks);
  for (const name of names) {
    const entry = (m.stacks as Record<string, { synthesizedStackPath?: unknown }>)[name];
    if (entry?.synthesizedStackPath !== `stacks/${name}/cdk.tf.json`)
      return `its ${MANIFEST_FILE} is not a dbaas synth manifest (stack ${JSON.stringify(name)})`;
  }
  return names;
}

/**
 * Refuses to replace a folder that `dbaas synth` did not write: only a new or empty folder, or one
 * holding exactly an earlier output (marker, manifest, stacks/<name> for each stack the manifest
 * lists) may be replaced, since replacing deletes everything in it. `--out .` must not eat a repo.
 */
async function checkReplaceable(outDir: string): Promise<boolean> {
  let info;
  try {
    info = await lstat(outDir);
  } catch {
    return false;
  }
  const refuse = (why: string) =>
    new DbaasError(
      [
        problem({
          code: ERR.OUT_DIR,
          message: `refusing to replace ${outDir}: ${why}`,
          value: outDir,
          expected: 'a new or empty folder, or one an earlier `dbaas synth` wrote',
        }),
      ],
      ExitCode.invalid,
    );
  if (info.isSymbolicLink()) throw refuse('it is a symbolic link');
  if (!info.isDirectory()) throw refuse('it is a file');
  const entries = await readdir(outDir);
  if (entries.length === 0) return true;
  if (!entries.includes(MARKER_FILE)) throw refuse(`it is not empty and dbaas synth did not write it (no ${MARKER_FILE})`);
  const marker = await readFile(path.join(outDir, MARKER_FILE), 'utf8').catch(() => undefined);
  if (marker !== MARKER_TEXT) throw refuse(`its ${MARKER_FILE} is not one dbaas synth writes`);
  const manifest = await readFile(path.join(outDir, MANIFEST_FILE), 'utf8').catch(() => undefined);
  if (manifest === undefined) throw refuse(`it has no readable ${MANIFEST_FILE}`);
  const names = manifestStacks(manifest);
  if (typeof names === 'string') throw refuse(names);
  const extra = entries.filter((e) => e !== MARKER_FILE && e !== MANIFEST_FILE && e !== 'stacks');
  if (extra.length) throw refuse(`it holds ${extra.sort().join(', ')}, which dbaas synth did not write`);
  if (entries.includes('stacks')) {
    const listed = new Set(names);
    const unknown = (await readdir(path.join(outDir, 'stacks'))).filter((e) => !listed.has(e));
    if (unknown.length) throw refuse(`stacks/ holds ${unknown.sort().join(', ')}, which its ${MANIFEST_FILE} does not list`);
  }
  return true;
}

/**
 * An output folder being written: each stack goes into a hidden staging folder as soon as it is
 * added (at most WRITE_BATCH writes at once), so a run never holds every stack's JSON (hundreds of MB
 * for 10,000 stacks: bench/README.md); commit() adds the manifest and swaps the folder in; abort() leaves the previous
 * output as it was.
 */
export class StackOutput {
  private readonly names = new Set<string>();
  private readonly written: WrittenStack[] = [];
  private readonly limit = pLimit(WRITE_BATCH);
  private readonly pending: Promise<void>[] = [];
  private failure: unknown;

  private constructor(
    private readonly target: string,
    private readonly staging: string,
    private readonly hadPrevious: boolean,
    private readonly options: WriteOptions,
  ) {}

  /** Checks `outDir` may be replaced (a new or empty folder, or an earlier synth output: checkReplaceable) and starts staging. */
  static async open(outDir: string, options: WriteOptions): Promise<StackOutput> {
    const target = path.resolve(outDir);
    const hadPrevious = await checkReplaceable(target);
    await mkdir(path.dirname(target), { recursive: true });
    const staging = await mkdtemp(path.join(path.dirname(target), `.${path.basename(target)}.new-`));
    return new StackOutput(target, staging, hadPrevious, options);
  }

  add(stack: SynthesizedStack): void {
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(stack.name) || this.names.has(stack.name))
      throw new Error(`bad or duplicate stack name ${JSON.stringify(stack.name)}`);
    this.names.add(stack.name);
    const write = this.limit(async () => {
      if (this.failure) return;
      const rel = `stacks/${stack.name}/cdk.tf.json`;
      await mkdir(path.join(this.staging, 'stacks', stack.name), { recursive: true });
      await writeFile(path.join(this.staging, rel), stack.json, 'utf8');
      await this.options.afterFile?.(rel);
      this.written.push({
        name: stack.name,
        cloud: stack.cloud,
        path: rel,
        bytes: Buffer.byteLength(stack.json),
        sha256: sha256(stack.json),
        notes: stack.notes,
      });
    });
    this.pending.push(write.catch((error: unknown) => void (this.failure ??= error)));
  }

  async commit(): Promise<WriteResult> {
    try {
      await Promise.all(this.pending);
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows the write error as it was caught
      if (this.failure) throw this.failure;
      await writeFile(path.join(this.staging, MANIFEST_FILE), renderManifest(this.written, this.options.toolVersion), 'utf8');
      await writeFile(path.join(this.staging, MARKER_FILE), MARKER_TEXT, 'utf8');
      await this.options.afterFile?.(MANIFEST_FILE);
    } catch (error) {
      await this.abort();
      throw error;
    }
    return this.swap();
  }

  /** Drops the staging folder (once nothing still writes into it); the previous output is untouched. */
  async abort(): Promise<void> {
    this.failure ??= new Error('aborted');
    await Promise.all(this.pending);
    await rm(this.staging, { recursive: true, force: true });
  }

  // Swap: previous → aside, staging → target, then drop the previous. Renames within one folder
  // are atomic; if the second fails the previous output moves back.
  private async swap(): Promise<WriteResult> {
    const { target, staging } = this;
    const parent = path.dirname(target);
    let aside: string | undefined;
    try {
      if (this.hadPrevious && (await exists(target))) {
        aside = path.join(parent, `.${path.basename(target)}.old-${path.basename(staging).slice(-6)}`);
        await rename(target, aside);
      }
      await rename(staging, target);
    } catch (error) {
      if (aside && !(await exists(target))) await rename(aside, target);
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
    if (aside) await rm(aside, { recursive: true, force: true });
    const stacks = [...this.written].sort((a, b) => (a.name < b.name ? -1 : 1));
    return { outDir: target, stacks, replaced: aside !== undefined };
  }
}

/** Writes `stacks` as the whole content of `outDir`, atomically (see StackOutput). */
export async function writeStacks(outDir: string, stacks: readonly SynthesizedStack[], options: WriteOptions): Promise<WriteResult> {
  const output = await StackOutput.open(outDir, options);
  try {
    for (const stack of stacks) output.add(stack);
  } catch (error) {
    await output.abort();
    throw error;
  }
  return output.commit();
}
