import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import { connect } from '../db/connect.ts';
import { systemClock } from '../shared/clock.ts';
import { EventProcessor } from './event-processor.ts';
import { startPeriodicJobs } from '../jobs/periodic-jobs.ts';

/**
 * The event processor and the periodic jobs on their own thread (started by processor-host.ts):
 * parsing and applying batches, and heavy scheduled work, never hold up the HTTP event loop,
 * and a second core does the work.
 */
export interface ProcessorThreadData {
  databaseUrl: string;
  poolSize: number;
  logLevel: string;
}

export type ProcessorThreadMessage =
  { type: 'batch'; statuses: string[]; lags: number[] } | { type: 'stopped' };

const port = parentPort;
if (!port) throw new Error('processor-thread.ts runs as a worker thread');
const data = workerData as ProcessorThreadData;
const { db } = connect(data.databaseUrl, data.poolSize);
const logger = pino({ level: data.logLevel }).child({ thread: 'processor' });
const send = (message: ProcessorThreadMessage) => port.postMessage(message);
const processor = new EventProcessor(db, systemClock, logger, {
  observe: (statuses, lags) => send({ type: 'batch', statuses, lags }),
});
processor.start();
// Time-driven work (expiry, tier reviews, CLV refits…) runs here too: a CLV fit can take
// seconds of CPU, which must never stall the HTTP event loop.
const stopPeriodicJobs = startPeriodicJobs(db, systemClock, logger);

port.on('message', (message: 'nudge' | 'stop') => {
  if (message === 'nudge') processor.nudge();
  if (message === 'stop') {
    void processor
      .stop()
      .then(() => stopPeriodicJobs())
      .then(() => db.destroy())
      .then(() => send({ type: 'stopped' }));
  }
});
