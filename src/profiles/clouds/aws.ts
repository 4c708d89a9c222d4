// AWS: one account per environment, AWS Backup, CloudWatch, hashicorp/aws 5.100.0.
import { RDS_NAME } from '../names.js';
import { DEFAULT_STATE_PREFIX, type CloudProfile } from '../types.js';

export const aws: CloudProfile = {
  name: 'aws',
  title: 'AWS',
  builder: async () => (await import('../../synth/aws/index.js')).buildAwsStack,
  nameRule: RDS_NAME,
  placementKey: 'accounts',
  placementNoun: 'account',
  configBlock: 'clouds.aws (accounts.<environment>: accountId, regions; sizes) and state.aws (bucket, region)',
  // What src/synth/aws/monitoring.ts secretValue reads.
  secretStores: ['secretsmanager', 'ssm'],
  provider: { source: 'hashicorp/aws', version: '5.100.0' },
  stateBackend: (database, config) => {
    const s3 = config.state.aws;
    if (!s3) return undefined;
    return {
      type: 's3',
      bucket: s3.bucket,
      region: s3.region,
      key: `${s3.keyPrefix ?? DEFAULT_STATE_PREFIX}/${database}/terraform.tfstate`,
      lock: s3.dynamodbTable ? { dynamodbTable: s3.dynamodbTable } : { useLockfile: true },
    };
  },
  stateBlock: 'state.aws: { bucket, region, keyPrefix }',
  region: { definition: 'AwsRegion', pattern: '^[a-z]{2}(-[a-z]+)+-\\d{1,2}$', description: 'an AWS region such as eu-west-1' },
  dataResources: {
    aws_backup_vault: ['name', 'kms_key_arn'],
    aws_backup_vault_lock_configuration: ['backup_vault_name'],
  },
  dataBearingTypes: ['aws_backup_plan', 'aws_backup_selection', 'aws_kms_key'],
};
