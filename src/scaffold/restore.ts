// `dbaas restore`: a new Database that starts as a restore of another, validated with the rest of the
// repo before it is written (atomically). Invalid input writes nothing (exit 2); guardrail errors are
// returned with the file written (exit 1), as dbaas new does.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DbaasError, ExitCode, problem, type Problem } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { isBlocking, type Finding } from '../guard/types.js';
import { parseRepoFiles, readRepoFiles } from '../load/repo.js';
import { guardFiles } from '../pipeline.js';
import { findingToJson, type FindingJson } from '../render/findings.js';
import { problemToJson, type ProblemJson } from '../render/problems.js';
import type { RestoreFrom } from '../spec/generated.js';
import { didYouMean } from '../suggest.js';
import { validateRepo } from '../validate/index.js';
import { schemaReference } from './new-database.js';
import { renderRestoreSpec, restoredDatabase } from './restore-database.js';
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

export interface RestoreOptions {
  readonly dir: string;
  /** The Database to restore from (metadata.name). */
  readonly source: string;
  /** Name of the new database. */
  readonly name: string;
  /** RFC 3339 or "latest". */
  readonly pointInTime?: string | undefined;
  readonly backup?: 'latest' | undefined;
  /** YYYY-MM-DD. */
  readonly expires?: string | undefined;
}

export interface RestoreOutcome {
  readonly json: RestoreJson;
  /** The problems to print (warnings about the new file, or why nothing was written). */
  readonly problems: readonly Problem[];
  /** The new database's guardrail findings. */
  readonly findings: readonly Finding[];
}

const NAME = /^[a-z][a-z0-9-]*$/;

/** Writes stacks/<team>/<name>.yaml, or throws DbaasError (exit 2) for arguments that cannot work. */
export function writeRestore(options: RestoreOptions): RestoreOutcome {
  const files = readRepoFiles(options.dir);
  const validated = validateRepo(parseRepoFiles(files));
  if (!validated.config)
    throw new DbaasError(
      [
        problem({ code: ERR.NO_CONFIG, message: `no usable dbaas.config.yaml in ${files.root}; expected an infra repo (dbaas init makes one)` }),
        ...files.problems,
      ],
      ExitCode.invalid,
    );
  const names = validated.databases.map((d) => d.name);
  const problems: Problem[] = [];
  const source = validated.databases.find((d) => d.name === options.source);
  if (!source) {
    const hint = didYouMean(options.source, names);
    problems.push(
      problem({
        code: ERR.RESTORE_UNKNOWN_SOURCE,
        field: 'SOURCE',
        value: options.source,
        message: `no valid Database named ${JSON.stringify(options.source)} in this repo; expected one of ${names.sort().join(', ') || '(none)'}`,
        ...(hint ? { suggestion: hint } : {}),
      }),
    );
  }
  if (!NAME.test(options.name) || names.includes(options.name)) {
    problems.push(
      problem({
        code: ERR.RESTORE_ANSWER,
        field: '--name',
        value: options.name,
        message:
          `${JSON.stringify(options.name)} is not allowed here: ` +
          (names.includes(options.name) ? 'a database of that name exists already' : 'expected lower-case letters, digits and hyphens, starting with a letter'),
      }),
    );
  }
  if (options.pointInTime === undefined && options.backup === undefined) {
    problems.push(
      problem({
        code: ERR.RESTORE_ANSWER,
        field: '--point-in-time',
        message: 'no restore point; expected --point-in-time TIME (RFC 3339, or latest) or --backup latest',
      }),
    );
  }
  if (problems.length || !source) throw new DbaasError(problems, ExitCode.invalid);

  const restoreFrom: RestoreFrom = options.backup ? { database: source.name, backup: 'latest' } : { database: source.name, pointInTime: options.pointInTime! };
  const db = restoredDatabase(source.value, { name: options.name, restoreFrom, ...(options.expires ? { expires: options.expires } : {}) });
  const file = `stacks/${db.metadata.team}/${options.name}.yaml`;
  if (existsSync(join(files.root, file)))
    throw new DbaasError(
      [problem({ code: ERR.RESTORE_EXISTS, field: '--name', value: options.name, message: `${file} exists already; expected a new name` })],
      ExitCode.invalid,
    );
  const spec = renderRestoreSpec(db, source.name, schemaReference(files.root, file));
  // Validated with the rest of the repo before anything is written (as dbaas new does).
  const guarded = guardFiles({ ...files, specs: [...files.specs, { file, text: spec }] });
  if (!guarded.ok) {
    const mine = guarded.problems.filter((p) => p.location?.file === file && p.severity === 'error');
    const shown = mine.length ? mine : guarded.problems;
    return { json: { ok: false, exitCode: ExitCode.invalid, spec, problems: shown.map(problemToJson), findings: [] }, problems: shown, findings: [] };
  }
  writeFileAtomic(join(files.root, file), spec);
  const warnings = guarded.repo.problems.filter((p) => p.location?.file === file);
  const findings = guarded.guard.findings.filter((f) => f.database === options.name);
  const exitCode = findings.some(isBlocking) ? ExitCode.findings : ExitCode.ok;
  return {
    json: { ok: exitCode === ExitCode.ok, exitCode, file, spec, problems: warnings.map(problemToJson), findings: findings.map(findingToJson) },
    problems: warnings,
    findings,
  };
}
