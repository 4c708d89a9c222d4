// `dbaas new`: what a new database may be (from the config and the repo), and its spec written once
// it validates with the rest of the repo. Invalid input writes nothing (exit 2); guardrail errors are
// returned with the file written (exit 1), so dbaas fix can mend it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DbaasError, ExitCode, problem, type Problem } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { isBlocking, type Finding } from '../guard/types.js';
import { parseRepoFiles, readRepoFiles, type RepoFiles } from '../load/repo.js';
import { guardFiles } from '../pipeline.js';
import { findingToJson, type FindingJson } from '../render/findings.js';
import { problemToJson, type ProblemJson } from '../render/problems.js';
import { validateRepo } from '../validate/index.js';
import { newDatabaseChoices, newDatabaseFile, renderDatabaseSpec, schemaReference, type NewDatabaseAnswers, type NewDatabaseChoices } from './new-database.js';
import { ERR } from '../error-codes.js';

/** The documented `dbaas new --json` shape. */
export interface NewJson {
  ok: boolean;
  exitCode: number;
  /** The spec file, relative to the repo; absent when nothing was written. */
  file?: string;
  /** The spec as written (or as it would have been). */
  spec?: string;
  problems: ProblemJson[];
  findings: FindingJson[];
}

export interface NewDatabaseRepo {
  readonly files: RepoFiles;
  readonly choices: NewDatabaseChoices;
  /** Names of the repo's databases: a new one must differ. */
  readonly taken: ReadonlySet<string>;
}

/** The repo a new database joins, or DbaasError (exit 2) when it has no usable config. */
export function newDatabaseRepo(dir: string): NewDatabaseRepo {
  const files = readRepoFiles(dir);
  const validated = validateRepo(parseRepoFiles(files));
  if (!validated.config)
    throw new DbaasError(
      [
        problem({ code: ERR.NO_CONFIG, message: `no usable dbaas.config.yaml in ${files.root}; expected an infra repo (dbaas init makes one)` }),
        ...files.problems,
      ],
      ExitCode.invalid,
    );
  const choices = newDatabaseChoices(validated.config.value, validated.policies.keys(), validated.channels.keys());
  return { files, choices, taken: new Set(validated.databases.map((d) => d.name)) };
}

export interface NewOutcome {
  readonly json: NewJson;
  /** Why nothing was written. */
  readonly problems: readonly Problem[];
  /** The new database's guardrail findings. */
  readonly findings: readonly Finding[];
}

export function writeNewDatabase(files: RepoFiles, answers: NewDatabaseAnswers): NewOutcome {
  const file = newDatabaseFile(answers);
  if (existsSync(join(files.root, file)))
    throw new DbaasError(
      [problem({ code: ERR.NEW_EXISTS, field: '--name', value: answers.name, message: `${file} exists already; expected a new name (or edit that file)` })],
      ExitCode.invalid,
    );
  const spec = renderDatabaseSpec(answers, schemaReference(files.root, file));
  // Validated with the rest of the repo before anything is written.
  const guarded = guardFiles({ ...files, specs: [...files.specs, { file, text: spec }] });
  if (!guarded.ok) {
    const mine = guarded.problems.filter((p) => p.location?.file === file);
    const shown = mine.length ? mine : guarded.problems;
    return { json: { ok: false, exitCode: ExitCode.invalid, spec, problems: shown.map(problemToJson), findings: [] }, problems: shown, findings: [] };
  }
  writeFileAtomic(join(files.root, file), spec);
  const findings = guarded.guard.findings.filter((f) => f.database === answers.name);
  const exitCode = findings.some(isBlocking) ? ExitCode.findings : ExitCode.ok;
  return { json: { ok: exitCode === ExitCode.ok, exitCode, file, spec, problems: [], findings: findings.map(findingToJson) }, problems: [], findings };
}
