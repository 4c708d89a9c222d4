import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { BaseCommand, EXIT_CODES_HELP } from '../cli/base.js';
import { DbaasError, ExitCode, formatProblem, problem, type Problem } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { findingToJson, formatFinding, type FindingJson } from '../guard/render.js';
import { isBlocking } from '../guard/types.js';
import { parseRepoFiles, readRepoFiles } from '../load/repo.js';
import { guardFiles } from '../pipeline.js';
import { problemToJson, type ProblemJson } from '../render/problems.js';
import { schemaReference } from '../scaffold/new-database.js';
import { renderRestoreSpec, restoredDatabase } from '../scaffold/restore-database.js';
import type { RestoreFrom } from '../spec/generated.js';
import { didYouMean } from '../suggest.js';
import { validateRepo } from '../validate/index.js';
import { ERR } from '../error-codes.js';

/** The documented `dbaas restore --json` shape. */
export interface RestoreJson {
  ok: boolean;
  exitCode: number;
  /** The spec file, relative to the repo; absent when nothing was written. */
  file?: string;
  /** The spec as written (or as it would have been). */
  spec?: string;
  problems: ProblemJson[];
  findings: FindingJson[];
}

const NAME = /^[a-z][a-z0-9-]*$/;

export default class Restore extends BaseCommand {
  static override summary = 'Write the spec of a database restored from another (stacks/<team>/<name>.yaml).';
  static override description = `Writes a new Database that starts as a restore of SOURCE: at a point in time (RFC 3339, or "latest" for the latest restorable time) or from its newest backup. It copies the source's environment, cloud, region, engine, version, size, team, labels, databases, backup policy and alert channels, so the restore gets the same guardrails, backups and alerts, and adds spec.restoreFrom (and spec.expires with --expires).

The spec is validated with the rest of the repo before it is written: a restore that cannot work (a time outside the source's point-in-time window, point-in-time recovery off at the source, a DynamoDB table from a backup...) writes nothing (exit 2). Guardrail errors are listed and the file is written (exit 1). DBAAS_NOW replaces the clock.

${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> restore orders --name orders-restore --point-in-time 2026-11-29T10:15:00Z',
    '<%= config.bin %> restore orders --name orders-clone --point-in-time latest --expires 2026-12-15',
    '<%= config.bin %> restore orders --name orders-from-backup --backup latest --json',
  ];

  static override args = { source: Args.string({ description: 'The Database to restore from (metadata.name).', required: true }) };

  static override flags = {
    name: Flags.string({ description: 'Name of the new database: lower-case letters, digits and hyphens; unique across the repo.', required: true }),
    'point-in-time': Flags.string({ description: 'RFC 3339 time inside the source\'s point-in-time window, or "latest".', exclusive: ['backup'] }),
    backup: Flags.string({ description: "Restore the source's newest backup.", options: ['latest'], exclusive: ['point-in-time'] }),
    expires: Flags.string({ description: 'YYYY-MM-DD: the last day the restore is meant to exist (validate warns until then, refuses after).' }),
  };

  async run(): Promise<RestoreJson> {
    const { args, flags } = await this.parse(Restore);
    const files = readRepoFiles(flags.dir);
    const validated = validateRepo(parseRepoFiles(files));
    if (!validated.config) throw new DbaasError([problem({ code: ERR.NO_CONFIG, message: `no usable dbaas.config.yaml in ${files.root}; expected an infra repo (dbaas init makes one)` }), ...files.problems], ExitCode.invalid);
    const names = validated.databases.map((d) => d.name);
    const problems: Problem[] = [];
    const source = validated.databases.find((d) => d.name === args.source);
    if (!source) {
      const hint = didYouMean(args.source, names);
      problems.push(problem({ code: ERR.RESTORE_UNKNOWN_SOURCE, field: 'SOURCE', value: args.source, message: `no valid Database named ${JSON.stringify(args.source)} in this repo; expected one of ${names.sort().join(', ') || '(none)'}`, ...(hint ? { suggestion: hint } : {}) }));
    }
    if (!NAME.test(flags.name) || names.includes(flags.name)) {
      problems.push(problem({ code: ERR.RESTORE_ANSWER, field: '--name', value: flags.name, message: `${JSON.stringify(flags.name)} is not allowed here: ${names.includes(flags.name) ? 'a database of that name exists already' : 'expected lower-case letters, digits and hyphens, starting with a letter'}` }));
    }
    if (flags['point-in-time'] === undefined && flags.backup === undefined) {
      problems.push(problem({ code: ERR.RESTORE_ANSWER, field: '--point-in-time', message: 'no restore point; expected --point-in-time TIME (RFC 3339, or latest) or --backup latest' }));
    }
    if (problems.length || !source) throw new DbaasError(problems, ExitCode.invalid);

    const restoreFrom: RestoreFrom = flags.backup ? { database: source.name, backup: 'latest' } : { database: source.name, pointInTime: flags['point-in-time']! };
    const db = restoredDatabase(source.value, { name: flags.name, restoreFrom, ...(flags.expires ? { expires: flags.expires } : {}) });
    const file = `stacks/${db.metadata.team}/${flags.name}.yaml`;
    if (existsSync(join(files.root, file))) throw new DbaasError([problem({ code: ERR.RESTORE_EXISTS, field: '--name', value: flags.name, message: `${file} exists already; expected a new name` })], ExitCode.invalid);
    const spec = renderRestoreSpec(db, source.name, schemaReference(files.root, file));
    // Validated with the rest of the repo before anything is written (as dbaas new does).
    const guarded = guardFiles({ ...files, specs: [...files.specs, { file, text: spec }] });
    if (!guarded.ok) {
      const mine = guarded.problems.filter((p) => p.location?.file === file && p.severity === 'error');
      const shown = mine.length ? mine : guarded.problems;
      return this.finish({ ok: false, exitCode: ExitCode.invalid, spec, problems: shown.map(problemToJson), findings: [] }, shown, []);
    }
    writeFileAtomic(join(files.root, file), spec);
    const warnings = guarded.repo.problems.filter((p) => p.location?.file === file);
    const findings = guarded.guard.findings.filter((f) => f.database === flags.name);
    const exitCode = findings.some(isBlocking) ? ExitCode.findings : ExitCode.ok;
    return this.finish({ ok: exitCode === ExitCode.ok, exitCode, file, spec, problems: warnings.map(problemToJson), findings: findings.map(findingToJson) }, warnings, findings.flatMap(formatFinding));
  }

  private finish(result: RestoreJson, problems: readonly Problem[], findingLines: readonly string[]): RestoreJson {
    if (!this.jsonEnabled()) {
      for (const p of problems) this.log(formatProblem(p));
      for (const line of findingLines) this.log(line);
      if (!result.file) this.log(`✗ ${problems.length} problem(s) in the restore; nothing was written`);
      else {
        this.log(`${result.exitCode === ExitCode.ok ? '✓' : '✗'} wrote ${result.file}${result.exitCode === ExitCode.ok ? '' : ' (with guardrail errors: run dbaas fix, or change the spec)'}`);
        const name = result.file.split('/').pop()!.replace(/\.yaml$/, '');
        this.log('Next steps:');
        this.log('  dbaas plan                                 see the restore and what will be built');
        this.log(`  git switch -c restore-${name} && git add ${result.file} && git commit -m "Restore ${name}"`);
        this.log('  git push, then open a pull request: dbaas comments the plan, the infra team reviews; the restore runs when it is applied');
      }
    }
    process.exitCode = result.exitCode;
    return result;
  }
}
