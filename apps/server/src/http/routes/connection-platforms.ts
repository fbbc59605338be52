import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import type { Platform, PlatformConnector } from '../../connections/connector.ts';

const jsonSchema = z
  .record(z.string(), z.unknown())
  .describe('a JSON Schema (draft 2020-12) of the object, as the platform’s connector takes it');

const platformSchema = z
  .object({
    id: z.string().describe('the `platform` of POST /v1/connections'),
    name: z.string(),
    pushCodes: z
      .boolean()
      .describe('whether Lojal can create its codes in this platform (pushCodes may be true)'),
    credentials: jsonSchema.describe(
      'the `credentials` object as JSON Schema: field names and rules only, never a value; every field is secret',
    ),
    settings: jsonSchema.describe('the `settings` object as JSON Schema (not secret)'),
    guide: z.string().describe('the merchant’s step-by-step guide, a path in Lojal’s repository'),
  })
  .meta({ id: 'ConnectionPlatform' });
export type ConnectionPlatform = z.infer<typeof platformSchema>;

// A connector's schemas never change while the app runs: converted once each.
const described = new WeakMap<PlatformConnector, ConnectionPlatform>();

/** What the dashboard needs to draw a connector's form, from its zod schemas (input side). */
export function describePlatform(id: string, connector: PlatformConnector): ConnectionPlatform {
  const known = described.get(connector);
  if (known) return known;
  const toJson = (schema: z.ZodType) => {
    // The input side: what a person types (a default is optional there; transforms are after).
    const { $schema: _, ...rest } = z.toJSONSchema(schema, {
      io: 'input',
      unrepresentable: 'any',
    }) as Record<string, unknown>;
    return rest;
  };
  const platform: ConnectionPlatform = {
    id,
    name: connector.name,
    pushCodes: connector.pushCodes !== undefined,
    credentials: toJson(connector.credentialsSchema),
    settings: toJson(connector.settingsSchema),
    guide: `docs/integrations/${id}.md`,
  };
  described.set(connector, platform);
  return platform;
}

/** The platforms this Lojal connects to, described for the dashboard's "connect" form. */
export function connectionPlatformRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/v1/connection-platforms',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['connections'],
        summary:
          'The shop platforms Lojal can connect to: for each, whether it takes codes, the fields of its credentials and settings as JSON Schema (to draw a form), and its guide',
        response: { 200: z.object({ data: z.array(platformSchema) }) },
      },
    },
    async () => ({
      data: (
        Object.entries(ctx.connections.connectors) as Array<[Platform, PlatformConnector]>
      ).map(([id, connector]) => describePlatform(id, connector)),
    }),
  );
}
