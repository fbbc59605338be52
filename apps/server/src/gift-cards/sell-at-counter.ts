import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { Problem, type FieldError } from '../shared/errors.ts';
import type { SecretBox } from '../shared/secrets.ts';
import type { ShopRow } from '../shops/shop.ts';
import { isLocale } from '../shared/i18n.ts';
import { giftCardCodeHint } from './gift-card-code.ts';
import { issueGiftCardIn } from './issue-gift-card.ts';
import { scheduleDelivery } from './schedule-delivery.ts';

export const COUNTER_MIN_AMOUNT = 100;
export const COUNTER_MAX_AMOUNT = 1_000_000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A refused counter sale: 422 with the fields' errors and a sentence for the barista. */
export class CounterSaleProblem extends Problem {
  readonly messages: { pl: string; en: string };

  constructor(errors: FieldError[], messages: { pl: string; en: string }) {
    super(422, 'gift-card-sale-invalid', 'Gift card sale refused', messages.en, errors);
    this.messages = messages;
  }

  override toJSON() {
    return { ...super.toJSON(), messages: this.messages };
  }
}

export interface CounterSaleInput {
  amount?: unknown;
  recipientEmail?: unknown;
  recipientName?: unknown;
  message?: unknown;
}

function optionalText(value: unknown, path: string, max: number, errors: FieldError[]) {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.trim().length > max) {
    errors.push({ path, message: `must be text of at most ${max} characters`, maximum: max });
    return null;
  }
  return value.trim() || null;
}

function validate(input: CounterSaleInput, currency: string) {
  const errors: FieldError[] = [];
  const amount = input.amount;
  const amountOk =
    typeof amount === 'number' &&
    Number.isInteger(amount) &&
    amount >= COUNTER_MIN_AMOUNT &&
    amount <= COUNTER_MAX_AMOUNT;
  if (!amountOk) {
    errors.push({
      path: 'amount',
      message: `must be a whole number of minor units of ${currency}, ${COUNTER_MIN_AMOUNT} to ${COUNTER_MAX_AMOUNT}`,
      code:
        typeof amount === 'number'
          ? amount < COUNTER_MIN_AMOUNT
            ? 'too_small'
            : 'too_big'
          : 'invalid_type',
      minimum: COUNTER_MIN_AMOUNT,
      maximum: COUNTER_MAX_AMOUNT,
      origin: 'number',
    });
  }
  const email = optionalText(input.recipientEmail, 'recipientEmail', 254, errors);
  if (email && !EMAIL.test(email)) {
    errors.push({ path: 'recipientEmail', message: 'must be an e-mail address', format: 'email' });
  }
  const name = optionalText(input.recipientName, 'recipientName', 100, errors);
  const message = optionalText(input.message, 'message', 500, errors);
  if (errors.length > 0) {
    const major = (n: number) => (n / 100).toFixed(0);
    throw new CounterSaleProblem(
      errors,
      !amountOk
        ? {
            pl: `Kwota karty musi wynosić od ${major(COUNTER_MIN_AMOUNT)} do ${major(COUNTER_MAX_AMOUNT)} ${currency}.`,
            en: `The card's value must be from ${major(COUNTER_MIN_AMOUNT)} to ${major(COUNTER_MAX_AMOUNT)} ${currency}.`,
          }
        : errors.some((e) => e.path === 'recipientEmail')
          ? {
              pl: 'Sprawdź adres e-mail odbiorcy.',
              en: "Check the recipient's e-mail address.",
            }
          : {
              pl: 'Imię odbiorcy albo wiadomość są za długie.',
              en: "The recipient's name or the message is too long.",
            },
    );
  }
  return { amount: amount as number, email, name, message };
}

/**
 * A card sold at the counter by a staff device, in the shop's currency. The answer is the only
 * place its code and PIN are shown. With a recipient e-mail the voucher e-mail is booked for now;
 * the code and PIN wait for it sealed with the instance key, and are wiped once it is sent.
 */
export async function sellGiftCardAtCounter(
  db: Db,
  clock: Clock,
  box: SecretBox,
  shop: ShopRow,
  staff: { id: string },
  input: CounterSaleInput,
) {
  const sale = validate(input, shop.currency);
  const now = clock.now();
  return db.transaction().execute(async (tx) => {
    const card = (await issueGiftCardIn(tx, shop.id, {
      amount: sale.amount,
      currency: shop.currency,
      actor: `staff:${staff.id}`,
      at: now,
    }))!;
    await tx
      .insertInto('gift_card_sales')
      .values({
        shop_id: shop.id,
        gift_card_id: card.id,
        channel: 'counter',
        staff_id: staff.id,
        amount: sale.amount,
        currency: shop.currency,
        recipient_name: sale.name,
        recipient_email: sale.email,
        message: sale.message,
        locale: isLocale(shop.locale) ? shop.locale : 'pl',
        send_at: sale.email ? now : null,
        sealed_secret: sale.email
          ? box.seal(JSON.stringify({ code: card.code, pin: card.pin }))
          : null,
        created_at: now,
      })
      .execute();
    if (sale.email) await scheduleDelivery(tx, { shopId: shop.id, giftCardId: card.id }, now);
    const money = { amount: sale.amount, currency: shop.currency };
    return {
      id: card.id,
      code: card.code,
      pin: card.pin,
      maskedCode: giftCardCodeHint(card.code),
      currency: shop.currency,
      balance: money,
      delivery: sale.email ? { email: sale.email, sendAt: now.toISOString() } : null,
    };
  });
}
