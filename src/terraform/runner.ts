// Runs terraform for one stack dir at a time; every failure becomes a TerraformError.
import { access, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { providerSetKey, withWarmPluginCache } from './plugin-cache-gate.js';
import type { ApplyResult, ChangeCounts, InitResult, PlanResult, TerraformDiagnostic, TerraformPlanJson, ValidateResult } from './types.js';

export type TerraformCommand = 'init' | 'validate' | 'plan' | 'show' | 'apply';

export type TerraformErrorCode =
  | 'SPAWN_FAILED' // binary or stack dir missing
  | 'TIMEOUT'
  | 'ABORTED'
  | 'KILLED' // terminated by a signal nobody here sent
  | 'EXIT_NONZERO'
  | 'OUTPUT_TOO_LARGE'
  | 'BAD_OUTPUT' // exit status fine but the JSON did not parse
  | 'OFFLINE_OVERRIDE_PRESENT';

export const OFFLINE_OVERRIDE_FILE = 'dbaas_offline_override.tf.json';
const TAIL_LINES = 20;

export class TerraformError extends Error {
  override readonly name = 'TerraformError';
  readonly code: TerraformErrorCode;
  readonly stackDir: string;
  /** Arguments after the binary, e.g. `['plan', '-input=false', ...]`. */
  readonly args: readonly string[];
  readonly exitCode: number | undefined;
  /** Last ~20 lines of stderr; with `-json` commands (errors go to stdout) the error diagnostics instead. */
  readonly stderrTail: string;
  readonly diagnostics: TerraformDiagnostic[];
  readonly durationMs: number;

  constructor(init: {
    code: TerraformErrorCode;
    stackDir: string;
    args: readonly string[];
    exitCode?: number;
    stderrTail?: string;
    diagnostics?: TerraformDiagnostic[];
    durationMs?: number;
    detail?: string;
    cause?: unknown;
  }) {
    const diagnostics = init.diagnostics ?? [];
    const firstError = diagnostics.find((d) => d.severity === 'error');
    const why =
      init.detail ??
      firstError?.summary ??
      (init.stderrTail ?? '')
        .split('\n')
        .filter((l) => l.trim())
        .slice(-1)[0] ??
      '';
    const status = init.exitCode !== undefined ? ` (exit ${init.exitCode})` : '';
    super(`terraform ${init.args[0] ?? ''} ${init.code}${status} in ${init.stackDir}${why ? `: ${why}` : ''}`, {
      cause: init.cause,
    });
    this.code = init.code;
    this.stackDir = init.stackDir;
    this.args = [...init.args];
    this.exitCode = init.exitCode;
    this.stderrTail = init.stderrTail ?? '';
    this.diagnostics = diagnostics;
    this.durationMs = init.durationMs ?? 0;
  }
}

export interface TerraformRunnerOptions {
  terraformBin: string;
  /** Becomes TF_CLI_CONFIG_FILE. */
  cliConfigFile: string;
  /** Merged over process.env; `undefined` removes a variable (e.g. AWS_PROFILE). */
  env?: Record<string, string | undefined>;
  /** Overrides the per-command defaults below for every command. */
  timeoutMs?: number;
  /** Aborts every command this runner starts. */
  signal?: AbortSignal;
  /** After SIGINT (terraform's graceful stop), SIGKILL follows after this long. */
  killGraceMs?: number;
  /** The plugin_cache_dir the CLI config names, if any: inits into it are gated (plugin-cache-gate.ts). Default: none. */
  pluginCacheDir?: string;
}

export interface CommandOptions {
  signal?: AbortSignal;
  /** 0 disables the timeout. */
  timeoutMs?: number;
}

export interface InitOptions extends CommandOptions {
  /** `false` = `-backend=false` (enough for validate, not for plan). */
  backend?: boolean;
  /** Needed when the backend changed since the last init (e.g. after prepareOfflineCheck). */
  reconfigure?: boolean;
  lockfileReadonly?: boolean;
}

export interface PlanOptions extends CommandOptions {
  /** Plan file, relative to the stack dir or absolute. */
  out: string;
  refresh?: boolean;
  /** Milliseconds, or a terraform duration such as `"30s"`. */
  lockTimeout?: number | string;
  lock?: boolean;
  destroy?: boolean;
  vars?: Record<string, string>;
}

export interface ApplyOptions extends CommandOptions {
  lockTimeout?: number | string;
  /** Applying a plan made against the offline local-backend override is refused unless set. */
  allowOfflineOverride?: boolean;
}

/** apply has no default timeout: creating a multi-AZ database can take an hour. */
export const DEFAULT_TIMEOUTS_MS: Record<TerraformCommand, number> = {
  init: 5 * 60_000,
  validate: 5 * 60_000,
  plan: 20 * 60_000,
  show: 5 * 60_000,
  apply: 0,
};

interface RawResult {
  args: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
}

interface JsonLine {
  type?: string;
  '@level'?: string;
  diagnostic?: TerraformDiagnostic;
  changes?: { add?: number; change?: number; remove?: number; import?: number; operation?: string };
  outputs?: Record<string, { sensitive: boolean; type?: unknown; value?: unknown }>;
}

function tail(text: string, n = TAIL_LINES): string {
  const lines = text.replace(/\s+$/, '').split('\n');
  return lines.slice(-n).join('\n');
}

function parseJsonLines(stdout: string): JsonLine[] {
  const out: JsonLine[] = [];
  for (const line of stdout.split('\n')) {
    const t = line.trim();
    if (!t.startsWith('{')) continue;
    try {
      out.push(JSON.parse(t) as JsonLine);
    } catch {
      // Non-JSON noise (e.g. provider log lines) is not ours to judge.
    }
  }
  return out;
}

function diagnosticsOf(lines: JsonLine[]): TerraformDiagnostic[] {
  return lines.flatMap((l) => (l.type === 'diagnostic' && l.diagnostic ? [l.diagnostic] : []));
}

function renderDiagnostics(diags: TerraformDiagnostic[]): string {
  return diags
    .map((d) => {
      const where = d.range ? ` (${d.range.filename}:${d.range.start.line})` : '';
      return `${d.severity}: ${d.summary}${where}${d.detail ? `\n${d.detail}` : ''}`;
    })
    .join('\n');
}

function countsOf(lines: JsonLine[], operation: string): ChangeCounts {
  const summary = lines.filter((l) => l.type === 'change_summary' && l.changes?.operation === operation).pop();
  const c = summary?.changes ?? {};
  return { add: c.add ?? 0, change: c.change ?? 0, destroy: c.remove ?? 0, import: c.import ?? 0 };
}

function durationArg(v: number | string): string {
  return typeof v === 'number' ? `${Math.ceil(v / 1000)}s` : v;
}

/** Pids below `pid`, deepest last; Linux reads /proc, elsewhere `ps`. */
async function descendants(pid: number): Promise<number[]> {
  const parentOf = new Map<number, number>();
  if (process.platform === 'linux') {
    for (const name of await readdir('/proc').catch(() => [] as string[])) {
      if (!/^\d+$/.test(name)) continue;
      const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
      // Field 4 (ppid) follows the parenthesised command name, which may contain spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid) parentOf.set(Number(name), ppid);
    }
  } else if (process.platform !== 'win32') {
    const ps = await execa('ps', ['-A', '-o', 'pid=', '-o', 'ppid='], { reject: false });
    for (const line of String(ps.stdout ?? '').split('\n')) {
      const [p, pp] = line.trim().split(/\s+/).map(Number);
      if (p && pp) parentOf.set(p, pp);
    }
  }
  const out: number[] = [];
  const walk = (parent: number): void => {
    for (const [child, pp] of parentOf) {
      if (pp === parent && !out.includes(child)) {
        out.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return out;
}

/** SIGKILL terraform and its provider plugins, which would otherwise outlive it. */
async function killTree(pid: number | undefined): Promise<void> {
  if (pid === undefined) return;
  try {
    // Collect before killing: once terraform is gone its children are reparented.
    const pids = [pid, ...(await descendants(pid))];
    for (const p of pids) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  } catch {
    // Best effort; never an unhandled rejection.
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

export class TerraformRunner {
  readonly terraformBin: string;
  readonly cliConfigFile: string;
  private readonly extraEnv: Record<string, string | undefined>;
  private readonly timeoutMs: number | undefined;
  private readonly signal: AbortSignal | undefined;
  private readonly killGraceMs: number;
  private readonly pluginCacheDir: string | undefined;

  constructor(opts: TerraformRunnerOptions) {
    this.terraformBin = opts.terraformBin;
    this.cliConfigFile = path.resolve(opts.cliConfigFile);
    this.extraEnv = { ...(opts.env ?? {}) };
    this.timeoutMs = opts.timeoutMs;
    this.signal = opts.signal;
    this.killGraceMs = opts.killGraceMs ?? 10_000;
    this.pluginCacheDir = opts.pluginCacheDir === undefined ? undefined : path.resolve(opts.pluginCacheDir);
  }

  /** The full environment each command gets. */
  env(): Record<string, string> {
    const merged: Record<string, string | undefined> = { ...process.env };
    // TF_CLI_ARGS* would inject flags that break the output parsing below.
    for (const k of Object.keys(merged)) if (k === 'TF_CLI_ARGS' || k.startsWith('TF_CLI_ARGS_')) delete merged[k];
    Object.assign(merged, {
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      TF_CLI_CONFIG_FILE: this.cliConfigFile,
    });
    Object.assign(merged, this.extraEnv);
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(merged)) if (v !== undefined) env[k] = v;
    return env;
  }

  async init(dir: string, opts: InitOptions = {}): Promise<InitResult> {
    const args = ['init', '-input=false', '-no-color'];
    if (opts.backend === false) args.push('-backend=false');
    if (opts.reconfigure) args.push('-reconfigure');
    if (opts.lockfileReadonly) args.push('-lockfile=readonly');
    const run = () => this.runTerraform('init', dir, args, opts, [0]);
    const cache = this.pluginCacheDir;
    const r = cache === undefined ? await run() : await withWarmPluginCache(`${cache}\0${providerSetKey(dir)}`, run);
    return { stdout: r.stdout, stderr: r.stderr, durationMs: r.durationMs };
  }

  /** Invalid configuration is a result, not an error: exit 1 with parseable JSON returns `valid: false`. */
  async validate(dir: string, opts: CommandOptions = {}): Promise<ValidateResult> {
    // validate and show reject -input; TF_INPUT=0 covers them.
    const args = ['validate', '-json', '-no-color'];
    const r = await this.runTerraform('validate', dir, args, opts, [0, 1]);
    let parsed: { valid?: boolean; error_count?: number; warning_count?: number; diagnostics?: TerraformDiagnostic[] };
    try {
      parsed = JSON.parse(r.stdout) as typeof parsed;
    } catch (cause) {
      throw new TerraformError({
        code: r.exitCode === 0 ? 'BAD_OUTPUT' : 'EXIT_NONZERO',
        stackDir: dir,
        args,
        exitCode: r.exitCode,
        stderrTail: tail(r.stderr || r.stdout),
        durationMs: r.durationMs,
        cause,
      });
    }
    const diagnostics = parsed.diagnostics ?? [];
    return {
      valid: parsed.valid === true,
      errorCount: parsed.error_count ?? diagnostics.filter((d) => d.severity === 'error').length,
      warningCount: parsed.warning_count ?? diagnostics.filter((d) => d.severity === 'warning').length,
      diagnostics,
      durationMs: r.durationMs,
    };
  }

  async plan(dir: string, opts: PlanOptions): Promise<PlanResult> {
    const args = ['plan', '-input=false', '-no-color', '-json', '-detailed-exitcode', `-out=${opts.out}`];
    if (opts.refresh === false) args.push('-refresh=false');
    if (opts.lock === false) args.push('-lock=false');
    if (opts.lockTimeout !== undefined) args.push(`-lock-timeout=${durationArg(opts.lockTimeout)}`);
    if (opts.destroy) args.push('-destroy');
    for (const [k, v] of Object.entries(opts.vars ?? {})) args.push('-var', `${k}=${v}`);
    const r = await this.runTerraform('plan', dir, args, opts, [0, 2]);
    const lines = parseJsonLines(r.stdout);
    const exitCode = r.exitCode === 2 ? 2 : 0;
    return {
      ...countsOf(lines, 'plan'),
      exitCode,
      hasChanges: exitCode === 2,
      planFile: path.resolve(dir, opts.out),
      diagnostics: diagnosticsOf(lines),
      durationMs: r.durationMs,
    };
  }

  async showPlanJson(dir: string, planFile: string, opts: CommandOptions = {}): Promise<TerraformPlanJson> {
    const args = ['show', '-json', '-no-color', planFile];
    const r = await this.runTerraform('show', dir, args, opts, [0]);
    try {
      return JSON.parse(r.stdout) as TerraformPlanJson;
    } catch (cause) {
      throw new TerraformError({
        code: 'BAD_OUTPUT',
        stackDir: dir,
        args,
        exitCode: r.exitCode,
        stderrTail: tail(r.stderr),
        durationMs: r.durationMs,
        detail: 'show -json printed no JSON',
        cause,
      });
    }
  }

  /** Applies exactly the saved plan (no re-plan, no approval prompt). */
  async apply(dir: string, planFile: string, opts: ApplyOptions = {}): Promise<ApplyResult> {
    const args = ['apply', '-input=false', '-no-color', '-json'];
    if (opts.lockTimeout !== undefined) args.push(`-lock-timeout=${durationArg(opts.lockTimeout)}`);
    args.push(planFile);
    if (!opts.allowOfflineOverride && (await exists(path.join(dir, OFFLINE_OVERRIDE_FILE)))) {
      throw new TerraformError({
        code: 'OFFLINE_OVERRIDE_PRESENT',
        stackDir: dir,
        args,
        detail: `${OFFLINE_OVERRIDE_FILE} swaps the real backend for a local one; remove it before apply`,
      });
    }
    const r = await this.runTerraform('apply', dir, args, opts, [0]);
    const lines = parseJsonLines(r.stdout);
    const outputs = lines.filter((l) => l.type === 'outputs').pop()?.outputs ?? {};
    return { ...countsOf(lines, 'apply'), outputs, diagnostics: diagnosticsOf(lines), durationMs: r.durationMs };
  }

  private async runTerraform(command: TerraformCommand, dir: string, args: string[], opts: CommandOptions, okExitCodes: number[]): Promise<RawResult> {
    const signals = [this.signal, opts.signal].filter((s): s is AbortSignal => s !== undefined);
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    if (signal?.aborted) throw new TerraformError({ code: 'ABORTED', stackDir: dir, args, detail: 'aborted before start' });
    const timeout = opts.timeoutMs ?? this.timeoutMs ?? DEFAULT_TIMEOUTS_MS[command];

    const sub = execa(this.terraformBin, args, {
      cwd: dir,
      env: this.env(),
      extendEnv: false,
      stdin: 'ignore',
      reject: false,
      // Timeout/abort handled below: execa's own kill would orphan the provider plugins.
      forceKillAfterDelay: false,
      maxBuffer: 512 * 1024 * 1024,
    });
    let stopped: 'TIMEOUT' | 'ABORTED' | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    const stop = (why: 'TIMEOUT' | 'ABORTED'): void => {
      if (stopped) return;
      stopped = why;
      // SIGINT is terraform's graceful stop: it cancels the operation, releases state locks and
      // stops its provider plugins. Some commands (validate) finish their work first.
      sub.kill('SIGINT');
      graceTimer = setTimeout(() => void killTree(sub.pid), this.killGraceMs);
    };
    const timer = timeout > 0 ? setTimeout(() => stop('TIMEOUT'), timeout) : undefined;
    const onAbort = (): void => stop('ABORTED');
    signal?.addEventListener('abort', onAbort, { once: true });
    let res: Awaited<typeof sub>;
    try {
      res = await sub;
    } finally {
      clearTimeout(timer);
      clearTimeout(graceTimer);
      signal?.removeEventListener('abort', onAbort);
    }
    const stdout = typeof res.stdout === 'string' ? res.stdout : '';
    const stderr = typeof res.stderr === 'string' ? res.stderr : '';
    const base = { stackDir: dir, args, durationMs: res.durationMs };

    if (stopped === 'TIMEOUT') {
      throw new TerraformError({ ...base, code: 'TIMEOUT', stderrTail: tail(stderr), detail: `timed out after ${timeout} ms` });
    }
    if (stopped === 'ABORTED') {
      throw new TerraformError({ ...base, code: 'ABORTED', stderrTail: tail(stderr), detail: 'aborted' });
    }
    if (res.isMaxBuffer) {
      throw new TerraformError({ ...base, code: 'OUTPUT_TOO_LARGE', stderrTail: tail(stderr) });
    }
    if (res.exitCode === undefined) {
      if (res.signal) {
        throw new TerraformError({ ...base, code: 'KILLED', stderrTail: tail(stderr), detail: `killed by ${res.signal}` });
      }
      throw new TerraformError({
        ...base,
        code: 'SPAWN_FAILED',
        detail: res.originalMessage ?? res.shortMessage ?? 'could not start terraform',
        cause: res.cause,
      });
    }
    if (!okExitCodes.includes(res.exitCode)) {
      const diagnostics = diagnosticsOf(parseJsonLines(stdout));
      const errorText = stderr.trim() ? stderr : renderDiagnostics(diagnostics) || stdout;
      throw new TerraformError({
        ...base,
        code: 'EXIT_NONZERO',
        exitCode: res.exitCode,
        stderrTail: tail(errorText),
        diagnostics,
      });
    }
    return { args, exitCode: res.exitCode, stdout, stderr, durationMs: res.durationMs };
  }
}
