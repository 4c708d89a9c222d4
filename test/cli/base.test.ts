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
    throw new DbaasError([{ code: 'DBAAS_TEST', severity: 'error', message: 'got 1; expected 2', location: { file: 'a.yaml', line: 3, column: 4 }, field: 'spec.x' }], 1);
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
    expect(out.trim().split('\n')).toEqual([
      "dbaas: internal error: Cannot read properties of undefined (reading 'x') (re-run with --debug for the trace)",
    ]);
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
