// Identifier rules a database name must meet where it becomes the cloud's resource name.
import type { NameRule } from './types.js';

/** CreateDBInstance / CreateDBCluster DBInstanceIdentifier rules. */
export const RDS_NAME: NameRule = {
  test: (n) => /^[a-z][a-z0-9-]{0,62}$/.test(n) && !n.includes('--') && !n.endsWith('-'),
  expected: 'an RDS identifier: 1-63 lower-case letters, digits or hyphens, starting with a letter, no double or trailing hyphen',
};

export const DYNAMODB_NAME: NameRule = {
  test: (n) => /^[A-Za-z0-9_.-]{3,255}$/.test(n),
  expected: 'a DynamoDB table name: 3-255 letters, digits, underscores, hyphens or dots',
};

export const CLOUD_SQL_NAME: NameRule = {
  test: (n) => /^[a-z][a-z0-9-]{0,61}[a-z0-9]$/.test(n),
  expected: 'a Cloud SQL instance name: lower-case letters, digits and hyphens, starting with a letter, not ending with a hyphen, at most 63 characters',
};
