import { Worker } from 'node:worker_threads';
import type { Metrics } from '../shared/metrics.ts';
import type { Outcome } from '../ingest/apply-events.ts';
import type { ProcessorThreadData, ProcessorThreadMessage } from './processor-thread.ts';

/** Runs the event processor on a worker thread and relays nudges, metrics and shutdown. */
export class ProcessorHost {
  private readonly worker: Worker;
  private nudgeQueued = false;
  private started = false;
  private exited = false;
  private stopped: Promise<void> | undefined;
  /** Resolves once the thread runs (or has ended): its code is loaded, its worker started. */
  readonly ready: Promise<void>;

  constructor(data: ProcessorThreadData, metrics: Metrics, onError: (error: Error) => void) {
    this.worker = new Worker(new URL('./processor-thread-entry.mjs', import.meta.url), {
      workerData: data,
    });
    // A thread stopped while it was still loading may fail to load (Ctrl+C also ends tsx's
    // compiler): that is part of stopping, not an error.
    this.worker.on('error', (error) => {
      if (this.started || !this.stopped) onError(error);
    });
    let nowReady = () => undefined as void;
    this.ready = new Promise<void>((resolve) => (nowReady = resolve));
    this.worker.once('exit', () => {
      this.exited = true;
      nowReady();
    });
    this.worker.on('message', (message: ProcessorThreadMessage) => {
      if (message.type === 'ready') {
        this.started = true;
        nowReady();
      }
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
      if (this.exited) return resolve();
      this.worker.once('exit', () => resolve());
      // Not running yet: no batch in hand, nothing to finish.
      if (!this.started) return void this.worker.terminate();
      this.worker.on('message', (message: ProcessorThreadMessage) => {
        if (message.type === 'stopped') void this.worker.terminate();
      });
      this.worker.postMessage('stop');
    });
    return this.stopped;
  }
}
