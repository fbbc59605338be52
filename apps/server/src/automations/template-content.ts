import { z } from 'zod';
import type { EmailTemplate } from '../messaging/render-email.ts';
import { problems } from '../shared/errors.ts';

export type TemplateChannel = 'email' | 'sms' | 'push';
export type TemplateContent = EmailTemplate | { text: string } | { title: string; body: string };

const liquid = (max: number) => z.string().min(1).max(max);

/** What a merchant writes for each channel; `message_templates.content` holds exactly this. */
export const templateContentSchemas = {
  email: z.strictObject({
    subject: liquid(500),
    preheader: liquid(500).optional(),
    body: liquid(100_000),
    text: liquid(100_000).optional(),
  }),
  sms: z.strictObject({ text: liquid(2_000) }),
  push: z.strictObject({ title: liquid(200), body: liquid(1_000) }),
} satisfies Record<TemplateChannel, z.ZodType>;

/** The content for a channel, or a 400 naming each field that is missing or not allowed. */
export function parseTemplateContent(channel: TemplateChannel, raw: unknown): TemplateContent {
  const parsed = templateContentSchemas[channel].safeParse(raw);
  if (parsed.success) return parsed.data;
  throw problems.validation(
    parsed.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({
            path: [...issue.path, key].join('.'),
            message: `is not part of a ${channel} template`,
          }))
        : [{ path: issue.path.join('.'), message: issue.message }],
    ),
  );
}
