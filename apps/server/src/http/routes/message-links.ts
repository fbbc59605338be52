import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { acceptFormBodies } from '../form-body.ts';
import {
  readMessageToken,
  messageToken,
  type MessageLinkKind,
} from '../../automations/message-links.ts';
import {
  recordClick,
  recordOpen,
  savePreferences,
  unsubscribe,
} from '../../automations/message-link-actions.ts';
import {
  CONSENT_CHANNELS,
  CONSENT_PURPOSES,
  customerConsents,
} from '../../automations/manage-consents.ts';
import {
  confirmUnsubscribePage,
  consentLabel,
  preferencesPage,
  unsubscribedPage,
} from '../../automations/preferences-page.ts';
import { sendNotFound, sendPage } from '../public-page-reply.ts';
import { isLocale, type Locale } from '../../shared/i18n.ts';

// A 1×1 transparent GIF.
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

// The preferences form and the one-click unsubscribe are a few hundred bytes.
const FORM_BODY_LIMIT = 16_384;

/**
 * The public links inside messages; the signed token is the only credential, and each kind of
 * link has its own (a pixel's token opens no preferences page). Unsubscribing by GET only shows
 * a confirmation (link scanners follow GETs); the RFC 8058 one-click POST, which mail clients
 * send, and the confirmation's POST unsubscribe at once.
 */
export function messageLinkRoutes(app: FastifyInstance, ctx: AppContext): void {
  acceptFormBodies(app);
  // RFC 8058 says mail clients SHOULD post the one-click unsubscribe as multipart/form-data.
  // Only that one field matters here, so it is looked for rather than the whole form parsed.
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT },
    (_request, body, done) =>
      done(
        null,
        /name="List-Unsubscribe"\s*\r?\n\r?\n\s*One-Click/i.test(body as string)
          ? { 'List-Unsubscribe': 'One-Click' }
          : {},
      ),
  );
  const hidden = {
    schema: { hide: true },
    config: { auth: 'none' as const, rateClass: 'public' as const },
  };
  const client = (request: FastifyRequest) => ({
    address: request.ip ?? null,
    userAgent: (request.headers['user-agent'] ?? '').slice(0, 500) || null,
  });
  const read = (kind: MessageLinkKind, token: string) =>
    readMessageToken(ctx.box, kind, token, ctx.clock.now());
  // Forms are posted to the link itself: the token is checked before the body is read.
  const form = (kind: MessageLinkKind) => ({
    ...hidden,
    bodyLimit: FORM_BODY_LIMIT,
    onRequest: async (
      request: FastifyRequest<{ Params: { token: string } }>,
      reply: FastifyReply,
    ) => {
      if (!read(kind, request.params.token)) return sendNotFound(reply);
    },
  });
  const shopOfLink = async (shopId: string): Promise<{ name: string; locale: Locale }> => {
    const shop = await ctx.db
      .selectFrom('shops')
      .select(['name', 'locale'])
      .where('id', '=', shopId)
      .executeTakeFirstOrThrow();
    return { name: shop.name, locale: isLocale(shop.locale) ? shop.locale : 'en' };
  };

  app.get<{ Params: { token: string } }>('/m/o/:token', hidden, async (request, reply) => {
    const link = read('open', request.params.token);
    if (link) await recordOpen(ctx.db, ctx.clock, link, client(request));
    return reply.headers({ 'content-type': 'image/gif', 'cache-control': 'no-store' }).send(PIXEL);
  });

  app.get<{ Params: { token: string } }>('/m/c/:token', hidden, async (request, reply) => {
    const link = read('click', request.params.token);
    const target = link && (await recordClick(ctx.db, ctx.clock, link, client(request)));
    if (!target) return sendNotFound(reply);
    return reply.header('cache-control', 'no-store').redirect(target, 302);
  });

  app.get<{ Params: { token: string } }>('/m/u/:token', hidden, async (request, reply) => {
    const link = read('unsubscribe', request.params.token);
    if (!link) return sendNotFound(reply);
    const shop = await shopOfLink(link.s);
    return sendPage(reply, 200, confirmUnsubscribePage(shop.locale, request.url));
  });

  app.post<{ Params: { token: string }; Body: Record<string, string> | undefined }>(
    '/m/u/:token',
    form('unsubscribe'),
    async (request, reply) => {
      const link = read('unsubscribe', request.params.token);
      if (!link) return sendNotFound(reply);
      // RFC 8058: the mail client posts "List-Unsubscribe=One-Click".
      const oneClick = request.body?.['List-Unsubscribe'] === 'One-Click';
      await unsubscribe(
        ctx.db,
        ctx.clock,
        link,
        oneClick ? 'list_unsubscribe' : 'unsubscribe_link',
        client(request),
      );
      const shop = await shopOfLink(link.s);
      const preferences = `${ctx.config.publicUrl}/m/p/${messageToken(ctx.box, 'preferences', { s: link.s, c: link.c }, ctx.clock.now())}`;
      return sendPage(reply, 200, unsubscribedPage(shop.locale, shop.name, preferences));
    },
  );

  const showPreferences = async (
    request: FastifyRequest<{ Params: { token: string } }>,
    reply: FastifyReply,
    saved: boolean,
  ) => {
    const link = read('preferences', request.params.token)!;
    const shop = await shopOfLink(link.s);
    const { consents } = await customerConsents(ctx.db, link.s, link.c);
    return sendPage(
      reply,
      200,
      preferencesPage({
        locale: shop.locale,
        shopName: shop.name,
        action: request.url,
        consents,
        saved,
      }),
    );
  };

  app.get<{ Params: { token: string } }>('/m/p/:token', hidden, async (request, reply) => {
    if (!read('preferences', request.params.token)) return sendNotFound(reply);
    return showPreferences(request, reply, false);
  });

  app.post<{ Params: { token: string }; Body: Record<string, string> | undefined }>(
    '/m/p/:token',
    form('preferences'),
    async (request, reply) => {
      const link = read('preferences', request.params.token);
      if (!link || request.body?.form !== 'preferences') return sendNotFound(reply);
      const shop = await shopOfLink(link.s);
      // An unticked box is not sent at all: every channel and purpose is answered.
      const answers = CONSENT_CHANNELS.flatMap((channel) =>
        CONSENT_PURPOSES.map((purpose) => ({
          channel,
          purpose,
          granted: request.body?.[`${channel}:${purpose}`] === '1',
          textShown: consentLabel(shop.name, channel, purpose, shop.locale),
        })),
      );
      await savePreferences(ctx.db, ctx.clock, link, answers, client(request));
      return showPreferences(request, reply, true);
    },
  );
}
