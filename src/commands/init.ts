import { Args, Flags } from '@oclif/core';
import { relative, resolve } from 'node:path';
import { BaseCommand, EXIT_CODES_HELP } from '../cli/base.js';
import { ExitCode, formatProblem, problem } from '../errors.js';
import { problemToJson, type ProblemJson } from '../render/problems.js';
import { dbaasVersion, scaffold, type ScaffoldResult } from '../scaffold/index.js';
import { dependencyFor, parseSource, vendor } from '../scaffold/pack.js';
import { ERR } from '../error-codes.js';

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
  /** What package.json's devDependencies.dbaas says (file:vendor/dbaas-<version>.tgz, a path or a git URL). */
  dependency?: string;
  problems: ProblemJson[];
}

export default class Init extends BaseCommand {
  static override summary = 'Scaffold a new infra repo: config, an example stack, the plan and apply workflows, CODEOWNERS.';
  static override description =
    `Writes dbaas.config.yaml, stacks/example-team/example.yaml, .github/workflows/dbaas-plan.yml, ` +
    `dbaas-apply.yml and dbaas-drift.yml, .github/CODEOWNERS, package.json, README.md and .gitignore ` +
    `into DIR (created when missing). The result passes dbaas validate as it is.\n\n` +
    `The new repo depends on dbaas through --from: by default this dbaas is packed (npm pack) into ` +
    `vendor/dbaas-<version>.tgz and package.json points at it, so npm install works on any machine ` +
    `without dbaas being on a registry; commit the tarball. --from also takes another .tgz (copied into ` +
    `vendor/), a folder (a dbaas checkout, referenced by relative path) or a git URL (git+https://..., ` +
    `github:org/dbaas#v1.2.3). The $schema line of every scaffolded spec points into ` +
    `node_modules/dbaas/schemas/, which exists after npm install.\n\n` +
    `Never overwrites a file: when one exists with other content, nothing at all is written and the ` +
    `command exits 2, unless --force is given. Files that already have the template's content are left ` +
    `alone, so running init twice is harmless. Each file is written atomically.\n\n${EXIT_CODES_HELP}`;
  static override examples = ['<%= config.bin %> init ../infra', '<%= config.bin %> init --force --json'];
  static override args = {
    dir: Args.string({ description: 'Folder to scaffold. Default: --dir, which defaults to the current folder.', required: false }),
  };
  static override flags = {
    force: Flags.boolean({ description: 'Replace files that exist with other content.', default: false }),
    from: Flags.string({ description: 'Where the new repo installs dbaas from: a .tgz, a folder or a git URL. Default: this dbaas, packed into vendor/.' }),
  };

  async run(): Promise<InitJson> {
    const { args, flags } = await this.parse(Init);
    // DIR and --dir name the same thing; both given and different is a mistake, not a choice.
    if (args.dir !== undefined && resolve(flags.dir) !== process.cwd() && resolve(args.dir) !== resolve(flags.dir)) {
      const usage = problem({ code: ERR.USAGE, message: `got DIR ${args.dir} and --dir ${flags.dir}; expected one folder` });
      return this.finish({ ok: false, dir: resolve(args.dir), created: [], overwritten: [], unchanged: [], problems: [usage] });
    }
    const dir = args.dir ?? flags.dir;
    const source = parseSource(flags.from);
    if (!source) {
      const bad = problem({
        code: ERR.USAGE,
        field: '--from',
        value: flags.from,
        message:
          `${JSON.stringify(flags.from)} is not a .tgz file, a folder with a package.json, or a git URL; ` +
          `expected e.g. ../dbaas-0.1.0.tgz, ../dbaas or github:acme/dbaas#v0.1.0`,
      });
      return this.finish({ ok: false, dir: resolve(dir), created: [], overwritten: [], unchanged: [], problems: [bad] });
    }
    const dependency = dependencyFor(source, dir, dbaasVersion());
    const result = scaffold({ dir, force: flags.force, variables: { dbaasDependency: dependency } });
    if (!result.ok) return this.finish(result);
    try {
      const vendored = await vendor(source, dir);
      return this.finish(vendored ? { ...result, created: [...result.created, vendored].sort() } : result, dependency);
    } catch (error) {
      const failed = problem({
        code: ERR.INIT_PACK,
        field: '--from',
        message: `${(error as Error).message}; the other files were written: run dbaas init again with --from pointing at a dbaas .tgz, folder or git URL`,
      });
      return this.finish({ ...result, ok: false, problems: [failed] }, dependency);
    }
  }

  private finish(result: ScaffoldResult, dependency?: string): InitJson {
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
        this.log(
          `  dbaas comes from ${dependency ?? 'package.json'}${dependency?.startsWith('file:vendor/') ? ' (a packed copy of this dbaas: commit it)' : ''}`,
        );
        this.log(`  next: ${cd}git init && npm install && npx dbaas validate && npx dbaas plan --all`);
        this.log('  then: dbaas new (a database of your own); README.md says how to set up the workflows');
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
      ...(dependency ? { dependency } : {}),
      problems: result.problems.map(problemToJson),
    };
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
