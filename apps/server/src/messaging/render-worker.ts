import { parentPort } from 'node:worker_threads';
import { compileMjml } from './compile-mjml.ts';
import { renderEmail, type RenderEmailInput, type RenderedEmail } from './render-email.ts';
import { TemplateLimitError, type TemplateLimitDetails } from './render-limits.ts';
import { TemplateError, type TemplateProblem } from './template-error.ts';
import { renderTexts } from './render-in-thread.ts';
import type { RenderedTexts, RenderTextsInput } from './template-renderer.ts';

/**
 * A thread of the render pool (render-pool.ts): renders one template at a time, so that a
 * template's Liquid and MJML never hold up the thread that asked, and a render that runs too
 * long can be ended by terminating this thread.
 */
export type RenderTask =
  | { kind: 'email'; input: Omit<RenderEmailInput, 'tracking'> }
  | { kind: 'texts'; input: RenderTextsInput };

export type SerializedRenderError =
  | { name: 'TemplateLimitError'; details: TemplateLimitDetails }
  | { name: 'TemplateError'; message: string; problems: TemplateProblem[] }
  | { name: 'Error'; message: string; stack?: string | undefined };

export type RenderWorkerMessage =
  | { type: 'ready' }
  | { type: 'done'; ok: true; result: RenderedEmail | RenderedTexts }
  | { type: 'done'; ok: false; error: SerializedRenderError };

function serialize(error: unknown): SerializedRenderError {
  if (error instanceof TemplateLimitError)
    return { name: 'TemplateLimitError', details: error.details };
  if (error instanceof TemplateError) {
    return { name: 'TemplateError', message: error.message, problems: error.problems };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: 'Error', message: e.message, stack: e.stack };
}

const port = parentPort;
if (!port) throw new Error('render-worker.ts runs as a worker thread');
const send = (message: RenderWorkerMessage) => port.postMessage(message);

port.on('message', (task: RenderTask) => {
  const rendering = task.kind === 'email' ? renderEmail(task.input) : renderTexts(task.input);
  rendering.then(
    (result) => send({ type: 'done', ok: true, result }),
    (error: unknown) => send({ type: 'done', ok: false, error: serialize(error) }),
  );
});
// MJML's first compile in a fresh thread costs about ten times a later one (179 ms against
// 13–26 ms measured under load), and a render's time limit starts when its job is posted: warm it
// before taking work, so a merchant's first preview is not the one that meets the limit.
await compileMjml(
  '<mjml><mj-head><mj-style>p{margin:0}</mj-style></mj-head><mj-body><mj-section><mj-column>' +
    '<mj-image src="https://lojal.invalid/logo.png" alt="" /><mj-text>Lojal</mj-text>' +
    '<mj-button href="https://lojal.invalid/">Lojal</mj-button><mj-divider />' +
    '</mj-column></mj-section></mj-body></mjml>',
);
send({ type: 'ready' });
