import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import { connect } from '../db/connect.ts';
import { systemClock } from '../shared/clock.ts';
import { EventProcessor } from './event-processor.ts';
import { startPeriodicJobs } from '../jobs/periodic-jobs.ts';
import { startAutomationWorker } from '../jobs/automation-worker.ts';
import { messageChannels } from '../automations/message-channels.ts';
import { SecretBox } from '../shared/secrets.ts';

/**
 * The event processor and the periodic jobs on their own thread (started by processor-host.ts):
 * parsing and applying batches, and heavy scheduled work, never hold up the HTTP event loop,
 * and a second core does the work.
 */
export interface ProcessorThreadData {
  databaseUrl: string;
  poolSize: number;
  logLevel: string;
  /** For the automation engine: the instance key (signed links, sealed secrets) and where to send. */
  secretKey: Buffer;
  publicUrl: string;
  smtpUrl: string | undefined;
  mailFrom: string;
}

export type ProcessorThreadMessage =
  { type: 'batch'; statuses: string[]; lags: number[] } | { type: 'stopped' };

const port = parentPort;
if (!port) throw new Error('processor-thread.ts runs as a worker thread');
const data = workerData as ProcessorThreadData;
const { db, pool } = connect(data.databaseUrl, data.poolSize);
const box = new SecretBox(Buffer.from(data.secretKey));
const logger = pino({ level: data.logLevel }).child({ thread: 'processor' });
const send = (message: ProcessorThreadMessage) => port.postMessage(message);
// Lifecycle flows and message sending, on graphile-worker; woken after each batch of events.
const automation = await startAutomationWorker(
  pool,
  db,
  systemClock,
  {
    channels: messageChannels(db, systemClock, box, {
      smtpUrl: data.smtpUrl,
      publicUrl: data.publicUrl,
    }),
    keys: box,
    publicUrl: data.publicUrl,
    mailFrom: data.mailFrom,
  },
  logger,
);
const processor = new EventProcessor(db, systemClock, logger, {
  observe: (statuses, lags) => {
    send({ type: 'batch', statuses, lags });
    automation.nudge();
  },
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
      .then(() => automation.stop())
      .then(() => db.destroy())
      .then(() => send({ type: 'stopped' }));
  }
});
