import path from 'node:path';
import { Flags } from '@oclif/core';
import { BaseCommand, EXIT_CODES_HELP } from '../cli/base.js';
import { ExitCode, formatProblem, type Problem } from '../errors.js';
import { isBlocking, type Finding } from '../guard/types.js';
import { annotation, findingAnnotation } from '../render/annotations.js';
import { findingToJson, formatFinding } from '../render/findings.js';
import { problemToJson } from '../render/problems.js';
import { DEFAULT_OUT_DIR, MARKER_FILE } from '../synth/output.js';
import { runSynth, type SynthJson } from '../synth/run.js';

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
    const run = await runSynth({ dir: flags.dir, ...(flags.out !== undefined ? { out: flags.out } : {}) });
    process.exitCode = run.exitCode;
    if (!run.ok) {
      this.printRefusal(run.exitCode, run.problems, run.findings);
      return { ok: false, exitCode: run.exitCode, stacks: [], findings: run.findings.map(findingToJson), problems: run.problems.map(problemToJson) };
    }
    const { written, findings } = run;
    if (!this.jsonEnabled()) {
      for (const f of findings) for (const line of formatFinding(f)) this.log(line);
      for (const s of written.stacks) for (const note of s.notes) this.log(`note ${s.name}: ${note}`);
      this.log(`✓ ${written.stacks.length} stacks written to ${path.relative(process.cwd(), written.outDir) || '.'}`);
    }
    return {
      ok: true,
      exitCode: run.exitCode,
      outDir: written.outDir,
      stacks: written.stacks.map((s) => ({ name: s.name, cloud: s.cloud, path: s.path, sha256: s.sha256, notes: [...s.notes] })),
      findings: findings.map(findingToJson),
      problems: [],
    };
  }

  private printRefusal(exitCode: number, problems: readonly Problem[], findings: readonly Finding[]): void {
    if (this.jsonEnabled()) return;
    for (const p of problems) this.log(formatProblem(p));
    for (const f of findings) for (const line of formatFinding(f)) this.log(line);
    if (this.inGithubActions) {
      for (const p of problems) this.annotate(annotation(p));
      for (const f of findings) this.annotate(findingAnnotation(f));
    }
    const errors = problems.filter((p) => p.severity === 'error').length + findings.filter(isBlocking).length;
    this.log(`✗ ${errors} ${exitCode === ExitCode.findings ? 'guardrail errors' : 'problems'}; nothing was written`);
  }
}
