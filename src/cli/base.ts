// Shared command behaviour: --dir, --debug, exit codes, and errors as one clear line, never a trace.
import { format } from 'node:util';
import { Command, Flags, Errors, ux } from '@oclif/core';
import { DbaasError, ExitCode, formatProblem } from '../errors.js';
import { annotation } from '../render/annotations.js';
import { printable, printableJson, printableJsonText } from '../render/printed.js';
import { problemToJson } from '../render/problems.js';
import { didYouMean } from '../suggest.js';
import { ERR } from '../error-codes.js';

export const EXIT_CODES_HELP = `EXIT CODES
  0  ok
  1  guardrail errors, or a plan/apply that was refused
  2  invalid input or usage
  3  internal error (re-run with --debug for the trace)`;

export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true;
  static override baseFlags = {
    dir: Flags.directory({ char: 'd', description: 'Infra repo to work on.', default: '.', helpGroup: 'GLOBAL' }),
    debug: Flags.boolean({ description: 'Print stack traces of internal errors.', default: false, helpGroup: 'GLOBAL' }),
  };

  protected get debugEnabled(): boolean {
    return this.argv.includes('--debug') || process.env.DBAAS_DEBUG === '1';
  }

  protected get inGithubActions(): boolean {
    return process.env.GITHUB_ACTIONS === 'true';
  }

  // Everything a command prints can carry spec text: it goes through the one sanitiser
  // (src/render/printed.ts), so no printed line can start a GitHub workflow command.
  override log(message = '', ...args: unknown[]): void {
    super.log(printable(format(message, ...args)));
  }

  override logToStderr(message = '', ...args: unknown[]): void {
    super.logToStderr(printable(format(message, ...args)));
  }

  override logJson(json: unknown): void {
    ux.stdout(printableJson(json));
  }

  /** A rendered document for stdout that does not go through log() (a plan as text, markdown, JSON). */
  protected writeStdout(text: string, kind: 'text' | 'json' = 'text'): void {
    process.stdout.write(kind === 'json' ? printableJsonText(text) : printable(text));
  }

  /**
   * The only way a workflow command (a line from src/render/annotations.ts, whose data is escaped
   * there) is printed as is. Silent under --json, like log().
   */
  protected annotate(command: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    if (this.jsonEnabled()) return;
    (stream === 'stdout' ? process.stdout : process.stderr).write(`${command}\n`);
  }

  /** " (did you mean --base?)" for an unknown flag, from this command's own flags. */
  private flagHint(message: string): string {
    const unknown = /Nonexistent flags?: (--?[\w-]+)/.exec(message)?.[1];
    if (!unknown) return '';
    const ctor = this.constructor as typeof BaseCommand;
    const names = Object.keys({ ...ctor.baseFlags, ...ctor.flags, json: true }).map((n) => `--${n}`);
    const hint = didYouMean(unknown, names);
    return hint ? ` (${hint})` : `; expected one of ${names.sort().join(', ')}`;
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- oclif's Command.catch is async; this override finishes synchronously
  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    // oclif silences log() and logToStderr() under --json: errors go straight to the streams, and
    // --json callers also get a JSON document on stdout.
    if (error instanceof DbaasError) {
      for (const p of error.problems) {
        process.stderr.write(`${printable(formatProblem(p))}\n`);
        if (this.inGithubActions) process.stderr.write(`${annotation(p)}\n`);
      }
      if (this.jsonEnabled()) process.stdout.write(`${printableJson({ ok: false, exitCode: error.exitCode, problems: error.problems.map(problemToJson) })}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    // oclif's own usage errors (unknown flag, missing argument) already carry exit code 2.
    if (error instanceof Errors.CLIError || error.oclif?.exit !== undefined) {
      if (error.oclif?.exit === 0) return;
      process.stderr.write(`dbaas: ${printable(error.message.split('\n')[0] ?? '')}${this.flagHint(error.message)}\n`);
      process.exitCode = error.oclif?.exit === ExitCode.findings ? ExitCode.findings : ExitCode.invalid;
      return;
    }
    const line = `internal error: ${error.message.split('\n')[0]}`;
    process.stderr.write(`dbaas: ${printable(line)}${this.debugEnabled ? '' : ' (re-run with --debug for the trace)'}\n`);
    if (this.debugEnabled) process.stderr.write(`${printable(error.stack ?? String(error))}\n`);
    if (this.jsonEnabled())
      process.stdout.write(
        `${printableJson({ ok: false, exitCode: ExitCode.internal, problems: [{ code: ERR.INTERNAL, severity: 'error', message: line }] })}\n`,
      );
    process.exitCode = ExitCode.internal;
  }
}
