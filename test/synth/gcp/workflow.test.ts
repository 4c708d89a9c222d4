import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exportWorkflowSource, RETRY_CODES } from '../../../src/synth/gcp/workflow.js';

const spec = { project: 'p1', instance: 'orders', bucket: 'p1-orders-exports', engine: 'postgres' as const, databases: ['main', 'audit'] };

type Step = Record<string, any>;
const step = (steps: Step[], name: string) => steps.find((s) => name in s)?.[name];

describe('export workflow source', () => {
  const workflow = parse(exportWorkflowSource(spec));
  const main: Step[] = workflow.main.steps;
  const exportOne = step(step(main, 'export_each').for.steps, 'export_one');

  it('lists the databases to export, in order', () => {
    expect(step(main, 'init').assign).toContainEqual({ databases: ['main', 'audit'] });
    expect(step(main, 'init').assign).toContainEqual({ instance: 'orders' });
    expect(step(main, 'export_each').for).toMatchObject({ value: 'database', in: '${databases}' });
  });

  it('calls the Cloud SQL Admin export connector with a gzipped SQL file per database', () => {
    expect(exportOne.try.call).toBe('googleapis.sqladmin.v1.instances.export');
    expect(exportOne.try.args.project).toBe('${project}');
    expect(exportOne.try.args.body.exportContext).toEqual({
      fileType: 'SQL',
      databases: ['${database}'],
      uri: '${"gs://" + bucket + "/" + instance + "/" + database + "/" + stamp + ".sql.gz"}',
    });
    expect(exportOne.try.args.connector_params).toEqual({ timeout: 14400 });
  });

  it('exports SQL Server as BAK files', () => {
    const sql = parse(exportWorkflowSource({ ...spec, engine: 'sqlserver' }));
    const one = step(step(sql.main.steps, 'export_each').for.steps, 'export_one');
    expect(one.try.args.body.exportContext.fileType).toBe('BAK');
    expect(one.try.args.body.exportContext.uri).toContain('".bak"');
  });

  it('retries transient errors with exponential backoff and records what still fails', () => {
    expect(exportOne.retry).toEqual({ predicate: '${retry_transient}', max_retries: 5, backoff: { initial_delay: 60, max_delay: 900, multiplier: 2 } });
    expect(exportOne.except.steps[0].record_failure.assign).toEqual([{ failed: '${list.concat(failed, database)}' }]);
    const classify = step(workflow.retry_transient.steps, 'classify').switch;
    expect(classify[0].condition).toBe(`\${default(map.get(e, "code"), 0) in ${JSON.stringify(RETRY_CODES)}}`);
    expect(RETRY_CODES).toContain(409);
  });

  it('fails the run when any database failed, after trying all of them', () => {
    const check = step(main, 'check_failures').switch[0];
    expect(check.condition).toBe('${len(failed) > 0}');
    expect(check.steps[0].fail.raise).toContain('exports failed for');
    expect(main.map((s) => Object.keys(s)[0])).toEqual(['init', 'export_each', 'check_failures', 'done']);
  });

  it('honours retry settings', () => {
    const custom = parse(exportWorkflowSource({ ...spec, maxRetries: 2, initialDelaySeconds: 10, maxDelaySeconds: 20, exportTimeoutSeconds: 600 }));
    const one = step(step(custom.main.steps, 'export_each').for.steps, 'export_one');
    expect(one.retry.max_retries).toBe(2);
    expect(one.retry.backoff).toEqual({ initial_delay: 10, max_delay: 20, multiplier: 2 });
    expect(one.try.args.connector_params.timeout).toBe(600);
  });

  it('is the same text for the same input', () => {
    expect(exportWorkflowSource(spec)).toBe(exportWorkflowSource({ ...spec, databases: [...spec.databases] }));
  });
});
