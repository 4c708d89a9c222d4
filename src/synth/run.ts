// dbaas synth as a library call: load → validate → resolve → guard → synth, each stack written to the
// output folder as it is made (output.ts: atomically, so a failure leaves the previous output whole).
// The command only parses flags and renders what this returns.
import path from 'node:path';
import { ExitCode, sortProblems, type Problem } from '../errors.js';
import { isBlocking, type Finding } from '../guard/types.js';
import { readRepoFiles } from '../load/repo.js';
import { guardFiles } from '../pipeline.js';
import type { FindingJson } from '../render/findings.js';
import type { ProblemJson } from '../render/problems.js';
import { TOOL_VERSION } from '../version.js';
import { defaultCacheDir, prepareForStacks, synthBatch } from './batch.js';
import { SynthError, synthProblem } from './index.js';
import { DEFAULT_OUT_DIR, StackOutput, type WriteResult } from './output.js';

/** The documented `dbaas synth --json` shape. */
export interface SynthJson {
  ok: boolean;
  exitCode: number;
  /** Absolute output folder; absent when nothing was written. */
  outDir?: string;
  stacks: { name: string; cloud: string; path: string; sha256: string; notes: string[] }[];
  findings: FindingJson[];
  problems: ProblemJson[];
}

export interface SynthOptions {
  readonly dir: string;
  /** Output folder. Default: `<dir>/cdktf.out`. */
  readonly out?: string;
}

/** What a synth run ends with: the stacks written, or why nothing was (invalid input, guardrail errors). */
export type SynthRun =
  | { readonly ok: true; readonly exitCode: ExitCode; readonly findings: readonly Finding[]; readonly written: WriteResult }
  | { readonly ok: false; readonly exitCode: ExitCode; readonly problems: readonly Problem[]; readonly findings: readonly Finding[] };

export async function runSynth(options: SynthOptions): Promise<SynthRun> {
  const outDir = options.out !== undefined ? path.resolve(options.out) : path.resolve(options.dir, DEFAULT_OUT_DIR);
  const files = readRepoFiles(options.dir);
  prepareForStacks(files.specs.length, defaultCacheDir(files.root)); // workers load while the main thread parses and guards
  const guarded = guardFiles(files);
  if (!guarded.ok) return { ok: false, exitCode: ExitCode.invalid, problems: guarded.problems, findings: [] };

  const findings = guarded.guard.findings;
  if (findings.some(isBlocking)) return { ok: false, exitCode: ExitCode.findings, problems: [], findings };

  // Each stack is written as it is made, so the run never holds them all (output.ts).
  const output = await StackOutput.open(outDir, { toolVersion: TOOL_VERSION });
  const entries = guarded.repo.entries;
  const problems: Problem[] = [];
  try {
    await synthBatch(
      entries.map((e) => e.db),
      { config: guarded.repo.config, toolVersion: TOOL_VERSION },
      {
        cacheDir: defaultCacheDir(guarded.repo.root),
        onResult: (i, outcome) => {
          if (outcome instanceof SynthError) return void problems.push(synthProblem(entries[i]!, outcome));
          output.add(outcome);
        },
      },
    );
  } catch (error) {
    await output.abort();
    throw error;
  }
  if (problems.length) {
    await output.abort();
    return { ok: false, exitCode: ExitCode.invalid, problems: sortProblems(problems), findings };
  }
  return { ok: true, exitCode: ExitCode.ok, findings, written: await output.commit() };
}
