import { z } from 'zod';

/** Shapes shared by several routes' OpenAPI descriptions. */
// Loose: RFC 9457 lets a problem carry extension members (a render limit, localised messages).
export const problemSchema = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z
      .array(
        z.object({
          path: z.string(),
          message: z.string(),
          code: z
            .string()
            .optional()
            .describe(
              "what is wrong, for a client to say in its own language: too_small, too_big, invalid_format, invalid_type, invalid_value, unrecognized_keys; absent for a rule of the route's own (the message says it)",
            ),
          minimum: z.number().optional().describe('too_small: the least length, size or value'),
          maximum: z.number().optional().describe('too_big: the most length, size or value'),
          exclusive: z.boolean().optional().describe('the bound itself is not allowed'),
          origin: z
            .string()
            .optional()
            .describe('what the bound is on: string (characters), array (items), number, date'),
          format: z.string().optional().describe('invalid_format: e.g. email, url, date, regex'),
          values: z
            .array(z.union([z.string(), z.number(), z.boolean(), z.null()]))
            .optional()
            .describe('invalid_value: the values allowed'),
        }),
      )
      .optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export const shopIdParam = z.string().regex(/^shp_[0-9a-z]{26}$/, 'is not a shop id');

const timeZones = new Set(Intl.supportedValuesOf('timeZone'));
export const timeZoneSchema = z
  .string()
  .refine(
    (tz) => timeZones.has(tz) || tz === 'UTC',
    'must be an IANA time zone such as Europe/Warsaw',
  );
export const localeSchema = z.enum(['pl', 'en']);

/**
 * A sum of money in minor units, in a response. Sums are exact in PostgreSQL; past 2^53 − 1
 * (90 trillion złoty: 9,007 orders at the largest amount an order may have) a JSON number holds
 * the nearest integer it can, which is given rather than failing the read.
 */
export const amountSumSchema = z
  .number()
  .refine(Number.isInteger, 'must be an integer')
  .meta({ type: 'integer', description: 'minor units' });

export const moneySchema = z.object({ amount: amountSumSchema, currency: z.string() });
