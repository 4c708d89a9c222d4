// MySQL: RDS for MySQL on AWS, Cloud SQL for MySQL on GCP.
import { CLOUD_SQL_CAPABILITIES, CLOUD_SQL_DATA, RDS_CAPABILITIES, RDS_INSTANCE_DATA } from '../shared.js';
import type { EngineProfile } from '../types.js';

export const mysql: EngineProfile = {
  name: 'mysql',
  title: 'MySQL',
  defaultVersion: '8.0',
  logicalDatabases: true,
  table: false,
  aws: {
    capabilities: RDS_CAPABILITIES,
    facts: {
      construct: 'rds-instance',
      restoreType: 'RDS',
      continuousBackup: true,
      majorParts: 2,
      tlsParameter: { name: 'require_secure_transport', value: '1' },
      maxConnections: 'mysql',
      metricDimension: 'DBInstanceIdentifier',
      dataResources: RDS_INSTANCE_DATA,
    },
  },
  gcp: {
    // Point-in-time recovery is binary logging, off unless asked for.
    capabilities: [...CLOUD_SQL_CAPABILITIES, 'binlog-pitr'],
    facts: {
      versionPrefix: 'MYSQL',
      // The provider deletes 'root'@'%' right after create (google 6.50
      // google/services/sql/resource_sql_database_instance.go, "If a default root user was created
      // with a wildcard ('%') hostname, delete it"), so a root password set by Terraform only lands in state.
      adminUser: 'root',
      rootPasswordDiscarded: true,
      iamAuthFlag: 'cloudsql_iam_authentication',
      pitrField: 'binaryLogEnabled',
      enterprisePlusLogDays: 7,
      iamServiceAccountWithoutDomain: false,
      exportFile: { fileType: 'SQL', extension: '.sql.gz' },
      dataResources: CLOUD_SQL_DATA,
    },
  },
};
