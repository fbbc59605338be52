import { Worker } from 'node:worker_threads';
import type { Metrics } from '../shared/metrics.ts';
import type { Outcome } from '../ingest/apply-events.ts';
import type { ProcessorThreadData, ProcessorThreadMessage } from './processor-thread.ts';

/** Runs the event processor on a worker thread and relays nudges, metrics and shutdown. */
export class ProcessorHost {
  private readonly worker: Worker;
  private nudgeQueued = false;
  private stopped: Promise<void> | undefined;

  constructor(data: ProcessorThreadData, metrics: Metrics, onError: (error: Error) => void) {
    this.worker = new Worker(new URL('./processor-thread-entry.mjs', import.meta.url), {
      workerData: data,
    });
    this.worker.on('error', onError);
    this.worker.on('message', (message: ProcessorThreadMessage) => {
      if (message.type === 'task') {
        const { task, shopId, outcome } = message.report;
        metrics.periodicTaskRuns.inc({ task, outcome });
        if (outcome === 'failed' && shopId)
          metrics.periodicTaskShopFailures.inc({ task, shop: shopId });
        return;
      }
      if (message.type !== 'batch') return;
      for (const status of message.statuses)
        metrics.eventsProcessed.inc({ status: status as Outcome['status'] });
      for (const lag of message.lags) metrics.processingLag.observe(lag);
    });
  }

  /** New events were stored; one message per turn of the event loop however many arrived. */
  nudge(): void {
    if (this.nudgeQueued) return;
    this.nudgeQueued = true;
    setImmediate(() => {
      this.nudgeQueued = false;
      this.worker.postMessage('nudge');
    });
  }

  /** Lets the processor finish its batch in hand, then ends the thread. */
  stop(): Promise<void> {
    this.stopped ??= new Promise<void>((resolve) => {
      this.worker.on('message', (message: ProcessorThreadMessage) => {
        if (message.type === 'stopped') void this.worker.terminate().then(() => resolve());
      });
      this.worker.once('exit', () => resolve());
      this.worker.postMessage('stop');
    });
    return this.stopped;
  }
}
