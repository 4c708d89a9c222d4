// Terraform CLI config (TF_CLI_CONFIG_FILE) that installs providers from a filesystem_mirror only.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { normalizeSource } from './mirror.js';

export interface CliConfigOptions {
  mirrorDir: string;
  /** Provider sources served by the mirror (`hashicorp/aws` or full address); never fetched directly. */
  providers: string[];
  /**
   * Shared plugin cache. With an unpacked mirror terraform 1.11 symlinks the mirror's provider dir
   * into each stack anyway (no copy), so the cache only pays off for packed (.zip) mirrors. Without
   * TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE=true, parallel inits re-install into the cache
   * and race ("mkdir ...: file exists").
   */
  pluginCacheDir?: string;
}

function hclString(s: string): string {
  // JSON escapes are valid HCL escapes; `${`/`%{` would start a template.
  return JSON.stringify(s).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}

export function renderCliConfig(opts: CliConfigOptions): string {
  const sources = [...new Set(opts.providers.map(normalizeSource))].sort();
  const list = sources.map(hclString).join(', ');
  const lines = ['# Written by dbaas: providers come from the offline mirror only.', 'disable_checkpoint = true'];
  if (opts.pluginCacheDir) lines.push(`plugin_cache_dir = ${hclString(path.resolve(opts.pluginCacheDir))}`);
  lines.push(
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${hclString(path.resolve(opts.mirrorDir))}`,
    `    include = [${list}]`,
    '  }',
    '  direct {',
    `    exclude = [${list}]`,
    '  }',
    '}',
    '',
  );
  return lines.join('\n');
}

/** Writes the config (and creates the plugin cache dir, which terraform requires to exist). */
export async function writeCliConfig(file: string, opts: CliConfigOptions): Promise<string> {
  const abs = path.resolve(file);
  await mkdir(path.dirname(abs), { recursive: true });
  if (opts.pluginCacheDir) await mkdir(opts.pluginCacheDir, { recursive: true });
  // Write-then-rename: a terraform started by another process never reads half a file.
  const tmp = `${abs}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, renderCliConfig(opts), 'utf8');
  await rename(tmp, abs);
  return abs;
}
