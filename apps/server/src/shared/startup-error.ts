/**
 * Why Lojal cannot start, in one line a person can act on (what is wrong and what to do).
 * The entry points print its message alone, without a stack trace: it is not a bug.
 */
export class StartupError extends Error {
  constructor(message: string) {
    super(message.replace(/\s+/g, ' ').trim());
    this.name = new.target.name;
  }
}
