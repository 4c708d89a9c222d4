// Cloud SQL engine facts: database_version names, editions and admin users, read from the engine
// profiles (src/profiles/engines/*.ts, their gcp section).
import { enginesOn, gcpConstructOf, gcpFacts, type GcpEngineFacts } from '../../profiles/index.js';

/** An engine whose gcp profile is built by the Cloud SQL construct. */
export type CloudSqlEngine = string;

export function isCloudSqlEngine(engine: string): engine is CloudSqlEngine {
  return gcpConstructOf(engine) === 'cloud-sql';
}

export const CLOUD_SQL_ENGINES: readonly CloudSqlEngine[] = enginesOn('gcp').filter(isCloudSqlEngine);

/**
 * Cloud SQL database_version: POSTGRES_16 (a postgres minor such as "16.4" keeps the major),
 * MYSQL_8_0 / MYSQL_8_0_39, SQLSERVER_2022_STANDARD.
 */
export function databaseVersion(engine: CloudSqlEngine, version: string): string {
  const prefix = gcpFacts(engine).versionPrefix;
  if (prefix === 'POSTGRES') return `POSTGRES_${version.split('.')[0]}`;
  const tail = version.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return `${prefix}_${tail}`;
}

/** db-perf-optimized-* tiers are Enterprise Plus; every other tier (db-custom-*, ...) is Enterprise. */
export function edition(tier: string): 'ENTERPRISE' | 'ENTERPRISE_PLUS' {
  return tier.startsWith('db-perf-optimized-') ? 'ENTERPRISE_PLUS' : 'ENTERPRISE';
}

/** transaction_log_retention_days limit: 35 for Enterprise Plus PostgreSQL, 7 otherwise. */
export function maxLogRetentionDays(engine: CloudSqlEngine, tier: string): number {
  return edition(tier) === 'ENTERPRISE_PLUS' ? gcpFacts(engine).enterprisePlusLogDays : 7;
}

const facts = (pick: (f: GcpEngineFacts) => string | undefined): Readonly<Record<CloudSqlEngine, string>> =>
  Object.fromEntries(
    CLOUD_SQL_ENGINES.flatMap((e) => {
      const value = pick(gcpFacts(e));
      return value === undefined ? [] : [[e, value]];
    }),
  );

/** The built-in admin user (its password is set outside Terraform, never root_password). */
export const ADMIN_USER: Readonly<Record<CloudSqlEngine, string>> = facts((f) => f.adminUser);

/** Engines whose root_password would provision nothing (see the mysql profile). */
export function rootPasswordDiscarded(engine: CloudSqlEngine): boolean {
  return gcpFacts(engine).rootPasswordDiscarded;
}

/** IAM database users are e-mails; service accounts end in .gserviceaccount.com. */
export function iamUserType(name: string): 'CLOUD_IAM_USER' | 'CLOUD_IAM_SERVICE_ACCOUNT' | undefined {
  if (!name.includes('@')) return undefined;
  return name.endsWith('.gserviceaccount.com') ? 'CLOUD_IAM_SERVICE_ACCOUNT' : 'CLOUD_IAM_USER';
}

/** The flag that turns on IAM database authentication. */
export const IAM_AUTH_FLAG: Readonly<Partial<Record<CloudSqlEngine, string>>> = facts((f) => f.iamAuthFlag);
