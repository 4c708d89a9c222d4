// The runbook every GCP alert policy carries as its documentation (markdown): what failed, the
// console link for this project, and the exact gcloud commands to look and to re-run, with this
// database's instance, workflow, scheduler job and Backup and DR association. Pure text building;
// monitoring.ts places it in documentation.content.
//
// Limit: AlertPolicy.Documentation.content "may not exceed 8,192 Unicode characters and may not
// exceed more than 10,240 bytes when encoded in UTF-8 format, whichever is smaller"
// (https://cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.alertPolicies#documentation).
// Every name here is patterned (instance, workflow, job and project ids), so single-quoting the
// Logging filters is safe and no name can break out of a code span.

export const MAX_DOCUMENTATION_CHARS = 8192;
export const MAX_DOCUMENTATION_BYTES = 10_240;

export interface GcpRunbookTarget {
  readonly database: string;
  readonly environment: string;
  readonly project: string;
  readonly region: string;
  readonly instanceName: string;
}

const CONSOLE = 'https://console.cloud.google.com';

/** A Logging filter as one `gcloud logging read` argument (a space is AND in the query language). */
export function loggingRead(filter: string, project: string, freshness = '2d'): string {
  const oneLine = filter.split('\n').join(' ');
  if (oneLine.includes("'")) throw new Error('a Logging filter with a single quote cannot be single-quoted');
  return `gcloud logging read '${oneLine}' --project=${project} --freshness=${freshness} --limit=10`;
}

/** Markdown: a heading line, what happened, the console link, then look and re-run commands. */
export function runbook(t: GcpRunbookTarget, what: string, consoleUrl: string, look: readonly string[], rerun: readonly string[]): string {
  const block = (cmds: readonly string[]) => ['```', ...cmds, '```'];
  const content = [
    `**dbaas ${t.database}** (${t.environment}, project \`${t.project}\`, ${t.region}): ${what}`,
    '',
    `Console: ${consoleUrl}`,
    '',
    'Look:',
    ...block(look),
    ...(rerun.length ? ['', 'Re-run:', ...block(rerun)] : []),
  ].join('\n');
  if (content.length > MAX_DOCUMENTATION_CHARS || Buffer.byteLength(content, 'utf8') > MAX_DOCUMENTATION_BYTES) {
    throw new Error(`alert documentation over Cloud Monitoring's ${MAX_DOCUMENTATION_CHARS} characters / ${MAX_DOCUMENTATION_BYTES} bytes`);
  }
  return content;
}

const instanceFlags = (t: GcpRunbookTarget) => `--instance=${t.instanceName} --project=${t.project}`;

/** An automated backup failed or is missing: look at the backups, operations and log; take one now. */
export function automatedBackupRunbook(t: GcpRunbookTarget, what: string, failedFilter: string): string {
  return runbook(
    t,
    what,
    `${CONSOLE}/sql/instances/${t.instanceName}/backups?project=${t.project}`,
    [
      `gcloud sql backups list ${instanceFlags(t)} --limit=5`,
      `gcloud sql operations list ${instanceFlags(t)} --filter=operationType=BACKUP_VOLUME --limit=10`,
      loggingRead(failedFilter, t.project),
    ],
    [`gcloud sql backups create ${instanceFlags(t)}`],
  );
}

/** A Backup and DR job failed: its log entry, the association; trigger the plan's rule now. */
export function backupDrRunbook(t: GcpRunbookTarget, what: string, failedFilter: string, associationId: string, ruleId: string): string {
  const location = `--location=${t.region} --project=${t.project}`;
  return runbook(
    t,
    what,
    `${CONSOLE}/backup-dr/backup-plan-associations?project=${t.project}`,
    [loggingRead(failedFilter, t.project), `gcloud backup-dr backup-plan-associations describe ${associationId} ${location}`],
    [`gcloud backup-dr backup-plan-associations trigger-backup ${associationId} --backup-rule-id=${ruleId} ${location}`],
  );
}

/** An export workflow failed or stopped: its executions and scheduler job; run it now. */
export function exportRunbook(
  t: GcpRunbookTarget,
  what: string,
  job: { workflowName: string; schedulerJobName: string; region: string },
  schedulerFilter?: string,
): string {
  const location = `--location=${job.region} --project=${t.project}`;
  return runbook(
    t,
    what,
    `${CONSOLE}/workflows/workflow/${job.region}/${job.workflowName}/executions?project=${t.project}`,
    [
      `gcloud workflows executions list ${job.workflowName} ${location} --limit=5`,
      `gcloud scheduler jobs describe ${job.schedulerJobName} ${location}`,
      ...(schedulerFilter ? [loggingRead(schedulerFilter, t.project)] : []),
    ],
    // The scheduler starts the workflow with argument {} (exports.ts); a manual run does the same.
    schedulerFilter ? [`gcloud scheduler jobs run ${job.schedulerJobName} ${location}`] : [`gcloud workflows run ${job.workflowName} ${location} --data='{}'`],
  );
}

/** A health metric stays over its threshold: the instance and its metrics (nothing to re-run). */
export function healthRunbook(t: GcpRunbookTarget, what: string): string {
  return runbook(
    t,
    what,
    `${CONSOLE}/sql/instances/${t.instanceName}/overview?project=${t.project}`,
    [`gcloud sql instances describe ${t.instanceName} --project=${t.project}`, `gcloud sql operations list ${instanceFlags(t)} --limit=10`],
    [],
  );
}
