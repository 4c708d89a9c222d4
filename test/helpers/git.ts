// Real temporary git repos for plan tests.
import { execa } from 'execa';

export async function git(cwd: string, ...args: string[]): Promise<string> {
  const result = await execa('git', args, {
    cwd,
    env: { GIT_AUTHOR_NAME: 'dbaas test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'dbaas test', GIT_COMMITTER_EMAIL: 'test@example.com' },
  });
  return result.stdout;
}

/** `git init` + commit everything in `dir` on branch main. */
export async function initRepo(dir: string, message = 'base'): Promise<string> {
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'config', 'commit.gpgsign', 'false');
  return commitAll(dir, message);
}

export async function commitAll(dir: string, message: string): Promise<string> {
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '--allow-empty', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}
