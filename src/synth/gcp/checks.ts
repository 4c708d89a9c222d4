// What a GCP stack cannot be built from, reported as Problems before anything is synthesized.
// `field` is the path in the resolved database (e.g. backup.encryption.kmsKey), so the caller can
// point at the spec line with locateResolved(entry, field.split('.')).
import { showValue, type Problem } from '../../errors.js';
import type { ResolvedDatabase } from '../../model/resolved.js';
import { enginesOnText, gcpConstructOf, gcpFacts, type GcpConstruct } from '../../profiles/index.js';
import { alloydbProblems } from './alloydb-checks.js';
import { checkKmsKey, gcpChannelProblems, placedInGcp, problemList } from './shared-checks.js';
import { ADMIN_USER, IAM_AUTH_FLAG, iamUserType, isCloudSqlEngine, rootPasswordDiscarded } from './engine.js';
import { exportedDatabases } from './globs.js';
import { ERR } from '../../error-codes.js';

/** What each GCP construct cannot be built from (the construct is named by the engine profile). */
const GCP_CHECKS: Readonly<Record<GcpConstruct, (db: ResolvedDatabase) => Problem[]>> = {
  'cloud-sql': cloudSqlProblems,
  alloydb: alloydbProblems,
};

/** Every reason the GCP builder would refuse `db`, from the checks of the construct its engine profile names. */
export function gcpProblems(db: ResolvedDatabase): Problem[] {
  const construct = db.placement.cloud === 'gcp' ? gcpConstructOf(db.engine) : undefined;
  return GCP_CHECKS[construct ?? 'cloud-sql'](db);
}

function cloudSqlProblems(db: ResolvedDatabase): Problem[] {
  const { problems, add } = problemList();
  if (!placedInGcp(db, add)) return problems;
  if (!isCloudSqlEngine(db.engine)) {
    add(ERR.GCP_ENGINE, 'engine', db.engine, `engine ${showValue(db.engine)} is not available on Cloud SQL`, enginesOnText('gcp'));
    return problems;
  }
  const refused = gcpFacts(db.engine).refused;
  if (refused) {
    add(refused.code, 'engine', db.engine, refused.summary, refused.expected);
    return problems;
  }
  const agent = db.placement.cloudSqlServiceAgent;
  const kmsKey = db.backup.encryption.kmsKey;
  checkKmsKey(db, add);
  if (db.storageEncrypted && !agent) {
    add(
      ERR.GCP_NO_SERVICE_AGENT,
      'backup.encryption.kmsKey',
      kmsKey,
      `a customer-managed key needs the Cloud SQL service agent of project ${db.placement.projectId}`,
      'cloudSqlServiceAgent under clouds.gcp.projects in dbaas.config.yaml',
    );
  }
  db.backup.exports.forEach((exp, i) => {
    if (exportedDatabases(db.databases, exp.excludeDatabases ?? []).length === 0) {
      add(
        ERR.GCP_EXPORT_EMPTY,
        `backup.exports.${i}.excludeDatabases`,
        exp.excludeDatabases,
        `export ${i + 1} excludes every database (${db.databases.join(', ')})`,
        'patterns that leave at least one database to export',
      );
    }
  });
  if (db.backup.copies.length > 0 && !db.backup.copies.some((c) => typeof c.region === 'string')) {
    add(
      ERR.GCP_COPY_REGION,
      'backup.copies',
      db.backup.copies,
      'GCP backup copies go to another region, and no copy names one',
      'copies: [{ region: <gcp region>, retentionDays: <n> }]',
    );
  }
  db.users.forEach((user, i) => {
    if (rootPasswordDiscarded(db.engine) && user.name === ADMIN_USER[db.engine]) {
      add(
        ERR.GCP_MYSQL_ROOT,
        `users.${i}`,
        user.name,
        "a MySQL root password set through Terraform provisions nothing (the provider deletes 'root'@'%' after create) and would be kept in Terraform state",
        'IAM database users (e-mail names) for admins, or root created outside Terraform with gcloud sql users create',
      );
      return;
    }
    if (user.passwordSecret !== undefined) {
      add(
        ERR.GCP_USER_PASSWORD,
        `users.${i}.passwordSecret`,
        user.passwordSecret,
        'a GCP stack reads no password: Terraform would keep it in state, which the pull-request plan job can read',
        'an IAM e-mail as the name (postgres and mysql), or the user created outside Terraform with gcloud sql users create',
      );
    } else if (!iamUserType(user.name) || !IAM_AUTH_FLAG[db.engine]) {
      add(
        ERR.GCP_USER_AUTH,
        `users.${i}`,
        user.name,
        `user ${showValue(user.name)} cannot sign in with IAM on ${db.engine}`,
        'an IAM e-mail as the name (postgres and mysql), or the user created outside Terraform with gcloud sql users create',
      );
    }
  });
  problems.push(...gcpChannelProblems(db));
  return problems;
}
