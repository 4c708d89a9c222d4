// What every GCP construct's checks share: the shape of a problem, the placement and backup-key
// checks, and alert channels a stack can route to without reading a secret (Slack and webhooks only
// through a Cloud Monitoring channel created outside dbaas, gcpChannel).
import { ERR } from '../../error-codes.js';
import { problem, showValue, type Problem } from '../../errors.js';
import type { ResolvedDatabase } from '../../model/resolved.js';

/** projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k> */
export const KMS_KEY_REF = /^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/;

export type AddProblem = (code: string, field: string, value: unknown, message: string, expected: string) => void;

/** Problems as every GCP check words them: "<message>; expected <expected>". */
export function problemList(): { problems: Problem[]; add: AddProblem } {
  const problems: Problem[] = [];
  const add: AddProblem = (code, field, value, message, expected) =>
    problems.push(problem({ code, field, value, message: `${message}; expected ${expected}`, expected }));
  return { problems, add };
}

export type GcpPlaced = ResolvedDatabase & { readonly placement: Extract<ResolvedDatabase['placement'], { cloud: 'gcp' }> };

/** Whether the database is placed in a GCP project; when not, adds why (nothing else can be checked then). */
export function placedInGcp(db: ResolvedDatabase, add: AddProblem): db is GcpPlaced {
  if (db.placement.cloud === 'gcp') return true;
  add(ERR.GCP_PLACEMENT, 'cloud', db.cloud, `database ${db.name} is not placed in a GCP project`, 'cloud: gcp with a project in dbaas.config.yaml');
  return false;
}

/** An encrypted database's backup key must be "managed" or a Cloud KMS key. */
export function checkKmsKey(db: ResolvedDatabase, add: AddProblem): void {
  const kmsKey = db.backup.encryption.kmsKey;
  if (db.storageEncrypted && kmsKey !== 'managed' && !KMS_KEY_REF.test(kmsKey)) {
    add(
      ERR.GCP_KMS_KEY,
      'backup.encryption.kmsKey',
      kmsKey,
      `${showValue(kmsKey)} is not a Cloud KMS key`,
      '"managed" or projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>',
    );
  }
}

export function gcpChannelProblems(db: ResolvedDatabase): Problem[] {
  const { problems, add } = problemList();
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
