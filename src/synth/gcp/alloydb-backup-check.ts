// The AlloyDB backup check: a Cloud Workflows workflow, started hourly by Cloud Scheduler, that lists
// the location's backups through the AlloyDB Admin API and writes a structured ERROR log entry when a
// backup of this cluster FAILED recently or its newest READY AUTOMATED backup is older than the window.
// Log-based alert policies match those entries (alloydb-monitoring.ts).
//
// Why not audit logs or a metric: automated backups are taken by AlloyDB's scheduler, not by an API
// call, so no CreateBackup audit entry is documented for them, and Cloud Monitoring has no AlloyDB
// backup metric. The Backup resource is documented: projects.locations.backups.list
// (GET https://alloydb.googleapis.com/v1/{parent=projects/*/locations/*}/backups, permission
// alloydb.backups.list, pageToken/nextPageToken; https://cloud.google.com/alloydb/docs/reference/rest/v1/projects.locations.backups/list)
// returns Backup objects with clusterName (the full cluster name), type (AUTOMATED, ON_DEMAND,
// CONTINUOUS), state (READY, CREATING, FAILED, DELETING) and createTime/updateTime (RFC 3339)
// (https://cloud.google.com/alloydb/docs/reference/rest/v1/projects.locations.backups#Backup).
// The list's `filter` syntax is not documented, so the workflow lists every backup of the location
// and keeps those whose clusterName equals this cluster's name exactly (never a substring).
import { stringify } from 'yaml';
import { RETRY_TRANSIENT } from './workflow.js';

/** What the workflow's log entries say in jsonPayload.dbaas_check. */
export const ALLOYDB_CHECK = {
  failed: 'alloydb-backup-failed',
  missing: 'alloydb-backup-missing',
  error: 'alloydb-backup-check-error',
} as const;

export interface AlloyDbBackupCheckSpec {
  readonly project: string;
  readonly region: string;
  readonly clusterId: string;
  /** Age of the newest READY automated backup past which it is missing, in hours. */
  readonly missingAfterHours: number;
  /** A FAILED backup updated within this many hours is reported (the check runs hourly). Default: 2. */
  readonly failedLookbackHours?: number;
}

/** projects/<p>/locations/<r>/clusters/<id>: the clusterName every backup of the cluster carries. */
export function alloydbClusterName(project: string, region: string, clusterId: string): string {
  return `projects/${project}/locations/${region}/clusters/${clusterId}`;
}

const logStep = (check: string, extra: Record<string, string>) => ({
  call: 'sys.log',
  args: { severity: 'ERROR', json: { dbaas_check: check, cluster: '${cluster}', ...extra } },
});

/** The workflow definition as a plain object (what the YAML source says). */
export function alloydbBackupCheckDefinition(spec: AlloyDbBackupCheckSpec): Record<string, unknown> {
  const field = (name: string, fallback = '""') => `default(map.get(b, "${name}"), ${fallback})`;
  const ours = `${field('clusterName')} == cluster`;
  // When a failed backup last changed (its failure), else when it started.
  const updated = `time.parse(${field('updateTime', 'b.createTime')})`;
  return {
    main: {
      steps: [
        {
          init: {
            assign: [
              { cluster: alloydbClusterName(spec.project, spec.region, spec.clusterId) },
              { parent: `projects/${spec.project}/locations/${spec.region}` },
              { max_age_seconds: spec.missingAfterHours * 3600 },
              { failed_lookback_seconds: (spec.failedLookbackHours ?? 2) * 3600 },
              { now: '${sys.now()}' },
              // createTime of the newest READY automated backup, in seconds since the epoch (0: none).
              { newest: 0 },
              { failed: [] },
              { page_token: '' },
            ],
          },
        },
        {
          list_page: {
            try: {
              call: 'http.get',
              args: {
                url: '${"https://alloydb.googleapis.com/v1/" + parent + "/backups"}',
                auth: { type: 'OAuth2' },
                query: { pageSize: 500, pageToken: '${page_token}' },
              },
              result: 'page',
            },
            retry: { predicate: '${retry_transient}', max_retries: 5, backoff: { initial_delay: 10, max_delay: 300, multiplier: 2 } },
            except: {
              as: 'error',
              steps: [{ log_error: logStep(ALLOYDB_CHECK.error, { error: '${json.encode_to_string(error)}' }) }, { reraise: { raise: '${error}' } }],
            },
          },
        },
        {
          scan: {
            for: {
              value: 'b',
              in: '${default(map.get(page.body, "backups"), [])}',
              steps: [
                {
                  classify: {
                    switch: [
                      {
                        condition: `\${${ours} and ${field('type')} == "AUTOMATED" and ${field('state')} == "READY" and time.parse(b.createTime) > newest}`,
                        next: 'keep_newest',
                      },
                      {
                        condition: `\${${ours} and ${field('state')} == "FAILED" and now - ${updated} < failed_lookback_seconds}`,
                        next: 'keep_failed',
                      },
                    ],
                    next: 'continue',
                  },
                },
                { keep_newest: { assign: [{ newest: '${time.parse(b.createTime)}' }], next: 'continue' } },
                { keep_failed: { assign: [{ failed: '${list.concat(failed, b.name)}' }] } },
              ],
            },
          },
        },
        {
          next_page: {
            switch: [{ condition: '${default(map.get(page.body, "nextPageToken"), "") != ""}', next: 'set_token' }],
            next: 'report_failed',
          },
        },
        { set_token: { assign: [{ page_token: '${page.body.nextPageToken}' }], next: 'list_page' } },
        {
          report_failed: {
            switch: [{ condition: '${len(failed) > 0}', steps: [{ log_failed: logStep(ALLOYDB_CHECK.failed, { backups: '${failed}' }) }] }],
          },
        },
        {
          report_missing: {
            switch: [
              {
                condition: '${now - newest > max_age_seconds}',
                // newest is 0 when the cluster has no READY automated backup at all.
                steps: [{ log_missing: logStep(ALLOYDB_CHECK.missing, { newest_automated_backup_epoch_seconds: '${newest}' }) }],
              },
            ],
          },
        },
        { done: { return: { newest: '${newest}', failed: '${failed}' } } },
      ],
    },
    retry_transient: RETRY_TRANSIENT,
  };
}

/** The workflow source as YAML: same spec, same bytes. */
export function alloydbBackupCheckSource(spec: AlloyDbBackupCheckSpec): string {
  return stringify(alloydbBackupCheckDefinition(spec), { lineWidth: 0 });
}

/**
 * A log filter for one kind of the workflow's ERROR entries about this cluster: the workflow's own
 * log (resource workflows.googleapis.com/Workflow, its id and location) and the exact cluster name.
 */
export function alloydbCheckFilter(workflowName: string, region: string, check: string, cluster: string): string {
  const quote = (v: string) => JSON.stringify(v);
  return [
    'resource.type="workflows.googleapis.com/Workflow"',
    `resource.labels.workflow_id=${quote(workflowName)}`,
    `resource.labels.location=${quote(region)}`,
    'severity>=ERROR',
    `jsonPayload.dbaas_check=${quote(check)}`,
    `jsonPayload.cluster=${quote(cluster)}`,
  ].join('\n');
}
