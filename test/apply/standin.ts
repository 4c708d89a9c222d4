// Typed access to the stand-in stacks (standin.mjs) for the apply tests.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SynthesizedStack } from '../../src/synth/index.js';
import { tempRepo } from '../helpers/repo.js';
import { standinJson, type Behaviour } from './standin.mjs';

export type { Behaviour };

export const standin = (name: string, behaviour: Behaviour = {}): SynthesizedStack => ({
  name,
  cloud: 'aws',
  notes: [],
  json: standinJson(name, behaviour),
  addresses: ['terraform_data.marker'],
});

/** The checkout "synthesizes" the same stand-ins the plan was made from. */
export const checkoutOf = (stacks: readonly SynthesizedStack[]) => async (_repo: unknown, names: readonly string[]) =>
  new Map(stacks.filter((s) => names.includes(s.name)).map((s) => [s.name, s.json] as const));

/** The example checkout plus production databases of these names, cloned from orders. */
export function repoWithDatabases(names: readonly string[]): string {
  const dir = tempRepo('example');
  const orders = readFileSync(join(dir, 'stacks', 'payments', 'orders.yaml'), 'utf8');
  for (const name of names) writeFileSync(join(dir, 'stacks', 'payments', `${name}.yaml`), orders.replace('name: orders', `name: ${name}`));
  return dir;
}
