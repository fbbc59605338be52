import type { FastifyReply } from 'fastify';

/** The client asked for CSV (`Accept: text/csv`), the export format of every report. */
export function wantsCsv(accept: string | undefined): boolean {
  return accept?.split(',').some((type) => type.trim().startsWith('text/csv')) ?? false;
}

/**
 * A CSV download; it bypasses the route's JSON response serializer. It starts with the UTF-8
 * byte order mark: without it Excel reads the file in the system's code page ("ł" as "Å‚").
 */
export function sendCsv(reply: FastifyReply, name: string, csv: string) {
  // The name may come from a path parameter: keep only what a header can carry.
  const filename = `${name.replace(/[^\w.-]/g, '_')}.csv`;
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .serializer((payload: unknown) => payload as string)
    .send(`\uFEFF${csv}`);
}
