import { renderEmail } from './render-email.ts';
import { renderLimits, TemplateLimitError } from './render-limits.ts';
import { renderTemplateString } from './render-template-string.ts';
import { TemplateError } from './template-error.ts';
import type { RenderedTexts, RenderTextsInput, TemplateRenderer } from './template-renderer.ts';

/**
 * Renders in the calling thread, within the same `renderLimits` but with no way to stop a render
 * that runs long: for scripts, benchmarks and the render pool's workers themselves.
 */
export const renderInThread: TemplateRenderer = {
  renderEmail: (input) => renderEmail(input),
  renderTexts: (input) => renderTexts(input),
};

/**
 * renderTemplateString for each field, with one Liquid time budget for them all. A field that
 * does not render has its problems; a limit ends the whole render (TemplateLimitError).
 */
export async function renderTexts(input: RenderTextsInput): Promise<RenderedTexts> {
  const deadline = performance.now() + renderLimits.liquidMs;
  const options = { deadline, ...(input.tone ? { tone: input.tone } : {}) };
  const texts: RenderedTexts = {};
  for (const [field, source] of Object.entries(input.fields)) {
    try {
      texts[field] = {
        text: await renderTemplateString(source, input.variables, input.locale, options),
      };
    } catch (error) {
      if (error instanceof TemplateLimitError) throw error.inField(field);
      if (!(error instanceof TemplateError)) throw error;
      texts[field] = { message: error.message, problems: error.problems };
    }
  }
  return texts;
}
