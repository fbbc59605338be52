import type { FlowDefinition } from './flow-definition.ts';

export interface ReadyFlow {
  key: string;
  name: { pl: string; en: string };
  description: { pl: string; en: string };
  definition: FlowDefinition;
}

/**
 * The flows a merchant switches on from a list. Each sends the ready-made templates of
 * messaging/ready-templates.ts, which the merchant may edit.
 */
export const READY_FLOWS: ReadyFlow[] = [
  {
    key: 'welcome',
    name: { pl: 'Powitanie po pierwszym zamówieniu', en: 'Welcome series after a first order' },
    description: {
      pl: 'Dzień 0: podziękowanie; dzień 2: porada; dzień 7: kupon na drugie zamówienie z terminem i minimalną kwotą; dzień 14: prośba o opinię i ocenę NPS. Kończy się, gdy klient złoży drugie zamówienie.',
      en: 'Day 0: thank-you; day 2: a tip; day 7: a second-order coupon with a deadline and a minimum basket; day 14: a review and NPS request. Ends once the customer places a second order.',
    },
    definition: {
      trigger: { type: 'order.paid', nth: 1 },
      steps: [
        {
          id: 'thank-you',
          type: 'send',
          channel: 'email',
          template: 'welcome.thank_you',
          purpose: 'marketing',
        },
        { id: 'wait-2d', type: 'wait', duration: { days: 2 } },
        {
          id: 'tip',
          type: 'send',
          channel: 'email',
          template: 'welcome.tip',
          purpose: 'marketing',
        },
        { id: 'wait-7d', type: 'wait', duration: { days: 5 } },
        {
          id: 'coupon',
          type: 'grant',
          grant: {
            kind: 'coupon',
            discount: { kind: 'percentage', percent: 10 },
            minBasket: 10_000,
            validDays: 14,
          },
        },
        {
          id: 'second-order',
          type: 'send',
          channel: 'email',
          template: 'welcome.second_order_coupon',
          purpose: 'marketing',
          withGrantOf: 'coupon',
        },
        { id: 'wait-14d', type: 'wait', duration: { days: 7 } },
        {
          id: 'review',
          type: 'send',
          channel: 'email',
          template: 'welcome.review_request',
          purpose: 'feedback',
        },
      ],
      exitOn: [{ type: 'order.paid' }],
      reentry: { mode: 'never' },
    },
  },
  {
    key: 'birthday',
    name: { pl: 'Urodziny', en: 'Birthday' },
    description: {
      pl: 'Życzenia w dniu urodzin o 9:00 czasu sklepu.',
      en: 'Wishes on the birthday at 9:00 shop time.',
    },
    definition: {
      trigger: { type: 'birthday' },
      steps: [
        { id: 'morning', type: 'wait', untilTime: '09:00' },
        {
          id: 'wishes',
          type: 'send',
          channel: 'email',
          template: 'birthday',
          purpose: 'marketing',
        },
      ],
      exitOn: [],
      reentry: { mode: 'always' },
    },
  },
  {
    key: 'name_day',
    name: { pl: 'Imieniny', en: 'Name day' },
    description: {
      pl: 'Życzenia imieninowe według polskiego kalendarza, o 9:00.',
      en: 'Name-day wishes from the Polish calendar, at 9:00.',
    },
    definition: {
      trigger: { type: 'name_day' },
      steps: [
        { id: 'morning', type: 'wait', untilTime: '09:00' },
        {
          id: 'wishes',
          type: 'send',
          channel: 'email',
          template: 'name_day',
          purpose: 'marketing',
        },
      ],
      exitOn: [],
      reentry: { mode: 'always' },
    },
  },
  {
    key: 'win_back',
    name: { pl: 'Odzyskiwanie uśpionych klientów', en: 'Win-back of dormant customers' },
    description: {
      pl: 'Po 90 dniach bez zamówienia: kupon 15% ważny 14 dni.',
      en: 'After 90 days without an order: a 15% coupon valid for 14 days.',
    },
    definition: {
      trigger: { type: 'customer.dormant', days: 90 },
      steps: [
        {
          id: 'coupon',
          type: 'grant',
          grant: {
            kind: 'coupon',
            discount: { kind: 'percentage', percent: 15 },
            minBasket: null,
            validDays: 14,
          },
        },
        {
          id: 'come-back',
          type: 'send',
          channel: 'email',
          template: 'win_back',
          purpose: 'marketing',
          withGrantOf: 'coupon',
        },
      ],
      exitOn: [{ type: 'order.paid' }],
      reentry: { mode: 'after_days', days: 180 },
    },
  },
  {
    key: 'abandoned_cart',
    name: { pl: 'Porzucony koszyk', en: 'Abandoned cart' },
    description: {
      pl: 'Godzinę po ostatniej zmianie koszyka bez zamówienia: przypomnienie z linkiem do koszyka. Najwyżej raz na dobę.',
      en: 'An hour after the last cart change without an order: a reminder with a link back to the cart. At most once a day.',
    },
    definition: {
      trigger: { type: 'activity', activityType: 'cart.updated' },
      steps: [
        { id: 'wait-1h', type: 'wait', duration: { hours: 1 } },
        {
          id: 'reminder',
          type: 'send',
          channel: 'email',
          template: 'cart_abandoned',
          purpose: 'marketing',
        },
      ],
      exitOn: [{ type: 'order.paid' }],
      reentry: { mode: 'after_days', days: 1 },
    },
  },
  {
    key: 'points_expiring',
    name: { pl: 'Punkty wkrótce wygasną', en: 'Points about to expire' },
    description: {
      pl: 'Przypomnienie 14 dni przed wygaśnięciem punktów.',
      en: 'A reminder 14 days before points expire.',
    },
    definition: {
      trigger: { type: 'points.expiring', days: 14 },
      steps: [
        {
          id: 'reminder',
          type: 'send',
          channel: 'email',
          template: 'points_expiring',
          purpose: 'loyalty',
        },
      ],
      exitOn: [],
      reentry: { mode: 'always' },
    },
  },
  {
    key: 'tier_upgrade',
    name: { pl: 'Awans na wyższy poziom', en: 'Tier upgrade' },
    description: {
      pl: 'Gratulacje i opis nowych korzyści po awansie.',
      en: 'Congratulations and the new benefits after an upgrade.',
    },
    definition: {
      trigger: { type: 'tier.changed', direction: 'up' },
      steps: [
        {
          id: 'congrats',
          type: 'send',
          channel: 'email',
          template: 'tier_upgrade',
          purpose: 'loyalty',
        },
      ],
      exitOn: [],
      reentry: { mode: 'always' },
    },
  },
  {
    key: 'nps_request',
    name: { pl: 'Prośba o ocenę (NPS) po dostawie', en: 'Rating request (NPS) after delivery' },
    description: {
      pl: 'Tydzień po dostawie zamówienia, o 10:00: jedno pytanie, czy klient poleciłby sklep (0–10), z odpowiedzią jednym kliknięciem. Nie wysyła się po zwrocie; najwyżej raz na 90 dni.',
      en: 'A week after an order is delivered, at 10:00: one question, whether the customer would recommend the shop (0–10), answered with one click. Not sent after a refund; at most once in 90 days.',
    },
    definition: {
      trigger: { type: 'order.fulfilled' },
      steps: [
        { id: 'wait-7d', type: 'wait', duration: { days: 7 }, untilTime: '10:00' },
        { id: 'no-complaint', type: 'condition', noComplaint: true, else: 'exit' },
        {
          id: 'nps',
          type: 'send',
          channel: 'email',
          template: 'nps_survey',
          purpose: 'feedback',
        },
      ],
      exitOn: [{ type: 'order.refunded' }],
      reentry: { mode: 'after_days', days: 90 },
    },
  },
  {
    key: 'referral_invite',
    name: { pl: 'Zaproszenie do poleceń dla promotorów', en: 'Referral invitation for promoters' },
    description: {
      pl: 'Klient, który ocenił nas na 9–10, dostaje swój link polecający — nigdy przy otwartej reklamacji lub zwrocie.',
      en: 'A customer who rated us 9–10 gets their referral link — never with an open complaint or a return.',
    },
    definition: {
      trigger: { type: 'survey.answered', category: 'promoter' },
      steps: [
        { id: 'next-day', type: 'wait', duration: { days: 1 }, untilTime: '10:00' },
        { id: 'no-complaint', type: 'condition', noComplaint: true, else: 'exit' },
        {
          id: 'invite',
          type: 'send',
          channel: 'email',
          template: 'referral_invite',
          purpose: 'marketing',
        },
      ],
      exitOn: [{ type: 'order.refunded' }],
      reentry: { mode: 'after_days', days: 90 },
    },
  },
  {
    key: 'referral_thank_you',
    name: { pl: 'Podziękowanie za polecenie', en: 'Thank-you for a referral' },
    description: {
      pl: 'Podziękowanie dla polecającego, gdy zakup znajomego się zakwalifikował.',
      en: "A thank-you to the referrer when the friend's purchase qualifies.",
    },
    definition: {
      trigger: { type: 'referral.qualified' },
      steps: [
        {
          id: 'thanks',
          type: 'send',
          channel: 'email',
          template: 'referral_thank_you',
          purpose: 'loyalty',
        },
      ],
      exitOn: [],
      reentry: { mode: 'always' },
    },
  },
];

export function readyFlow(key: string): ReadyFlow | undefined {
  return READY_FLOWS.find((f) => f.key === key);
}
