// DynamoDB: one table with its own point-in-time recovery, backed up by AWS Backup.
import { DYNAMODB_NAME } from '../names.js';
import type { EngineProfile } from '../types.js';

export const dynamodb: EngineProfile = {
  name: 'dynamodb',
  title: 'DynamoDB',
  defaultVersion: '',
  logicalDatabases: false,
  table: true,
  aws: {
    // Point-in-time recovery is a setting of the table itself.
    capabilities: ['pitr', 'table-pitr'],
    nameRule: DYNAMODB_NAME,
    facts: {
      construct: 'dynamodb-table',
      restoreType: 'DynamoDB',
      // AWS Backup has no continuous backup for DynamoDB: the table's own PITR is used instead.
      continuousBackup: false,
      copyNote: 'DynamoDB copies need AWS Backup advanced features for DynamoDB turned on in the account (AWS Backup settings)',
      majorParts: 1,
      metricDimension: 'TableName',
      dataResources: { aws_dynamodb_table: ['name', 'restore_source_name', 'restore_date_time', 'restore_to_latest_time'] },
    },
  },
};
