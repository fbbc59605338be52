import { ApiError } from '../api/client.ts';

/**
 * The server's complaint about a field (problem+json `errors[].path`), including its parts
 * (`name.pl` for `name`); `undefined` when the field is fine.
 */
export function fieldProblem(error: unknown, path: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  return error.errors.find((e) => e.path === path || e.path.startsWith(`${path}.`))?.message;
}

/** Whether the failure is one the fields show (a 400/422 with field paths). */
export function hasFieldErrors(error: unknown): boolean {
  return error instanceof ApiError && error.errors.length > 0;
}
