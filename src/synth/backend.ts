// Remote state per cloud, from dbaas.config.yaml: S3 with locking for AWS, GCS for GCP. One state
// file per database, so stacks plan and apply independently.
import { GcsBackend, S3Backend, type TerraformStack } from 'cdktf';
import type { ResolvedDatabase } from '../model/resolved.js';
import type { DbaasConfig } from '../spec/generated.js';
import { SynthError } from './errors.js';
import { ERR } from '../error-codes.js';
import { cloudProfile } from '../profiles/index.js';
import type { BackendChoice } from '../profiles/types.js';

export { DEFAULT_STATE_PREFIX, type BackendChoice } from '../profiles/types.js';

/** Where a database's state lives (its cloud profile says); a SynthError when the config has no state for its cloud. */
export function backendFor(db: Pick<ResolvedDatabase, 'name' | 'cloud'>, config: DbaasConfig): BackendChoice {
  const profile = cloudProfile(db.cloud);
  const choice = profile?.stateBackend(db.name, config);
  if (!choice) throw missingState(db, db.cloud, profile?.stateBlock ?? `state.${db.cloud}`);
  return choice;
}

function missingState(db: Pick<ResolvedDatabase, 'name'>, cloud: string, expected: string): SynthError {
  return new SynthError(
    ERR.SYNTH_NO_STATE,
    ['cloud'],
    `database ${db.name} runs on ${cloud} but dbaas.config.yaml has no state.${cloud} backend`,
    cloud,
    expected,
  );
}

/** Adds the backend to the stack. S3 native locking needs Terraform 1.10 or later. */
export function addBackend(stack: TerraformStack, choice: BackendChoice): void {
  if (choice.type === 'gcs') {
    new GcsBackend(stack, { bucket: choice.bucket, prefix: choice.prefix });
    return;
  }
  const backend = new S3Backend(stack, {
    bucket: choice.bucket,
    key: choice.key,
    region: choice.region,
    encrypt: true,
    ...('dynamodbTable' in choice.lock ? { dynamodbTable: choice.lock.dynamodbTable } : {}),
  });
  // cdktf 0.21 predates use_lockfile.
  if ('useLockfile' in choice.lock) backend.addOverride('use_lockfile', true);
}
