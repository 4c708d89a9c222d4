// One database's stack through the real terraform (offline): validate reads the stack as `dbaas synth`
// writes it, plan reads the offline variant. Shared by the real-terraform tests that check a list of stacks.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import type { ResolvedDatabase } from '../../src/model/resolved.js';
import { synthStack } from '../../src/synth/index.js';
import { prepareOfflineCheck, type TerraformRunner } from '../../src/terraform/index.js';
import { context } from './helpers.js';

/**
 * Expects init, validate and plan to pass without a diagnostic, the plan to add more than 10 resources
 * and destroy none; returns a timing line. The cloud's builder must be loaded.
 */
export async function expectTerraformAccepts(runner: TerraformRunner, base: string, db: ResolvedDatabase): Promise<string> {
  const dir = path.join(base, db.name);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'cdk.tf.json');
  const real = synthStack(db, context()).json;
  const offline = synthStack(db, context({ offlineCheck: true })).json;
  await writeFile(file, offline);
  expect((await prepareOfflineCheck(dir)).findings, db.name).toEqual([]);
  await runner.init(dir, { reconfigure: true });
  await writeFile(file, real);
  const validate = await runner.validate(dir);
  expect(
    validate.diagnostics.map((d) => `${d.severity} ${d.summary}: ${d.detail ?? ''}`),
    db.name,
  ).toEqual([]);
  expect(validate.valid, db.name).toBe(true);
  await writeFile(file, offline);
  const plan = await runner.plan(dir, { out: 'check.tfplan', lock: false });
  expect(
    plan.diagnostics.map((d) => `${d.severity} ${d.summary}: ${d.detail ?? ''}`),
    db.name,
  ).toEqual([]);
  expect(plan.add, db.name).toBeGreaterThan(10);
  expect(plan.destroy, db.name).toBe(0);
  return `${db.name}: validate ${Math.round(validate.durationMs)} ms, plan ${Math.round(plan.durationMs)} ms (+${plan.add})`;
}
