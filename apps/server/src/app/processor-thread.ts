import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import { connect } from '../db/connect.ts';
import { retryWhileUnavailable } from '../db/unavailable.ts';
import { systemClock } from '../shared/clock.ts';
import { EventProcessor } from '../ingest/event-processor.ts';
import { startWorker } from './worker.ts';
import type { TaskReport } from './periodic-tasks.ts';
import { messageChannels } from '../automations/message-channels.ts';
import { SecretBox } from '../shared/secrets.ts';
import { RenderPool } from '../messaging/render-pool.ts';
import { publicOutbound } from '../messaging/outbound-url.ts';
import { guardedFetch } from '../messaging/guarded-fetch.ts';
import { reactions } from './reactions.ts';
import { CONNECTORS, platformPolicy } from './connectors.ts';

/**
 * The event processor and the worker (automation rounds, sweeps, daily tasks) on their own
 * thread (started by processor-host.ts): parsing and applying batches, and heavy scheduled work
 * such as a CLV refit, never hold up the HTTP event loop, and a second core does the work.
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
  /** The ports merchants' webhook and push URLs may use (LOJAL_OUTBOUND_PORTS). */
  outboundPorts: readonly number[];
  /** Whether shop platforms may sit on a private network (LOJAL_PLATFORM_PRIVATE_NETWORKS). */
  platformPrivateNetworks: boolean;
}

export type ProcessorThreadMessage =
  | { type: 'batch'; statuses: string[]; lags: number[] }
  | { type: 'task'; report: Omit<TaskReport, 'error'> }
  | { type: 'ready' }
  | { type: 'stopped' };

const port = parentPort;
if (!port) throw new Error('processor-thread.ts runs as a worker thread');
const data = workerData as ProcessorThreadData;
const { db, pool } = connect(data.databaseUrl, data.poolSize);
const box = new SecretBox(Buffer.from(data.secretKey));
const logger = pino({ level: data.logLevel }).child({ thread: 'processor' });
// Messages render on worker threads of their own: a template past its limits fails alone
// instead of holding up event processing and every other shop's sends.
const renderPool = new RenderPool({ size: 2 });
const send = (message: ProcessorThreadMessage) => port.postMessage(message);
const processorRef: { current: EventProcessor | null } = { current: null };
// Every periodic and delayed job, on graphile-worker; automation is woken after each batch.
// A database restarting while this thread starts is waited out, not fatal.
const channels = messageChannels(db, systemClock, box, {
  smtpUrl: data.smtpUrl,
  publicUrl: data.publicUrl,
  outbound: publicOutbound(data.outboundPorts),
});
const worker = await retryWhileUnavailable(
  () =>
    startWorker(
      pool,
      db,
      systemClock,
      {
        channels,
        keys: box,
        publicUrl: data.publicUrl,
        mailFrom: data.mailFrom,
        renderer: renderPool,
      },
      logger,
      {
        onTaskReport: ({ error: _error, ...report }) => send({ type: 'task', report }),
        vouchers: {
          email: channels.email,
          mailFrom: data.mailFrom,
          publicUrl: data.publicUrl,
          box,
          fetch: guardedFetch(publicOutbound(data.outboundPorts), 2 * 1024 * 1024),
        },
        connections: {
          db,
          clock: systemClock,
          box,
          connectors: CONNECTORS,
          policy: platformPolicy(data),
          // pulled records go to the raw log; the processor (started below) takes them at once
          onRecordsStored: () => processorRef.current?.nudge(),
        },
      },
    ),
  (error, waitMs) =>
    logger.warn(
      { err: error, waitMs },
      'the job queue could not start: the database is unavailable',
    ),
);
const processor: EventProcessor = new EventProcessor(db, systemClock, logger, {
  reactions,
  observe: (statuses, lags) => {
    send({ type: 'batch', statuses, lags });
    worker.nudge();
  },
});
processorRef.current = processor;
processor.start();
send({ type: 'ready' });

port.on('message', (message: 'nudge' | 'stop') => {
  if (message === 'nudge') processor.nudge();
  if (message === 'stop') {
    void processor
      .stop()
      .then(() => worker.stop())
      .then(() => renderPool.close())
      .then(() => db.destroy())
      .then(() => send({ type: 'stopped' }));
  }
});
