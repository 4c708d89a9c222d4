// Aurora MySQL: an RDS cluster with its instances.
import { AURORA_CAPABILITIES, AURORA_DATA } from '../shared.js';
import type { EngineProfile } from '../types.js';

export const auroraMysql: EngineProfile = {
  name: 'aurora-mysql',
  title: 'Aurora MySQL',
  defaultVersion: '8.0',
  logicalDatabases: true,
  table: false,
  aws: {
    capabilities: AURORA_CAPABILITIES,
    facts: {
      construct: 'aurora-cluster',
      restoreType: 'Aurora',
      continuousBackup: true,
      majorParts: 2,
      // Aurora MySQL 3 takes ON/OFF here, not 1/0.
      tlsParameter: { name: 'require_secure_transport', value: 'ON' },
      maxConnections: 'mysql',
      metricDimension: 'DBClusterIdentifier',
      dataResources: AURORA_DATA,
    },
  },
};
