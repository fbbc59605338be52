import type { TemplateLimitError } from '../messaging/render-limits.ts';
import { RenderPoolBusy } from '../messaging/render-pool.ts';
import { Problem } from '../shared/errors.ts';

/**
 * A template past one of the render limits (messaging/render-limits.ts): 422, which limit in
 * `limit`, and what to change in English and Polish for the merchant's editor.
 */
export class TemplateLimitProblem extends Problem {
  constructor(readonly error: TemplateLimitError) {
    super(422, 'template-limit', 'Template over a limit', error.message, [
      { path: error.field ?? 'template', message: error.message },
    ]);
  }

  override toJSON() {
    return { ...super.toJSON(), limit: this.error.limit, messages: this.error.messages };
  }
}

/** The render pool refused the render for now: 429 for the shop's own renders, else 503. */
export function renderBusyProblem(error: RenderPoolBusy): Problem {
  return error.scope === 'owner'
    ? new Problem(429, 'rate-limited', 'Too many requests', error.message, undefined, {
        'retry-after': '1',
      })
    : new Problem(503, 'unavailable', 'Service unavailable', error.message, undefined, {
        'retry-after': '1',
      });
}
