// Writes a synthetic infra repo of N databases for the benchmark: the example repo's config with
// team rules widened to every generated team, shared BackupPolicies and NotificationChannels, and
// one spec file per database under stacks/<team>/, over both clouds, every engine and every
// environment. Deterministic: database i is the same whatever N is, so the 1,000 repo is the first
// thousand databases of the 10,000 one. Every generated repo passes `dbaas validate` (warnings only).
//
//   node bench/generate.mjs --n 1000 --out /tmp/infra-1000 [--git]
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { parseDocument } from 'yaml';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const EXAMPLE_CONFIG = path.join(PROJECT_ROOT, 'dbaas.config.yaml');

export const TEAMS = [
  'payments',
  'identity',
  'analytics',
  'search',
  'billing',
  'catalog',
  'checkout',
  'fraud',
  'growth',
  'inventory',
  'logistics',
  'marketing',
  'messaging',
  'mobile',
  'partners',
  'pricing',
  'reviews',
  'risk',
  'shipping',
  'support',
];

/**
 * Every engine of every cloud (schemas/database.schema.json) that validate accepts: SQL Server on GCP
 * is refused (its root_password would be kept in Terraform state).
 */
export const COMBOS = [
  { cloud: 'aws', engine: 'postgres', short: 'pg' },
  { cloud: 'gcp', engine: 'postgres', short: 'csql-pg' },
  { cloud: 'aws', engine: 'mysql', short: 'my' },
  { cloud: 'aws', engine: 'dynamodb', short: 'ddb' },
  { cloud: 'gcp', engine: 'mysql', short: 'csql-my' },
  { cloud: 'aws', engine: 'aurora-postgresql', short: 'apg' },
  { cloud: 'aws', engine: 'aurora-mysql', short: 'amy' },
];
export const ENVIRONMENTS = ['production', 'staging', 'development'];

/** Regions the example config gives each cloud and environment. */
const REGIONS = {
  aws: { production: ['eu-west-1', 'eu-central-1'], staging: ['eu-west-1', 'eu-central-1'], development: ['eu-west-1'] },
  gcp: { production: ['europe-west1', 'europe-west4'], staging: ['europe-west1', 'europe-west4'], development: ['europe-west1'] },
};
const OTHER_REGION = { 'eu-west-1': 'eu-central-1', 'eu-central-1': 'eu-west-1', 'europe-west1': 'europe-west4', 'europe-west4': 'europe-west1' };
/** Shared production policies, keyed by the primary region (the offsite copy goes to the other one). */
const PROD_POLICY = { 'eu-west-1': 'aws-prod-west', 'eu-central-1': 'aws-prod-central', 'europe-west1': 'gcp-prod-west1', 'europe-west4': 'gcp-prod-west4' };
const BACKUP_ACCOUNT = '999999999999';
const NOUNS = ['orders', 'users', 'events', 'ledger', 'carts', 'sessions', 'audit', 'reports', 'catalog', 'quotes', 'invoices', 'metrics'];
const SCHEMA_COMMENT = (kind) => `# yaml-language-server: $schema=../../schemas/${kind}.schema.json`;

/** mulberry32: a tiny seeded PRNG, so choices are random-looking but fixed per database index. */
function rngFor(index) {
  let a = (Math.imul(index + 1, 0x9e3779b1) ^ 0x5bd1e995) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = (rand, items) => items[Math.floor(rand() * items.length)];

function configText() {
  const doc = parseDocument(readFileSync(EXAMPLE_CONFIG, 'utf8'));
  const everyRegion = [...REGIONS.aws.production, ...REGIONS.gcp.production];
  const sizes = ['small', 'medium', 'large'];
  // Team rules stay in force (resolve filters them per account) but allow everything generated.
  const teams = Object.fromEntries(
    TEAMS.map((team) => [team, { environments: Object.fromEntries(ENVIRONMENTS.map((env) => [env, { regions: everyRegion, sizes }])) }]),
  );
  doc.set('teams', doc.createNode(teams, { flow: false }));
  // The bench measures database stacks; the account baselines would add the same 8 stacks at every N.
  doc.delete('baseline');
  return doc.toString({ lineWidth: 0 });
}

// GCP policies carry no restoreTesting, maxRetentionDays or separate copy retention (validate refuses
// them on GCP, src/validate/unsupported-gcp.ts) and back up in the evening, clear of nightly exports.
function policiesText() {
  const prod = (name, cloud, region) => `apiVersion: dbaas.dev/v1
kind: BackupPolicy
metadata:
  name: ${name}
spec:
  schedule: "0 ${cloud === 'aws' ? 3 : 20} * * *"
  retentionDays: 35
  pointInTimeRecovery: { enabled: true, retentionDays: 7 }
  copies:
    - region: ${OTHER_REGION[region]}
      retentionDays: ${cloud === 'aws' ? 90 : 35}
  vaultLock: { mode: compliance, minRetentionDays: 35${cloud === 'aws' ? ', maxRetentionDays: 365' : ''} }
  encryption: { kmsKey: managed }
${cloud === 'gcp' ? '  exports:\n    - schedule: "0 3 * * *"\n      timezone: Europe/Brussels\n      retentionDays: 30\n' : ''}  alerts: { onFailure: true, missingAfterHours: 26 }
${cloud === 'aws' ? '  restoreTesting: { schedule: "0 5 * * 0" }\n' : ''}`;
  const docs = [
    ...Object.entries(PROD_POLICY).map(([region, name]) => prod(name, region.startsWith('eu-') ? 'aws' : 'gcp', region)),
    `apiVersion: dbaas.dev/v1
kind: BackupPolicy
metadata:
  name: nonprod-daily
spec:
  schedule: "30 1 * * *"
  retentionDays: 7
  alerts: { onFailure: true, missingAfterHours: 26 }
`,
    `apiVersion: dbaas.dev/v1
kind: BackupPolicy
metadata:
  name: nonprod-twice-daily
spec:
  schedule: "0 */12 * * *"
  retentionDays: 5
  pointInTimeRecovery: { enabled: true, retentionDays: 3 }
  alerts: { onFailure: true, missingAfterHours: 14 }
`,
  ];
  return `${SCHEMA_COMMENT('backup-policy')}\n# Shared backup policies (generated for the benchmark).\n${docs.join('---\n')}`;
}

const pubsubTeam = (teamIndex) => teamIndex % 3 === 0;

/**
 * Per team one channel for AWS databases and one for GCP ones: a GCP stack notifies a Slack channel
 * created once in Cloud Monitoring (by id), an AWS stack posts through AWS Chatbot (workspace and
 * channel ids). No stack reads a secret.
 */
function channelsText() {
  const channel = (name, lines) =>
    `apiVersion: dbaas.dev/v1\nkind: NotificationChannel\nmetadata: { name: ${name} }\nspec:\n${lines.map((l) => `  ${l}\n`).join('')}`;
  const docs = [channel('platform-oncall', ['email: [platform-oncall@example.com]'])];
  TEAMS.forEach((team, i) => {
    const emails = `email: [${team}-oncall@example.com${i % 4 === 1 ? `, ${team}-lead@example.com` : ''}]`;
    const slack = i % 2 === 0;
    // AWS posts to Slack through AWS Chatbot: workspace and channel ids, no webhook.
    const ids = String(i).padStart(4, '0');
    docs.push(channel(`${team}-oncall`, [emails, ...(slack ? [`slack: { workspaceId: T0BENCH${ids}, channelId: C0BENCH${ids} }`] : [])]));
    docs.push(
      channel(`${team}-gcp-oncall`, [
        emails,
        ...(slack ? [`slack: { gcpChannel: projects/acme-data-prod/notificationChannels/${7100 + i} }`] : []),
        ...(pubsubTeam(i) ? [`pubsub: { topic: projects/acme-data-prod/topics/${team}-alerts }`] : []),
      ]),
    );
  });
  return `${SCHEMA_COMMENT('notification-channel')}\n# Where alerts go (generated for the benchmark). No secret: Slack on GCP is a channel id.\n${docs.join('---\n')}`;
}

/** The description of database `index`: everything its spec file is written from. */
export function databaseAt(index) {
  const rand = rngFor(index);
  const teamIndex = index % TEAMS.length;
  const team = TEAMS[teamIndex];
  const combo = COMBOS[index % COMBOS.length];
  const environment = ENVIRONMENTS[Math.floor(index / COMBOS.length) % ENVIRONMENTS.length];
  const name = `${team}-${NOUNS[Math.floor(index / TEAMS.length) % NOUNS.length]}-${combo.short}-${index}`;
  const region = pick(rand, REGIONS[combo.cloud][environment]);
  const style = pick(rand, ['shared', 'shared', 'shared', 'override', 'inline']);
  return { index, team, teamIndex, name, environment, region, style, rand, ...combo };
}

function backupLines(db) {
  const { cloud, engine, environment, region, style, rand } = db;
  if (environment === 'production') {
    const policy = PROD_POLICY[region];
    // About one production AWS database in 30 keeps its copies in-region under a waiver (data residency).
    if (cloud === 'aws' && style === 'shared' && db.index % 17 === 0) return { lines: [`policy: ${policy}`, 'copies: []'], waiver: true };
    if (style === 'shared') return { lines: [`policy: ${policy}`] };
    if (style === 'override') {
      if (cloud === 'aws') {
        return {
          lines: [
            `policy: ${policy}`,
            'retentionDays: 42',
            'copies:',
            `  - region: ${OTHER_REGION[region]}`,
            '    retentionDays: 90',
            `  - account: "${BACKUP_ACCOUNT}"`,
            '    retentionDays: 365',
          ],
        };
      }
      return {
        lines: [`policy: ${policy}`, 'exports:', '  - schedule: "0 4 * * *"', '    retentionDays: 30', '    excludeDatabases: [scratch]'],
      };
    }
    return {
      lines: [
        `schedule: "15 ${cloud === 'gcp' ? 20 : 2} * * *"`,
        'retentionDays: 35',
        `pointInTimeRecovery: { enabled: true, retentionDays: ${pick(rand, [7, 14])} }`,
        'copies:',
        `  - region: ${OTHER_REGION[region]}`,
        `    retentionDays: ${cloud === 'gcp' ? 35 : 60}`,
        `vaultLock: { mode: ${pick(rand, ['compliance', 'governance'])}, minRetentionDays: 30 }`,
        `encryption: { kmsKey: ${cloud === 'aws' ? pick(rand, ['managed', 'alias/dbaas-backups']) : 'managed'} }`,
        ...(cloud === 'gcp' ? ['exports:', '  - schedule: "0 3 * * *"', '    retentionDays: 14'] : []),
        'alerts: { onFailure: true, missingAfterHours: 26 }',
        ...(cloud === 'aws' ? ['restoreTesting: { schedule: "0 6 * * 6" }'] : []),
      ],
    };
  }
  const wantsPitr = engine === 'dynamodb' || (cloud === 'gcp' && engine === 'mysql') || engine.startsWith('aurora');
  if (style === 'inline') {
    return {
      lines: [
        `schedule: "${pick(rand, ['0 4 * * *', '45 0 * * *'])}"`,
        `retentionDays: ${pick(rand, [3, 7, 14])}`,
        'alerts: { onFailure: true, missingAfterHours: 26 }',
      ],
    };
  }
  const policy = rand() < 0.3 ? 'nonprod-twice-daily' : 'nonprod-daily';
  return { lines: [`policy: ${policy}`, ...(style === 'override' && wantsPitr ? ['pointInTimeRecovery: { enabled: true, retentionDays: 3 }'] : [])] };
}

const SIZES = { production: ['medium', 'large'], staging: ['small', 'medium'], development: ['small'] };
const VERSIONS = { aws: { postgres: '16.4', mysql: '8.0.39' }, gcp: { postgres: '16', mysql: '8.0', sqlserver: '2022_standard' } };

/** The spec file text of database `index`. */
export function databaseSpec(index) {
  const db = databaseAt(index);
  const { cloud, engine, environment, rand } = db;
  const production = environment === 'production';
  const dynamo = engine === 'dynamodb';
  const backup = backupLines(db);
  const notify = [cloud === 'gcp' ? `${db.team}-gcp-oncall` : `${db.team}-oncall`, ...(production ? ['platform-oncall'] : [])];
  const dbNames = db.style === 'override' && cloud === 'gcp' && production ? ['main', 'events', 'scratch'] : rand() < 0.5 ? [db.name.split('-')[1]] : undefined;
  const explicitVersion = VERSIONS[cloud][engine];
  const lines = [
    SCHEMA_COMMENT('database'),
    `# ${db.team}: ${environment} ${engine} on ${cloud} (generated for the benchmark, style ${db.style}).`,
    'apiVersion: dbaas.dev/v1',
    'kind: Database',
    'metadata:',
    `  name: ${db.name}`,
    `  team: ${db.team}`,
    `  labels: { cost-center: cc-${1000 + db.teamIndex * 37}${rand() < 0.3 ? ', tier: critical' : ''} }`,
    'spec:',
    `  environment: ${environment}`,
    `  cloud: ${cloud}`,
    `  region: ${db.region}`,
    `  engine: ${engine}`,
    ...(explicitVersion && rand() < 0.5 ? [`  version: "${explicitVersion}"`] : []),
    `  size: ${pick(rand, SIZES[environment])}`,
    ...(dynamo
      ? ['  table:', '    partitionKey: { name: id, type: S }', ...(rand() < 0.5 ? ['    sortKey: { name: createdAt, type: N }'] : [])]
      : [`  storageGb: ${pick(rand, [20, 50, 100, 200])}`]),
    ...(production && !dynamo ? ['  highAvailability: true'] : []),
    ...(!dynamo && dbNames ? [`  databases: [${dbNames.join(', ')}]`] : []),
    ...(production && !dynamo && rand() < 0.3 ? ['  maintenanceWindow: { day: sun, startTime: "08:00" }'] : []),
    // GCP builds no restore drill, so validate refuses rtoHours there (src/validate/unsupported-gcp.ts).
    ...(production && rand() < 0.5 ? [cloud === 'gcp' ? '  objectives: { rpoHours: 24 }' : '  objectives: { rpoHours: 24, rtoHours: 4 }'] : []),
    '  backup:',
    ...backup.lines.map((l) => `    ${l}`),
    `  notify: [${notify.join(', ')}]`,
    ...(backup.waiver
      ? [
          '  waivers:',
          '    - guardrail: offsite-copy-required',
          '      reason: data residency keeps every copy in one region (DPA-2026-14)',
          '      expires: "2027-05-15"',
        ]
      : []),
  ];
  return { db, text: `${lines.join('\n')}\n` };
}

export function specPath(db) {
  return path.join('stacks', db.team, `${db.name}.yaml`);
}

/**
 * Writes the repo of `n` databases into `dir` (emptied first). With `git`, makes it a git repo with
 * one commit (fixed author and dates, so the commit is the same every time).
 */
export async function generateRepo(dir, n, { git = true } = {}) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'stacks', 'shared'), { recursive: true });
  for (const team of TEAMS) mkdirSync(path.join(dir, 'stacks', team), { recursive: true });
  writeFileSync(path.join(dir, 'dbaas.config.yaml'), configText());
  writeFileSync(path.join(dir, 'stacks', 'shared', 'backup-policies.yaml'), policiesText());
  writeFileSync(path.join(dir, 'stacks', 'shared', 'channels.yaml'), channelsText());
  let bytes = 0;
  const counts = { clouds: {}, engines: {}, environments: {}, styles: {} };
  const bump = (table, key) => (table[key] = (table[key] ?? 0) + 1);
  for (let i = 0; i < n; i++) {
    const { db, text } = databaseSpec(i);
    writeFileSync(path.join(dir, specPath(db)), text);
    bytes += text.length;
    bump(counts.clouds, db.cloud);
    bump(counts.engines, `${db.cloud}/${db.engine}`);
    bump(counts.environments, db.environment);
    bump(counts.styles, db.style);
  }
  if (git) await commitAll(dir);
  return { dir, databases: n, specBytes: bytes, counts };
}

async function commitAll(dir) {
  const env = {
    GIT_AUTHOR_NAME: 'dbaas bench',
    GIT_AUTHOR_EMAIL: 'bench@example.com',
    GIT_COMMITTER_NAME: 'dbaas bench',
    GIT_COMMITTER_EMAIL: 'bench@example.com',
    GIT_AUTHOR_DATE: '2026-11-01T00:00:00Z',
    GIT_COMMITTER_DATE: '2026-11-01T00:00:00Z',
  };
  const git = (args) => execa('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', '-c', 'core.autocrlf=false', ...args], { cwd: dir, env });
  await git(['init', '--quiet']);
  await git(['add', '--all']);
  await git(['commit', '--quiet', '--no-verify', '-m', 'generated infra repo']);
}

/**
 * Edits one database's spec in the working tree (a storage bump, as a PR would), for `dbaas plan`
 * against HEAD. Picks the first database from the middle on that has storage; returns its name.
 */
export function touchOneDatabase(dir, n) {
  for (let offset = 0; offset < n; offset++) {
    const index = (Math.floor(n / 2) + offset) % n;
    const { db, text } = databaseSpec(index);
    const match = /^ {2}storageGb: (\d+)$/m.exec(text);
    if (!match) continue;
    const edited = text.replace(match[0], `  storageGb: ${Number(match[1]) + 10}`);
    writeFileSync(path.join(dir, specPath(db)), edited);
    return { name: db.name, file: specPath(db) };
  }
  throw new Error('no database with storageGb to touch');
}

async function main() {
  const { values } = parseArgs({
    options: {
      n: { type: 'string', default: '100' },
      out: { type: 'string' },
      git: { type: 'boolean', default: true },
      'no-git': { type: 'boolean', default: false },
      touch: { type: 'boolean', default: false },
    },
  });
  const n = Number(values.n);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--n ${values.n}: expected a positive integer`);
  if (!values.out) throw new Error('--out DIR is required (the folder is emptied first)');
  const result = await generateRepo(path.resolve(values.out), n, { git: values.git && !values['no-git'] });
  const touched = values.touch ? touchOneDatabase(result.dir, n) : undefined;
  process.stdout.write(`${JSON.stringify({ ...result, ...(touched ? { touched } : {}) }, null, 2)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`generate: ${error.message}\n`);
    process.exitCode = 2;
  });
}
