import { ApiError } from '../../api/client.ts';

/** One problem of a template, as the API names it: `body:line 3` → field body, line 3. */
export interface TemplateProblem {
  field: string;
  line: number | null;
  message: string;
}

/** The problems of a refused preview or save (400 with errors[], or 422 past a limit). */
export function templateProblems(error: unknown): TemplateProblem[] {
  if (!(error instanceof ApiError) || (error.status !== 400 && error.status !== 422)) return [];
  return error.errors.map((e) => {
    const match = /^([a-z]+)(?::line (\d+))?$/.exec(e.path);
    return {
      field: match?.[1] ?? e.path,
      line: match?.[2] ? Number(match[2]) : null,
      message: e.message,
    };
  });
}
