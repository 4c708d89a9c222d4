import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isObject } from '../json.js';

/**
 * Terraform's plugin cache is not safe for concurrent installs: "the provider installer's behavior in
 * environments with multiple terraform init calls is undefined"
 * (https://developer.hashicorp.com/terraform/cli/config/config-file#provider-plugin-cache). Two inits that
 * both find the cache empty both install into it, and one fails with "file exists". Once an entry is in
 * the cache, inits only link to it, which is safe in parallel.
 *
 * So the first init per cache and provider set runs alone; the rest wait for it and then run together.
 * This covers one process (plan, apply and drift run their inits through one runner); processes sharing
 * a cache folder are not coordinated.
 */
const warmed = new Set<string>();
const warming = new Map<string, Promise<unknown>>();

export async function withWarmPluginCache<T>(key: string, run: () => Promise<T>): Promise<T> {
  for (;;) {
    if (warmed.has(key)) return run();
    const pending = warming.get(key);
    if (pending) {
      // A failed leader leaves the cache as it was: the next waiter leads instead.
      await pending.catch(() => undefined);
      continue;
    }
    const leader = run();
    warming.set(key, leader);
    try {
      const result = await leader;
      warmed.add(key);
      return result;
    } finally {
      warming.delete(key);
    }
  }
}

/** The providers a stack folder's JSON configuration requires, as one key ("" when none can be read). */
export function providerSetKey(dir: string): string {
  const sources: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.tf.json'));
  } catch {
    return '';
  }
  for (const name of names.sort()) {
    try {
      const doc: unknown = JSON.parse(readFileSync(path.join(dir, name), 'utf8'));
      const required = isObject(doc) && isObject(doc.terraform) ? doc.terraform.required_providers : undefined;
      if (!isObject(required)) continue;
      for (const [local, req] of Object.entries(required)) {
        const source = isObject(req) && typeof req.source === 'string' ? req.source : local;
        const version = isObject(req) && typeof req.version === 'string' ? req.version : '';
        sources.push(`${source}@${version}`);
      }
    } catch {
      // Not ours to judge here: terraform reports an unreadable configuration itself.
    }
  }
  return [...new Set(sources)].sort().join(',');
}
