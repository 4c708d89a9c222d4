// The Cloud Scheduler job that starts a Cloud Workflow on a cron: exports, restore drills and the
// AlloyDB backup check all start their workflow this way, so the request is written once.
import { CloudSchedulerJob } from '@cdktf/provider-google/lib/cloud-scheduler-job/index.js';
import type { Construct } from 'constructs';

export interface WorkflowStarterProps {
  readonly project: string;
  readonly region: string;
  /** The job's name (gcpName(..., 500)). */
  readonly name: string;
  readonly description: string;
  /** Cron, in timeZone. */
  readonly schedule: string;
  readonly timeZone: string;
  /** The workflow's id (projects/<p>/locations/<r>/workflows/<name>), a token of the workflow resource. */
  readonly workflowId: string;
  /** The service account the job calls the Workflow Executions API as. */
  readonly starterEmail: string;
  /** Retries of a start that failed. Default: 3. */
  readonly retryCount?: number;
}

/** The execution request (no argument; log errors only), base64 as Cloud Scheduler takes an HTTP body. */
const BODY = Buffer.from(JSON.stringify({ argument: '{}', callLogLevel: 'LOG_ERRORS_ONLY' })).toString('base64');

/**
 * A POST to workflowexecutions.googleapis.com/v1/<workflow>/executions with an OAuth token of the
 * starter account: https://cloud.google.com/workflows/docs/schedule-workflow. Cloud Scheduler takes the
 * HTTP body base64-encoded (httpTarget.body, provider google v6.50.0 resource_cloud_scheduler_job).
 */
export function startWorkflowOnSchedule(scope: Construct, id: string, props: WorkflowStarterProps): CloudSchedulerJob {
  return new CloudSchedulerJob(scope, id, {
    project: props.project,
    region: props.region,
    name: props.name,
    description: props.description,
    schedule: props.schedule,
    timeZone: props.timeZone,
    attemptDeadline: '180s',
    retryConfig: { retryCount: props.retryCount ?? 3, minBackoffDuration: '60s', maxBackoffDuration: '600s', maxDoublings: 3, maxRetryDuration: '0s' },
    httpTarget: {
      httpMethod: 'POST',
      uri: `https://workflowexecutions.googleapis.com/v1/${props.workflowId}/executions`,
      headers: { 'Content-Type': 'application/json' },
      body: BODY,
      oauthToken: { serviceAccountEmail: props.starterEmail, scope: 'https://www.googleapis.com/auth/cloud-platform' },
    },
  });
}
