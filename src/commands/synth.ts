import path from 'node:path';
import { Flags } from '@oclif/core';
import { BaseCommand, EXIT_CODES_HELP } from '../cli/base.js';
import { ExitCode, formatProblem, sortProblems, type Problem } from '../errors.js';
import { findingToJson, formatFinding, type FindingJson } from '../render/findings.js';
import { isBlocking, type Finding } from '../guard/types.js';
import { readRepoFiles } from '../load/repo.js';
import { guardFiles } from '../pipeline.js';
import { annotation, findingAnnotation } from '../render/annotations.js';
import { problemToJson, type ProblemJson } from '../render/problems.js';
import { defaultCacheDir, prepareForStacks, synthBatch } from '../synth/batch.js';
import { SynthError, synthProblem } from '../synth/index.js';
import { DEFAULT_OUT_DIR, MARKER_FILE, StackOutput } from '../synth/output.js';
import { TOOL_VERSION } from '../version.js';

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

export default class Synth extends BaseCommand {
  static override summary = 'Turn every database into a Terraform stack (cdk.tf.json), one folder per database.';
  static override description =
    `Runs load → validate → resolve → guard → synth and writes stacks/<name>/cdk.tf.json and ` +
    `manifest.json under --out, replacing the previous output in one step: a failure leaves the earlier ` +
    `output as it was. The same input always gives byte-identical files. Nothing is written when a spec ` +
    `is invalid (exit 2) or a guardrail error is not waived (exit 1).\n\n${EXIT_CODES_HELP}`;
  static override examples = ['<%= config.bin %> synth', '<%= config.bin %> synth --dir ../infra --out /tmp/stacks --json'];

  static override flags = {
    out: Flags.string({
      char: 'o',
      description:
        `Output folder: new, empty, or an earlier dbaas synth output (it holds ${MARKER_FILE}); anything ` +
        `else is refused. Default: ${DEFAULT_OUT_DIR}/ inside --dir.`,
    }),
  };

  async run(): Promise<SynthJson> {
    const { flags } = await this.parse(Synth);
    const outDir = flags.out !== undefined ? path.resolve(flags.out) : path.resolve(flags.dir, DEFAULT_OUT_DIR);
    const files = readRepoFiles(flags.dir);
    prepareForStacks(files.specs.length, defaultCacheDir(files.root)); // workers load while the main thread parses and guards
    const guarded = guardFiles(files);
    if (!guarded.ok) return this.refuse(ExitCode.invalid, guarded.problems, []);

    const findings = guarded.guard.findings;
    if (findings.some(isBlocking)) return this.refuse(ExitCode.findings, [], findings.map(findingToJson), findings);

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
      return this.refuse(ExitCode.invalid, sortProblems(problems), findings.map(findingToJson), findings);
    }
    const written = await output.commit();
    if (!this.jsonEnabled()) {
      for (const f of findings) for (const line of formatFinding(f)) this.log(line);
      for (const s of written.stacks) for (const note of s.notes) this.log(`note ${s.name}: ${note}`);
      this.log(`✓ ${written.stacks.length} stacks written to ${path.relative(process.cwd(), written.outDir) || '.'}`);
    }
    process.exitCode = ExitCode.ok;
    return {
      ok: true,
      exitCode: ExitCode.ok,
      outDir: written.outDir,
      stacks: written.stacks.map((s) => ({ name: s.name, cloud: s.cloud, path: s.path, sha256: s.sha256, notes: [...s.notes] })),
      findings: findings.map(findingToJson),
      problems: [],
    };
  }

  private refuse(exitCode: ExitCode, problems: readonly Problem[], findingsJson: FindingJson[], findings: readonly Finding[] = []): SynthJson {
    if (!this.jsonEnabled()) {
      for (const p of problems) this.log(formatProblem(p));
      for (const f of findings) for (const line of formatFinding(f)) this.log(line);
      if (this.inGithubActions) {
        for (const p of problems) this.annotate(annotation(p));
        for (const f of findings) this.annotate(findingAnnotation(f));
      }
      const errors = problems.filter((p) => p.severity === 'error').length + findings.filter(isBlocking).length;
      this.log(`✗ ${errors} ${exitCode === ExitCode.findings ? 'guardrail errors' : 'problems'}; nothing was written`);
    }
    process.exitCode = exitCode;
    return { ok: false, exitCode, stacks: [], findings: findingsJson, problems: problems.map(problemToJson) };
  }
}
