// Cloud names two databases would both claim. Every name a stack gives a cloud resource is derived
// from the database name, and database names are unique in the repo, but derived names can still
// meet: the alerts key of `orders` is alias/dbaas/orders-alerts, the main key of `orders-alerts` too;
// a GCS bucket name is global, and `<project>-<db>` joins two free-form parts. Terraform would fail
// at apply, or worse, take over the other database's resource. Refused before anything is built.
//
// The names come from the same helpers the stack builders use (fitName, gcpName); the formulas next
// to each kind are the builders' (src/synth/aws/*, src/synth/gcp/*), and
// test/validate/collisions.test.ts holds every name listed here to the synthesized example stacks.
import { engineOn } from '../profiles/index.js';
import { formatLocation, problem, type Problem } from '../errors.js';
import type { ResolvedDatabase } from '../model/resolved.js';
import { locateResolved, type ResolvedEntry } from '../resolve/index.js';
import { gcpName, serviceAccountId } from '../synth/gcp/names.js';
import { fitName } from '../synth/naming.js';
import { ERR } from '../error-codes.js';

export interface CloudName {
  /** What the name is, e.g. "backup vault". */
  readonly kind: string;
  /** Where it must be unique, e.g. "AWS account 123456789012 in eu-west-1" or "all of GCS". */
  readonly scope: string;
  readonly name: string;
}

function awsNames(db: ResolvedDatabase, accountId: string): CloudName[] {
  const inRegion = (region: string) => `AWS account ${accountId} in ${region}`;
  const here = inRegion(db.region);
  const names: CloudName[] = [];
  const add = (kind: string, scope: string, name: string) => names.push({ kind, scope, name });
  // database.ts: the instance, cluster or table is named after the database; Aurora instances -1, -2.
  // Cluster and instance identifiers are separate namespaces, each unique per account and region
  // (RDS API reference: CreateDBCluster DBClusterIdentifier, CreateDBInstance DBInstanceIdentifier).
  const construct = engineOn(db.engine, 'aws')?.facts.construct;
  if (construct === 'dynamodb-table') add('DynamoDB table', here, db.name);
  else if (construct === 'aurora-cluster') {
    add('RDS cluster identifier', here, db.name);
    for (let i = 1; i <= (db.highAvailability ? 2 : 1); i++) add('RDS instance identifier', here, fitName('', db.name, `-${i}`, 63));
  } else add('RDS instance identifier', here, db.name);
  // index.ts + kms.ts: alias/dbaas/<name>[-<role>], the main key when managed, else an alerts key.
  const managed = db.backup.encryption.kmsKey === 'managed';
  add('KMS alias', here, `alias/dbaas/${db.name}${managed ? '' : '-alerts'}`);
  // monitoring.ts
  add('SNS topic', here, fitName('dbaas-', db.name, '-alerts', 256));
  if (!db.backup.enabled) return names;
  // backup.ts: vault, plan and role; a copy in another region of the same account gets a vault and
  // a key there (cross-account copies go to a vault the other account owns).
  add('backup vault', here, fitName('dbaas-', db.name, '', 50));
  add('backup plan', here, fitName('dbaas-', db.name, '', 50));
  add('IAM role', `AWS account ${accountId}`, fitName('dbaas-backup-', db.name, '', 64));
  (db.backup.copies ?? []).forEach((copy) => {
    if (copy.account !== undefined) return;
    const region = copy.region ?? db.region;
    add('backup vault', inRegion(region), fitName('dbaas-', db.name, '-copy', 50));
    if (region !== db.region) add('KMS alias', inRegion(region), `alias/dbaas/${db.name}-copy-${region}`);
  });
  return names;
}

function gcpNames(db: ResolvedDatabase, project: string): CloudName[] {
  const names: CloudName[] = [];
  const add = (kind: string, scope: string, name: string) => names.push({ kind, scope, name });
  const inProject = `GCP project ${project}`;
  // instance.ts
  add('Cloud SQL instance', inProject, gcpName(db.name, 'sql', 63));
  // exports.ts: buckets are global; service accounts per project.
  (db.backup.exports ?? []).forEach((_, i) => {
    add('GCS bucket', 'all of GCS (bucket names are global)', gcpName(`${project}-${db.name}`, i === 0 ? 'exports' : `exports-${i + 1}`, 63));
  });
  if ((db.backup.exports ?? []).length > 0) {
    add('service account', inProject, serviceAccountId(db.name, 'export'));
    add('service account', inProject, serviceAccountId(db.name, 'export-start'));
  }
  return names;
}

/** The names one database's stack gives cloud resources that must be unique in their scope. */
export function cloudNames(db: ResolvedDatabase): CloudName[] {
  return db.placement.cloud === 'aws' ? awsNames(db, db.placement.accountId) : gcpNames(db, db.placement.projectId);
}

/** One problem per database whose stack would claim a name another database's stack claims. */
export function nameCollisions(entries: readonly ResolvedEntry[]): Problem[] {
  const owners = new Map<string, { entry: ResolvedEntry; name: CloudName }>();
  const problems: Problem[] = [];
  for (const entry of entries) {
    for (const name of cloudNames(entry.db)) {
      const key = `${name.kind}\u0000${name.scope}\u0000${name.name}`;
      const first = owners.get(key);
      if (!first) {
        owners.set(key, { entry, name });
        continue;
      }
      if (first.entry === entry) continue;
      problems.push(
        problem({
          code: ERR.NAME_COLLISION,
          message:
            `database "${entry.db.name}" would create ${name.kind} ${name.name} in ${name.scope}, which database ` +
            `"${first.entry.db.name}" (${formatLocation(locateResolved(first.entry, ['name']))}) creates too; ` +
            `expected names that differ: rename one database`,
          // At metadata.name: renaming one database is the fix.
          location: locateResolved(entry, ['name']),
          field: 'metadata.name',
          value: entry.db.name,
        }),
      );
    }
  }
  return problems;
}
