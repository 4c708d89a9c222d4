// The resolved database: a Database merged with its backup policy, channels and config defaults.
// Guardrails assert over it and synth builds from it. Shapes come from the generated schema types.
import type { AwsAccount, BackupPolicyFields, DatabaseSpec, GcpProject, Labels, NotificationChannelSpec } from '../spec/generated.js';

type Filled<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };

export type ResolvedBackup = Filled<
  BackupPolicyFields,
  | 'enabled'
  | 'schedule'
  | 'timezone'
  | 'startWindowMinutes'
  | 'completionWindowMinutes'
  | 'retentionDays'
  | 'pointInTimeRecovery'
  | 'copies'
  | 'encryption'
  | 'exports'
  | 'alerts'
> & {
  /** The named BackupPolicy this came from, when there is one. */
  readonly policyName?: string;
  readonly alerts: { onFailure: boolean; missingAfterHours: number };
  readonly pointInTimeRecovery: { enabled: boolean; retentionDays: number };
};

export interface ResolvedChannel extends NotificationChannelSpec {
  readonly name: string;
}

/** Where a database lands: its AWS account or GCP project for its environment, from the config. */
export type Placement = ({ readonly cloud: 'aws' } & AwsAccount) | ({ readonly cloud: 'gcp' } & GcpProject);

export type ResolvedDatabase = Filled<
  Omit<DatabaseSpec, 'backup' | 'notify'>,
  | 'version'
  | 'size'
  | 'storageGb'
  | 'highAvailability'
  | 'deletionProtection'
  | 'publiclyAccessible'
  | 'storageEncrypted'
  | 'requireSsl'
  | 'maintenanceWindow'
  | 'databases'
  | 'users'
  | 'waivers'
> & {
  readonly name: string;
  readonly team: string;
  /** metadata.labels over config defaults.labels. */
  readonly labels: Labels;
  /** The machine class the size maps to for this cloud and engine (size map in the config). */
  readonly instanceClass: string;
  readonly maintenanceWindow: { day: NonNullable<DatabaseSpec['maintenanceWindow']>['day']; startTime: string; durationMinutes: number };
  readonly backup: ResolvedBackup;
  readonly notify: string[];
  readonly channels: ResolvedChannel[];
  readonly placement: Placement;
  /** What this team may use in this environment (config teams ∩ account regions). */
  readonly allowed: { readonly regions: string[]; readonly sizes: string[] };
  /** Labels the config requires on every database. */
  readonly requiredLabels: string[];
};
