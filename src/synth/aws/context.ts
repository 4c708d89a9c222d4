// What every AWS construct needs to know about the database it serves, computed once per stack.
import type { ResolvedDatabase } from '../../model/resolved.js';
import type { AwsAccount } from '../../spec/generated.js';
import { SynthError } from '../errors.js';
import type { SynthContext } from '../types.js';
import { ERR } from '../../error-codes.js';

export interface AwsTarget {
  readonly db: ResolvedDatabase;
  readonly account: AwsAccount;
  /** `aws`, `aws-cn` or `aws-us-gov`, from the region, so ARNs are literal and need no data source. */
  readonly partition: string;
  /** Tags on every resource (provider default_tags) and on recovery points. */
  readonly tags: Readonly<Record<string, string>>;
  readonly production: boolean;
  /** See SynthContext.offlineCheck. */
  readonly offline: boolean;
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** Labels first, so a label can never overwrite the four tags dbaas relies on. */
export function stackTags(db: ResolvedDatabase): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(db.labels)) if (value !== undefined) tags[key] = value;
  return { ...tags, team: db.team, database: db.name, environment: db.environment, 'managed-by': 'dbaas' };
}

export function awsTarget(db: ResolvedDatabase, ctx: SynthContext): AwsTarget {
  if (db.placement.cloud !== 'aws') {
    throw new SynthError(ERR.SYNTH_PLACEMENT, ['cloud'], `database ${db.name} is placed on ${db.placement.cloud}, not aws`);
  }
  const { cloud: _cloud, ...account } = db.placement;
  return {
    db,
    account,
    partition: partitionOf(db.region),
    tags: stackTags(db),
    production: db.environment === 'production',
    offline: ctx.offlineCheck === true,
  };
}

export function arn(t: AwsTarget, service: string, region: string, resource: string, account = t.account.accountId): string {
  return `arn:${t.partition}:${service}:${region}:${account}:${resource}`;
}

/** A copy destination, as the BackupPolicy schema defines it (region, account or both). */
export interface CopyTarget {
  /** Default: the database's region. */
  readonly region: string;
  /** Set for cross-account copies. */
  readonly account?: string;
  readonly retentionDays: number;
  /** Index in backup.copies, for error locations. */
  readonly index: number;
}

export function copyTargets(db: ResolvedDatabase): CopyTarget[] {
  return db.backup.copies.map((copy, index) => {
    return {
      region: copy.region ?? db.region,
      ...(copy.account !== undefined ? { account: copy.account } : {}),
      retentionDays: copy.retentionDays,
      index,
    };
  });
}
