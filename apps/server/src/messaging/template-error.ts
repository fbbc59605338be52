/** One problem in a merchant's template, with its line in the source that was compiled. */
export interface TemplateProblem {
  line: number;
  message: string;
}

/** A template that cannot be rendered: nothing is sent, and the editor shows `problems`. */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly problems: TemplateProblem[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TemplateError';
  }
}
