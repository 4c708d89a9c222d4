// The one catalogue of problem codes: every DBAAS_* code a Problem, Finding or SynthError carries comes
// from here (ERR.X), so a code is spelled once and documented once. docs/error-codes.md is generated from
// it (npm run build && node scripts/gen-error-codes-md.mjs); test/error-codes.test.ts keeps both honest.
// No imports, and one `DBAAS_X: {` line per code: scripts/codemod-error-codes.mjs reads the keys as text.

/** How a code ends a command: exit 1 (findings), 2 (invalid), 3 (internal), or a warning that exits 0. */
export type ExitClass = 'findings' | 'invalid' | 'internal' | 'warning';

export interface ErrorCodeInfo {
  readonly exit: ExitClass;
  /** One line: what went wrong. */
  readonly summary: string;
  /** One line: what to do about it. */
  readonly fix: string;
}

export const ERROR_CODES = {
  DBAAS_NO_REPO: {
    exit: 'invalid',
    summary: 'The --dir folder is not a folder.',
    fix: 'Point --dir at an infra repo, or run dbaas init to make one.',
  },
  DBAAS_CONFIG_MISSING: {
    exit: 'invalid',
    summary: 'The repo has no dbaas.config.yaml.',
    fix: 'Add dbaas.config.yaml at the repo root (dbaas init writes one).',
  },
  DBAAS_CONFIG_MULTIPLE_DOCUMENTS: {
    exit: 'invalid',
    summary: 'dbaas.config.yaml holds more than one YAML document.',
    fix: 'Keep one document in dbaas.config.yaml (remove the extra ---).',
  },
  DBAAS_NO_CONFIG: {
    exit: 'invalid',
    summary: 'A command needs a usable dbaas.config.yaml and found none.',
    fix: 'Fix the problems listed with it, or run dbaas init.',
  },
  DBAAS_SYMLINK_OUTSIDE_REPO: {
    exit: 'invalid',
    summary: 'A spec or policy file is a symbolic link that leads outside the repo.',
    fix: 'Replace the link with the file itself, inside the repo.',
  },
  DBAAS_SYMLINK_IN_GIT: {
    exit: 'invalid',
    summary: 'A file in the base revision is a symbolic link.',
    fix: 'Commit a regular file instead of the link.',
  },
  DBAAS_NOT_UTF8: {
    exit: 'invalid',
    summary: 'A file is not valid UTF-8.',
    fix: 'Save the file as UTF-8.',
  },
  DBAAS_FILE_TOO_LARGE: {
    exit: 'invalid',
    summary: 'A file is larger than dbaas reads.',
    fix: 'Split the file, or remove what does not belong in a spec.',
  },
  DBAAS_YAML_SYNTAX: {
    exit: 'invalid',
    summary: 'A file is not valid YAML.',
    fix: 'Fix the YAML at the line and column shown.',
  },
  DBAAS_YAML_TOO_DEEP: {
    exit: 'invalid',
    summary: 'YAML nesting goes deeper than dbaas reads.',
    fix: 'Flatten the document; a spec is nested a few levels deep.',
  },
  DBAAS_YAML_ALIAS_LIMIT: {
    exit: 'invalid',
    summary: 'A YAML document expands too many aliases.',
    fix: 'Write the values out, or use fewer aliases.',
  },
  DBAAS_NOT_A_SPEC: {
    exit: 'invalid',
    summary: 'A YAML document is not a mapping with apiVersion, kind, metadata and spec.',
    fix: 'Write a Database, BackupPolicy or NotificationChannel document.',
  },
  DBAAS_UNKNOWN_KIND: {
    exit: 'invalid',
    summary: "A document's kind is not one dbaas knows.",
    fix: 'Use a kind from the schema (Database, BackupPolicy, NotificationChannel; Guardrail in policies/).',
  },
  DBAAS_UNKNOWN_FIELD: {
    exit: 'invalid',
    summary: 'A field the schema does not define.',
    fix: 'Remove the field or fix its spelling (the message suggests the closest name).',
  },
  DBAAS_MISSING_FIELD: {
    exit: 'invalid',
    summary: 'A required field is missing or empty.',
    fix: 'Add the field the message names.',
  },
  DBAAS_INVALID_VALUE: {
    exit: 'invalid',
    summary: 'A value outside the allowed set or pattern.',
    fix: 'Use one of the values the message lists.',
  },
  DBAAS_WRONG_TYPE: {
    exit: 'invalid',
    summary: 'A value of the wrong type.',
    fix: 'Write the type the message expects (string, number, list, mapping).',
  },
  DBAAS_INVALID_FORMAT: {
    exit: 'invalid',
    summary: 'A value in the wrong format (date, e-mail, ...).',
    fix: 'Write the value in the format the message names.',
  },
  DBAAS_DUPLICATE_ITEM: {
    exit: 'invalid',
    summary: 'A list holds the same item twice.',
    fix: 'Remove the repeated item.',
  },
  DBAAS_OUT_OF_RANGE: {
    exit: 'invalid',
    summary: 'A number or length outside its bounds.',
    fix: 'Use a value inside the bounds the message gives.',
  },
  DBAAS_DUPLICATE_NAME: {
    exit: 'invalid',
    summary: 'Two documents of one kind share a metadata.name.',
    fix: 'Give each document its own name.',
  },
  DBAAS_UNKNOWN_REFERENCE: {
    exit: 'invalid',
    summary: 'A spec names a BackupPolicy or NotificationChannel that does not exist.',
    fix: 'Name an existing document, or add it under stacks/.',
  },
  DBAAS_NO_BACKUP: {
    exit: 'invalid',
    summary: 'A Database has no backup settings.',
    fix: 'Set spec.backup (a policy name or inline fields), or backup.enabled: false with a waiver.',
  },
  DBAAS_INVALID_NAME: {
    exit: 'invalid',
    summary: 'A name that cannot become a stack or resource name.',
    fix: 'Use lowercase letters, digits and dashes, starting with a letter.',
  },
  DBAAS_UNSAFE_NAME: {
    exit: 'invalid',
    summary: 'A name holds characters that are unsafe in paths, commands or resource names.',
    fix: 'Use lowercase letters, digits and dashes.',
  },
  DBAAS_UNKNOWN_TIMEZONE: {
    exit: 'invalid',
    summary: 'A timezone that is not an IANA zone.',
    fix: 'Use an IANA zone such as Europe/Berlin, or leave it out for UTC.',
  },
  DBAAS_INVALID_CRON: {
    exit: 'invalid',
    summary: 'A schedule that is not a five-field cron expression.',
    fix: 'Write minute hour day-of-month month day-of-week, e.g. "0 3 * * *".',
  },
  DBAAS_PLAINTEXT_SECRET: {
    exit: 'invalid',
    summary: 'A secret written in the spec instead of a reference.',
    fix: 'Store the secret in a secret store and write its reference (secretsmanager:..., ssm:...).',
  },
  DBAAS_TEAM_FOLDER: {
    exit: 'invalid',
    summary: "A spec's team does not match its folder under stacks/.",
    fix: 'Move the file to stacks/<team>/ or fix metadata.team.',
  },
  DBAAS_NAME_COLLISION: {
    exit: 'invalid',
    summary: 'Two specs would build resources with the same cloud name.',
    fix: 'Rename one of the databases.',
  },
  DBAAS_REGION_CLOUD: {
    exit: 'invalid',
    summary: "A region that does not belong to the database's cloud.",
    fix: 'Use a region of that cloud (eu-west-1 on aws, europe-west1 on gcp).',
  },
  DBAAS_COPY_REGION_CLOUD: {
    exit: 'invalid',
    summary: "A backup copy region that does not belong to the database's cloud.",
    fix: 'Use a copy region of the same cloud.',
  },
  DBAAS_UNSUPPORTED_FIELD: {
    exit: 'invalid',
    summary: 'A field this engine or cloud cannot honour; refused rather than ignored.',
    fix: 'Remove the field, or pick an engine or cloud that supports it.',
  },
  DBAAS_UNSUPPORTED_GCP: {
    exit: 'invalid',
    summary: 'A field a GCP stack cannot honour; refused rather than ignored.',
    fix: 'Remove the field, or place the database on a cloud that supports it.',
  },
  DBAAS_FIELD_WITHOUT_EFFECT: {
    exit: 'invalid',
    summary: 'A field that would change nothing in the built stack.',
    fix: 'Remove the field (every spec field has an effect or is refused).',
  },
  DBAAS_NO_STATE: {
    exit: 'invalid',
    summary: 'dbaas.config.yaml has no state backend for a cloud that builds stacks.',
    fix: 'Add state.<cloud> to dbaas.config.yaml.',
  },
  DBAAS_EXPIRED: {
    exit: 'invalid',
    summary: 'A temporary database (a restore) is past its expires date.',
    fix: 'Delete the spec, or move expires later.',
  },
  DBAAS_EXPIRES: {
    exit: 'warning',
    summary: 'A temporary database (a restore) expires soon.',
    fix: 'Delete the spec when done, or move expires later.',
  },
  DBAAS_RESTORE_SELF: {
    exit: 'invalid',
    summary: 'A restore names itself as its source.',
    fix: 'Give the restore its own metadata.name and name the source in restoreFrom.database.',
  },
  DBAAS_RESTORE_UNKNOWN_SOURCE: {
    exit: 'invalid',
    summary: 'A restore names a source database that does not exist.',
    fix: 'Name a valid Database of this repo.',
  },
  DBAAS_RESTORE_OTHER_CLOUD: {
    exit: 'invalid',
    summary: "A restore's source is on another cloud.",
    fix: "Restore on the source's cloud.",
  },
  DBAAS_RESTORE_OTHER_ENGINE: {
    exit: 'invalid',
    summary: "A restore asks for another engine than its source's.",
    fix: "Use the source's engine.",
  },
  DBAAS_RESTORE_OTHER_VERSION: {
    exit: 'invalid',
    summary: "A restore asks for another version than its source's.",
    fix: "Use the source's version (upgrade after the restore).",
  },
  DBAAS_RESTORE_OTHER_PLACE: {
    exit: 'invalid',
    summary: 'A restore is in another account, project or region than its source.',
    fix: "Restore in the source's account or project and region.",
  },
  DBAAS_RESTORE_OTHER_KEYS: {
    exit: 'invalid',
    summary: 'A restored DynamoDB table has other keys than its source.',
    fix: "Use the source's partitionKey and sortKey.",
  },
  DBAAS_RESTORE_DATABASES: {
    exit: 'invalid',
    summary: "A restore names databases other than its source's.",
    fix: "Leave spec.databases out, or list the source's databases.",
  },
  DBAAS_RESTORE_BACKUP_DYNAMODB: {
    exit: 'invalid',
    summary: 'A DynamoDB restore from a backup, which Terraform cannot do.',
    fix: 'Restore from a point in time instead.',
  },
  DBAAS_RESTORE_NO_BACKUPS: {
    exit: 'invalid',
    summary: 'A restore from a backup of a source that takes none.',
    fix: 'Enable backups on the source, or restore from a point in time.',
  },
  DBAAS_RESTORE_NO_PITR: {
    exit: 'invalid',
    summary: 'A point-in-time restore of a source with point-in-time recovery off.',
    fix: 'Enable pointInTimeRecovery on the source, or restore from a backup.',
  },
  DBAAS_RESTORE_BAD_TIME: {
    exit: 'invalid',
    summary: 'A restore point that is not a real time.',
    fix: 'Write RFC 3339 (2026-11-29T10:15:00Z) or "latest".',
  },
  DBAAS_RESTORE_FUTURE: {
    exit: 'invalid',
    summary: 'A restore point in the future.',
    fix: 'Use a past time, or "latest".',
  },
  DBAAS_RESTORE_BEFORE_WINDOW: {
    exit: 'invalid',
    summary: "A restore point older than the source's point-in-time window.",
    fix: 'Use a time inside the window, or restore from a backup.',
  },
  DBAAS_RESTORE_ANSWER: {
    exit: 'invalid',
    summary: 'A dbaas restore flag has a value that is not allowed.',
    fix: 'Use a value the message lists.',
  },
  DBAAS_RESTORE_EXISTS: {
    exit: 'invalid',
    summary: 'dbaas restore would overwrite an existing spec.',
    fix: 'Choose a new --name.',
  },
  DBAAS_INCOMPLETE_BACKUP: {
    exit: 'invalid',
    summary: "A database's backup settings are incomplete after the policy and defaults are applied.",
    fix: 'Set the missing backup field in the spec or its BackupPolicy.',
  },
  DBAAS_UNKNOWN_TEAM: {
    exit: 'invalid',
    summary: 'A team that dbaas.config.yaml does not list.',
    fix: 'Add the team to dbaas.config.yaml, or fix metadata.team.',
  },
  DBAAS_TEAM_ENVIRONMENT: {
    exit: 'invalid',
    summary: 'A team that may not use this environment.',
    fix: "Use an environment the team is allowed, or change the team's entry in dbaas.config.yaml.",
  },
  DBAAS_CLOUD_NOT_CONFIGURED: {
    exit: 'invalid',
    summary: 'A cloud that dbaas.config.yaml does not configure.',
    fix: 'Use a configured cloud, or add it under clouds: in dbaas.config.yaml.',
  },
  DBAAS_NO_ACCOUNT: {
    exit: 'invalid',
    summary: 'The cloud has no account or project for the environment.',
    fix: "Add the environment's account (aws) or project (gcp) in dbaas.config.yaml.",
  },
  DBAAS_UNKNOWN_SIZE: {
    exit: 'invalid',
    summary: 'A size with no instance class for this engine and cloud.',
    fix: 'Use a size that dbaas.config.yaml maps, or add it to the size map.',
  },
  DBAAS_SYNTH_ENGINE: {
    exit: 'invalid',
    summary: 'An engine the AWS stack builder does not build.',
    fix: 'Use an AWS engine (postgres, mysql, aurora-postgresql, aurora-mysql, dynamodb).',
  },
  DBAAS_SYNTH_TABLE: {
    exit: 'invalid',
    summary: 'A DynamoDB database without table keys.',
    fix: 'Set spec.table.partitionKey.',
  },
  DBAAS_SYNTH_KMS_KEY: {
    exit: 'invalid',
    summary: 'A KMS key that is not an AWS key reference.',
    fix: 'Write "managed", alias/<name>, an alias ARN or a key ARN.',
  },
  DBAAS_SYNTH_CRON: {
    exit: 'invalid',
    summary: 'A schedule AWS cannot run.',
    fix: 'Write a five-field cron that AWS Backup can express.',
  },
  DBAAS_SYNTH_COPY: {
    exit: 'invalid',
    summary: "A backup copy into the database's own account.",
    fix: 'Copy to another account, or leave account out for a cross-region copy.',
  },
  DBAAS_SYNTH_SECRET_STORE: {
    exit: 'invalid',
    summary: 'A secret reference to a store the cloud cannot read.',
    fix: "Use a secret store of the database's cloud.",
  },
  DBAAS_SYNTH_SECRET: {
    exit: 'invalid',
    summary: 'A password a GCP stack would keep in Terraform state.',
    fix: 'Use IAM database users, or create the user outside Terraform.',
  },
  DBAAS_SYNTH_SECRET_IN_STATE: {
    exit: 'invalid',
    summary: 'A built stack would read or hold a secret in Terraform state.',
    fix: 'Reference secrets only where the stack never reads them; see the message.',
  },
  DBAAS_SYNTH_TEXT: {
    exit: 'invalid',
    summary: 'Spec text the stack cannot carry safely (control characters, too long).',
    fix: 'Use plain printable text.',
  },
  DBAAS_SYNTH_RESERVED_TEXT: {
    exit: 'invalid',
    summary: 'Spec text that cdktf would read as a reference to another resource.',
    fix: 'Remove "TfToken[" (and token-like numbers) from the text.',
  },
  DBAAS_SYNTH_PLACEMENT: {
    exit: 'internal',
    summary: 'The AWS builder got a database placed on another cloud.',
    fix: 'Report a bug: the builder for its cloud should have been chosen.',
  },
  DBAAS_SYNTH_DEPLOY_ROLE: {
    exit: 'invalid',
    summary: 'A locked vault whose account names no deployRoleArn.',
    fix: 'Set deployRoleArn for the account in dbaas.config.yaml.',
  },
  DBAAS_SYNTH_CHANNEL: {
    exit: 'invalid',
    summary: 'A notification channel an AWS stack cannot deliver to.',
    fix: 'Use e-mail, SNS or Slack through AWS Chatbot (workspaceId and channelId).',
  },
  DBAAS_SYNTH_NO_STATE: {
    exit: 'invalid',
    summary: 'A stack has no state backend in dbaas.config.yaml.',
    fix: 'Add state.<cloud> to dbaas.config.yaml.',
  },
  DBAAS_RESERVED_NAME: {
    exit: 'invalid',
    summary: 'A database name that starts with the prefix kept for account baselines.',
    fix: 'Choose a name without that prefix.',
  },
  DBAAS_OUT_DIR: {
    exit: 'invalid',
    summary: 'dbaas synth refuses to replace a folder it did not write.',
    fix: 'Use a new or empty folder, or one an earlier dbaas synth wrote.',
  },
  DBAAS_GCP_PLACEMENT: {
    exit: 'invalid',
    summary: 'A database on the GCP builder is not placed in a GCP project.',
    fix: 'Set cloud: gcp with a project in dbaas.config.yaml.',
  },
  DBAAS_GCP_ENGINE: {
    exit: 'invalid',
    summary: 'An engine Cloud SQL does not offer.',
    fix: 'Use postgres or mysql on GCP.',
  },
  DBAAS_GCP_SQLSERVER: {
    exit: 'invalid',
    summary: 'SQL Server on GCP, which needs a root password kept in Terraform state.',
    fix: 'Use postgres or mysql on GCP.',
  },
  DBAAS_ALLOYDB_VERSION: {
    exit: 'invalid',
    summary: 'A PostgreSQL major version AlloyDB does not offer.',
    fix: 'Use a version AlloyDB offers (14 to 17).',
  },
  DBAAS_ALLOYDB_MACHINE: {
    exit: 'invalid',
    summary: 'A size that does not map to an AlloyDB machine type.',
    fix: 'Map the size to an AlloyDB machine (e.g. n2-highmem-4) in dbaas.config.yaml sizes.alloydb.',
  },
  DBAAS_ALLOYDB_SCHEDULE: {
    exit: 'invalid',
    summary: 'A backup schedule AlloyDB cannot express (it runs on whole UTC hours of chosen weekdays).',
    fix: 'Use a cron with whole-hour starts on the same hours every chosen day; the message suggests one.',
  },
  DBAAS_ALLOYDB_PITR_WINDOW: {
    exit: 'invalid',
    summary: 'An AlloyDB point-in-time recovery window outside 1 to 35 days.',
    fix: 'Set backup.pointInTimeRecovery.retentionDays between 1 and 35.',
  },
  DBAAS_ALLOYDB_BACKUP_WINDOW: {
    exit: 'invalid',
    summary: 'An AlloyDB backup window shorter than AlloyDB allows.',
    fix: 'Set backup.completionWindowMinutes to 5 or more.',
  },
  DBAAS_ALLOYDB_PUBLIC: {
    exit: 'invalid',
    summary: 'A public AlloyDB instance; dbaas builds private ones only.',
    fix: 'Remove publiclyAccessible: true and connect through the private network.',
  },
  DBAAS_ALLOYDB_MAINTENANCE: {
    exit: 'invalid',
    summary: 'An AlloyDB maintenance window not on the hour or not an hour long.',
    fix: 'Start the maintenance window on the hour with durationMinutes: 60.',
  },
  DBAAS_GCP_KMS_KEY: {
    exit: 'invalid',
    summary: 'A KMS key that is not a Cloud KMS key.',
    fix: 'Write "managed" or projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>.',
  },
  DBAAS_GCP_NO_SERVICE_AGENT: {
    exit: 'invalid',
    summary: "A customer-managed key without the project's Cloud SQL service agent.",
    fix: 'Set cloudSqlServiceAgent for the project in dbaas.config.yaml.',
  },
  DBAAS_GCP_EXPORT_EMPTY: {
    exit: 'invalid',
    summary: 'An export whose exclusions leave no database to export.',
    fix: 'Use patterns that leave at least one database.',
  },
  DBAAS_GCP_COPY_REGION: {
    exit: 'invalid',
    summary: 'A GCP backup copy without a region.',
    fix: 'Name the copy region: copies: [{ region, retentionDays }].',
  },
  DBAAS_GCP_MYSQL_ROOT: {
    exit: 'invalid',
    summary: 'A MySQL root user with a password, which Terraform cannot provision safely.',
    fix: 'Use IAM database users, or create root outside Terraform.',
  },
  DBAAS_GCP_USER_PASSWORD: {
    exit: 'invalid',
    summary: 'A GCP database user with a password secret.',
    fix: 'Use IAM database users (an e-mail as the name).',
  },
  DBAAS_GCP_USER_AUTH: {
    exit: 'invalid',
    summary: 'A GCP user that cannot sign in with IAM on this engine.',
    fix: 'Use an IAM e-mail as the name, or create the user outside Terraform.',
  },
  DBAAS_GCP_CHANNEL_SECRET: {
    exit: 'invalid',
    summary: 'A GCP notification channel that would need a secret in Terraform state.',
    fix: 'Create the channel in Cloud Monitoring and name it with gcpChannel.',
  },
  DBAAS_GUARDRAIL: {
    exit: 'findings',
    summary: 'A database violates a guardrail (exit 1 when its severity is error).',
    fix: "Apply the guardrail's fix (dbaas fix), or add a waiver with a reason and expiry.",
  },
  DBAAS_WAIVER_EXPIRED: {
    exit: 'findings',
    summary: 'A waiver is past its expiry; the finding it accepted is an error again.',
    fix: 'Fix what the guardrail asks, or renew the waiver with a new reason.',
  },
  DBAAS_WAIVER_UNKNOWN_GUARDRAIL: {
    exit: 'findings',
    summary: 'A waiver names a guardrail that does not exist.',
    fix: 'Name a guardrail from dbaas policy list.',
  },
  DBAAS_WAIVER_REASON_TOO_SHORT: {
    exit: 'findings',
    summary: "A waiver's reason is too short to say why.",
    fix: 'Write a reason that says why the exception is safe.',
  },
  DBAAS_WAIVER_TOO_LONG: {
    exit: 'findings',
    summary: 'A waiver expires too far in the future.',
    fix: 'Set expires within the allowed number of days.',
  },
  DBAAS_WAIVER_BAD_DATE: {
    exit: 'findings',
    summary: 'A waiver expiry that is not a calendar date.',
    fix: 'Write the expiry as YYYY-MM-DD.',
  },
  DBAAS_WAIVER_UNUSED: {
    exit: 'warning',
    summary: 'A waiver for a guardrail the database passes.',
    fix: 'Remove the waiver.',
  },
  DBAAS_INVALID_GUARDRAIL: {
    exit: 'invalid',
    summary: 'A policies/ document is not a valid Guardrail.',
    fix: 'Fix the fields the other problems name.',
  },
  DBAAS_GUARDRAIL_UNKNOWN_ENGINE: {
    exit: 'invalid',
    summary: 'A guardrail names an engine no engine profile defines, so it would never run.',
    fix: 'Name a defined engine (dbaas policy explain lists them), or match by capability.',
  },
  DBAAS_GUARDRAIL_UNKNOWN_CAPABILITY: {
    exit: 'invalid',
    summary: 'A guardrail names a capability no engine profile defines.',
    fix: 'Use a capability listed in GUARDRAILS.md (Capabilities).',
  },
  DBAAS_GUARDRAIL_ID_MISMATCH: {
    exit: 'invalid',
    summary: "A guardrail's id differs from its file name.",
    fix: 'Name the file <id>.yaml.',
  },
  DBAAS_GUARDRAIL_FIX_NOT_WRITABLE: {
    exit: 'invalid',
    summary: "A guardrail's fix touches fields dbaas fix cannot write into a spec.",
    fix: 'Limit the fix to spec fields.',
  },
  DBAAS_GUARDRAIL_UNSAFE_PATTERN: {
    exit: 'invalid',
    summary: 'A guardrail regex that is not linear-time (RE2) safe.',
    fix: 'Rewrite the pattern without backreferences or lookaround.',
  },
  DBAAS_GUARDRAIL_DOES_NOT_COMPILE: {
    exit: 'invalid',
    summary: "A guardrail's assert schema does not compile.",
    fix: 'Fix the JSON Schema the message names.',
  },
  DBAAS_GUARDRAIL_FILE: {
    exit: 'invalid',
    summary: 'A policies/ file cannot be read as a guardrail file.',
    fix: 'Keep one Guardrail document per .yaml file in policies/.',
  },
  DBAAS_DUPLICATE_GUARDRAIL: {
    exit: 'invalid',
    summary: 'Two guardrails share an id.',
    fix: 'Give each guardrail its own id.',
  },
  DBAAS_UNKNOWN_GUARDRAIL: {
    exit: 'invalid',
    summary: 'dbaas.config.yaml or a command names a guardrail that does not exist.',
    fix: 'Name a guardrail from dbaas policy list.',
  },
  DBAAS_REASON_TOO_SHORT: {
    exit: 'invalid',
    summary: 'A severity override in dbaas.config.yaml has too short a reason.',
    fix: 'Write a reason that says why the override is safe.',
  },
  DBAAS_FIX_FAILED: {
    exit: 'invalid',
    summary: 'dbaas fix could not write a change; nothing was changed.',
    fix: 'Fix the spec by hand at the place shown.',
  },
  DBAAS_FIX_BROKE_REPO: {
    exit: 'invalid',
    summary: 'The fixes would leave specs that do not validate; nothing was written.',
    fix: 'Fix the problems listed after it by hand.',
  },
  DBAAS_BAD_NOW: {
    exit: 'invalid',
    summary: 'DBAAS_NOW is not a date.',
    fix: 'Set DBAAS_NOW to an ISO date such as 2026-11-21, or unset it.',
  },
  DBAAS_UNKNOWN_REF: {
    exit: 'invalid',
    summary: '--base names no commit.',
    fix: 'Name a branch, tag or commit (e.g. origin/main).',
  },
  DBAAS_BASE_INVALID: {
    exit: 'warning',
    summary: 'The base revision does not validate; the plan compares against what could be read.',
    fix: 'Fix the base branch, or read the plan knowing the base is partial.',
  },
  DBAAS_UNKNOWN_DATABASE: {
    exit: 'invalid',
    summary: '--only names a database that does not exist.',
    fix: 'Name a database under stacks/.',
  },
  DBAAS_BAD_SHARD: {
    exit: 'invalid',
    summary: '--shard is not K/N.',
    fix: 'Write two whole numbers with 1 <= K <= N.',
  },
  DBAAS_NOT_A_SHARD: {
    exit: 'invalid',
    summary: 'A file given to plan merge is not a shard report.',
    fix: 'Pass the JSON reports of dbaas plan --shard K/N.',
  },
  DBAAS_NO_SHARDS: {
    exit: 'invalid',
    summary: 'plan merge got no shard reports.',
    fix: 'Pass the JSON reports of every shard of one plan run.',
  },
  DBAAS_SHARD_MISMATCH: {
    exit: 'invalid',
    summary: 'Shard reports from different plan runs.',
    fix: 'Merge the shards of one plan run.',
  },
  DBAAS_SHARD_DUPLICATE: {
    exit: 'invalid',
    summary: 'The same shard given twice.',
    fix: "Pass each shard's report once.",
  },
  DBAAS_SHARD_MISSING: {
    exit: 'invalid',
    summary: "A shard's report is missing.",
    fix: 'Pass the reports of all N shards.',
  },
  DBAAS_SHARD_OVERLAP: {
    exit: 'invalid',
    summary: 'A stack appears in two shards.',
    fix: 'Merge the shards of one plan run.',
  },
  DBAAS_SHARD_INCOMPLETE: {
    exit: 'invalid',
    summary: 'The shards hold fewer stacks than the plan.',
    fix: 'Pass the reports of all shards of the run.',
  },
  DBAAS_UNREADABLE: {
    exit: 'invalid',
    summary: 'A file given on the command line cannot be read.',
    fix: 'Check the path and its permissions.',
  },
  DBAAS_BAD_JSON: {
    exit: 'invalid',
    summary: 'A file given on the command line is not JSON.',
    fix: 'Pass the JSON report the command expects.',
  },
  DBAAS_NO_PLANS: {
    exit: 'invalid',
    summary: 'dbaas apply found no plan manifest.',
    fix: 'Run dbaas plan --terraform --plans DIR first and pass that DIR.',
  },
  DBAAS_BAD_MANIFEST: {
    exit: 'invalid',
    summary: 'The plan manifest is not one dbaas plan wrote.',
    fix: 'Re-run dbaas plan --terraform to write it again.',
  },
  DBAAS_NO_TERRAFORM: {
    exit: 'invalid',
    summary: 'No terraform binary was found.',
    fix: 'Put terraform on PATH or set DBAAS_TERRAFORM_BIN.',
  },
  DBAAS_TERRAFORM_UNAVAILABLE: {
    exit: 'invalid',
    summary: 'terraform cannot run offline here (binary or provider mirror missing).',
    fix: 'Install terraform and set DBAAS_TF_PROVIDER_MIRROR.',
  },
  DBAAS_USAGE: {
    exit: 'invalid',
    summary: 'Flags or arguments that contradict each other.',
    fix: 'Use the flags as dbaas <command> --help shows.',
  },
  DBAAS_INIT_PACK: {
    exit: 'invalid',
    summary: 'dbaas init could not unpack the --from package.',
    fix: 'Point --from at a dbaas .tgz, a folder with a package.json, or a git URL.',
  },
  DBAAS_INIT_NOT_A_FOLDER: {
    exit: 'invalid',
    summary: 'dbaas init would write into a path that is a file.',
    fix: 'Choose a folder, or move the file.',
  },
  DBAAS_INIT_OUTSIDE: {
    exit: 'invalid',
    summary: 'dbaas init would write through a link leading outside the folder.',
    fix: 'Remove the link.',
  },
  DBAAS_INIT_NOT_A_FILE: {
    exit: 'invalid',
    summary: 'dbaas init would write a file where a folder is.',
    fix: 'Move the folder.',
  },
  DBAAS_INIT_FILE_EXISTS: {
    exit: 'invalid',
    summary: 'dbaas init would overwrite an existing file; it was left alone.',
    fix: 'Remove the file, or keep it and ignore this.',
  },
  DBAAS_NEW_EXISTS: {
    exit: 'invalid',
    summary: 'dbaas new would overwrite an existing spec.',
    fix: 'Choose a new --name, or edit that file.',
  },
  DBAAS_NEW_ANSWER: {
    exit: 'invalid',
    summary: 'A dbaas new answer that is not allowed.',
    fix: 'Use a value the message lists.',
  },
  DBAAS_NEW_MISSING: {
    exit: 'invalid',
    summary: 'dbaas new has no answer and no terminal to ask on.',
    fix: 'Pass the flag the message names.',
  },
  DBAAS_INTERNAL: {
    exit: 'internal',
    summary: 'A bug in dbaas (exit 3).',
    fix: 'Re-run with --debug and report the stack trace.',
  },
} as const satisfies Record<`DBAAS_${string}`, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;
type Short<K> = K extends `DBAAS_${infer N}` ? N : never;

/** ERR.UNKNOWN_FIELD === 'DBAAS_UNKNOWN_FIELD', typed as that literal. */
export const ERR = Object.freeze(Object.fromEntries(Object.keys(ERROR_CODES).map((code) => [code.slice('DBAAS_'.length), code]))) as {
  readonly [K in ErrorCode as Short<K>]: K;
};

// The codes a guard finding carries: a literal union (not typeof ERR.X), so the JSON-output schema
// generator can read it; the check below keeps each one a catalogued code.
export type FindingCode =
  | 'DBAAS_GUARDRAIL'
  | 'DBAAS_WAIVER_EXPIRED'
  | 'DBAAS_WAIVER_UNKNOWN_GUARDRAIL'
  | 'DBAAS_WAIVER_REASON_TOO_SHORT'
  | 'DBAAS_WAIVER_TOO_LONG'
  | 'DBAAS_WAIVER_BAD_DATE'
  | 'DBAAS_WAIVER_UNUSED';
const FINDING_CODES_ARE_CATALOGUED: readonly ErrorCode[] = [] as FindingCode[];
void FINDING_CODES_ARE_CATALOGUED;

/** Refusals: a field this engine or cloud cannot honour (pipeline.ts drops the other problems at the same place). */
export const REFUSAL_CODES: ReadonlySet<string> = new Set<ErrorCode>([ERR.UNSUPPORTED_FIELD, ERR.UNSUPPORTED_GCP]);

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}

const EXIT_TEXT: Record<ExitClass, string> = { findings: '1 (findings)', invalid: '2 (invalid input)', internal: '3 (internal)', warning: '0 (warning)' };

/** docs/error-codes.md: one row per code, in catalogue order. Cells are ours, but escaped for GFM tables anyway. */
export function errorCodesMarkdown(): string {
  const cell = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;');
  const rows = Object.entries(ERROR_CODES).map(
    ([code, info]: [string, ErrorCodeInfo]) => `| \`${code}\` | ${EXIT_TEXT[info.exit]} | ${cell(info.summary)} | ${cell(info.fix)} |`,
  );
  return [
    '# Error codes',
    '',
    '<!-- Generated from src/error-codes.ts by scripts/gen-error-codes-md.mjs; do not edit by hand. -->',
    '',
    'Every problem dbaas reports carries one of these codes (text output: `file:line:column: error CODE field: message`;',
    '`--json`: `problems[].code`). The exit column is the exit code the problem leads to when it is the worst one reported.',
    'A guardrail finding in JSON and SARIF carries the guardrail id instead of `DBAAS_GUARDRAIL`.',
    '',
    '| Code | Exit | What happened | Fix |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
