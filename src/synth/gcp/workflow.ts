// The export workflow's source: for each database (resolved at synth time), call the Cloud SQL
// Admin API instances.export connector, which waits for the export to finish. Transient errors are
// retried with exponential backoff; a database that still fails is recorded and the run goes on,
// then the execution fails so the "export failed" alert fires. Exports run one at a time because
// Cloud SQL runs one export per instance.
import { gcpFacts } from '../../profiles/index.js';
import { stringify } from 'yaml';
import type { CloudSqlEngine } from './engine.js';

export interface ExportWorkflowSpec {
  readonly project: string;
  readonly instance: string;
  readonly bucket: string;
  readonly engine: CloudSqlEngine;
  /** Databases to export, in order. */
  readonly databases: readonly string[];
  /** Retries per database after the first attempt. Default: 5. */
  readonly maxRetries?: number;
  /** First backoff delay in seconds, doubled each retry up to maxDelaySeconds. Default: 60. */
  readonly initialDelaySeconds?: number;
  /** Default: 900. */
  readonly maxDelaySeconds?: number;
  /** How long one export may run, in seconds. Default: 14400 (4 hours). */
  readonly exportTimeoutSeconds?: number;
}

/** HTTP codes worth retrying: another operation is running (409), throttled, or server-side errors. */
export const RETRY_CODES = [409, 429, 500, 502, 503, 504] as const;

/** The subworkflow both dbaas workflows (exports, restore drills) retry Cloud SQL Admin calls with. */
export const RETRY_TRANSIENT = {
  params: ['e'],
  steps: [
    {
      classify: {
        switch: [
          { condition: `\${default(map.get(e, "code"), 0) in ${JSON.stringify(RETRY_CODES)}}`, steps: [{ http_error: { return: true } }] },
          {
            condition: '${"ConnectionError" in default(map.get(e, "tags"), []) or "TimeoutError" in default(map.get(e, "tags"), [])}',
            steps: [{ network_error: { return: true } }],
          },
        ],
      },
    },
    { give_up: { return: false } },
  ],
};

/** SQL dumps are gzipped by Cloud SQL when the object name ends in .gz; SQL Server exports BAK files. */
export function exportFile(engine: CloudSqlEngine): { fileType: 'SQL' | 'BAK'; extension: string } {
  return { ...gcpFacts(engine).exportFile };
}

/** The workflow definition as a plain object (what the YAML source says). */
export function exportWorkflowDefinition(spec: ExportWorkflowSpec): Record<string, unknown> {
  const { fileType, extension } = exportFile(spec.engine);
  return {
    main: {
      steps: [
        {
          init: {
            assign: [
              { project: spec.project },
              { instance: spec.instance },
              { bucket: spec.bucket },
              { databases: [...spec.databases] },
              // One timestamp per run, so a run's files sort together: gs://<bucket>/<instance>/<db>/<stamp>.sql.gz
              { stamp: '${text.replace_all(time.format(sys.now()), ":", "-")}' },
              { failed: [] },
            ],
          },
        },
        {
          export_each: {
            for: {
              value: 'database',
              in: '${databases}',
              steps: [
                {
                  export_one: {
                    try: {
                      call: 'googleapis.sqladmin.v1.instances.export',
                      args: {
                        project: '${project}',
                        instance: '${instance}',
                        connector_params: { timeout: spec.exportTimeoutSeconds ?? 14400 },
                        body: {
                          exportContext: {
                            fileType,
                            databases: ['${database}'],
                            uri: `\${"gs://" + bucket + "/" + instance + "/" + database + "/" + stamp + "${extension}"}`,
                          },
                        },
                      },
                      result: 'operation',
                    },
                    retry: {
                      predicate: '${retry_transient}',
                      max_retries: spec.maxRetries ?? 5,
                      backoff: { initial_delay: spec.initialDelaySeconds ?? 60, max_delay: spec.maxDelaySeconds ?? 900, multiplier: 2 },
                    },
                    except: {
                      as: 'error',
                      steps: [{ record_failure: { assign: [{ failed: '${list.concat(failed, database)}' }] } }],
                    },
                  },
                },
              ],
            },
          },
        },
        {
          check_failures: {
            switch: [{ condition: '${len(failed) > 0}', steps: [{ fail: { raise: '${"exports failed for: " + json.encode_to_string(failed)}' } }] }],
          },
        },
        { done: { return: '${databases}' } },
      ],
    },
    retry_transient: RETRY_TRANSIENT,
  };
}

/** The workflow source as YAML: same spec, same bytes. */
export function exportWorkflowSource(spec: ExportWorkflowSpec): string {
  return stringify(exportWorkflowDefinition(spec), { lineWidth: 0 });
}
