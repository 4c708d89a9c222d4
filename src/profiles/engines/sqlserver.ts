// SQL Server: Cloud SQL for SQL Server (refused at validate today, see validate/unsupported-gcp.ts).
import { CLOUD_SQL_CAPABILITIES, CLOUD_SQL_DATA } from '../shared.js';
import type { EngineProfile } from '../types.js';

export const sqlserver: EngineProfile = {
  name: 'sqlserver',
  title: 'SQL Server',
  defaultVersion: '2022_standard',
  logicalDatabases: true,
  table: false,
  gcp: {
    capabilities: CLOUD_SQL_CAPABILITIES,
    facts: {
      versionPrefix: 'SQLSERVER',
      adminUser: 'sqlserver',
      rootPasswordDiscarded: false,
      pitrField: 'pointInTimeRecoveryEnabled',
      enterprisePlusLogDays: 7,
      iamServiceAccountWithoutDomain: false,
      exportFile: { fileType: 'BAK', extension: '.bak' },
      dataResources: CLOUD_SQL_DATA,
    },
  },
};
