import type { FastifyReply } from 'fastify';
import { notFoundPage, PUBLIC_PAGE_HEADERS } from '../surveys/public-page.ts';

/** An HTML page for a person (survey answers, review forms), never problem+json. */
export function sendPage(reply: FastifyReply, status: number, html: string) {
  return reply.status(status).headers(PUBLIC_PAGE_HEADERS).send(html);
}

export function sendNotFound(reply: FastifyReply) {
  return sendPage(reply, 404, notFoundPage());
}

/** A form-encoded (or JSON) body as string fields; anything else counts as no fields. */
export function formFields(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null) return {};
  return Object.fromEntries(
    Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}
