// The synthBatch that dist/apply sees under the CLI hook: stand-in stacks, named after the databases.
import { behaviours, standinJson } from './standin.mjs';

export const defaultCacheDir = () => '';

export async function synthBatch(dbs) {
  const how = behaviours();
  return dbs.map((db) => ({ name: db.name, cloud: 'aws', notes: [], json: standinJson(db.name, how[db.name] ?? {}), addresses: ['terraform_data.marker'] }));
}
