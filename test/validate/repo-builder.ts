// In-memory infra repos for validate tests: a config and specs as objects, written as JSON (which is
// YAML), so a test can drop or change any block and still get file:line:column locations.
import type { RepoFiles } from '../../src/load/repo.js';

export type Obj = Record<string, unknown>;

export function baseConfig(): Obj {
  return {
    apiVersion: 'dbaas.dev/v1',
    kind: 'Config',
    clouds: {
      aws: {
        accounts: {
          // deployRoleArn: a locked vault's policy names the role CI applies with (required with vaultLock).
          production: { accountId: '111111111111', regions: ['eu-west-1', 'eu-central-1'], deployRoleArn: 'arn:aws:iam::111111111111:role/dbaas-deploy' },
          development: { accountId: '333333333333', regions: ['eu-west-1'], deployRoleArn: 'arn:aws:iam::333333333333:role/dbaas-deploy' },
        },
        sizes: {
          postgres: { small: 'db.t4g.medium' },
          mysql: { small: 'db.t4g.medium' },
          'aurora-postgresql': { small: 'db.t4g.medium' },
          'aurora-mysql': { small: 'db.t4g.medium' },
          dynamodb: { small: 'PAY_PER_REQUEST' },
          mariadb: { small: 'db.t4g.medium' },
        },
      },
      gcp: {
        projects: {
          production: {
            projectId: 'acme-data-prod',
            regions: ['europe-west1', 'europe-west4'],
            network: 'projects/acme-network/global/networks/private',
            cloudSqlServiceAgent: 'service-111111111111@gcp-sa-cloud-sql.iam.gserviceaccount.com',
          },
          development: {
            projectId: 'acme-data-dev',
            regions: ['europe-west1'],
            network: 'projects/acme-network/global/networks/private',
            cloudSqlServiceAgent: 'service-333333333333@gcp-sa-cloud-sql.iam.gserviceaccount.com',
          },
        },
        sizes: {
          postgres: { small: 'db-custom-1-3840' },
          mysql: { small: 'db-custom-1-3840' },
          sqlserver: { small: 'db-custom-2-7680' },
          alloydb: { small: '2' },
        },
      },
    },
    state: { aws: { bucket: 'acme-tfstate', region: 'eu-west-1' }, gcp: { bucket: 'acme-tfstate-gcp' } },
    // Team rules fail closed: every team a test uses is listed, with every environment, and no
    // region or size narrowing (the accounts' and projects' lists apply).
    teams: {
      'team-a': { environments: { production: {}, development: {} } },
      'team-b': { environments: { production: {}, development: {} } },
    },
  };
}

export function database(name: string, spec: Obj): Obj {
  return { apiVersion: 'dbaas.dev/v1', kind: 'Database', metadata: { name, team: 'team-a' }, spec };
}

export function channel(name: string, spec: Obj): Obj {
  return { apiVersion: 'dbaas.dev/v1', kind: 'NotificationChannel', metadata: { name }, spec };
}

export const awsDb = (name: string, extra: Obj = {}, backup: Obj = {}): Obj =>
  database(name, {
    environment: 'development',
    cloud: 'aws',
    region: 'eu-west-1',
    engine: 'postgres',
    backup: { schedule: '0 3 * * *', retentionDays: 7, ...backup },
    ...extra,
  });
export const gcpDb = (name: string, extra: Obj = {}, backup: Obj = {}): Obj =>
  database(name, {
    environment: 'development',
    cloud: 'gcp',
    region: 'europe-west1',
    engine: 'postgres',
    backup: { schedule: '0 3 * * *', retentionDays: 7, ...backup },
    ...extra,
  });

/** Where a document sits: a Database in its team's folder (stacks/<team>/<name>.yaml), others in stacks/<name>.yaml. */
export function specFile(s: Obj, i = 0): string {
  const metadata = s.metadata as Obj | undefined;
  // Bad-input fixtures may give a name of any type; the file is named by whatever String() makes of it.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  const name = String(metadata?.name ?? i);
  return s.kind === 'Database' && typeof metadata?.team === 'string' ? `stacks/${metadata.team}/${name}.yaml` : `stacks/${name}.yaml`;
}

/** The repo: config at dbaas.config.yaml (omitted when null), each spec where specFile puts it. */
export function repoFiles(config: Obj | null, specs: readonly Obj[]): RepoFiles {
  return {
    root: '/in-memory',
    ...(config ? { config: { file: 'dbaas.config.yaml', text: `${JSON.stringify(config, null, 2)}\n` } } : {}),
    specs: specs.map((s, i) => ({ file: specFile(s, i), text: `${JSON.stringify(s, null, 2)}\n` })),
    policies: [],
    problems: [],
  };
}
