// `dbaas init`: copies the infra-repo template into a folder. It never overwrites a file unless
// asked, refuses before writing anything, and writes each file atomically (temp file, then link or
// rename), so an interrupted run leaves whole files or none.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants as fsConstants,
  copyFileSync,
  existsSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
  linkSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { problem, type Problem } from '../errors.js';
import { PACKAGE_ROOT, packageDir } from '../paths.js';
import { ERR } from '../error-codes.js';

/** templates/ in the installed package. */
export const TEMPLATES_DIR = packageDir('templates');
export const INFRA_REPO_TEMPLATE = join(TEMPLATES_DIR, 'infra-repo');
const PACKAGE_JSON = join(PACKAGE_ROOT, 'package.json');

/** npm drops `.gitignore` from published packages, so the template stores it under another name. */
const RENAMES: Readonly<Record<string, string>> = { _gitignore: '.gitignore' };
/** Files ending in this are rendered ({{name}} placeholders) and lose the suffix. */
const RENDERED_SUFFIX = '.tmpl';

export interface ScaffoldVariables {
  /** The dbaas version the new repo depends on. */
  readonly dbaasVersion: string;
  /** The new repo's npm package name. */
  readonly packageName: string;
  /**
   * What package.json's devDependencies.dbaas says: a packed tarball in the repo
   * (`file:vendor/dbaas-<version>.tgz`, what `dbaas init` writes), a path or a git URL.
   */
  readonly dbaasDependency: string;
}

export interface TemplateFile {
  /** Where it goes, relative to the target folder, with forward slashes. */
  readonly path: string;
  readonly content: Buffer;
}

export type FileAction = 'create' | 'overwrite' | 'unchanged';

export interface PlannedFile extends TemplateFile {
  readonly action: FileAction;
}

export interface ScaffoldOptions {
  /** The folder to scaffold; created when missing. */
  readonly dir: string;
  /** Replace files that exist with different content. Default: false. */
  readonly force?: boolean;
  /** The template folder. Default: the package's templates/infra-repo. */
  readonly templateDir?: string;
  /** Default: dbaasVersion from the package's package.json, packageName from the folder's name. */
  readonly variables?: Partial<ScaffoldVariables>;
}

export interface ScaffoldPlan {
  /** The target folder, absolute. */
  readonly dir: string;
  readonly files: readonly PlannedFile[];
  /** Why nothing may be written; empty when the plan can go ahead. */
  readonly problems: readonly Problem[];
}

export interface ScaffoldResult {
  readonly ok: boolean;
  /** The target folder, absolute. */
  readonly dir: string;
  /** Files written that did not exist before (relative, forward slashes, sorted). */
  readonly created: string[];
  /** Files replaced because `force` was set. */
  readonly overwritten: string[];
  /** Files that already had the template's content and were left alone. */
  readonly unchanged: string[];
  /** Why nothing was written (then every list above is empty). */
  readonly problems: readonly Problem[];
}

/** The version in the package's own package.json. */
export function dbaasVersion(): string {
  const pkg = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error(`${PACKAGE_JSON} has no version`);
  return pkg.version;
}

/** Where `dbaas init` puts the packed dbaas, relative to the new repo. */
export const VENDOR_DIR = 'vendor';

/** The dependency on a packed dbaas kept in the repo: installs on any machine, no registry needed for dbaas itself. */
export function vendoredDependency(version: string): string {
  return `file:${VENDOR_DIR}/dbaas-${version}.tgz`;
}

/** A valid npm package name from a folder name ("My Infra" → "my-infra"); "infra" when nothing is left. */
export function packageNameFor(dir: string): string {
  const name = basename(resolve(dir))
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._~-]+/, '')
    .replace(/-+$/, '')
    .slice(0, 214);
  return name || 'infra';
}

function render(text: string, variables: ScaffoldVariables, file: string): string {
  return text.replace(/\{\{\s*([A-Za-z]+)\s*\}\}/g, (_match, name: string) => {
    const value = (variables as unknown as Record<string, unknown>)[name];
    // A template naming an unknown variable is a bug in the package, not bad user input.
    if (typeof value !== 'string') throw new Error(`template ${file} uses unknown variable {{${name}}}`);
    return value;
  });
}

/** Every file of a template folder, renamed and rendered, sorted by target path. */
export function readTemplate(templateDir: string, variables: ScaffoldVariables): TemplateFile[] {
  const files: TemplateFile[] = [];
  const walk = (folder: string, prefix: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const source = join(folder, entry.name);
      if (entry.isDirectory()) {
        walk(source, `${prefix}${entry.name}/`);
        continue;
      }
      if (!entry.isFile()) continue;
      let name = RENAMES[entry.name] ?? entry.name;
      let content = readFileSync(source);
      if (name.endsWith(RENDERED_SUFFIX)) {
        name = name.slice(0, -RENDERED_SUFFIX.length);
        content = Buffer.from(render(content.toString('utf8'), variables, `${prefix}${entry.name}`), 'utf8');
      }
      files.push({ path: `${prefix}${name}`, content });
    }
  };
  walk(templateDir, '');
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** Exists as anything, a dangling link included (ENOTDIR: a file sits where a folder should be). */
function lexists(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return false;
    throw error;
  }
}

/** The deepest part of `path` that exists, stopping at `stop`. */
function deepestExisting(path: string, stop: string): string {
  let current = path;
  while (current !== stop && !lexists(current) && dirname(current) !== current) current = dirname(current);
  return current;
}

const at = (file: string) => ({ file, line: 1, column: 1 });

/** Decides what to do with each template file, reading the target folder but writing nothing. */
export function planScaffold(options: ScaffoldOptions): ScaffoldPlan {
  const dir = resolve(options.dir);
  const variables: ScaffoldVariables = {
    dbaasVersion: options.variables?.dbaasVersion ?? dbaasVersion(),
    packageName: options.variables?.packageName ?? packageNameFor(dir),
    dbaasDependency: options.variables?.dbaasDependency ?? vendoredDependency(options.variables?.dbaasVersion ?? dbaasVersion()),
  };
  const files = readTemplate(options.templateDir ?? INFRA_REPO_TEMPLATE, variables);

  // The folder, or the deepest folder above it that exists, must be a folder.
  const base = deepestExisting(dir, resolve('/'));
  if (lexists(base) && !statSync(base).isDirectory()) {
    return {
      dir,
      files: [],
      problems: [problem({ code: ERR.INIT_NOT_A_FOLDER, message: `${base} is a file; expected a folder to scaffold the infra repo in` })],
    };
  }
  // Compare real paths, so a link inside the folder cannot send a write somewhere else.
  const realRoot = existsSync(dir) ? realpathSync(dir) : undefined;
  const problems: Problem[] = [];
  const planned: PlannedFile[] = [];
  for (const file of files) {
    const target = join(dir, ...file.path.split('/'));
    if (realRoot) {
      const existing = deepestExisting(target, dir);
      let info = lstatSync(existing);
      // The target itself may be a link (replaced by --force, never written through); its folders may not.
      const folder = existing === target && info.isSymbolicLink() ? dirname(target) : existing;
      let realFolder: string | undefined;
      try {
        realFolder = realpathSync(folder);
      } catch {
        realFolder = undefined; // a dangling link
      }
      if (!realFolder || !isInside(realRoot, realFolder)) {
        problems.push(
          problem({
            code: ERR.INIT_OUTSIDE,
            message: 'goes through a symbolic link that leads outside the folder (or nowhere); expected a plain path inside it',
            location: at(file.path),
          }),
        );
        continue;
      }
      if (existing !== target) {
        if (!statSync(existing).isDirectory()) {
          const blocker = relative(dir, existing).split(sep).join('/');
          problems.push(
            problem({ code: ERR.INIT_NOT_A_FOLDER, message: `cannot be written: ${blocker} is a file; expected a folder`, location: at(file.path) }),
          );
          continue;
        }
        planned.push({ ...file, action: 'create' });
        continue;
      }
      info = lstatSync(target);
      if (info.isDirectory()) {
        problems.push(problem({ code: ERR.INIT_NOT_A_FILE, message: 'is a folder; expected to write a file here', location: at(file.path) }));
        continue;
      }
      if (info.isFile() && readFileSync(target).equals(file.content)) {
        planned.push({ ...file, action: 'unchanged' });
        continue;
      }
      if (!options.force) {
        problems.push(
          problem({
            code: ERR.INIT_FILE_EXISTS,
            message: 'already exists with other content; dbaas init never overwrites a file',
            suggestion: 'pass --force to replace it',
            location: at(file.path),
          }),
        );
        continue;
      }
      planned.push({ ...file, action: 'overwrite' });
      continue;
    }
    planned.push({ ...file, action: 'create' });
  }
  return { dir, files: planned, problems };
}

/** Writes `content` to `target` through a temp file in the same folder, then links (no clobber) or renames. */
export function writeFileAtomic(target: string, content: Buffer, overwrite: boolean): void {
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o644);
  try {
    for (let written = 0; written < content.length;) written += writeSync(fd, content, written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    if (overwrite) {
      renameSync(temp, target);
      return;
    }
    try {
      // link() fails with EEXIST instead of replacing a file that appeared since the plan.
      linkSync(temp, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw error;
      // Filesystems without hard links: still never clobber, though the copy is not atomic.
      copyFileSync(temp, target, fsConstants.COPYFILE_EXCL);
    }
  } finally {
    rmSync(temp, { force: true });
  }
}

/** Carries out a plan made by planScaffold; writes nothing when the plan has problems. */
export function writeScaffold(plan: ScaffoldPlan): ScaffoldResult {
  const empty = { dir: plan.dir, created: [], overwritten: [], unchanged: [] };
  if (plan.problems.length > 0) return { ok: false, ...empty, problems: plan.problems };
  const created: string[] = [];
  const overwritten: string[] = [];
  const unchanged: string[] = [];
  for (const file of plan.files) {
    if (file.action === 'unchanged') {
      unchanged.push(file.path);
      continue;
    }
    const target = join(plan.dir, ...file.path.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    try {
      writeFileAtomic(target, file.content, file.action === 'overwrite');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const raced = problem({ code: ERR.INIT_FILE_EXISTS, message: 'appeared while dbaas init was writing; it was left alone', location: at(file.path) });
      return { ok: false, dir: plan.dir, created, overwritten, unchanged, problems: [raced] };
    }
    (file.action === 'overwrite' ? overwritten : created).push(file.path);
  }
  return { ok: true, dir: plan.dir, created, overwritten, unchanged, problems: [] };
}

/** Scaffolds a new infra repo in `options.dir` from the template. */
export function scaffold(options: ScaffoldOptions): ScaffoldResult {
  return writeScaffold(planScaffold(options));
}
