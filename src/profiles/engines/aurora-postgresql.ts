// Aurora PostgreSQL: an RDS cluster with its instances.
import { AURORA_CAPABILITIES, AURORA_DATA } from '../shared.js';
import type { EngineProfile } from '../types.js';

export const auroraPostgresql: EngineProfile = {
  name: 'aurora-postgresql',
  title: 'Aurora PostgreSQL',
  defaultVersion: '16',
  logicalDatabases: true,
  table: false,
  aws: {
    capabilities: AURORA_CAPABILITIES,
    facts: {
      construct: 'aurora-cluster',
      restoreType: 'Aurora',
      continuousBackup: true,
      majorParts: 1,
      tlsParameter: { name: 'rds.force_ssl', value: '1' },
      maxConnections: 'postgres',
      metricDimension: 'DBClusterIdentifier',
      dataResources: AURORA_DATA,
    },
  },
};
