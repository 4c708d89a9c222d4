// Load stage: the infra repo's config and spec files, as text (from disk or any other source, e.g.
// a git revision) and then as YAML documents with positions.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { problem, type Problem } from '../errors.js';
import { findYamlFiles, readSpecFile, toRepoPath, type TextFile } from './files.js';
import { parseYaml, type SourceDocument } from './yaml.js';
import { ERR } from '../error-codes.js';

export const CONFIG_FILE = 'dbaas.config.yaml';
export const STACKS_DIR = 'stacks';
export const POLICIES_DIR = 'policies';

/** The repo's files as text: the config, every spec file and every policy file. */
export interface RepoFiles {
  readonly root: string;
  readonly config?: TextFile;
  readonly specs: readonly TextFile[];
  readonly policies: readonly TextFile[];
  readonly problems: readonly Problem[];
}

export interface LoadedRepo {
  readonly root: string;
  readonly config?: SourceDocument;
  readonly specs: readonly SourceDocument[];
  readonly policyFiles: readonly TextFile[];
  readonly problems: readonly Problem[];
}

export function readRepoFiles(dir: string): RepoFiles {
  const root = resolve(dir);
  const problems: Problem[] = [];
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    return {
      root,
      specs: [],
      policies: [],
      problems: [problem({ code: ERR.NO_REPO, message: `${root} is not a folder; expected an infra repo (run dbaas init to make one)` })],
    };
  }
  const readAll = (sub: string): TextFile[] => {
    const folder = join(root, sub);
    if (!existsSync(folder)) return [];
    const found = findYamlFiles(root, folder);
    problems.push(...found.problems);
    return found.files.flatMap((path) => {
      const read = readSpecFile(root, path);
      if ('problem' in read) {
        problems.push(read.problem);
        return [];
      }
      return [read.file];
    });
  };

  let config: TextFile | undefined;
  const configPath = join(root, CONFIG_FILE);
  if (existsSync(configPath)) {
    const read = readSpecFile(root, configPath);
    if ('problem' in read) problems.push(read.problem);
    else config = read.file;
  } else {
    problems.push(
      problem({
        code: ERR.CONFIG_MISSING,
        message: `no ${CONFIG_FILE} in ${root}; expected the repo config (run dbaas init, or pass --dir)`,
        location: { file: toRepoPath(root, configPath), line: 1, column: 1 },
      }),
    );
  }
  return { root, config, specs: readAll(STACKS_DIR), policies: readAll(POLICIES_DIR), problems };
}

export function parseRepoFiles(files: RepoFiles): LoadedRepo {
  const problems: Problem[] = [...files.problems];
  let config: SourceDocument | undefined;
  if (files.config) {
    const parsed = parseYaml(files.config);
    problems.push(...parsed.problems);
    if (parsed.documents.length > 1) {
      problems.push(
        problem({
          code: ERR.CONFIG_MULTIPLE_DOCUMENTS,
          message: `has ${parsed.documents.length} YAML documents; expected exactly one`,
          location: parsed.documents[1]!.locate([]),
        }),
      );
    }
    config = parsed.documents[0];
  }
  const specs = files.specs.flatMap((file) => {
    const parsed = parseYaml(file);
    problems.push(...parsed.problems);
    return parsed.documents;
  });
  return { root: files.root, config, specs, policyFiles: files.policies, problems };
}

export function loadRepo(dir: string): LoadedRepo {
  return parseRepoFiles(readRepoFiles(dir));
}
