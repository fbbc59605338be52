import type { FastifyReply } from 'fastify';
import { notFoundPage } from '../surveys/public-page.ts';
import { PUBLIC_PAGE_HEADERS } from './security-headers.ts';

/**
 * An HTML page for a person (survey answers, review forms, preferences), never problem+json;
 * every public page leaves through here, with the strict headers of `security-headers.ts`.
 */
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
