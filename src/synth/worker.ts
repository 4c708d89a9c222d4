// A synth worker: loads cdktf and every cloud's builder (src/profiles/clouds), says it is ready, then builds the batches
// it is sent (see pool.ts).
import { parentPort } from 'node:worker_threads';
import { synthOne, toWire } from './batch.js';
import { CLOUDS, type CloudName } from '../profiles/index.js';
import { loadBuilder } from './index.js';
import type { BatchMessage, WorkerMessage } from './pool.js';

await Promise.all((Object.keys(CLOUDS) as CloudName[]).map((cloud) => loadBuilder(cloud)));

parentPort!.on('message', async (message: BatchMessage) => {
  const outcomes = [];
  for (const db of message.dbs) outcomes.push(toWire(await synthOne(db, message.ctx)));
  parentPort!.postMessage({ type: 'done', job: message.job, start: message.start, outcomes } satisfies WorkerMessage);
});
parentPort!.postMessage({ type: 'ready' } satisfies WorkerMessage);
