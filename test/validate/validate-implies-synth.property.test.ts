// Property: whatever validate accepts, synth accepts. Repos are generated valid by construction and
// then mutated (config blocks dropped, projects/accounts removed, regions, engines, keys, schedules,
// exclusions, copies and channel secrets drawn from pools that include wrong ones); every database
// of an accepted repo is synthesized in-process (no terraform) and must build.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveFiles } from '../../src/pipeline.js';
import { loadBuilder, synthStack } from '../../src/synth/index.js';
import { engineOn, enginesOn } from '../../src/profiles/index.js';
import { baseConfig, channel, database, repoFiles, type Obj } from './repo-builder.js';

const REGIONS = { aws: ['eu-west-1', 'eu-central-1'], gcp: ['europe-west1', 'europe-west4'] };
// Every engine each cloud's profiles offer (a new engine is in the property at once).
const ENGINES = { aws: enginesOn('aws'), gcp: enginesOn('gcp') };
const SCHEDULES = ['0 3 * * *', '30 1 * * *', '0 */6 * * *', '0 3 * * 0', '0 3 1 * *', '15 2 * * 1-5'];
const KEYS = {
  aws: ['managed', 'alias/backups', 'arn:aws:kms:eu-west-1:111111111111:key/abcd-1234'],
  gcp: ['managed', 'projects/acme-keys/locations/europe-west1/keyRings/backups/cryptoKeys/k'],
};
const OTHER = { aws: 'gcp', gcp: 'aws' } as const;

/** What can be broken in a repo that is otherwise valid by construction. */
const MUTATIONS = [
  'dropStateAws',
  'dropStateGcp',
  'dropAgent',
  'dropAccount',
  'engine',
  'region',
  'copyRegion',
  'copyOwnAccount',
  'copyAccountOnly',
  'kmsKey',
  'schedule',
  'restoreCron',
  'exclusions',
  'table',
  'userSecret',
  'userNoAuth',
  'channelSecret',
  'environment',
] as const;
type Mutation = (typeof MUTATIONS)[number];

const dbArb = fc.record({
  cloud: fc.constantFrom('aws' as const, 'gcp' as const),
  engineIndex: fc.nat(11),
  production: fc.boolean(),
  regionIndex: fc.nat(1),
  schedule: fc.constantFrom(...SCHEDULES),
  retentionDays: fc.integer({ min: 1, max: 40 }),
  pitr: fc.option(fc.integer({ min: 1, max: 35 }), { nil: undefined }),
  copy: fc.constantFrom(undefined, 'region', 'account', 'both'),
  copyRetention: fc.integer({ min: 1, max: 90 }),
  lock: fc.option(fc.constantFrom('governance', 'compliance'), { nil: undefined }),
  keyIndex: fc.option(fc.nat(2), { nil: undefined }),
  storageEncrypted: fc.option(fc.boolean(), { nil: undefined }),
  databases: fc.option(fc.subarray(['app', 'events'], { minLength: 1 }), { nil: undefined }),
  exports: fc.boolean(),
  exclude: fc.boolean(),
  restoreTesting: fc.boolean(),
  notify: fc.boolean(),
  users: fc.boolean(),
  mutations: fc.subarray([...MUTATIONS], { maxLength: 1 }),
});

const repoArb = fc.record({
  dbs: fc.array(dbArb, { minLength: 1, maxLength: 3 }),
  config: fc.subarray(['dropStateAws', 'dropStateGcp', 'dropAgent', 'dropAccount'] as Mutation[], { maxLength: 1 }),
  pubsub: fc.boolean(),
  mutate: fc.boolean(),
});

type RepoCase = typeof repoArb extends fc.Arbitrary<infer T> ? T : never;

function build(c: RepoCase): { config: Obj; specs: Obj[] } {
  const config = baseConfig();
  const clouds = config.clouds as { aws: { accounts: Record<string, Obj> }; gcp: { projects: Record<string, Obj> } };
  const configMutations = c.mutate ? c.config : [];
  if (configMutations.includes('dropStateAws')) delete (config.state as Obj).aws;
  if (configMutations.includes('dropStateGcp')) delete (config.state as Obj).gcp;
  if (configMutations.includes('dropAgent')) delete clouds.gcp.projects.production!.cloudSqlServiceAgent;
  if (configMutations.includes('dropAccount')) delete clouds.gcp.projects.development;
  // One channel per cloud, each with the Slack address its cloud takes (no secret: Chatbot ids, a Cloud Monitoring channel id).
  const specs: Obj[] = [
    channel('ops-aws', { email: ['ops@example.com'], slack: { workspaceId: 'T01OPSTEAM1', channelId: 'C01OPSALRT2' } }),
    channel('ops-gcp', {
      email: ['ops@example.com'],
      slack: { gcpChannel: 'projects/acme-data-prod/notificationChannels/42' },
      ...(c.pubsub ? { pubsub: { topic: 'projects/acme-data-prod/topics/alerts' } } : {}),
    }),
  ];
  c.dbs.forEach((d, i) => {
    const m = new Set<Mutation>(c.mutate ? d.mutations : []);
    const cloud = d.cloud;
    const other = OTHER[cloud];
    const engines = m.has('engine') ? ENGINES[other] : ENGINES[cloud];
    const engine = engines[d.engineIndex % engines.length]!;
    const region = m.has('region') ? REGIONS[other][0]! : REGIONS[cloud][d.production ? d.regionIndex : 0]!;
    const copyRegion = m.has('copyRegion') ? REGIONS[other][1]! : REGIONS[cloud].find((r) => r !== region)!;
    const copyAccount = m.has('copyOwnAccount') ? (d.production ? '111111111111' : '333333333333') : '999999999999';
    const copy = m.has('copyAccountOnly') ? 'account' : cloud === 'gcp' && d.copy === 'account' ? 'region' : d.copy;
    const dbNames = d.databases ?? ['app'];
    const backup: Obj = {
      schedule: m.has('schedule') ? '0 3 1 * 1' : d.schedule,
      retentionDays: d.retentionDays,
      ...(d.pitr ? { pointInTimeRecovery: { enabled: true, retentionDays: d.pitr } } : {}),
      ...(copy
        ? {
            copies: [
              {
                ...(copy !== 'account' ? { region: copyRegion } : {}),
                ...(copy !== 'region' && cloud === 'aws' ? { account: copyAccount } : {}),
                ...(copy === 'account' && cloud === 'gcp' ? { account: copyAccount } : {}),
                retentionDays: d.copyRetention,
              },
            ],
          }
        : {}),
      ...(d.lock ? { vaultLock: { mode: d.lock, minRetentionDays: 1 } } : {}),
      ...(m.has('kmsKey')
        ? { encryption: { kmsKey: KEYS[other][1]! } }
        : d.keyIndex !== undefined
          ? { encryption: { kmsKey: KEYS[cloud][d.keyIndex % KEYS[cloud].length]! } }
          : {}),
      ...(d.exports || m.has('exclusions')
        ? {
            exports: [
              {
                schedule: '0 4 * * *',
                retentionDays: 7,
                ...(m.has('exclusions') ? { excludeDatabases: ['*'] } : d.exclude ? { excludeDatabases: ['scratch'] } : {}),
              },
            ],
          }
        : {}),
      ...(d.restoreTesting || m.has('restoreCron') ? { restoreTesting: { schedule: m.has('restoreCron') ? '0 5 1 * 1' : '0 5 * * 0' } } : {}),
    };
    const iamUser = engine !== 'sqlserver' && cloud === 'gcp';
    const users =
      d.users || m.has('userSecret') || m.has('userNoAuth')
        ? [
            m.has('userNoAuth')
              ? { name: 'app' }
              : m.has('userSecret')
                ? { name: 'app', passwordSecret: cloud === 'gcp' ? 'secretsmanager:x' : 'gcp-secretmanager:x' }
                : iamUser
                  ? { name: 'someone@example.com' }
                  : { name: 'app', passwordSecret: cloud === 'gcp' ? 'gcp-secretmanager:pw' : 'secretsmanager:pw' },
          ]
        : undefined;
    specs.push(
      database(`db-${i}`, {
        environment: m.has('environment') ? 'staging' : d.production ? 'production' : 'development',
        cloud,
        region,
        engine,
        ...(d.storageEncrypted !== undefined ? { storageEncrypted: d.storageEncrypted } : {}),
        ...(engine === 'dynamodb'
          ? m.has('table')
            ? {}
            : { table: { partitionKey: { name: 'id', type: 'S' } } }
          : // An engine whose profile refuses spec.databases (AlloyDB) gets them only when drawn, so it can be accepted.
            d.databases === undefined && engineOn(engine, cloud)?.unsupportedFields?.some((f) => f.field === 'databases')
            ? {}
            : { databases: dbNames }),
        ...(users && engine !== 'dynamodb' && cloud === 'gcp' ? { users } : {}),
        ...(d.notify || m.has('channelSecret') ? { notify: [m.has('channelSecret') ? `ops-${other}` : `ops-${cloud}`] } : {}),
        backup,
      }),
    );
  });
  return { config, specs };
}

describe('validate ✓ implies synth ✓', () => {
  beforeAll(async () => {
    await loadBuilder('aws');
    await loadBuilder('gcp');
  }, 120_000);

  it('builds every database of every repo validate accepts (generated and mutated repos)', () => {
    let accepted = 0;
    let refused = 0;
    let stacks = 0;
    fc.assert(
      fc.property(repoArb, (c) => {
        const { config, specs } = build(c);
        const resolved = resolveFiles(repoFiles(config, specs));
        if (!resolved.ok) {
          refused++;
          // Refusals are clear problems, never a crash: each has a file and a line.
          for (const p of resolved.problems) expect(p.location?.file, p.message).toBeTruthy();
          return;
        }
        accepted++;
        for (const entry of resolved.repo.entries) {
          let failure: unknown;
          try {
            synthStack(entry.db, { config: resolved.repo.config, toolVersion: 'property' });
            stacks++;
          } catch (error) {
            failure = error;
          }
          expect(
            failure,
            `validate accepted ${entry.db.name} but synth failed: ${String((failure as Error | undefined)?.message)}\n${JSON.stringify(specs)}`,
          ).toBeUndefined();
        }
      }),
      { numRuns: 300, seed: 20261130 },
    );
    // Not vacuous: both sides of the property were exercised.
    expect(accepted).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
    expect(stacks).toBeGreaterThan(accepted);
  }, 240_000);
});
