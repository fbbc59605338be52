import { z } from 'zod';

/** How a shop's messages look and sound. The layout reads the colours; templates read `tone`. */
export interface BrandKit {
  logoUrl?: string;
  primaryColor: string;
  textColor: string;
  backgroundColor: string;
  fontFamily: string;
  tone: 'friendly' | 'formal';
}

export const defaultBrandKit: BrandKit = {
  primaryColor: '#1f6f5c',
  textColor: '#1d2327',
  backgroundColor: '#f4f4f2',
  fontFamily: 'Helvetica, Arial, sans-serif',
  tone: 'friendly',
};

const colour = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'a colour as #rrggbb')
  .describe('a colour as #rrggbb');

export const brandKitSchema = z.object({
  // https only: mail clients block or warn about images over plain http.
  logoUrl: z
    .url({ protocol: /^https$/, hostname: z.regexes.domain })
    .max(2000)
    .optional()
    .describe('the address of the logo image, https'),
  primaryColor: colour,
  textColor: colour,
  backgroundColor: colour,
  // A CSS font stack; quotes and angle brackets would break out of the style attribute.
  fontFamily: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\w\s,-]+$/, 'font names separated by commas'),
  tone: z.enum(['friendly', 'formal']),
}) satisfies z.ZodType<BrandKit>;
