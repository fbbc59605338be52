import { Problem } from './errors.ts';

/** A refusal a person reads on a device (the staff app): problem+json with `messages: {pl, en}`. */
export class LocalizedProblem extends Problem {
  constructor(
    status: number,
    code: string,
    title: string,
    readonly messages: { pl: string; en: string },
    detail?: string,
  ) {
    super(status, code, title, detail ?? messages.en);
  }

  override toJSON() {
    return { ...super.toJSON(), messages: this.messages };
  }
}
