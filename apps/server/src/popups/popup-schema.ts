import { z } from 'zod';
import type { Selectable } from 'kysely';
import type { PopupsTable } from '../db/schema.ts';
import { amountSchema } from '../shared/bounds.ts';
import { isCheckoutPath } from './checkout-paths.ts';

/** What a person reads in one language: the dialog's title and text, the checkbox, the button. */
export const contentSchema = z.object({
  title: z.string().trim().min(1).max(120),
  body: z.string().trim().max(1000).default(''),
  consentText: z
    .string()
    .trim()
    .min(1)
    .max(2000)
    .describe('the consent checkbox label, kept word for word as the proof of consent'),
  button: z.string().trim().min(1).max(60),
});

const variantSchema = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9-]{1,20}$/, '1–20 lower-case letters, digits or dashes')
    .describe('the variant in results ("a", "b")'),
  weight: z
    .int()
    .min(0)
    .max(100)
    .default(1)
    .describe('share of visitors relative to the other variants; 0 = not shown'),
  content: z
    .object({ pl: contentSchema.optional(), en: contentSchema.optional() })
    .refine((c) => c.pl !== undefined || c.en !== undefined, {
      message: 'needs the text in at least one language (pl or en)',
    }),
});

/** A page pattern: a path from "/", `*` for any characters ("/blog/*", "/produkt/*-kawa"). */
const pagePattern = z
  .string()
  .trim()
  .min(1)
  .max(300)
  .regex(/^\//, 'must be a path starting with "/" (use * for any characters)');

export const triggersSchema = z
  .object({
    afterSeconds: z.int().min(0).max(600).optional().describe('time on the page'),
    scrollPercent: z.int().min(1).max(100).optional().describe('how far down the page'),
    exitIntent: z
      .boolean()
      .default(false)
      .describe('the pointer leaves through the top of the window (desktop only)'),
  })
  .refine((t) => t.afterSeconds !== undefined || t.scrollPercent !== undefined || t.exitIntent, {
    message: 'needs at least one trigger: afterSeconds, scrollPercent or exitIntent',
  })
  .describe('the pop-up shows when the first of these happens');

export const pagesSchema = z
  .object({
    include: z
      .array(pagePattern)
      .max(50)
      .default([])
      .describe('only on these pages; none = every page'),
    exclude: z.array(pagePattern).max(50).default([]).describe('never on these pages'),
  })
  .superRefine((p, ctx) => {
    p.include.forEach((pattern, i) => {
      if (isCheckoutPath(pattern.replaceAll('*', ''))) {
        ctx.addIssue({
          code: 'custom',
          path: ['include', i],
          message: 'checkout, cart and payment pages never show pop-ups',
        });
      }
    });
  })
  .describe('checkout, cart and payment pages are always left out');

const audienceObject = z.object({
  visitors: z.enum(['all', 'new', 'returning']).default('all'),
  customers: z
    .enum(['all', 'guests', 'identified'])
    .default('all')
    .describe('guests: no customer token; identified: a signed-in customer'),
  segmentIds: z
    .array(z.string().min(1).max(100))
    .max(20)
    .default([])
    .describe('only identified customers in one of these segments'),
  cartTotal: z
    .object({ min: amountSchema.optional(), max: amountSchema.optional() })
    .refine((c) => c.min === undefined || c.max === undefined || c.min <= c.max, {
      message: 'min must not exceed max',
      path: ['max'],
    })
    .optional()
    .describe("the cart's value in minor units of the shop's currency"),
});
export const audienceSchema = audienceObject.default({
  visitors: 'all',
  customers: 'all',
  segmentIds: [],
});

const frequencyObject = z.object({
  everyDays: z
    .int()
    .min(1)
    .max(365)
    .default(7)
    .describe('shown to a visitor at most once in this many days'),
  perSession: z.int().min(1).max(10).default(1).describe('at most this often per browser session'),
});
export const frequencySchema = frequencyObject.default({ everyDays: 7, perSession: 1 });

export const welcomeCouponSchema = z
  .object({
    campaignId: z
      .string()
      .min(1)
      .max(100)
      .describe('a coupon campaign: its terms, a new code each'),
    validDays: z
      .int()
      .min(1)
      .max(365)
      .optional()
      .describe('the code expires this many days after it is issued (else with the campaign)'),
  })
  .nullable()
  .describe('issued once, when the sign-up is confirmed');

export const variantsSchema = z
  .array(variantSchema)
  .min(1)
  .max(4)
  .superRefine((variants, ctx) => {
    const seen = new Set<string>();
    variants.forEach((v, i) => {
      if (seen.has(v.id)) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'id'],
          message: `variant ${v.id} is given twice`,
        });
      }
      seen.add(v.id);
    });
    if (variants.every((v) => v.weight === 0)) {
      ctx.addIssue({ code: 'custom', path: [0, 'weight'], message: 'one variant needs a weight' });
    }
  });

export const popupInput = z.object({
  name: z.string().trim().min(1).max(200).describe("for the shop's staff; visitors never see it"),
  kind: z.literal('newsletter').describe('a newsletter sign-up with double opt-in'),
  status: z.enum(['active', 'paused']).default('active'),
  variants: variantsSchema,
  triggers: triggersSchema,
  pages: pagesSchema.default({ include: [], exclude: [] }),
  audience: audienceSchema,
  frequency: frequencySchema,
  welcomeCoupon: welcomeCouponSchema.default(null),
});
export type PopupInput = z.infer<typeof popupInput>;

export const popupChanges = z
  .object({
    name: popupInput.shape.name.optional(),
    status: z
      .enum(['active', 'paused', 'archived'])
      .optional()
      .describe('pause, resume, or archive (for good)'),
    variants: variantsSchema.optional(),
    triggers: triggersSchema.optional(),
    pages: pagesSchema.optional(),
    audience: audienceObject.optional(),
    frequency: frequencyObject.optional(),
    welcomeCoupon: welcomeCouponSchema.optional(),
  })
  .refine((c) => Object.keys(c).length > 0, { message: 'name at least one field to change' });
export type PopupChanges = z.infer<typeof popupChanges>;

export type PopupContent = z.infer<typeof contentSchema>;
export type PopupVariant = z.infer<typeof variantSchema>;

/** What `popups.definition` holds. */
export interface PopupDefinition {
  variants: PopupVariant[];
  triggers: z.infer<typeof triggersSchema>;
  pages: z.infer<typeof pagesSchema>;
  audience: z.infer<typeof audienceSchema>;
  frequency: z.infer<typeof frequencySchema>;
}

export type PopupRow = Selectable<PopupsTable>;

export function definitionOf(row: PopupRow): PopupDefinition {
  return row.definition as unknown as PopupDefinition;
}

export function popupView(row: PopupRow) {
  const d = definitionOf(row);
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    status: row.status,
    variants: d.variants,
    triggers: d.triggers,
    pages: d.pages,
    audience: d.audience,
    frequency: d.frequency,
    welcomeCoupon: row.coupon_campaign_id
      ? {
          campaignId: row.coupon_campaign_id,
          ...(row.coupon_valid_days !== null && { validDays: row.coupon_valid_days }),
        }
      : null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
