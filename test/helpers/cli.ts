// Runs the real CLI (bin/run.js over dist/, built by `npm test` before vitest) as a child process.
import { execa } from 'execa';
import { join } from 'node:path';
import { REPO_ROOT } from './repo.js';

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  const result = await execa('node', [join(REPO_ROOT, 'bin', 'run.js'), ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    // The CI running these tests must not leak into them (apply checks CI's branch, plan its TTY).
    env: { DBAAS_NOW: '2026-11-21', CI: '', GITHUB_ACTIONS: '', GITHUB_REF_NAME: '', GITHUB_STEP_SUMMARY: '', ...options.env },
    reject: false,
    timeout: 120_000,
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}
