// A synth worker: loads cdktf and every cloud's builder (src/profiles/clouds), says it is ready, then builds the batches
// it is sent (see pool.ts).
import { parentPort } from 'node:worker_threads';
import { synthOne, toWire } from './batch.js';
import { CLOUDS, type CloudName } from '../profiles/index.js';
import { loadBuilder } from './index.js';
import type { BatchMessage, WorkerMessage } from './pool.js';

await Promise.all((Object.keys(CLOUDS) as CloudName[]).map((cloud) => loadBuilder(cloud)));

async function onBatch(message: BatchMessage): Promise<void> {
  const outcomes = [];
  for (const db of message.dbs) outcomes.push(toWire(await synthOne(db, message.ctx)));
  parentPort!.postMessage({ type: 'done', job: message.job, start: message.start, outcomes } satisfies WorkerMessage);
}

// A rejection here is unhandled, as it was in an async listener: the worker dies and the pool reports it.
parentPort!.on('message', (message: BatchMessage) => void onBatch(message));
parentPort!.postMessage({ type: 'ready' } satisfies WorkerMessage);
