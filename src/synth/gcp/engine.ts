// Cloud SQL engine facts: database_version names, editions and admin users.

export type CloudSqlEngine = 'postgres' | 'mysql' | 'sqlserver';

export const CLOUD_SQL_ENGINES: readonly CloudSqlEngine[] = ['postgres', 'mysql', 'sqlserver'];

export function isCloudSqlEngine(engine: string): engine is CloudSqlEngine {
  return (CLOUD_SQL_ENGINES as readonly string[]).includes(engine);
}

/**
 * Cloud SQL database_version: POSTGRES_16 (a postgres minor such as "16.4" keeps the major),
 * MYSQL_8_0 / MYSQL_8_0_39, SQLSERVER_2022_STANDARD.
 */
export function databaseVersion(engine: CloudSqlEngine, version: string): string {
  if (engine === 'postgres') return `POSTGRES_${version.split('.')[0]}`;
  const tail = version.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return engine === 'mysql' ? `MYSQL_${tail}` : `SQLSERVER_${tail}`;
}

/** db-perf-optimized-* tiers are Enterprise Plus; every other tier (db-custom-*, ...) is Enterprise. */
export function edition(tier: string): 'ENTERPRISE' | 'ENTERPRISE_PLUS' {
  return tier.startsWith('db-perf-optimized-') ? 'ENTERPRISE_PLUS' : 'ENTERPRISE';
}

/** transaction_log_retention_days limit: 35 for Enterprise Plus PostgreSQL, 7 otherwise. */
export function maxLogRetentionDays(engine: CloudSqlEngine, tier: string): number {
  return engine === 'postgres' && edition(tier) === 'ENTERPRISE_PLUS' ? 35 : 7;
}

/** The built-in admin user (its password is set outside Terraform, never root_password). */
export const ADMIN_USER: Readonly<Record<CloudSqlEngine, string>> = { postgres: 'postgres', mysql: 'root', sqlserver: 'sqlserver' };

/**
 * Engines whose root_password would provision nothing: on MySQL the provider deletes the default
 * 'root'@'%' user right after create (google 6.50 google/services/sql/resource_sql_database_instance.go,
 * "If a default root user was created with a wildcard ('%') hostname, delete it"), so a root password
 * set through Terraform only lands in state.
 */
export function rootPasswordDiscarded(engine: CloudSqlEngine): boolean {
  return engine === 'mysql';
}

/** IAM database users are e-mails; service accounts end in .gserviceaccount.com. */
export function iamUserType(name: string): 'CLOUD_IAM_USER' | 'CLOUD_IAM_SERVICE_ACCOUNT' | undefined {
  if (!name.includes('@')) return undefined;
  return name.endsWith('.gserviceaccount.com') ? 'CLOUD_IAM_SERVICE_ACCOUNT' : 'CLOUD_IAM_USER';
}

/** The flag that turns on IAM database authentication. */
export const IAM_AUTH_FLAG: Readonly<Partial<Record<CloudSqlEngine, string>>> = {
  postgres: 'cloudsql.iam_authentication',
  mysql: 'cloudsql_iam_authentication',
};
