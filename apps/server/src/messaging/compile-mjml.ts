import mjml2html from 'mjml';
import type { TemplateProblem } from './template-error.ts';

export type MjmlResult = { html: string } | { problems: TemplateProblem[] };

const options = {
  validationLevel: 'strict',
  keepComments: false,
  // A merchant's template must not read files from the server through mj-include.
  ignoreIncludes: true,
  // No web-font links: the brand's font stack is used as it is.
  fonts: {},
} as const;

/** MJML to HTML; validation errors come back as problems (with document lines), not HTML. */
export async function compileMjml(mjml: string): Promise<MjmlResult> {
  try {
    const result = await mjml2html(mjml, options);
    if (result.errors.length > 0) return { problems: result.errors.map(problemOf) };
    return { html: result.html };
  } catch (error) {
    const errors = (error as { errors?: { line: number; message: string }[] }).errors;
    if (!errors) throw error;
    return { problems: errors.map(problemOf) };
  }
}

function problemOf(e: { line: number; message: string }): TemplateProblem {
  return { line: e.line, message: e.message };
}
