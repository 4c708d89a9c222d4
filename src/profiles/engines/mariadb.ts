// MariaDB: RDS for MariaDB on AWS, built by the RDS instance construct like RDS for MySQL.
import { RDS_CAPABILITIES, RDS_INSTANCE_DATA } from '../shared.js';
import type { EngineProfile } from '../types.js';

export const mariadb: EngineProfile = {
  name: 'mariadb',
  title: 'MariaDB',
  // 11.4 is the newest LTS major RDS offers with a parameter group family of its own (mariadb11.4;
  // the families are mariadb11.8, mariadb11.4, mariadb10.11, mariadb10.6, ...: RDS user guide,
  // "Parameters for MariaDB", describe-engine-default-parameters --db-parameter-group-family).
  defaultVersion: '11.4',
  logicalDatabases: true,
  table: false,
  aws: {
    capabilities: RDS_CAPABILITIES,
    facts: {
      // aws_db_instance engine = "mariadb"; parameter group family mariadb<major>.
      construct: 'rds-instance',
      // AWS Backup treats every RDS DB instance engine as resource type RDS, and its continuous backup
      // (PITR) covers Amazon RDS instances (AWS Backup devguide, "Continuous backups and
      // point-in-time recovery (PITR)", Amazon RDS).
      restoreType: 'RDS',
      continuousBackup: true,
      // RDS for MariaDB majors are X.Y (10.11, 11.4): "X.Y indicates the major version and Z the
      // minor" (RDS user guide, "MariaDB on Amazon RDS versions"), so 11.4.5 pins a minor.
      majorParts: 2,
      // require_secure_transport refuses connections without TLS, MariaDB 10.5 and higher; OFF by
      // default up to 11.4 (RDS user guide, "Requiring SSL/TLS for all connections to a MariaDB DB
      // instance on Amazon RDS"). The RDS boolean parameter takes 1 as for RDS for MySQL.
      tlsParameter: { name: 'require_secure_transport', value: '1' },
      // RDS for MariaDB's default max_connections is {DBInstanceClassMemory/12582880}, as for MySQL
      // (RDS user guide, "Maximum number of database connections").
      maxConnections: 'mysql',
      // CloudWatch AWS/RDS metrics of an instance, by DBInstanceIdentifier (all RDS engines).
      metricDimension: 'DBInstanceIdentifier',
      dataResources: RDS_INSTANCE_DATA,
    },
  },
};
