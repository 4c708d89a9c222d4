import { Args, Flags } from '@oclif/core';
import { relative, resolve } from 'node:path';
import { BaseCommand, EXIT_CODES_HELP } from '../cli/base.js';
import { ExitCode, formatProblem, problem } from '../errors.js';
import { problemToJson, type ProblemJson } from '../render/problems.js';
import { scaffold, type ScaffoldResult } from '../scaffold/index.js';

/** The documented `dbaas init --json` shape. Paths are relative to `dir`, with forward slashes. */
export interface InitJson {
  ok: boolean;
  exitCode: number;
  /** The scaffolded folder, absolute. */
  dir: string;
  created: string[];
  /** Replaced because of --force. */
  overwritten: string[];
  /** Already there with the same content; left alone. */
  unchanged: string[];
  problems: ProblemJson[];
}

export default class Init extends BaseCommand {
  static override summary = 'Scaffold a new infra repo: config, an example stack, the plan and apply workflows, CODEOWNERS.';
  static override description = `Writes dbaas.config.yaml, stacks/example-team/example.yaml, .github/workflows/dbaas-plan.yml, dbaas-apply.yml and dbaas-drift.yml, .github/CODEOWNERS, package.json, README.md and .gitignore into DIR (created when missing). The result passes dbaas validate as it is.

Never overwrites a file: when one exists with other content, nothing at all is written and the command exits 2, unless --force is given. Files that already have the template's content are left alone, so running init twice is harmless. Each file is written atomically.

${EXIT_CODES_HELP}`;
  static override examples = ['<%= config.bin %> init ../infra', '<%= config.bin %> init --force --json'];
  static override args = {
    dir: Args.string({ description: 'Folder to scaffold. Default: --dir, which defaults to the current folder.', required: false }),
  };
  static override flags = {
    force: Flags.boolean({ description: 'Replace files that exist with other content.', default: false }),
  };

  async run(): Promise<InitJson> {
    const { args, flags } = await this.parse(Init);
    // DIR and --dir name the same thing; both given and different is a mistake, not a choice.
    if (args.dir !== undefined && resolve(flags.dir) !== process.cwd() && resolve(args.dir) !== resolve(flags.dir)) {
      const usage = problem({ code: 'DBAAS_USAGE', message: `got DIR ${args.dir} and --dir ${flags.dir}; expected one folder` });
      return this.finish({ ok: false, dir: resolve(args.dir), created: [], overwritten: [], unchanged: [], problems: [usage] });
    }
    return this.finish(scaffold({ dir: args.dir ?? flags.dir, force: flags.force }));
  }

  private finish(result: ScaffoldResult): InitJson {
    const exitCode = result.ok ? ExitCode.ok : ExitCode.invalid;
    if (!this.jsonEnabled()) {
      for (const p of result.problems) this.log(formatProblem(p));
      for (const path of result.created) this.log(`created      ${path}`);
      for (const path of result.overwritten) this.log(`overwritten  ${path}`);
      const rel = relative(process.cwd(), result.dir);
      const shown = rel === '' ? '.' : rel.startsWith('..') ? result.dir : rel;
      const written = result.created.length + result.overwritten.length;
      if (result.ok && written === 0) {
        this.log(`✓ nothing to do: all ${result.unchanged.length} files in ${shown} are up to date`);
      } else if (result.ok) {
        const same = result.unchanged.length ? ` (${result.unchanged.length} already up to date)` : '';
        this.log(`✓ ${plural(written, 'file')} written in ${shown}${same}`);
        const cd = shown === '.' ? '' : `cd ${shown} && `;
        this.log(`  next: ${cd}npm install && npx dbaas validate; README.md says how to set up the workflows`);
      } else if (written === 0) {
        this.log(`✗ nothing was written to ${shown}`);
      } else {
        this.log(`✗ stopped in ${shown}: the files above were written, the rest were not`);
      }
    }
    process.exitCode = exitCode;
    return {
      ok: result.ok,
      exitCode,
      dir: result.dir,
      created: result.created,
      overwritten: result.overwritten,
      unchanged: result.unchanged,
      problems: result.problems.map(problemToJson),
    };
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
