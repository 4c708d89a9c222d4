// What dbaas knows about an engine and a cloud, in one place each. The pipeline (validate, resolve,
// synth, plan) reads these instead of switching on engine names, so a new engine is one profile file
// (plus its construct when no existing one fits) and the schema enums generated from the registry.
import type { DbaasConfig } from '../spec/generated.js';
import type { StackBuilder } from '../synth/types.js';
import type { Capability } from './capabilities.js';

export type CloudName = 'aws' | 'gcp';

/** What a database name must look like where it becomes the cloud's identifier. */
export interface NameRule {
  readonly test: (name: string) => boolean;
  /** Said after "expected" in the error. */
  readonly expected: string;
}

/** The AWS stack constructs (src/synth/aws/database.ts CONSTRUCTS); several engines share one. */
export type AwsConstruct = 'rds-instance' | 'aurora-cluster' | 'dynamodb-table';

/** Resource type → the attributes that make the provider replace it (ForceNew). */
export type ReplaceAttributes = Readonly<Record<string, readonly string[]>>;

export interface AwsEngineFacts {
  /** The construct that builds the database. */
  readonly construct: AwsConstruct;
  /** AWS Backup protected_resource_type (restore testing, AWS Config scopes, the runbook). */
  readonly restoreType: 'RDS' | 'Aurora' | 'DynamoDB';
  /** AWS Backup continuous backup gives PITR; false: the engine keeps its own (DynamoDB). */
  readonly continuousBackup: boolean;
  /** A note when offsite copies need an account setting outside the stack. */
  readonly copyNote?: string;
  /** Dot-separated parts of a major version: 1 (postgres "16") or 2 (mysql "8.0"); a longer version pins a minor. */
  readonly majorParts: 1 | 2;
  /** The parameter that makes the server refuse connections without TLS, and its "on" value. */
  readonly tlsParameter?: { readonly name: string; readonly value: string };
  /** The default max_connections formula of the engine's parameter group (connection alarm threshold). */
  readonly maxConnections?: 'postgres' | 'mysql';
  /** The CloudWatch dimension that names the database in its health alarms. */
  readonly metricDimension: 'DBInstanceIdentifier' | 'DBClusterIdentifier' | 'TableName';
  /** The resources that hold the data, and what replaces them (plan/diff.ts). */
  readonly dataResources: ReplaceAttributes;
}

/** The GCP stack constructs (src/synth/gcp/index.ts GCP_CONSTRUCTS, checks.ts GCP_CHECKS); several engines share one. */
export type GcpConstruct = 'cloud-sql' | 'alloydb';

/** Facts every GCP engine has, whichever construct builds it. */
export interface GcpEngineFactsBase {
  /** database_version prefix: POSTGRES_16, MYSQL_8_0, SQLSERVER_2022_STANDARD. */
  readonly versionPrefix: 'POSTGRES' | 'MYSQL' | 'SQLSERVER';
  /** The built-in admin user (its password is set outside Terraform). */
  readonly adminUser: string;
  /** The database flag that turns on IAM database authentication, where there is one. */
  readonly iamAuthFlag?: string;
  /** The provider deletes the root user right after create, so a root password only lands in state. */
  readonly rootPasswordDiscarded: boolean;
  /** IAM service-account users are named without .gserviceaccount.com (Postgres user names are short). */
  readonly iamServiceAccountWithoutDomain: boolean;
  /** The resources that hold the data, and what replaces them (plan/diff.ts). */
  readonly dataResources: ReplaceAttributes;
  /** Set when no stack can build the engine safely: refused at validate (unsupported-gcp.ts) and synth (gcp/checks.ts). */
  readonly refused?: {
    /** Why, in the validate message; and what to do instead. */
    readonly reason: string;
    readonly instead: string;
    /** The synth check's code, message and expectation. */
    readonly code: string;
    readonly summary: string;
    readonly expected: string;
  };
}

/** A Cloud SQL engine (the default GCP construct). */
export interface CloudSqlEngineFacts extends GcpEngineFactsBase {
  readonly construct?: 'cloud-sql';
  /** The backup_configuration field that turns PITR on. */
  readonly pitrField: 'binaryLogEnabled' | 'pointInTimeRecoveryEnabled';
  /** transaction_log_retention_days limit on Enterprise Plus tiers (7 on Enterprise). */
  readonly enterprisePlusLogDays: number;
  /** What an export writes. */
  readonly exportFile: { readonly fileType: 'SQL' | 'BAK'; readonly extension: string };
}

/** An engine built by a construct of its own (not Cloud SQL): it names the construct. */
export interface OwnConstructEngineFacts extends GcpEngineFactsBase {
  readonly construct: Exclude<GcpConstruct, 'cloud-sql'>;
}

export type GcpEngineFacts = CloudSqlEngineFacts | OwnConstructEngineFacts;

/**
 * A spec field the engine's stack gives no effect to on a cloud: refused at validate where it is
 * written (validate/unsupported-gcp.ts), so the next engine lists its refusals here, not in validate/.
 */
export interface UnsupportedField {
  /** Spec path under the Database's spec; `backup.<field>` may also be written in its BackupPolicy. */
  readonly field: string;
  readonly why: string;
  readonly instead: string;
}

export interface EngineOnCloud<Facts> {
  readonly capabilities: readonly Capability[];
  /** Overrides the cloud's name rule (DynamoDB table names). */
  readonly nameRule?: NameRule;
  readonly facts: Facts;
  /**
   * Spec fields with no effect for this engine on this cloud, refused at validate. An engine with a
   * construct of its own lists all of its refusals here (the cloud's shared refusals for its default
   * construct, e.g. Cloud SQL's, do not apply to it).
   */
  readonly unsupportedFields?: readonly UnsupportedField[];
}

export interface EngineProfile {
  /** spec.engine */
  readonly name: string;
  /** How messages name it. */
  readonly title: string;
  /** spec.version when neither the spec nor dbaas.config.yaml clouds.<cloud>.versions sets one ('' = none). */
  readonly defaultVersion: string;
  /** Has logical databases (spec.databases); false for a table. */
  readonly logicalDatabases: boolean;
  /** Is a key-value table with keys (spec.table). */
  readonly table: boolean;
  readonly aws?: EngineOnCloud<AwsEngineFacts>;
  readonly gcp?: EngineOnCloud<GcpEngineFacts>;
}

/** Where one database's Terraform state lives: S3 with locking (AWS) or GCS (GCP). */
export type BackendChoice =
  | {
      readonly type: 's3';
      readonly bucket: string;
      readonly region: string;
      readonly key: string;
      /** Lock through a DynamoDB table when the config names one, else S3 native locking. */
      readonly lock: { readonly useLockfile: true } | { readonly dynamodbTable: string };
    }
  | { readonly type: 'gcs'; readonly bucket: string; readonly prefix: string };

/** state.<cloud>.keyPrefix / prefix when the config sets none. */
export const DEFAULT_STATE_PREFIX = 'dbaas';

export interface CloudProfile {
  readonly name: CloudName;
  readonly title: string;
  /** Imports the cloud's stack builder (on first use: a repo with one cloud never loads the other's provider). */
  readonly builder: () => Promise<StackBuilder>;
  /** The database identifier rule unless the engine has its own. */
  readonly nameRule: NameRule;
  /** dbaas.config.yaml: clouds.<cloud>.<placementKey>.<environment> places a database. */
  readonly placementKey: 'accounts' | 'projects';
  readonly placementNoun: 'account' | 'project';
  /** What to add to dbaas.config.yaml to use the cloud. */
  readonly configBlock: string;
  /** Secret reference prefixes its stacks can read (secretsmanager:..., gcp-secretmanager:...). */
  readonly secretStores: readonly string[];
  /** The Terraform provider the stacks are written for (and checked against). */
  readonly provider: { readonly source: string; readonly version: string };
  /** Where a database's state lives (src/synth/backend.ts adds it); undefined when dbaas.config.yaml has no state.<cloud>. */
  readonly stateBackend: (database: string, config: DbaasConfig) => BackendChoice | undefined;
  /** What state.<cloud> must hold, for the error when it is missing. */
  readonly stateBlock: string;
  /**
   * Region names: common.schema.json's `definition` (AwsRegion, GcpRegion) takes this pattern and
   * description (scripts/gen-engine-enums.mjs writes them; a drift test holds them).
   */
  readonly region: { readonly definition: string; readonly pattern: string; readonly description: string };
  /** Backup and key resources whose loss loses recovery points, and what replaces them (plan/diff.ts). */
  readonly dataResources: ReplaceAttributes;
  /** Backup resources that are data-bearing but never replaced in place. */
  readonly dataBearingTypes: readonly string[];
}
