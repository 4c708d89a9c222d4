// Fields a cloud cannot honour are refused at validate, at the line that sets them, with what to do
// instead (src/validate/unsupported.ts). Each case edits one file of a copy of the example repo.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblem, type Problem } from '../../src/errors.js';
import { resolveDir } from '../../src/pipeline.js';
import { UNSUPPORTED } from '../../src/validate/unsupported.js';
import { runCli } from '../helpers/cli.js';
import { cleanupTempRepos, exampleWith, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);

function unsupported(dir: string): Problem[] {
  const result = resolveDir(dir);
  return result.ok ? [] : result.problems.filter((p) => p.code === 'DBAAS_UNSUPPORTED_FIELD');
}

/** The 1-based line of the first line containing `text`. */
function lineOf(dir: string, file: string, text: string): number {
  const lines = readFileSync(join(dir, file), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`${text} not in ${file}`);
  return i + 1;
}

const ORDERS = 'stacks/payments/orders.yaml';

describe('fields AWS cannot honour are refused at validate', () => {
  it('passes the example repo untouched', () => {
    expect(unsupported(tempRepo('example')).map(formatProblem)).toEqual([]);
  });

  it('refuses backup.exports on an AWS database, at the exports line', () => {
    const dir = exampleWith({
      file: ORDERS,
      from: '    policy: prod-standard\n',
      to: '    policy: prod-standard\n    exports: [{ schedule: "0 6 * * *", retentionDays: 7 }]\n',
    });
    const [p, ...rest] = unsupported(dir);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ field: 'spec.backup.exports', location: { file: ORDERS, line: lineOf(dir, ORDERS, 'exports:') } });
    expect(p!.message).toMatch(
      /database orders \(aws\) cannot honour backup.exports.*remove them inline, or give this database a BackupPolicy without exports/,
    );
  });

  it('refuses exports that come from the shared policy at the policy line, naming each AWS database', () => {
    const file = 'stacks/shared/backup-policies.yaml';
    const dir = exampleWith({
      file,
      from: '  restoreTesting: { schedule: "0 5 * * 0" }\n---',
      to: '  restoreTesting: { schedule: "0 5 * * 0" }\n  exports: [{ schedule: "0 6 * * *", retentionDays: 7 }]\n---',
    });
    const problems = unsupported(dir);
    // prod-standard serves orders, users, ledger and payouts; orders, ledger and payouts set no inline exports.
    expect(problems.map((p) => /database (\w+)/.exec(p.message)?.[1]).sort()).toEqual(['ledger', 'orders', 'payouts', 'users']);
    for (const p of problems) expect(p.location).toEqual(expect.objectContaining({ file, line: lineOf(dir, file, 'exports: [{ schedule: "0 6') }));
  });

  it('refuses spec.users on an AWS database', () => {
    const dir = exampleWith({ file: ORDERS, from: '  backup:\n', to: '  users: [{ name: app }]\n  backup:\n' });
    const [p] = unsupported(dir);
    expect(p).toMatchObject({ field: 'spec.users', location: { file: ORDERS, line: lineOf(dir, ORDERS, 'users:') } });
    expect(p!.message).toMatch(/cannot honour spec.users.*remove spec.users/);
  });

  it('refuses a Pub/Sub channel used by an AWS database, at the notify entry', () => {
    const dir = exampleWith({
      file: ORDERS,
      from: 'notify: [payments-oncall, payments-pager]',
      to: 'notify: [payments-oncall, payments-pager, analytics-alerts]',
    });
    const [p, ...rest] = unsupported(dir);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ field: 'spec.notify[2]', value: 'analytics-alerts', location: { file: ORDERS, line: lineOf(dir, ORDERS, 'notify:') } });
    expect(p!.message).toMatch(/pubsub target is a GCP topic.*notify another channel/);
  });

  it('refuses a Slack channel without Chatbot ids for AWS databases, and says which fields to add', () => {
    const dir = exampleWith({
      file: 'stacks/shared/channels.yaml',
      from: /slack: \{ workspaceId: \w+, channelId: \w+ \}/,
      to: 'slack: { webhookSecret: "secretsmanager:payments/slack-webhook" }',
    });
    const all = unsupported(dir);
    const problems = all.filter((p) => p.field?.startsWith('spec.notify'));
    // Every payments database notifies payments-oncall: orders, ledger, carts, payouts.
    expect(problems.map((p) => /database (\w+)/.exec(p.message)?.[1]).sort()).toEqual(['carts', 'ledger', 'orders', 'payouts']);
    expect(problems[0]!.message).toMatch(/never confirms; expected slack.workspaceId and slack.channelId on channel payments-oncall/);
    // And the secret reference no stack reads: once, in the channel's file.
    expect(all.filter((p) => !p.field?.startsWith('spec.notify'))).toEqual([
      expect.objectContaining({
        field: 'spec.slack.webhookSecret',
        value: 'secretsmanager:payments/slack-webhook',
        location: expect.objectContaining({ file: 'stacks/shared/channels.yaml', line: lineOf(dir, 'stacks/shared/channels.yaml', 'slack: {') }),
      }),
    ]);
    expect(all.find((p) => p.field === 'spec.slack.webhookSecret')!.message).toMatch(
      /a secret reference no stack reads: whatever Terraform reads is kept in state/,
    );
  });

  it('refuses a Slack field only the other cloud reads on a channel only one cloud uses, once per channel, and accepts it on a channel both clouds use', () => {
    // payments-oncall is notified by AWS databases only: a GCP channel id there is read by nothing.
    const awsOnly = exampleWith({
      file: 'stacks/shared/channels.yaml',
      from: /slack: \{ (workspaceId: \w+, channelId: \w+) \}/,
      to: 'slack: { $1, gcpChannel: projects/acme-data-prod/notificationChannels/77 }',
    });
    const [p, ...rest] = unsupported(awsOnly);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ field: 'spec.slack.gcpChannel', location: { file: 'stacks/shared/channels.yaml' } });
    expect(p!.message).toMatch(
      /only GCP databases read, and no GCP database notifies it: AWS posts Slack alerts through AWS Chatbot.*expected no slack.gcpChannel on channel payments-oncall/,
    );
    // A GCP database notifying it too makes the channel shared: all three fields are read, none refused.
    const shared = exampleWith(
      {
        file: 'stacks/shared/channels.yaml',
        from: /slack: \{ (workspaceId: \w+, channelId: \w+) \}/,
        to: 'slack: { $1, gcpChannel: projects/acme-data-prod/notificationChannels/77 }',
      },
      { file: 'stacks/analytics/reports.yaml', from: /notify: \[([^\]]*)\]/, to: 'notify: [$1, payments-oncall]' },
    );
    const sharedResult = resolveDir(shared);
    expect(sharedResult.ok ? [] : sharedResult.problems.map(formatProblem)).toEqual([]);
    // The Chatbot ids on a channel only GCP databases use: read by nothing, refused at each field.
    const gcpOnly = exampleWith({
      file: 'stacks/shared/channels.yaml',
      from: '  pubsub: { topic: projects/acme-data-prod/topics/dbaas-alerts }',
      to: '  pubsub: { topic: projects/acme-data-prod/topics/dbaas-alerts }\n  slack: { gcpChannel: projects/acme-data-prod/notificationChannels/78, workspaceId: T01ANALYT1C, channelId: C01ALERTS22 }',
    });
    expect(
      unsupported(gcpOnly)
        .map((q) => q.field)
        .sort(),
    ).toEqual(['spec.slack.channelId', 'spec.slack.workspaceId']);
  });

  it("refuses a missingAfterHours shorter than the schedule's longest gap plus an hourly period", () => {
    const dir = exampleWith({
      file: ORDERS,
      from: '    policy: prod-standard\n',
      to: '    policy: prod-standard\n    alerts: { onFailure: true, missingAfterHours: 24 }\n',
    });
    const [p] = unsupported(dir);
    expect(p).toMatchObject({
      field: 'spec.backup.alerts.missingAfterHours',
      value: 24,
      location: { file: ORDERS, line: lineOf(dir, ORDERS, 'missingAfterHours: 24') },
    });
    expect(p!.message).toMatch(/can be 24 h apart.*expected at least 25/);
  });

  it('accepts 25 hours for a daily schedule and 7 for a six-hourly one', () => {
    expect(
      unsupported(
        exampleWith({
          file: ORDERS,
          from: '    policy: prod-standard\n',
          to: '    policy: prod-standard\n    alerts: { onFailure: true, missingAfterHours: 25 }\n',
        }),
      ),
    ).toEqual([]);
    const sixHourly = exampleWith({
      file: ORDERS,
      from: '    policy: prod-standard\n',
      to: '    policy: prod-standard\n    schedule: "0 */6 * * *"\n    alerts: { onFailure: true, missingAfterHours: 7 }\n',
    });
    expect(unsupported(sixHourly)).toEqual([]);
  });

  it('refuses a locked vault in an account without deployRoleArn, pointing at dbaas.config.yaml', () => {
    const dir = exampleWith({ file: 'dbaas.config.yaml', from: / {8}deployRoleArn: arn:aws:iam::111111111111:role\/dbaas-deploy[^\n]*\n/, to: '' });
    const problems = unsupported(dir);
    // orders, users, ledger and payouts lock their vaults through prod-standard; one problem each.
    expect(problems).toHaveLength(4);
    for (const p of problems) {
      expect(p.location).toEqual(expect.objectContaining({ file: 'dbaas.config.yaml', line: lineOf(dir, 'dbaas.config.yaml', 'production:') }));
      expect(p.message).toMatch(/expected deployRoleArn \(the role CI applies with/);
    }
  });

  it('refuses, on GCP, a Slack channel with only Chatbot ids, and says to name a Cloud Monitoring channel (it holds the token)', () => {
    const dir = exampleWith({
      file: 'stacks/shared/channels.yaml',
      from: '  pubsub: { topic: projects/acme-data-prod/topics/dbaas-alerts }',
      to: '  pubsub: { topic: projects/acme-data-prod/topics/dbaas-alerts }\n  slack: { workspaceId: T01ANALYT1C, channelId: C01ALERTS22 }',
    });
    const problems = unsupported(dir).filter((p) => p.field?.startsWith('spec.notify'));
    expect(problems.map((p) => /database ([\w-]+)/.exec(p.message)?.[1]).sort()).toEqual([
      'experiments',
      'insights',
      'reports',
      'reports-clone',
      'warehouse-meta',
    ]);
    expect(problems[0]!.message).toMatch(/expected slack.gcpChannel on channel analytics-alerts: the id \(projects\/<project>\/notificationChannels\/<id>\)/);
  });

  it('accepts, on GCP, Slack and webhooks as Cloud Monitoring channel ids', () => {
    const dir = exampleWith({
      file: 'stacks/shared/channels.yaml',
      from: '  pubsub: { topic: projects/acme-data-prod/topics/dbaas-alerts }',
      to: '  pubsub: { topic: projects/acme-data-prod/topics/dbaas-alerts }\n  slack: { gcpChannel: projects/acme-data-prod/notificationChannels/1234567890 }\n  webhook: { gcpChannel: projects/acme-data-prod/notificationChannels/987 }',
    });
    expect(unsupported(dir)).toEqual([]);
  });

  it('refuses secret references in channels on both clouds, and webhooks on AWS (their URL would be kept in state)', () => {
    const gcp = unsupported(
      exampleWith({
        file: 'stacks/shared/channels.yaml',
        from: '  pubsub: { topic: projects/acme-data-prod/topics/dbaas-alerts }',
        to: '  pubsub: { topic: projects/acme-data-prod/topics/dbaas-alerts }\n  slack: { webhookSecret: "gcp-secretmanager:slack-token", gcpChannel: projects/acme-data-prod/notificationChannels/1 }\n  webhook: { urlSecret: "gcp-secretmanager:hook" }',
      }),
    );
    const kinds = (ps: Problem[]) =>
      [...new Set(ps.map((p) => /cannot (call the webhook|post to Slack)|sets ([\w.]+), a secret reference/.exec(p.message)?.slice(1).find(Boolean)))].sort();
    expect(kinds(gcp)).toEqual(['call the webhook', 'slack.webhookSecret', 'webhook.urlSecret']);
    expect(gcp.find((p) => p.field === 'spec.webhook.urlSecret')!.message).toMatch(/Terraform reads is kept in state.*expected webhook.gcpChannel/);
    const aws = unsupported(
      exampleWith({
        file: 'stacks/shared/channels.yaml',
        from: '  email: [identity-oncall@example.com, identity-lead@example.com]',
        to: '  email: [identity-oncall@example.com, identity-lead@example.com]\n  webhook: { urlSecret: "ssm:/identity/webhook" }',
      }),
    );
    expect(kinds(aws)).toEqual(['call the webhook', 'webhook.urlSecret']);
    expect(aws.find((p) => p.message.includes('call the webhook'))!.message).toMatch(/SNS https subscription keeps its URL \(a secret\) in Terraform state/);
  });

  it('reports half a Chatbot address as one schema problem on the slack line', () => {
    const dir = exampleWith({ file: 'stacks/shared/channels.yaml', from: /slack: \{ workspaceId: (\w+), channelId: \w+ \}/, to: 'slack: { workspaceId: $1 }' });
    const result = resolveDir(dir);
    const problems = result.ok ? [] : result.problems;
    expect(problems.map((p) => [p.field, p.location?.line])).toEqual([['spec.slack', lineOf(dir, 'stacks/shared/channels.yaml', 'slack: {')]]);
    expect(problems[0]!.message).toMatch(/channelId when property workspaceId is present/);
  });

  it('has one row per refused field, each for a cloud', () => {
    expect(UNSUPPORTED.map((r) => `${r.cloud} ${r.field}`)).toEqual(
      expect.arrayContaining(['aws backup.exports', 'aws spec.users', 'aws NotificationChannel spec.pubsub', 'aws backup.alerts.missingAfterHours']),
    );
  });

  it('exits 2 with one line per problem and no stack trace (dbaas validate)', async () => {
    const dir = exampleWith({ file: ORDERS, from: '  backup:\n', to: '  users: [{ name: app }]\n  backup:\n' });
    const result = await runCli(['validate', '--dir', dir]);
    expect(result.exitCode).toBe(2);
    const out = `${result.stdout}\n${result.stderr}`;
    expect(out).toMatch(new RegExp(`${ORDERS}:\\d+:\\d+: error DBAAS_UNSUPPORTED_FIELD spec.users: `));
    expect(out).not.toMatch(/ {4}at /);
  });
});
