// The installed cdktf's version, without loading cdktf: cache keys and output metadata need it in
// processes that never build a stack.
import { createRequire } from 'node:module';

/** The installed cdktf's version, read from its package.json. */
export const CDKTF_VERSION: string = (createRequire(import.meta.url)('cdktf/package.json') as { version: string }).version;
