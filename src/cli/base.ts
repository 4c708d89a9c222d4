// Shared command behaviour: --dir, --debug, exit codes, and errors as one clear line, never a trace.
import { Command, Flags, Errors } from '@oclif/core';
import { DbaasError, ExitCode, formatProblem } from '../errors.js';
import { annotation } from '../render/annotations.js';
import { problemToJson } from '../render/problems.js';

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

  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    // oclif silences log() and logToStderr() under --json: errors go straight to the streams, and
    // --json callers also get a JSON document on stdout.
    if (error instanceof DbaasError) {
      for (const p of error.problems) {
        process.stderr.write(`${formatProblem(p)}\n`);
        if (this.inGithubActions) process.stderr.write(`${annotation(p)}\n`);
      }
      if (this.jsonEnabled()) process.stdout.write(`${JSON.stringify({ ok: false, exitCode: error.exitCode, problems: error.problems.map(problemToJson) }, null, 2)}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    // oclif's own usage errors (unknown flag, missing argument) already carry exit code 2.
    if (error instanceof Errors.CLIError || error.oclif?.exit !== undefined) {
      if (error.oclif?.exit === 0) return;
      process.stderr.write(`dbaas: ${error.message.split('\n')[0]}\n`);
      process.exitCode = error.oclif?.exit === ExitCode.findings ? ExitCode.findings : ExitCode.invalid;
      return;
    }
    const line = `internal error: ${error.message.split('\n')[0]}`;
    process.stderr.write(`dbaas: ${line}${this.debugEnabled ? '' : ' (re-run with --debug for the trace)'}\n`);
    if (this.debugEnabled) process.stderr.write(`${error.stack ?? String(error)}\n`);
    if (this.jsonEnabled()) process.stdout.write(`${JSON.stringify({ ok: false, exitCode: ExitCode.internal, problems: [{ code: 'DBAAS_INTERNAL', severity: 'error', message: line }] }, null, 2)}\n`);
    process.exitCode = ExitCode.internal;
  }
}
