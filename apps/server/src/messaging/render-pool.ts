import { Worker } from 'node:worker_threads';
import type { RenderEmailInput, RenderedEmail } from './render-email.ts';
import { renderLimits, TemplateLimitError } from './render-limits.ts';
import type { RenderTask, RenderWorkerMessage, SerializedRenderError } from './render-worker.ts';
import { TemplateError } from './template-error.ts';
import { withTracking } from './track-links.ts';
import type {
  RenderedTexts,
  RenderOptions,
  RenderTextsInput,
  TemplateRenderer,
} from './template-renderer.ts';

export interface RenderPoolOptions {
  /** Worker threads at most; each starts when a render first needs it. */
  size?: number;
  /** A render's time in its worker, after which the worker is terminated and replaced. */
  timeoutMs?: number;
  /** Renders waiting for a worker; past this one more is refused (RenderPoolBusy). */
  maxWaiting?: number;
  /** Renders one owner may have running and waiting; past this one more is refused. */
  maxPerOwner?: number;
  /** A worker's heap; a render that needs more ends its worker. */
  heapMb?: number;
  /** Workers to start at once rather than at the first render (which would wait for one). */
  prestart?: number;
}

/** The pool has too much to do: for a request, try again shortly; for a send, later. */
export class RenderPoolBusy extends Error {
  constructor(readonly scope: 'owner' | 'pool') {
    super(
      scope === 'owner'
        ? 'Other templates of the same shop are being rendered; try again when they are done'
        : 'Too many templates are waiting to be rendered; try again shortly',
    );
    this.name = 'RenderPoolBusy';
  }
}

interface Job {
  task: RenderTask;
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: Job | undefined;
}

/**
 * Renders templates on a few worker threads, one render per worker at a time, so that a
 * merchant's template never holds up the thread that serves every shop (the HTTP event loop, the
 * processor thread). A render still running after `timeoutMs` has its worker terminated (a new
 * one takes its place) and fails with a TemplateLimitError, as does one that runs its worker
 * out of memory. Idle workers do not keep the process alive; `close()` ends them.
 */
export class RenderPool implements TemplateRenderer {
  private readonly size: number;
  private readonly timeoutMs: number;
  private readonly maxWaiting: number;
  private readonly maxPerOwner: number;
  private readonly heapMb: number;
  private readonly slots = new Set<Slot>();
  private readonly waiting: Job[] = [];
  private readonly perOwner = new Map<string, number>();
  private closed = false;

  constructor(options: RenderPoolOptions = {}) {
    this.size = options.size ?? 2;
    this.timeoutMs = options.timeoutMs ?? renderLimits.jobMs;
    this.maxWaiting = options.maxWaiting ?? 100;
    this.maxPerOwner = options.maxPerOwner ?? Infinity;
    this.heapMb = options.heapMb ?? renderLimits.workerHeapMb;
    for (let i = 0; i < Math.min(options.prestart ?? 0, this.size); i++) this.spawn();
  }

  async renderEmail(input: RenderEmailInput, options: RenderOptions = {}): Promise<RenderedEmail> {
    const { tracking: _tracking, ...task } = input;
    const email = (await this.run({ kind: 'email', input: task }, options)) as RenderedEmail;
    return withTracking(email, input);
  }

  async renderTexts(input: RenderTextsInput, options: RenderOptions = {}): Promise<RenderedTexts> {
    return (await this.run({ kind: 'texts', input }, options)) as RenderedTexts;
  }

  /** Workers running now (started and not ended); for tests and metrics. */
  get workers(): number {
    return this.slots.size;
  }

  /** Refuses what is waiting, ends every worker (a render in progress fails). */
  async close(): Promise<void> {
    this.closed = true;
    const closed = () => new Error('The render pool is closed');
    for (const job of this.waiting.splice(0)) job.reject(closed());
    const slots = [...this.slots];
    this.slots.clear();
    for (const slot of slots) {
      const job = slot.job;
      if (job) this.finish(slot, () => job.reject(closed()));
    }
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private run(task: RenderTask, { owner }: RenderOptions): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('The render pool is closed'));
    const owned = owner === undefined ? 0 : (this.perOwner.get(owner) ?? 0);
    if (owned >= this.maxPerOwner) return Promise.reject(new RenderPoolBusy('owner'));
    if (this.waiting.length >= this.maxWaiting) return Promise.reject(new RenderPoolBusy('pool'));
    if (owner !== undefined) this.perOwner.set(owner, owned + 1);
    const release = () => {
      if (owner === undefined) return;
      const left = (this.perOwner.get(owner) ?? 1) - 1;
      if (left > 0) this.perOwner.set(owner, left);
      else this.perOwner.delete(owner);
    };
    return new Promise((resolve, reject) => {
      this.waiting.push({
        task,
        resolve: (result) => {
          release();
          resolve(result);
        },
        reject: (error) => {
          release();
          reject(error);
        },
      });
      this.dispatch();
    });
  }

  private dispatch(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (this.waiting.length === 0) break;
      if (slot.ready && !slot.job) this.start(slot, this.waiting.shift()!);
    }
    let starting = [...this.slots].filter((s) => !s.ready).length;
    while (this.waiting.length > starting && this.slots.size < this.size) {
      this.spawn();
      starting++;
    }
  }

  private start(slot: Slot, job: Job): void {
    slot.job = job;
    slot.worker.ref();
    job.timer = setTimeout(() => this.timeOut(slot), this.timeoutMs);
    slot.worker.postMessage(job.task);
  }

  private spawn(): void {
    const worker = new Worker(new URL('./render-worker-entry.mjs', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb },
    });
    const slot: Slot = { worker, ready: false };
    this.slots.add(slot);
    worker.on('message', (message: RenderWorkerMessage) => {
      if (message.type === 'ready') {
        slot.ready = true;
      } else if (slot.job) {
        const job = slot.job;
        this.finish(slot, () =>
          message.ok ? job.resolve(message.result) : job.reject(revive(message.error)),
        );
      }
      this.dispatch();
      if (!slot.job) worker.unref();
    });
    worker.on('error', (error) => this.lose(slot, error));
    worker.on('exit', (code) => this.lose(slot, new Error(`The render worker exited (${code})`)));
  }

  private finish(slot: Slot, settle: () => void): void {
    clearTimeout(slot.job?.timer);
    slot.job = undefined;
    settle();
  }

  /** The render took too long: its worker goes, a new one will start for the next render. */
  private timeOut(slot: Slot): void {
    const job = slot.job;
    if (!job || !this.slots.delete(slot)) return;
    void slot.worker.terminate();
    const seconds = this.timeoutMs / 1000;
    this.finish(slot, () => job.reject(new TemplateLimitError({ limit: 'render-time', seconds })));
    this.dispatch();
  }

  /** The worker ended on its own (out of memory, a crash) or failed to start. */
  private lose(slot: Slot, error: Error): void {
    if (!this.slots.delete(slot)) return;
    const job = slot.job;
    if (job) {
      const outOfMemory = (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
      const reason = outOfMemory
        ? new TemplateLimitError({ limit: 'memory' }, { cause: error })
        : new Error(`The render worker failed: ${error.message}`, { cause: error });
      this.finish(slot, () => job.reject(reason));
    } else if (!slot.ready) {
      // A worker that cannot start would be started again and again for the same renders.
      const reason = new Error(`A render worker did not start: ${error.message}`, { cause: error });
      for (const waiting of this.waiting.splice(0)) waiting.reject(reason);
    }
    this.dispatch();
  }
}

function revive(error: SerializedRenderError): Error {
  if (error.name === 'TemplateLimitError') return new TemplateLimitError(error.details);
  if (error.name === 'TemplateError') return new TemplateError(error.message, error.problems);
  return Object.assign(new Error(error.message), { stack: error.stack });
}
