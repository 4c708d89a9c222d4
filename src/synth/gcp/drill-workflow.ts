// The restore drill's workflow source: clone the instance at its latest recovery time, wait until the
// clone is RUNNABLE, check that it has the source's databases, log how long that took, and delete the
// clone in every path. Every Cloud SQL call is a Workflows connector named as in the Cloud SQL Admin
// API v1 (https://cloud.google.com/workflows/docs/reference/googleapis/sqladmin/Overview):
// - instances.clone: POST .../instances/{instance}/clone, body cloneContext.destinationInstanceName;
//   without pointInTime the clone is of the instance's current (latest) state
//   (https://cloud.google.com/sql/docs/mysql/admin-api/rest/v1/instances/clone, CloneContext);
//   skip_polling returns the operation at once so the drill polls it itself
//   (connector parameters: https://cloud.google.com/workflows/docs/reference/googleapis#connector_parameters);
// - operations.get: the clone operation's status PENDING/RUNNING/DONE and its error
//   (https://cloud.google.com/sql/docs/mysql/admin-api/rest/v1/operations/get);
// - instances.get: the clone's state, RUNNABLE when usable (.../rest/v1/instances#SqlInstanceState);
// - databases.list: the databases of source and clone (.../rest/v1/databases/list);
// - instances.patch: clears settings.deletionProtectionEnabled, which the clone copies from the source
//   and which makes instances.delete fail (https://cloud.google.com/sql/docs/mysql/deletion-protection);
// - instances.delete: removes the clone (.../rest/v1/instances/delete).
// The drill body runs inside one try whose except only records the error, so the unprotect and delete
// steps after it always run; the execution fails afterwards when anything failed.
import { stringify } from 'yaml';
import { RETRY_TRANSIENT } from './workflow.js';

export interface DrillWorkflowSpec {
  readonly project: string;
  /** The source instance. */
  readonly instance: string;
  /** Clone names are `<clonePrefix>-<unix seconds>`: Cloud SQL keeps a deleted name reserved for a week. */
  readonly clonePrefix: string;
  /** How long the clone may take to become RUNNABLE and be checked before the drill gives up and deletes it. */
  readonly deadlineHours: number;
  /**
   * With point-in-time recovery on, clone to this many seconds before the drill started, so the clone
   * is rebuilt from a backup plus the transaction logs (what a real restore does); without it, the
   * clone is of the instance's current state (no pointInTime). Default: none.
   */
  readonly pointInTimeLagSeconds?: number;
  /** Seconds between two polls of the clone operation and state. Default: 60. */
  readonly pollSeconds?: number;
}

/** The JSON key of the drill's structured log lines; the logs-based metrics filter on it. */
export const DRILL_LOG_KEY = 'dbaas_restore_drill';

/** The Cloud SQL Admin API connector calls the drill makes. */
export const SQLADMIN = {
  clone: 'googleapis.sqladmin.v1.instances.clone',
  getOperation: 'googleapis.sqladmin.v1.operations.get',
  get: 'googleapis.sqladmin.v1.instances.get',
  listDatabases: 'googleapis.sqladmin.v1.databases.list',
  patch: 'googleapis.sqladmin.v1.instances.patch',
  delete: 'googleapis.sqladmin.v1.instances.delete',
} as const;

// Reads retry with Workflows' default policy (429, 502, 503, 504, connection errors).
const readRetry = '${http.default_retry}';
// Cleanup retries longer, and also on 409 (another operation, e.g. the clone, still running).
const cleanupRetry = { predicate: '${retry_transient}', max_retries: 12, backoff: { initial_delay: 60, max_delay: 900, multiplier: 2 } };

const raise = (expr: string) => ({ raise: expr });

export function drillWorkflowDefinition(spec: DrillWorkflowSpec): Record<string, unknown> {
  const poll = spec.pollSeconds ?? 60;
  const log = (name: string, severity: string, fields: Record<string, string>) => ({
    [name]: {
      call: 'sys.log',
      args: { severity, json: { [DRILL_LOG_KEY]: fields.status, ...Object.fromEntries(Object.entries(fields).filter(([k]) => k !== 'status')) } },
    },
  });
  return {
    main: {
      steps: [
        {
          init: {
            assign: [
              { project: spec.project },
              { source: spec.instance },
              { clone: `\${"${spec.clonePrefix}-" + string(int(sys.now()))}` },
              { started: '${sys.now()}' },
              { deadline: `\${sys.now() + ${spec.deadlineHours * 3600}}` },
              { failure: null },
              { cleanup_failure: null },
            ],
          },
        },
        {
          drill: {
            try: {
              steps: [
                {
                  start_clone: {
                    call: SQLADMIN.clone,
                    args: {
                      project: '${project}',
                      instance: '${source}',
                      connector_params: { skip_polling: true },
                      body: {
                        cloneContext: {
                          kind: 'sql#cloneContext',
                          destinationInstanceName: '${clone}',
                          ...(spec.pointInTimeLagSeconds !== undefined ? { pointInTime: `\${time.format(started - ${spec.pointInTimeLagSeconds})}` } : {}),
                        },
                      },
                    },
                    result: 'clone_operation',
                  },
                },
                {
                  poll_operation: {
                    try: { call: SQLADMIN.getOperation, args: { project: '${project}', operation: '${clone_operation.name}' }, result: 'operation' },
                    retry: readRetry,
                  },
                },
                {
                  operation_done: {
                    switch: [
                      {
                        condition: '${operation.status == "DONE" and "error" in operation}',
                        steps: [{ clone_failed: raise('${"clone operation failed: " + json.encode_to_string(operation.error)}') }],
                      },
                      { condition: '${operation.status == "DONE"}', next: 'poll_clone' },
                      { condition: '${sys.now() > deadline}', steps: [{ clone_too_slow: raise('${"clone " + clone + " not done before the deadline"}') }] },
                    ],
                  },
                },
                { wait_operation: { call: 'sys.sleep', args: { seconds: poll }, next: 'poll_operation' } },
                {
                  poll_clone: {
                    try: { call: SQLADMIN.get, args: { project: '${project}', instance: '${clone}' }, result: 'cloned' },
                    retry: readRetry,
                  },
                },
                {
                  clone_runnable: {
                    switch: [
                      { condition: '${cloned.state == "RUNNABLE"}', next: 'list_source' },
                      {
                        condition: '${sys.now() > deadline}',
                        steps: [{ never_runnable: raise('${"clone " + clone + " not RUNNABLE before the deadline (state " + cloned.state + ")"}') }],
                      },
                    ],
                  },
                },
                { wait_clone: { call: 'sys.sleep', args: { seconds: poll }, next: 'poll_clone' } },
                {
                  list_source: {
                    try: { call: SQLADMIN.listDatabases, args: { project: '${project}', instance: '${source}' }, result: 'source_databases' },
                    retry: readRetry,
                  },
                },
                {
                  list_clone: {
                    try: { call: SQLADMIN.listDatabases, args: { project: '${project}', instance: '${clone}' }, result: 'clone_databases' },
                    retry: readRetry,
                  },
                },
                { init_compare: { assign: [{ clone_names: [] }, { missing: [] }] } },
                {
                  collect_clone_names: {
                    for: {
                      value: 'd',
                      in: '${default(map.get(clone_databases, "items"), [])}',
                      steps: [{ add_name: { assign: [{ clone_names: '${list.concat(clone_names, d.name)}' }] } }],
                    },
                  },
                },
                {
                  compare: {
                    for: {
                      value: 'd',
                      in: '${default(map.get(source_databases, "items"), [])}',
                      steps: [
                        {
                          check_one: {
                            switch: [
                              {
                                condition: '${not(d.name in clone_names)}',
                                steps: [{ record_missing: { assign: [{ missing: '${list.concat(missing, d.name)}' }] } }],
                              },
                            ],
                          },
                        },
                      ],
                    },
                  },
                },
                {
                  databases_match: {
                    switch: [
                      {
                        condition: '${len(missing) > 0}',
                        steps: [{ databases_missing: raise('${"clone lacks databases: " + json.encode_to_string(missing)}') }],
                      },
                    ],
                  },
                },
                log('record_duration', 'INFO', {
                  status: 'succeeded',
                  instance: '${source}',
                  clone: '${clone}',
                  durationSeconds: '${int(sys.now() - started)}',
                  databases: '${len(clone_names)}',
                }),
              ],
            },
            except: { as: 'e', steps: [{ keep_failure: { assign: [{ failure: '${e}' }] } }] },
          },
        },
        // Cleanup: always reached (no step above jumps past it). A 404 means there is no clone (the clone call failed).
        {
          unprotect_clone: {
            try: {
              call: SQLADMIN.patch,
              args: { project: '${project}', instance: '${clone}', body: { settings: { deletionProtectionEnabled: false } } },
            },
            retry: cleanupRetry,
            // Ignored: a 404 means no clone exists, and any other failure shows again in the delete.
            except: { as: 'e', steps: [{ unprotect_failed: { assign: [{ unprotect_error: '${e}' }] } }] },
          },
        },
        {
          delete_clone: {
            try: { call: SQLADMIN.delete, args: { project: '${project}', instance: '${clone}' } },
            retry: cleanupRetry,
            except: {
              as: 'e',
              steps: [
                {
                  delete_failed: {
                    switch: [
                      { condition: '${default(map.get(e, "code"), 0) != 404}', steps: [{ keep_cleanup_failure: { assign: [{ cleanup_failure: '${e}' }] } }] },
                    ],
                  },
                },
              ],
            },
          },
        },
        {
          finish: {
            switch: [
              {
                condition: '${cleanup_failure != null}',
                steps: [
                  log('log_clone_left', 'ERROR', {
                    status: 'clone-not-deleted',
                    instance: '${source}',
                    clone: '${clone}',
                    error: '${json.encode_to_string(cleanup_failure)}',
                  }),
                  { clone_left: raise('${"clone " + clone + " could not be deleted: delete it by hand"}') },
                ],
              },
              {
                condition: '${failure != null}',
                steps: [
                  log('log_failure', 'ERROR', { status: 'failed', instance: '${source}', clone: '${clone}', error: '${json.encode_to_string(failure)}' }),
                  { drill_failed: raise('${failure}') },
                ],
              },
            ],
          },
        },
        { done: { return: '${clone}' } },
      ],
    },
    retry_transient: RETRY_TRANSIENT,
  };
}

/** The drill workflow source as YAML: same spec, same bytes. */
export function drillWorkflowSource(spec: DrillWorkflowSpec): string {
  return stringify(drillWorkflowDefinition(spec), { lineWidth: 0 });
}
