// A synth worker: loads cdktf and the providers once, then builds batches of stacks on request.
import { parentPort, workerData } from 'node:worker_threads';
import type { ResolvedDatabase } from '../model/resolved.js';
import { synthOne, toWire } from './batch.js';
import type { SynthContext } from './types.js';

const { ctx } = workerData as { ctx: SynthContext };

parentPort!.on('message', async (message: { start: number; dbs: ResolvedDatabase[] }) => {
  const outcomes = [];
  for (const db of message.dbs) outcomes.push(toWire(await synthOne(db, ctx)));
  parentPort!.postMessage({ start: message.start, outcomes });
});
