// Every command's --help shows examples and the exit codes (read from the oclif manifest the build writes).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/repo.js';

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'oclif.manifest.json'), 'utf8')) as {
  commands: Record<string, { examples?: string[]; description?: string; pluginName?: string }>;
};
const ours = Object.entries(manifest.commands);

describe('--help of every command', () => {
  it('covers every command of src/commands', () => {
    expect(ours.map(([id]) => id)).toEqual(
      expect.arrayContaining([
        'validate',
        'plan',
        'plan:merge',
        'apply',
        'drift',
        'new',
        'restore',
        'report',
        'init',
        'synth',
        'fix',
        'policy:list',
        'policy:explain',
        'policy:test',
      ]),
    );
  });

  it.each(ours)('%s has at least one example and documents its exit codes', (_id, command) => {
    expect(command.examples?.length ?? 0).toBeGreaterThan(0);
    expect(command.description).toMatch(/EXIT CODES\n\s+0 /);
  });
});
