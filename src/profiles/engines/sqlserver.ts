// SQL Server: Cloud SQL for SQL Server, refused (see refused below).
import { CLOUD_SQL_CAPABILITIES, CLOUD_SQL_DATA } from '../shared.js';
import type { EngineProfile } from '../types.js';
import { ERR } from '../../error-codes.js';

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
      // google 6.50 sql_database_instance: root_password "Required for MS SQL Server", sensitive but not
      // write-only (root_password_wo came later), so the sqlserver password would sit in state.
      refused: {
        reason:
          'Cloud SQL for SQL Server needs the sqlserver password at create, and google 6.50 keeps root_password in Terraform state ' +
          '(no write-only form), which the pull-request plan job can read; SQL Server also has no IAM database authentication on Cloud SQL',
        instead: 'engine: postgres or mysql on GCP (IAM database users, admin password set outside Terraform)',
        code: ERR.GCP_SQLSERVER,
        summary: 'Cloud SQL for SQL Server needs a root_password at create, which google 6.50 keeps in Terraform state',
        expected: 'postgres or mysql on GCP',
      },
    },
  },
};
