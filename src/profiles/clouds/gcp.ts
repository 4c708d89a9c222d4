// GCP: one project per environment, Cloud SQL backups, Backup and DR vaults, hashicorp/google 6.50.0.
import { CLOUD_SQL_NAME } from '../names.js';
import { DEFAULT_STATE_PREFIX, type CloudProfile } from '../types.js';

export const gcp: CloudProfile = {
  name: 'gcp',
  title: 'GCP',
  builder: async () => (await import('../../synth/gcp/index.js')).buildGcpStack,
  nameRule: CLOUD_SQL_NAME,
  placementKey: 'projects',
  placementNoun: 'project',
  configBlock: 'clouds.gcp (projects.<environment>: projectId, regions, network; sizes) and state.gcp (bucket)',
  secretStores: ['gcp-secretmanager'],
  provider: { source: 'hashicorp/google', version: '6.50.0' },
  stateBackend: (database, config) => {
    const gcs = config.state.gcp;
    return gcs ? { type: 'gcs', bucket: gcs.bucket, prefix: `${gcs.prefix ?? DEFAULT_STATE_PREFIX}/${database}` } : undefined;
  },
  stateBlock: 'state.gcp: { bucket, prefix }',
  region: { definition: 'GcpRegion', pattern: '^[a-z]+-[a-z]+\\d{1,2}$', description: 'a GCP region such as europe-west1' },
  dataResources: {
    google_storage_bucket: ['name', 'location', 'project'],
    google_backup_dr_backup_vault: ['backup_vault_id', 'location', 'project'],
  },
  dataBearingTypes: ['google_backup_dr_backup_plan', 'google_backup_dr_backup_plan_association', 'google_kms_crypto_key'],
};
