// Mistyped commands and flags are usage errors (exit 2) with the closest match, never a bare "not found".
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);

describe('did you mean', () => {
  it('suggests the closest command, topics included', async () => {
    const plna = await runCli(['plna']);
    expect(plna.exitCode).toBe(2);
    expect(plna.stderr).toContain('dbaas: "plna" is not a dbaas command (did you mean "plan"?)');
    expect((await runCli(['polcy', 'list'])).stderr).toContain('(did you mean "policy list"?)');
  });

  it("suggests the closest of the command's own flags", async () => {
    const result = await runCli(['plan', '--bse', 'origin/main']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Nonexistent flag: --bse (did you mean "--base"?)');
    expect((await runCli(['new', '--tem', 'x'])).stderr).toContain('(did you mean "--team"?)');
  });

  it('says what validate found without claiming databases it never reached', async () => {
    const result = await runCli(['validate', '--dir', '/nonexistent-infra-repo']);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toContain('✗ 1 problem; fix them and run dbaas validate again');
  });
});

describe('did you mean, for values the team rules allow', () => {
  it('suggests the allowed region a typo was meant to be', async () => {
    const dir = tempRepo('example');
    const file = join(dir, 'stacks', 'payments', 'orders.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('region: eu-west-1', 'region: eu-wset-1'));
    const result = await runCli(['validate', '--dir', dir]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('region "eu-wset-1" is not allowed here; expected one of eu-west-1, eu-central-1 (did you mean "eu-west-1"?)');
  });
});
