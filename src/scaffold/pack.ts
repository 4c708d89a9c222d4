// How a new infra repo gets dbaas: the running package packed into the repo (npm pack), a tarball
// copied there, a folder, or a git URL. The only part of scaffolding that starts a process.
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { VENDOR_DIR } from './index.js';
import { PACKAGE_ROOT } from '../paths.js';

const GIT_URL = /^(git\+(https?|ssh|file):\/\/|git:\/\/|github:|gitlab:|bitbucket:|git@[\w.-]+:)/;

export type DbaasSource =
  | { readonly kind: 'pack' }
  | { readonly kind: 'tarball'; readonly file: string }
  | { readonly kind: 'folder'; readonly dir: string }
  | { readonly kind: 'git'; readonly url: string };

/** Reads `--from`: nothing (pack this dbaas), a .tgz, a folder, or a git URL; undefined when it is none of them. */
export function parseSource(from: string | undefined): DbaasSource | undefined {
  if (from === undefined) return { kind: 'pack' };
  if (GIT_URL.test(from)) return { kind: 'git', url: from };
  if (existsSync(from) && statSync(from).isDirectory() && existsSync(join(from, 'package.json'))) return { kind: 'folder', dir: resolve(from) };
  if (/\.tgz$/.test(from) && existsSync(from) && statSync(from).isFile()) return { kind: 'tarball', file: resolve(from) };
  return undefined;
}

/** The devDependencies.dbaas value for a source, seen from the new repo. */
export function dependencyFor(source: DbaasSource, repoDir: string, version: string): string {
  switch (source.kind) {
    case 'pack':
      return `file:${VENDOR_DIR}/dbaas-${version}.tgz`;
    case 'tarball':
      return `file:${VENDOR_DIR}/${basename(source.file)}`;
    case 'folder':
      return `file:${relative(resolve(repoDir), source.dir).split('\\').join('/') || '.'}`;
    case 'git':
      return source.url;
  }
}

/** Puts the tarball a source needs into the repo's vendor/ folder; returns its path relative to the repo, if any. */
export async function vendor(source: DbaasSource, repoDir: string): Promise<string | undefined> {
  const dest = join(resolve(repoDir), VENDOR_DIR);
  if (source.kind === 'tarball') {
    mkdirSync(dest, { recursive: true });
    copyFileSync(source.file, join(dest, basename(source.file)));
    return `${VENDOR_DIR}/${basename(source.file)}`;
  }
  if (source.kind !== 'pack') return undefined;
  mkdirSync(dest, { recursive: true });
  const { execa } = await import('execa');
  // dist/ is already built (this code runs from it); --ignore-scripts keeps npm from rebuilding.
  const result = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dest, PACKAGE_ROOT], { reject: false });
  if (result.exitCode !== 0)
    throw new Error(`npm pack failed: ${(result.stderr || result.stdout).split('\n').find((l) => l.trim()) ?? `exit ${result.exitCode}`}`);
  const [packed] = JSON.parse(result.stdout) as { filename: string }[];
  return `${VENDOR_DIR}/${packed!.filename}`;
}
