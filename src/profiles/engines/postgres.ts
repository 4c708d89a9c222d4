// PostgreSQL: RDS for PostgreSQL on AWS, Cloud SQL for PostgreSQL on GCP.
import { CLOUD_SQL_CAPABILITIES, CLOUD_SQL_DATA, RDS_CAPABILITIES, RDS_INSTANCE_DATA } from '../shared.js';
import type { EngineProfile } from '../types.js';

export const postgres: EngineProfile = {
  name: 'postgres',
  title: 'PostgreSQL',
  defaultVersion: '16',
  logicalDatabases: true,
  table: false,
  aws: {
    capabilities: RDS_CAPABILITIES,
    facts: {
      construct: 'rds-instance',
      restoreType: 'RDS',
      continuousBackup: true,
      majorParts: 1,
      tlsParameter: { name: 'rds.force_ssl', value: '1' },
      maxConnections: 'postgres',
      metricDimension: 'DBInstanceIdentifier',
      dataResources: RDS_INSTANCE_DATA,
    },
  },
  gcp: {
    capabilities: CLOUD_SQL_CAPABILITIES,
    facts: {
      versionPrefix: 'POSTGRES',
      adminUser: 'postgres',
      iamAuthFlag: 'cloudsql.iam_authentication',
      rootPasswordDiscarded: false,
      pitrField: 'pointInTimeRecoveryEnabled',
      enterprisePlusLogDays: 35,
      iamServiceAccountWithoutDomain: true,
      exportFile: { fileType: 'SQL', extension: '.sql.gz' },
      dataResources: CLOUD_SQL_DATA,
    },
  },
};
