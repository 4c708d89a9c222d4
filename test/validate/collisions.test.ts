// Cloud names two databases would both claim are refused when the repo resolves (exit 2 from
// validate), naming both files; and every name the check knows is one the stacks really create.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveDir } from '../../src/pipeline.js';
import { loadBuilder, synthStack } from '../../src/synth/index.js';
import { cloudNames } from '../../src/validate/collisions.js';
import { runCli } from '../helpers/cli.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';
import { context, exampleRepo, variant } from '../synth/helpers.js';

afterAll(cleanupTempRepos);

/** A temp copy of the example repo with `sessions` using a referenced key (so an alerts key of its own) and a database named `sessions-alerts`. */
function collidingRepo(): string {
  const dir = tempRepo('example');
  const sessions = join(dir, 'stacks', 'identity', 'sessions.yaml');
  const text = readFileSync(sessions, 'utf8');
  writeFileSync(sessions, text.replace('    policy: nonprod-daily', '    policy: nonprod-daily\n    encryption: { kmsKey: alias/backups }'));
  writeFileSync(join(dir, 'stacks', 'identity', 'sessions-alerts.yaml'), text.replace('name: sessions', 'name: sessions-alerts'));
  return dir;
}

describe('cloud name collisions', () => {
  it('lists only names the synthesized stacks really give resources (example repo and variants)', async () => {
    const dbs = [
      ...exampleRepo().entries.map((e) => e.db),
      variant('sessions', { name: 'with-referenced-key', backup: { encryption: { kmsKey: 'alias/backups' } } }),
      variant('carts', {
        name: 'with-copies',
        backup: {
          copies: [
            { region: 'eu-central-1', retentionDays: 30 },
            { region: 'eu-west-1', retentionDays: 30 },
          ],
        },
      }),
      variant('audit', { name: 'aurora-ha', highAvailability: true }),
    ];
    let checked = 0;
    for (const db of dbs) {
      await loadBuilder(db.cloud);
      const json = synthStack(db, context()).json;
      for (const name of cloudNames(db)) {
        expect(json, `${db.name}: ${name.kind} ${name.name}`).toContain(JSON.stringify(name.name));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(60);
  });

  it('tells RDS cluster identifiers from instance identifiers: an Aurora instance meets a database of that name, the cluster does not', () => {
    const aurora = variant('audit', { name: 'x', highAvailability: true });
    const rds = variant('sessions', { name: 'x-1', region: aurora.region, placement: aurora.placement });
    const auroraTwin = variant('audit', { name: 'x-1' });
    const key = (n: { kind: string; scope: string; name: string }) => `${n.kind}|${n.scope}|${n.name}`;
    const of = (db: typeof aurora) => new Set(cloudNames(db).map(key));
    const shared = (a: typeof aurora, b: typeof aurora) => [...of(a)].filter((k) => of(b).has(k));
    expect(shared(aurora, rds)).toEqual([
      `RDS instance identifier|AWS account ${(aurora.placement as { accountId: string }).accountId} in ${aurora.region}|x-1`,
    ]);
    expect(shared(aurora, auroraTwin)).toEqual([]);
  });

  it('finds none in the example repo', () => {
    const resolution = resolveDir(join(import.meta.dirname, '..', '..'));
    expect(resolution.ok).toBe(true);
  });

  it('refuses two databases whose KMS aliases meet, naming both files with line numbers', () => {
    const dir = collidingRepo();
    const resolution = resolveDir(dir);
    expect(resolution.ok).toBe(false);
    const problems = resolution.ok ? [] : resolution.problems.filter((p) => p.code === 'DBAAS_NAME_COLLISION');
    expect(problems).toHaveLength(1);
    const [p] = problems;
    expect(p!.message).toMatch(
      /would create KMS alias alias\/dbaas\/sessions-alerts in AWS account \d{12} in eu-west-1, which database "sessions(-alerts)?" \(stacks\/identity\/sessions(-alerts)?\.yaml:\d+:\d+\) creates too/,
    );
    expect(p!.location?.file).toMatch(/stacks\/identity\/sessions(-alerts)?\.yaml$/);
    expect(p!.location?.line).toBeGreaterThan(0);
  });

  it('makes `dbaas validate` exit 2 with one line naming both files', async () => {
    const dir = collidingRepo();
    const result = await runCli(['validate', '--dir', dir]);
    expect(result.exitCode).toBe(2);
    const lines = result.stdout.split('\n').filter((l) => l.includes('DBAAS_NAME_COLLISION') || l.includes('KMS alias'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/sessions(-alerts)?\.yaml:\d+:\d+.*sessions(-alerts)?\.yaml:\d+:\d+/);
  });
});
