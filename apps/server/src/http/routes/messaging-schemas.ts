import { z } from 'zod';

/** Shapes that more than one of the messaging routes' files describe. */
export const channel = z.enum(['email', 'sms', 'push']);
export const customerParams = z.object({ customerId: z.string().min(1).max(255) });
