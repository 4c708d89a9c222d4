// Shared command behaviour: --dir, --debug, exit codes, and errors as one clear line, never a trace.
import { Command, Flags, Errors } from '@oclif/core';
import { DbaasError, ExitCode, formatProblem } from '../errors.js';
import { annotation } from '../render/annotations.js';

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
    if (error instanceof DbaasError) {
      for (const p of error.problems) {
        this.logToStderr(formatProblem(p));
        if (this.inGithubActions) this.log(annotation(p));
      }
      process.exitCode = error.exitCode;
      return;
    }
    // oclif's own usage errors (unknown flag, missing argument) already carry exit code 2.
    if (error instanceof Errors.CLIError || error.oclif?.exit !== undefined) {
      if (error.oclif?.exit === 0) return;
      this.logToStderr(`dbaas: ${error.message.split('\n')[0]}`);
      process.exitCode = error.oclif?.exit === ExitCode.findings ? ExitCode.findings : ExitCode.invalid;
      return;
    }
    this.logToStderr(`dbaas: internal error: ${error.message.split('\n')[0]}${this.debugEnabled ? '' : ' (re-run with --debug for the trace)'}`);
    if (this.debugEnabled) this.logToStderr(error.stack ?? String(error));
    process.exitCode = ExitCode.internal;
  }
}
