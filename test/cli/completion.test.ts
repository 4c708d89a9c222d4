// Shell completion (@oclif/plugin-autocomplete): the bash function it writes completes our commands
// and their flags when bash itself calls it.
import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const home = mkdtempSync(join(tmpdir(), 'dbaas-completion-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function complete(words: string[]): Promise<string[]> {
  const script = join(home, 'dbaas', 'autocomplete', 'functions', 'bash', 'dbaas.bash');
  const line = `source ${JSON.stringify(script)}; COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')}); COMP_CWORD=${words.length - 1}; _dbaas_autocomplete; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const result = await execa('bash', ['--noprofile', '--norc', '-c', line]);
  return result.stdout.split('\n').filter(Boolean).sort();
}

describe('dbaas autocomplete', () => {
  it('writes a bash completion that bash uses to complete commands and their flags', async () => {
    const built = await runCli(['autocomplete', 'bash', '--refresh-cache'], { env: { HOME: home, XDG_CACHE_HOME: home } });
    expect(built.exitCode, built.stderr).toBe(0);
    expect(await complete(['dbaas', 'dr'])).toEqual(['drift']);
    expect(await complete(['dbaas', 'p'])).toEqual(expect.arrayContaining(['plan', 'policy']));
    expect(await complete(['dbaas', 'p'])).not.toContain('validate');
    expect(await complete(['dbaas', 'new', '--te'])).toEqual(['--team']);
  });
});
