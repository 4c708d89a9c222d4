// dbaas validate's closing line, as a real process.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);

describe('dbaas validate summary lines', () => {
  it('counts invalid databases out of all of them, and never claims it changed or kept anything', async () => {
    const dir = tempRepo('example');
    for (const [file, from, to] of [
      ['payments/orders.yaml', 'storageGb: 100', 'storageGB: 100'],
      ['identity/users.yaml', 'cloud: aws', 'cloud: awz'],
    ] as const) {
      const path = join(dir, 'stacks', file);
      writeFileSync(path, readFileSync(path, 'utf8').replace(from, to));
    }
    const result = await runCli(['validate', '--dir', dir]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toMatch(/✗ 2 problems: 2 of 13 databases invalid; fix them and run dbaas validate again/);
    expect(result.stdout).not.toMatch(/nothing was changed/);
  });
});
