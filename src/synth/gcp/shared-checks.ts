// Alert channels a GCP stack can route to without reading a secret: Slack and webhooks only through a
// Cloud Monitoring channel created outside dbaas (gcpChannel). Shared by every GCP construct's checks.
import { ERR } from '../../error-codes.js';
import { problem, type Problem } from '../../errors.js';
import type { ResolvedDatabase } from '../../model/resolved.js';

export function gcpChannelProblems(db: ResolvedDatabase): Problem[] {
  const problems: Problem[] = [];
  const add = (code: string, field: string, value: unknown, message: string, expected: string) =>
    problems.push(problem({ code, field, value, message: `${message}; expected ${expected}`, expected }));
  db.channels.forEach((channel, i) => {
    const refs: [string, string | undefined][] = [
      ['slack.webhookSecret', channel.slack?.webhookSecret],
      ['webhook.urlSecret', channel.webhook?.urlSecret],
    ];
    for (const [field, ref] of refs) {
      if (ref !== undefined) {
        add(
          ERR.GCP_CHANNEL_SECRET,
          `channels.${i}.${field}`,
          ref,
          `channel ${channel.name}: a GCP stack reads no secret (Terraform would keep it in state)`,
          `${field.split('.')[0]}.gcpChannel: a Cloud Monitoring channel created once outside dbaas`,
        );
      }
    }
    if (channel.slack && !channel.slack.gcpChannel)
      add(
        ERR.GCP_CHANNEL_SECRET,
        `channels.${i}.slack`,
        channel.name,
        `channel ${channel.name}: Slack on GCP goes through a Cloud Monitoring channel created outside dbaas`,
        'slack.gcpChannel',
      );
    if (channel.webhook && !channel.webhook.gcpChannel)
      add(
        ERR.GCP_CHANNEL_SECRET,
        `channels.${i}.webhook`,
        channel.name,
        `channel ${channel.name}: a webhook on GCP goes through a Cloud Monitoring channel created outside dbaas`,
        'webhook.gcpChannel',
      );
  });
  return problems;
}
