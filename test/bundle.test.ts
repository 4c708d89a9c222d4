// The CLI runs the esbuild bundle in dist/bundle/ (scripts/bundle.mjs), built by `npm test` first.
// The outputs of every command are tested through bin/run.js elsewhere; this checks what only the
// bundle can get wrong: where oclif and the synth pool look for its files, and that a bundled worker
// builds what the compiled code builds.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { BatchMessage, WireOutcome, WorkerMessage } from '../src/synth/pool.js';
import { loadBuilder, synthStack } from '../src/synth/index.js';
import { REPO_ROOT } from './helpers/repo.js';
import { context, exampleRepo } from './synth/helpers.js';

const BUNDLE = join(REPO_ROOT, 'dist', 'bundle');

describe('the CLI bundle', () => {
  it('is what oclif runs: every command in the manifest is an entry of the bundle', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { oclif: { commands: string; hooks: Record<string, string> } };
    expect(pkg.oclif.commands).toBe('./dist/bundle/commands');
    for (const hook of Object.values(pkg.oclif.hooks)) expect(existsSync(join(REPO_ROOT, hook)), hook).toBe(true);
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'oclif.manifest.json'), 'utf8')) as { commands: Record<string, { relativePath: string[] }> };
    const ids = Object.keys(manifest.commands);
    expect(ids).toEqual(expect.arrayContaining(['plan', 'plan:merge', 'apply', 'validate', 'synth']));
    for (const id of ids) {
      const path = manifest.commands[id]!.relativePath;
      expect(path.slice(0, 3), id).toEqual(['dist', 'bundle', 'commands']);
      expect(existsSync(join(REPO_ROOT, ...path)), id).toBe(true);
    }
  });

  it('has a synth worker that builds every example stack byte for byte as the compiled code does', async () => {
    const ctx = context();
    const dbs = exampleRepo().entries.map((e) => e.db);
    const worker = new Worker(join(BUNDLE, 'worker.js'));
    try {
      const outcomes = await new Promise<WireOutcome[]>((resolve, reject) => {
        worker.on('error', reject);
        worker.on('message', (message: WorkerMessage) => {
          if (message.type === 'ready') worker.postMessage({ job: 1, start: 0, ctx, dbs } satisfies BatchMessage);
          else resolve(message.outcomes);
        });
      });
      expect(outcomes).toHaveLength(dbs.length);
      for (const [i, db] of dbs.entries()) {
        const outcome = outcomes[i]!;
        expect(outcome.ok, db.name).toBe(true);
        const local = synthStack(db, ctx, await loadBuilder(db.cloud));
        if (outcome.ok) expect(outcome.stack, db.name).toEqual(local);
      }
    } finally {
      await worker.terminate();
    }
  });
});
