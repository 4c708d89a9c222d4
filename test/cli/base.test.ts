import { Config } from '@oclif/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BaseCommand } from '../../src/cli/base.js';
import { DbaasError } from '../../src/errors.js';
import { REPO_ROOT } from '../helpers/repo.js';

class Crashes extends BaseCommand {
  async run(): Promise<void> {
    await this.parse(Crashes);
    throw new TypeError("Cannot read properties of undefined (reading 'x')");
  }
}

class Refuses extends BaseCommand {
  async run(): Promise<void> {
    throw new DbaasError(
      [{ code: 'DBAAS_TEST', severity: 'error', message: 'got 1; expected 2', location: { file: 'a.yaml', line: 3, column: 4 }, field: 'spec.x' }],
      1,
    );
  }
}

async function run(cmd: typeof BaseCommand, argv: string[]) {
  const config = await Config.load(REPO_ROOT);
  // @ts-expect-error abstract in the base class, concrete in the subclasses above
  const command: BaseCommand = new cmd(argv, config);
  const stderr: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
  try {
    await (command as unknown as { _run(): Promise<unknown> })._run();
  } finally {
    spy.mockRestore();
  }
  return stderr.join('');
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('BaseCommand error handling', () => {
  it('turns an internal error into one line, exit 3 and a hint to use --debug', async () => {
    const out = await run(Crashes, []);
    expect(process.exitCode).toBe(3);
    expect(out.trim().split('\n')).toEqual(["dbaas: internal error: Cannot read properties of undefined (reading 'x') (re-run with --debug for the trace)"]);
  });

  it('prints the trace with --debug', async () => {
    const out = await run(Crashes, ['--debug']);
    expect(process.exitCode).toBe(3);
    expect(out).toMatch(/TypeError: Cannot read properties[\s\S]*\n\s+at /);
  });

  it('prints each problem of a DbaasError on one line and keeps its exit code', async () => {
    const out = await run(Refuses, []);
    expect(process.exitCode).toBe(1);
    expect(out.trim()).toBe('a.yaml:3:4: error DBAAS_TEST spec.x: got 1; expected 2');
  });
});

describe('BaseCommand error handling with --json', () => {
  it('still says what went wrong, on stderr, and gives JSON on stdout', async () => {
    const stdout: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout.push(String(chunk));
      return true;
    });
    let err: string;
    try {
      err = await run(Crashes, ['--json']);
    } finally {
      spy.mockRestore();
    }
    expect(process.exitCode).toBe(3);
    expect(err).toMatch(/^dbaas: internal error: Cannot read properties/);
    expect(JSON.parse(stdout.join(''))).toMatchObject({ ok: false, exitCode: 3, problems: [{ code: 'DBAAS_INTERNAL' }] });
  });
});

class Prints extends BaseCommand {
  async run(): Promise<{ note: string }> {
    await this.parse(Prints);
    this.log('spec.x\n::error file=a.yaml::forged ##[error]legacy');
    this.logToStderr('  ::add-mask::secret');
    this.annotate('::error file=a.yaml,line=1,col=1,title=DBAAS_X::real');
    return { note: '##[error]in json' };
  }
}

describe('BaseCommand printing', () => {
  async function capture(argv: string[]) {
    // oclif's log() writes with console.log/console.error; annotate() and errors write to the streams.
    const out: string[] = [];
    const errs: string[] = [];
    const spies = [
      vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
        out.push(String(chunk));
        return true;
      }),
      vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(`${line}\n`)),
      vi.spyOn(console, 'error').mockImplementation((line: string) => void errs.push(`${line}\n`)),
    ];
    let err: string;
    try {
      err = await run(Prints, argv);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    return { stdout: out.join(''), stderr: errs.join('') + err };
  }

  it('log() and logToStderr() go through the sanitiser; annotate() prints the command as is', async () => {
    const { stdout, stderr } = await capture([]);
    expect(stdout).toBe('spec.x\n:\u200b:error file=a.yaml::forged #\u200b#[error]legacy\n::error file=a.yaml,line=1,col=1,title=DBAAS_X::real\n');
    expect(stderr).toBe('  :\u200b:add-mask::secret\n');
  });

  it('--json keeps the data and prints no "##["', async () => {
    const { stdout } = await capture(['--json']);
    expect(stdout).not.toContain('##[');
    expect(JSON.parse(stdout)).toEqual({ note: '##[error]in json' });
  });
});
