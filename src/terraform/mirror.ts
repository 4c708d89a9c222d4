// Finds the terraform binary and an offline provider mirror (a filesystem_mirror root).
import { access, readdir, stat } from 'node:fs/promises';
import { constants as fsConstants } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';

export const MIRROR_ENV = 'DBAAS_TF_PROVIDER_MIRROR';
export const TERRAFORM_BIN_ENV = 'DBAAS_TERRAFORM_BIN';
export const DEFAULT_REGISTRY_HOST = 'registry.terraform.io';
/** Below this, `plan -json` (machine-readable UI) is missing. */
export const MIN_TERRAFORM_VERSION = '1.0.0';

export interface MirrorProvider {
  /** Full address, e.g. `registry.terraform.io/hashicorp/aws`. */
  source: string;
  version: string;
  layout: 'unpacked' | 'packed';
}

/** A provider the caller needs; `source` may be short (`hashicorp/aws`). */
export interface RequiredProvider {
  source: string;
  version?: string;
}

export type MirrorResult = { ok: true; mirrorDir: string; providers: MirrorProvider[]; tried: string[] } | { ok: false; reason: string; tried: string[] };

export type TerraformBinaryResult = { ok: true; terraformBin: string; terraformVersion: string; platform: string } | { ok: false; reason: string };

export type OfflineTerraformDiscovery =
  | {
      ok: true;
      terraformBin: string;
      terraformVersion: string;
      mirrorDir: string;
      providers: { source: string; version: string }[];
    }
  | { ok: false; reason: string };

export interface DiscoveryOptions {
  env?: NodeJS.ProcessEnv;
  /** Replaces the well-known candidate list (the env override still wins). */
  candidates?: string[];
  /** Defaults to hashicorp/aws, any version. */
  require?: RequiredProvider[];
  /** `<os>_<arch>` as terraform names it; defaults to this machine. */
  platform?: string;
  home?: string;
}

export function currentPlatform(): string {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const archMap: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' };
  return `${os}_${archMap[process.arch] ?? process.arch}`;
}

export function normalizeSource(source: string): string {
  const parts = source.split('/');
  return parts.length === 2 ? `${DEFAULT_REGISTRY_HOST}/${source}` : source;
}

/**
 * Where terraform itself looks for implied local mirrors, plus /opt/tf-plugins (CI images).
 * Order matters: the first one holding every required provider wins.
 */
export function defaultMirrorCandidates(env: NodeJS.ProcessEnv = process.env, home = homedir()): string[] {
  const out: string[] = ['/opt/tf-plugins', path.join(home, '.terraform.d', 'plugins')];
  const dataHome = env.XDG_DATA_HOME || path.join(home, '.local', 'share');
  out.push(path.join(dataHome, 'terraform', 'plugins'));
  const dataDirs = (env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':').filter(Boolean);
  for (const d of dataDirs) out.push(path.join(d, 'terraform', 'plugins'));
  if (env.APPDATA) {
    out.push(path.join(env.APPDATA, 'terraform.d', 'plugins'));
    out.push(path.join(env.APPDATA, 'HashiCorp', 'Terraform', 'plugins'));
  }
  return [...new Set(out)];
}

async function listDirs(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    // Mirrors are often symlinked trees, so follow links with stat.
    const out: string[] = [];
    for (const e of entries) {
      if (e.isDirectory()) out.push(e.name);
      else if (e.isSymbolicLink()) {
        const s = await stat(path.join(dir, e.name)).catch(() => undefined);
        if (s?.isDirectory()) out.push(e.name);
      }
    }
    return out;
  } catch {
    return [];
  }
}

async function listFiles(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** Providers available for `platform` in a filesystem_mirror root (both layouts terraform reads). */
export async function scanMirror(mirrorDir: string, platform = currentPlatform()): Promise<MirrorProvider[]> {
  const found: MirrorProvider[] = [];
  for (const host of await listDirs(mirrorDir)) {
    for (const ns of await listDirs(path.join(mirrorDir, host))) {
      for (const type of await listDirs(path.join(mirrorDir, host, ns))) {
        const typeDir = path.join(mirrorDir, host, ns, type);
        const source = `${host}/${ns}/${type}`;
        // unpacked: <host>/<ns>/<type>/<version>/<os_arch>/terraform-provider-<type>*
        for (const version of await listDirs(typeDir)) {
          const files = await listFiles(path.join(typeDir, version, platform));
          if (files.some((f) => f.startsWith(`terraform-provider-${type}`))) {
            found.push({ source, version, layout: 'unpacked' });
          }
        }
        // packed: <host>/<ns>/<type>/terraform-provider-<type>_<version>_<os_arch>.zip
        const prefix = `terraform-provider-${type}_`;
        const suffix = `_${platform}.zip`;
        for (const f of await listFiles(typeDir)) {
          if (f.startsWith(prefix) && f.endsWith(suffix)) {
            const version = f.slice(prefix.length, -suffix.length);
            if (!found.some((p) => p.source === source && p.version === version)) {
              found.push({ source, version, layout: 'packed' });
            }
          }
        }
      }
    }
  }
  return found.sort((a, b) => a.source.localeCompare(b.source) || compareVersions(b.version, a.version));
}

function missingRequirements(providers: MirrorProvider[], require: RequiredProvider[]): string[] {
  const missing: string[] = [];
  for (const r of require) {
    const src = normalizeSource(r.source);
    const ok = providers.some((p) => p.source === src && (r.version === undefined || p.version === r.version));
    if (!ok) missing.push(r.version ? `${src} ${r.version}` : src);
  }
  return missing;
}

export async function findProviderMirror(opts: DiscoveryOptions = {}): Promise<MirrorResult> {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? currentPlatform();
  const require = opts.require ?? [{ source: 'hashicorp/aws' }];
  const want = require.map((r) => (r.version ? `${r.source} ${r.version}` : r.source)).join(', ');

  const fromEnv = env[MIRROR_ENV];
  if (fromEnv) {
    // An explicit setting that is wrong should fail loudly, not fall through to another mirror.
    const dir = path.resolve(fromEnv);
    const providers = await scanMirror(dir, platform);
    const missing = missingRequirements(providers, require);
    if (missing.length > 0) {
      return {
        ok: false,
        reason: `${MIRROR_ENV}=${fromEnv} has no ${missing.join(', ')} for ${platform}`,
        tried: [dir],
      };
    }
    return { ok: true, mirrorDir: dir, providers, tried: [dir] };
  }

  const candidates = opts.candidates ?? defaultMirrorCandidates(env, opts.home ?? homedir());
  const tried: string[] = [];
  for (const dir of candidates) {
    tried.push(dir);
    const providers = await scanMirror(dir, platform);
    if (providers.length > 0 && missingRequirements(providers, require).length === 0) {
      return { ok: true, mirrorDir: dir, providers, tried };
    }
  }
  return {
    ok: false,
    reason: `no offline provider mirror with ${want} for ${platform} (set ${MIRROR_ENV}; looked in ${tried.join(', ')})`,
    tried,
  };
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    const s = await stat(file);
    if (!s.isFile()) return false;
    if (process.platform === 'win32') return true;
    await access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `which`, without a dependency. */
export async function lookPath(name: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (name.includes('/') || name.includes('\\')) {
    const abs = path.resolve(name);
    return (await isExecutable(abs)) ? abs : undefined;
  }
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (await isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

export async function findTerraformBinary(opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<TerraformBinaryResult> {
  const env = opts.env ?? process.env;
  const configured = env[TERRAFORM_BIN_ENV];
  const bin = await lookPath(configured || 'terraform', env);
  if (!bin) {
    return {
      ok: false,
      reason: configured ? `${TERRAFORM_BIN_ENV}=${configured} is not an executable file` : `terraform not found on PATH (set ${TERRAFORM_BIN_ENV})`,
    };
  }
  // CHECKPOINT_DISABLE: `terraform version` otherwise phones home for upgrade notices.
  const res = await execa(bin, ['version', '-json'], {
    env: { ...env, CHECKPOINT_DISABLE: '1' },
    extendEnv: false,
    stdin: 'ignore',
    reject: false,
    timeout: opts.timeoutMs ?? 30_000,
  });
  if (res.failed) {
    return { ok: false, reason: `${bin} version -json failed: ${res.shortMessage ?? `exit ${res.exitCode}`}` };
  }
  let parsed: { terraform_version?: unknown; platform?: unknown };
  try {
    parsed = JSON.parse(res.stdout) as typeof parsed;
  } catch {
    return { ok: false, reason: `${bin} version -json printed no JSON (not terraform?)` };
  }
  const version = typeof parsed.terraform_version === 'string' ? parsed.terraform_version : '';
  if (!version) return { ok: false, reason: `${bin} version -json has no terraform_version` };
  if (compareVersions(version, MIN_TERRAFORM_VERSION) < 0) {
    return { ok: false, reason: `terraform ${version} at ${bin} is older than ${MIN_TERRAFORM_VERSION}` };
  }
  return {
    ok: true,
    terraformBin: bin,
    terraformVersion: version,
    platform: typeof parsed.platform === 'string' ? parsed.platform : currentPlatform(),
  };
}

/** Both halves at once; `ok: false` carries a reason fit for "skipped: <reason>". */
export async function discoverOfflineTerraform(opts: DiscoveryOptions = {}): Promise<OfflineTerraformDiscovery> {
  const [bin, mirror] = await Promise.all([findTerraformBinary({ env: opts.env ?? process.env }), findProviderMirror(opts)]);
  if (!bin.ok) return { ok: false, reason: bin.reason };
  if (!mirror.ok) return { ok: false, reason: mirror.reason };
  return {
    ok: true,
    terraformBin: bin.terraformBin,
    terraformVersion: bin.terraformVersion,
    mirrorDir: mirror.mirrorDir,
    providers: mirror.providers.map(({ source, version }) => ({ source, version })),
  };
}

/** Numeric dotted compare; pre-release suffixes sort before the release. */
export function compareVersions(a: string, b: string): number {
  const split = (v: string): [number[], string] => {
    const [core = '', pre = ''] = v.replace(/^v/, '').split('-', 2);
    return [core.split('.').map((n) => Number.parseInt(n, 10) || 0), pre];
  };
  const [ac, ap] = split(a);
  const [bc, bp] = split(b);
  for (let i = 0; i < Math.max(ac.length, bc.length); i++) {
    const d = (ac[i] ?? 0) - (bc[i] ?? 0);
    if (d !== 0) return d;
  }
  if (ap === bp) return 0;
  if (!ap) return 1;
  if (!bp) return -1;
  return ap.localeCompare(bp);
}
