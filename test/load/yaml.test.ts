// Hostile YAML is bad input, not a crash: nesting too deep for the parser is refused before parsing,
// in bounded time, naming the file (exit 2 from the CLI).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/errors.js';
import { deepNestingOffset, MAX_NESTING, parseYaml } from '../../src/load/yaml.js';
import { runCli } from '../helpers/cli.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);

const parse = (text: string) => parseYaml({ file: 'stacks/team-a/deep.yaml', text });
const blockMaps = (n: number) => `${Array.from({ length: n }, (_, i) => `${'  '.repeat(i)}a:`).join('\n')} 1\n`;

describe('deeply nested YAML', () => {
  const hostile: [string, string][] = [
    ['10,000 [', '['.repeat(10_000)],
    ['10,000 [ closed', `${'['.repeat(10_000)}${']'.repeat(10_000)}`],
    ['200,000 {a:', `${'{a: '.repeat(200_000)}1${'}'.repeat(200_000)}`],
    ['100,000 - on one line', `${'- '.repeat(100_000)}x`],
    ['1,000 indented maps', blockMaps(1_000)],
    ['deep after a valid first line', `apiVersion: dbaas.dev/v1\nkind: Database\nspec: ${'['.repeat(50_000)}`],
  ];

  it.each(hostile)('%s is DBAAS_YAML_TOO_DEEP at a location in the file, quickly', (_name, text) => {
    const started = performance.now();
    const { documents, problems } = parse(text);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(documents).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'DBAAS_YAML_TOO_DEEP', location: { file: 'stacks/team-a/deep.yaml' } });
    expect(formatProblem(problems[0]!)).toMatch(
      /^stacks\/team-a\/deep\.yaml:\d+:\d+: error DBAAS_YAML_TOO_DEEP nesting goes deeper than 256 levels; expected a spec nested a few levels deep$/,
    );
  });

  it('points at the line where the nesting passes the bound', () => {
    const { problems } = parse(`apiVersion: dbaas.dev/v1\nkind: Database\nspec: ${'['.repeat(50_000)}`);
    expect(problems[0]!.location).toMatchObject({ line: 3 });
  });

  it('accepts nesting well past any spec, and every file of the example repo', () => {
    expect(parse(blockMaps(60)).problems).toEqual([]);
    expect(parse(`${'['.repeat(100)}${']'.repeat(100)}`).problems).toEqual([]);
    expect(deepNestingOffset(`${'['.repeat(MAX_NESTING / 2 - 1)}`)).toBeUndefined();
    expect(deepNestingOffset(`${'['.repeat(MAX_NESTING / 2)}`)).toBe(MAX_NESTING / 2 - 1);
    // Brackets inside quoted strings, comments and block scalars are text, not nesting.
    const text = `a: "${'['.repeat(1000)}"\nb: '${'{'.repeat(1000)}'\n# ${'['.repeat(1000)}\nc: |\n  ${'['.repeat(1000)}\n`;
    expect(parse(text).problems).toEqual([]);
    // Many shallow flow collections pass the quick character count and get the exact lexer pass.
    const wide = Array.from({ length: 300 }, (_, i) => `k${i}: [1, { a: [2] }]`).join('\n');
    expect(parse(wide).problems).toEqual([]);
    expect(deepNestingOffset(`${wide}\nz: ${'['.repeat(MAX_NESTING)}`)).toBeGreaterThan(wide.length);
  });

  it('the CLI exits 2 naming the file, with no stack trace', async () => {
    const dir = tempRepo();
    writeFileSync(join(dir, 'stacks', 'team-a', 'deep.yaml'), '['.repeat(10_000));
    const result = await runCli(['validate', '--dir', dir]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toMatch(/^stacks\/team-a\/deep\.yaml:1:\d+: error DBAAS_YAML_TOO_DEEP /m);
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at |RangeError|Maximum call stack/);
  });
});
