// The runbook every AWS alert carries: what failed, where to look in the console, and the exact
// commands to look and to re-run, with this database's vault, role and resource ARN (cdktf tokens,
// resolved by Terraform). Pure text building: monitoring.ts places it in the EventBridge targets'
// input transformers and the alarms' alarm_description.
//
// Limits (checked against AWS's API references):
// - CloudWatch PutMetricAlarm AlarmDescription: 0 to 1024 characters.
// - EventBridge InputTransformer InputTemplate: 1 to 8192 characters; InputPathsMap: at most 100 paths,
//   keys of letters, digits and underscores.
// Names here are the stack's own: vault names are at most 50 characters, role names 64, and RDS or
// DynamoDB ARNs a ~60-character prefix plus an identifier built from the database name (at most 63),
// so TOKEN_BUDGET bounds each one while it is still a token.
import type { AwsConstruct, AwsEngineFacts } from '../../profiles/index.js';
import type { JobEventId } from './monitoring.js';

export const MAX_ALARM_DESCRIPTION = 1024;
export const MAX_INPUT_TEMPLATE = 8192;
/** What an unresolved token (an ARN or a name) may grow to once Terraform resolves it. */
export const TOKEN_BUDGET = 160;

export interface AwsRunbookTarget {
  readonly database: string;
  readonly environment: string;
  readonly region: string;
  readonly partition: string;
  /** The vault the scheduled backups write to (name; a token or a literal). */
  readonly vaultName: string;
  /** The AWS Backup role (ARN). */
  readonly roleArn: string;
  /** The protected resource (ARN). */
  readonly resourceArn: string;
  /** The construct that built the database (its console page and describe command). */
  readonly construct: AwsConstruct;
  /** AWS Backup's resource type for it. */
  readonly restoreType: AwsEngineFacts['restoreType'];
  /** DB instance / cluster identifier or table name. */
  readonly identifier: string;
}

/** The console of a partition (commercial, GovCloud and China have their own). */
export function consoleBase(partition: string, region: string): string {
  if (partition === 'aws-us-gov') return 'https://console.amazonaws-us-gov.com';
  if (partition === 'aws-cn') return 'https://console.amazonaws.cn';
  return `https://${region}.console.aws.amazon.com`;
}

/** The length of `text` once each cdktf token in it is resolved, at most (TOKEN_BUDGET per token). */
export function resolvedLengthBound(text: string): number {
  return text.replace(/\$\{TfToken\[[^\]]*\]\}/g, 'x'.repeat(TOKEN_BUDGET)).length;
}

const startBackup = (t: AwsRunbookTarget) =>
  `aws backup start-backup-job --backup-vault-name ${t.vaultName} --resource-arn ${t.resourceArn} --iam-role-arn ${t.roleArn} --region ${t.region}`;
const listFailed = (t: AwsRunbookTarget) => `aws backup list-backup-jobs --by-backup-vault-name ${t.vaultName} --by-state FAILED --region ${t.region}`;

/**
 * The message an EventBridge rule sends for a failed job, as an input transformer: the event's job id,
 * state and status message are placeholders (`<name>`, filled by EventBridge from inputPaths); the
 * rest is this database's runbook. The template is one JSON string, so SNS delivers readable text to
 * email and chat rather than the raw event JSON.
 */
export function jobFailureMessage(event: JobEventId, t: AwsRunbookTarget): { inputPaths: Record<string, string>; inputTemplate: string } {
  const console = consoleBase(t.partition, t.region);
  const head = `dbaas ${t.database} (${t.environment}, ${t.region}):`;
  let inputPaths: Record<string, string>;
  let lines: string[];
  if (event === 'backup') {
    inputPaths = { job: '$.detail.backupJobId', state: '$.detail.state', reason: '$.detail.statusMessage', time: '$.time' };
    lines = [
      `${head} AWS Backup job <job> ended <state> at <time>.`,
      'Reason: <reason>',
      `Console: ${console}/backup/home?region=${t.region}#/jobs/backup/details/<job>`,
      `Look: aws backup describe-backup-job --backup-job-id <job> --region ${t.region}`,
      `Look: ${listFailed(t)}`,
      `Re-run: ${startBackup(t)}`,
    ];
  } else if (event === 'copy') {
    inputPaths = {
      job: '$.detail.copyJobId',
      state: '$.detail.state',
      reason: '$.detail.statusMessage',
      point: '$.detail.sourceRecoveryPointArn',
      destination: '$.detail.destinationBackupVaultArn',
      time: '$.time',
    };
    lines = [
      `${head} AWS Backup copy job <job> ended <state> at <time>.`,
      'Reason: <reason>',
      `Console: ${console}/backup/home?region=${t.region}#/jobs/copy/details/<job>`,
      `Look: aws backup describe-copy-job --copy-job-id <job> --region ${t.region}`,
      `Re-run: aws backup start-copy-job --recovery-point-arn <point> --source-backup-vault-name ` +
        `${t.vaultName} --destination-backup-vault-arn <destination> --iam-role-arn ${t.roleArn} --region ` +
        `${t.region}`,
    ];
  } else {
    inputPaths = { job: '$.detail.restoreJobId', status: '$.detail.status', reason: '$.detail.statusMessage', time: '$.time' };
    lines = [
      `${head} AWS Backup restore job <job> ended <status> at <time> (restore tests of ${t.identifier} restore from vault ${t.vaultName}).`,
      'Reason: <reason>',
      `Console: ${console}/backup/home?region=${t.region}#/jobs/restore/details/<job>`,
      `Look: aws backup describe-restore-job --restore-job-id <job> --region ${t.region}`,
      `Look: aws backup get-restore-job-metadata --restore-job-id <job> --region ${t.region}`,
      `Re-run: aws backup start-restore-job --recovery-point-arn RECOVERY_POINT_ARN_FROM_DESCRIBE ` +
        `--metadata file://metadata.json --iam-role-arn ${t.roleArn} --region ${t.region} (metadata from ` +
        `get-restore-job-metadata)`,
    ];
  }
  const inputTemplate = JSON.stringify(lines.join('\n'));
  if (resolvedLengthBound(inputTemplate) > MAX_INPUT_TEMPLATE) throw new Error(`EventBridge input template over ${MAX_INPUT_TEMPLATE} characters`);
  return { inputPaths, inputTemplate };
}

/**
 * The message of the restore-time rule (objectives.ts): AWS Config says a restore of this database took
 * longer than its RTO. Readable text like the job failures, with the commands to look and to time a
 * restore again.
 */
export function slowRestoreMessage(
  t: AwsRunbookTarget,
  configRuleName: string,
  rtoHours: number,
): { inputPaths: Record<string, string>; inputTemplate: string } {
  const console = consoleBase(t.partition, t.region);
  const lines = [
    `dbaas ${t.database} (${t.environment}, ${t.region}): a restore of <resource> took longer than its ` +
      `RTO of ${rtoHours} h; AWS Config rule ${configRuleName} turned NON_COMPLIANT at <time>.`,
    `Console: ${console}/backup/home?region=${t.region}#/jobs/restore`,
    `Look: aws backup list-restore-jobs --by-resource-type ${t.restoreType} --region ${t.region} (CompletionDate minus CreationDate is the restore time)`,
    `Look: aws configservice get-compliance-details-by-config-rule --config-rule-name ${configRuleName} --compliance-types NON_COMPLIANT --region ${t.region}`,
    `Re-run: aws backup start-restore-job --recovery-point-arn RECOVERY_POINT_ARN --metadata ` +
      `file://metadata.json --iam-role-arn ${t.roleArn} --region ${t.region} (a test restore from vault ` +
      `${t.vaultName}, timed again)`,
  ];
  const inputTemplate = JSON.stringify(lines.join('\n'));
  if (resolvedLengthBound(inputTemplate) > MAX_INPUT_TEMPLATE) throw new Error(`EventBridge input template over ${MAX_INPUT_TEMPLATE} characters`);
  return { inputPaths: { resource: '$.detail.resourceId', time: '$.time' }, inputTemplate };
}

/**
 * A runbook as an alarm_description: required lines first, optional ones dropped from the end until
 * it fits CloudWatch's 1024 characters (with every token at its budget).
 */
export function alarmDescription(required: readonly string[], optional: readonly string[] = []): string {
  const fits = (lines: readonly string[]) => resolvedLengthBound(lines.join('\n')) <= MAX_ALARM_DESCRIPTION;
  if (!fits(required)) throw new Error(`alarm_description over ${MAX_ALARM_DESCRIPTION} characters: ${required[0]}`);
  const lines = [...required];
  for (const line of optional) if (fits([...lines, line])) lines.push(line);
  return lines.join('\n');
}

/** The missing-backup alarm's runbook. */
export function backupMissingDescription(t: AwsRunbookTarget, hours: number): string {
  const console = consoleBase(t.partition, t.region);
  return alarmDescription(
    [
      `dbaas ${t.database} (${t.environment}): no AWS Backup job created in ${hours} hours ` +
        `(INSUFFICIENT_DATA means none: AWS Backup publishes no zero counts).`,
      `Console: ${console}/backup/home?region=${t.region}#/jobs/backup`,
      `Re-run: ${startBackup(t)}`,
    ],
    [`Look: aws backup list-backup-jobs --by-backup-vault-name ${t.vaultName} --region ${t.region} --max-results 5`, `Look: ${listFailed(t)}`],
  );
}

/** A health alarm's runbook: what crossed its threshold, the console page and the commands to look. */
export function healthDescription(t: AwsRunbookTarget, what: string, alarmName: string): string {
  const console = consoleBase(t.partition, t.region);
  const page =
    t.construct === 'dynamodb-table'
      ? `${console}/dynamodbv2/home?region=${t.region}#table?name=${t.identifier}`
      : `${console}/rds/home?region=${t.region}#database:id=${t.identifier};is-cluster=${t.construct === 'aurora-cluster'}`;
  const describe =
    t.construct === 'dynamodb-table'
      ? `aws dynamodb describe-table --table-name ${t.identifier} --region ${t.region}`
      : t.construct === 'aurora-cluster'
        ? `aws rds describe-db-clusters --db-cluster-identifier ${t.identifier} --region ${t.region}`
        : `aws rds describe-db-instances --db-instance-identifier ${t.identifier} --region ${t.region}`;
  return alarmDescription(
    [`dbaas ${t.database} (${t.environment}): ${what}.`, `Console: ${page}`, `Look: ${describe}`],
    [`Look: aws cloudwatch describe-alarm-history --alarm-name ${alarmName} --history-item-type StateUpdate --region ${t.region}`],
  );
}
