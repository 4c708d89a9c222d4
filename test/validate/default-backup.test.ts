// A Database without a backup block keeps the config's default BackupPolicy (team + environment,
// team, environment, repo), the plan says which; with no default it is refused, naming both fixes.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);

function withoutBackup(): string {
  const dir = tempRepo('example');
  const file = join(dir, 'stacks', 'payments', 'orders.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('  backup:\n    policy: prod-standard\n', ''));
  return dir;
}
function configure(dir: string, from: string, to: string): void {
  const file = join(dir, 'dbaas.config.yaml');
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
}

describe('default backup policy', () => {
  it('refuses a database with no backup block and no default, naming both ways to fix it (exit 2)', async () => {
    const result = await runCli(['validate', '--dir', withoutBackup()]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toMatch(
      /stacks\/payments\/orders\.yaml:\d+:\d+: error DBAAS_NO_BACKUP spec\.backup: no backup block, and dbaas\.config\.yaml names no default BackupPolicy for team payments in production; expected spec\.backup here .* or a default in dbaas\.config\.yaml \(defaults\.backupPolicies\.production: <policy>, or teams\.payments\.backupPolicy: <policy>\)/,
    );
  });

  it('takes the environment default, and the plan says which policy and where the config names it', async () => {
    const dir = withoutBackup();
    configure(dir, 'defaults:\n', 'defaults:\n  backupPolicies: { production: prod-standard }\n');
    expect((await runCli(['validate', '--dir', dir])).exitCode).toBe(0);
    const plan = await runCli(['plan', '--all', '--dir', dir, '--json']);
    const orders = JSON.parse(plan.stdout).stacks.find((s: { name: string }) => s.name === 'orders');
    expect(orders.notes).toContain('backup: default policy prod-standard (dbaas.config.yaml defaults.backupPolicies.production)');
    expect(orders.posture.after.retention.text).toBe('35d');
    expect((await runCli(['plan', '--all', '--dir', dir])).stdout).toContain('note: backup: default policy prod-standard');
  });

  it("prefers the team's default to the environment's, and refuses a default that names no policy", async () => {
    const dir = withoutBackup();
    configure(dir, 'defaults:\n', 'defaults:\n  backupPolicies: { production: no-such-policy }\n');
    const unknown = await runCli(['validate', '--dir', dir]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stdout).toMatch(
      /dbaas\.config\.yaml:\d+:\d+: error DBAAS_UNKNOWN_REFERENCE defaults\.backupPolicies\.production: BackupPolicy "no-such-policy" does not exist/,
    );
    configure(dir, '  payments:\n', '  payments:\n    backupPolicy: prod-standard\n');
    const plan = await runCli(['plan', '--all', '--dir', dir, '--json']);
    // The environment default still names no policy, so validate stops on it; the team's is checked first for the database.
    expect(plan.exitCode).toBe(2);
    configure(dir, 'backupPolicies: { production: no-such-policy }', 'backupPolicies: { production: nonprod-daily }');
    const planned = await runCli(['plan', '--all', '--dir', dir, '--json']);
    const orders = JSON.parse(planned.stdout).stacks.find((s: { name: string }) => s.name === 'orders');
    expect(orders.notes).toContain('backup: default policy prod-standard (dbaas.config.yaml teams.payments.backupPolicy)');
  });
});
