import { ApiError } from '../api/client.ts';

/**
 * The server's complaint about a field (problem+json `errors[].path`), including its parts
 * (`name.pl` for `name`), in the dashboard's language; `undefined` when the field is fine or
 * the failure is not an API one.
 */
export function fieldProblem(error: unknown, path: string): string | undefined {
  return error instanceof ApiError ? error.fieldErrorWithin(path) : undefined;
}

/** Whether the failure is one the fields show (a 400/422 with field paths). */
export function hasFieldErrors(error: unknown): boolean {
  return error instanceof ApiError && error.errors.length > 0;
}
