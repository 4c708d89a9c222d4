import { ERR } from '../../error-codes.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { BaseCommand, EXIT_CODES_HELP } from '../../cli/base.js';
import { writePlanOutputs } from '../../cli/plan-output.js';
import { DbaasError, ExitCode, problem, type Problem } from '../../errors.js';
import { mergeShardReports, type ShardFile } from '../../plan/merge.js';
import type { PlanReport } from '../../plan/types.js';
import { formatsFor } from '../../render/formats.js';

export default class PlanMerge extends BaseCommand {
  static override summary = 'Combine the JSON reports of a sharded plan (plan --shard K/N) into one report.';
  static override description =
    `Reads the JSON report of every shard of one plan run and renders the report an unsharded run of the ` +
    `same change gives, in any format. Refuses (exit 2, one line each) shards of different commits, ` +
    `bases, dbaas versions or shard counts, the same shard twice, and names the shards that are missing. ` +
    `The exit code follows the merged report.\n\n${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> plan merge shards/*/plan.json --format markdown --out plan.md',
    '<%= config.bin %> plan merge shard-1.json shard-2.json --save-json plan.json --save-sarif plan.sarif',
  ];
  static override strict = false;
  static override args = {
    file: Args.string({ description: 'Shard reports (JSON), one per shard.', required: true }),
  };
  static override flags = {
    format: Flags.string({ description: 'Output format.', options: formatsFor('plan'), default: 'text' }),
    out: Flags.file({ description: 'Write the output to this file (atomically) instead of stdout.' }),
    'save-markdown': Flags.file({ description: 'Also write the PR comment (markdown) to this file, from the same merge.' }),
    'save-json': Flags.file({ description: 'Also write the merged JSON report to this file.' }),
    'save-sarif': Flags.file({ description: 'Also write SARIF 2.1.0 to this file, from the same merge.' }),
  };

  async run(): Promise<PlanReport | Omit<PlanReport, 'stacks'>> {
    const { argv, flags } = await this.parse(PlanMerge);
    const problems: Problem[] = [];
    const files: ShardFile[] = [];
    for (const file of argv as string[]) {
      let text: Buffer;
      try {
        // Bytes, not a string: the merge copies the stacks without decoding them.
        text = readFileSync(resolve(file));
      } catch (error) {
        problems.push(
          problem({
            code: ERR.UNREADABLE,
            field: 'FILE',
            value: file,
            message: `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}); expected a shard's JSON report`,
          }),
        );
        continue;
      }
      files.push({ file, text });
    }
    if (problems.length) throw new DbaasError(problems, ExitCode.invalid);
    // The stacks stay JSON text unless a format needs them parsed (src/plan/merge.ts).
    const merged = mergeShardReports(files);
    writePlanOutputs(merged, flags, {
      printing: !this.jsonEnabled(),
      stdout: (text, kind) => this.writeStdout(text, kind),
      ...(this.inGithubActions ? { annotate: (command: string) => this.annotate(command, 'stderr') } : {}),
    });
    process.exitCode = merged.summary.exitCode;
    // Under --json oclif prints the returned report; otherwise it is not read, so not built.
    return this.jsonEnabled() ? merged.report() : merged.summary;
  }
}
