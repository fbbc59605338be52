import type { ReferralSettings } from './referral-settings.ts';

export const SHARE_CHANNELS = [
  'whatsapp',
  'messenger',
  'sms',
  'email',
  'facebook',
  'copy',
] as const;
export type ShareChannel = (typeof SHARE_CHANNELS)[number];
export type ShareLocale = 'pl' | 'en';
/** Polish past tense is gendered ("zamówiłam" / "zamówiłem"): neutral wording is the default. */
export type ShareForm = 'neutral' | 'feminine' | 'masculine';

interface Template {
  subject?: string;
  text: string;
}
type Wording = { withDiscount: Template; withoutDiscount: Template };
type Forms = { neutral: Wording } & Partial<Record<Exclude<ShareForm, 'neutral'>, Wording>>;

const chat = (withDiscount: string, withoutDiscount: string): Wording => ({
  withDiscount: { text: withDiscount },
  withoutDiscount: { text: withoutDiscount },
});

const PL_CHAT_TAIL =
  'może i Ty coś znajdziesz – z moim linkiem masz {discount} na pierwsze zakupy: {link}';
const PL_EMAIL_TAIL =
  'Z moim linkiem masz {discount} na pierwsze zakupy:\n{link}\n\nPozdrawiam\n{firstName}';

const PL_CHAT: Forms = {
  neutral: chat(
    `Hej, kupuję w {shop} i bardzo sobie chwalę, ${PL_CHAT_TAIL}`,
    'Hej, kupuję w {shop} i bardzo sobie chwalę, może i Ty coś znajdziesz: {link}',
  ),
  feminine: chat(
    `Hej, zamówiłam fajne rzeczy w {shop}, ${PL_CHAT_TAIL}`,
    'Hej, zamówiłam fajne rzeczy w {shop}, może i Ty coś znajdziesz: {link}',
  ),
  masculine: chat(
    `Hej, zamówiłem fajne rzeczy w {shop}, ${PL_CHAT_TAIL}`,
    'Hej, zamówiłem fajne rzeczy w {shop}, może i Ty coś znajdziesz: {link}',
  ),
};

const EN_CHAT: Forms = {
  neutral: chat(
    "Hi, I've been shopping at {shop} and I like it a lot, maybe you'll find something too – with my link you get {discount} your first order: {link}",
    "Hi, I've been shopping at {shop} and I like it a lot, maybe you'll find something too: {link}",
  ),
};

// Short and personal, the way one writes to a friend; the shop and the link are filled in.
const TEMPLATES: Record<ShareLocale, Record<ShareChannel, Forms>> = {
  pl: {
    whatsapp: PL_CHAT,
    messenger: PL_CHAT,
    sms: {
      neutral: chat(
        'Hej, polecam {shop}! Z moim linkiem masz {discount} na pierwsze zakupy: {link}',
        'Hej, polecam {shop}! Zajrzyj: {link}',
      ),
    },
    email: {
      neutral: {
        withDiscount: {
          subject: '{shop} – coś dla Ciebie',
          text: `Cześć!\n\nKupuję w {shop} i bardzo sobie chwalę. Może i Ty znajdziesz tam coś dla siebie.\n\n${PL_EMAIL_TAIL}`,
        },
        withoutDiscount: {
          subject: '{shop} – coś dla Ciebie',
          text: 'Cześć!\n\nKupuję w {shop} i bardzo sobie chwalę. Może i Ty znajdziesz tam coś dla siebie:\n{link}\n\nPozdrawiam\n{firstName}',
        },
      },
      feminine: {
        withDiscount: {
          subject: '{shop} – coś dla Ciebie',
          text: `Cześć!\n\nZamówiłam ostatnio kilka rzeczy w {shop} i jestem bardzo zadowolona. Może i Ty znajdziesz tam coś dla siebie.\n\n${PL_EMAIL_TAIL}`,
        },
        withoutDiscount: {
          subject: '{shop} – coś dla Ciebie',
          text: 'Cześć!\n\nZamówiłam ostatnio kilka rzeczy w {shop} i jestem bardzo zadowolona. Może i Ty znajdziesz tam coś dla siebie:\n{link}\n\nPozdrawiam\n{firstName}',
        },
      },
      masculine: {
        withDiscount: {
          subject: '{shop} – coś dla Ciebie',
          text: `Cześć!\n\nZamówiłem ostatnio kilka rzeczy w {shop} i jestem bardzo zadowolony. Może i Ty znajdziesz tam coś dla siebie.\n\n${PL_EMAIL_TAIL}`,
        },
        withoutDiscount: {
          subject: '{shop} – coś dla Ciebie',
          text: 'Cześć!\n\nZamówiłem ostatnio kilka rzeczy w {shop} i jestem bardzo zadowolony. Może i Ty znajdziesz tam coś dla siebie:\n{link}\n\nPozdrawiam\n{firstName}',
        },
      },
    },
    facebook: {
      neutral: chat(
        'Polecam {shop}! Jeśli chcesz spróbować, z moim linkiem masz {discount} na pierwsze zakupy: {link}',
        'Polecam {shop}! Zajrzyjcie: {link}',
      ),
    },
    copy: {
      neutral: chat('{discount} na pierwsze zakupy w {shop}: {link}', '{shop}: {link}'),
    },
  },
  en: {
    whatsapp: EN_CHAT,
    messenger: EN_CHAT,
    sms: {
      neutral: chat(
        'Hi, I recommend {shop}! With my link you get {discount} your first order: {link}',
        'Hi, I recommend {shop}! Have a look: {link}',
      ),
    },
    email: {
      neutral: {
        withDiscount: {
          subject: 'Something for you from {shop}',
          text: "Hi!\n\nI've been shopping at {shop} and I like it a lot. Maybe you'll find something for yourself there too.\n\nWith my link you get {discount} your first order:\n{link}\n\nBest,\n{firstName}",
        },
        withoutDiscount: {
          subject: 'Something for you from {shop}',
          text: "Hi!\n\nI've been shopping at {shop} and I like it a lot. Maybe you'll find something for yourself there too:\n{link}\n\nBest,\n{firstName}",
        },
      },
    },
    facebook: {
      neutral: chat(
        "I recommend {shop}! If you'd like to try it, my link gives you {discount} your first order: {link}",
        'I recommend {shop}! Have a look: {link}',
      ),
    },
    copy: {
      neutral: chat('{discount} your first order at {shop}: {link}', '{shop}: {link}'),
    },
  },
};

/** The ready wording of a channel (placeholders not yet filled). */
export function shareTemplate(
  channel: ShareChannel,
  locale: ShareLocale,
  form: ShareForm,
  hasDiscount: boolean,
): Template {
  const forms = TEMPLATES[locale][channel];
  const wording = forms[form] ?? forms.neutral;
  return hasDiscount ? wording.withDiscount : wording.withoutDiscount;
}

function amount(minor: number, currency: string, locale: ShareLocale): string {
  const whole = minor % 100 === 0;
  return new Intl.NumberFormat(locale === 'pl' ? 'pl-PL' : 'en-GB', {
    style: 'currency',
    currency,
    minimumFractionDigits: whole ? 0 : 2,
    maximumFractionDigits: 2,
  }).format(minor / 100);
}

/** The friend's discount as words: "20 zł rabatu", "10% rabatu (do 50 zł)", "10% off". */
export function discountPhrase(
  discount: ReferralSettings['friendDiscount'],
  currency: string,
  locale: ShareLocale,
): string | null {
  if (!discount) return null;
  const off = locale === 'pl' ? 'rabatu' : 'off';
  if (discount.kind === 'fixed') return `${amount(discount.amount, currency, locale)} ${off}`;
  const percent = `${discount.percent.toLocaleString(locale === 'pl' ? 'pl-PL' : 'en-GB')}%`;
  if (!discount.cap) return `${percent} ${off}`;
  const cap = amount(discount.cap, currency, locale);
  return locale === 'pl' ? `${percent} ${off} (do ${cap})` : `${percent} (up to ${cap}) ${off}`;
}

export interface ShareFacts {
  shop: string;
  link: string;
  code: string;
  discount: string | null;
  firstName: string | null;
}

/** Fills {shop}, {link}, {code}, {discount} and {firstName}; a missing first name leaves none. */
export function fillShareText(text: string, facts: ShareFacts): string {
  return text
    .replaceAll('{shop}', facts.shop)
    .replaceAll('{link}', facts.link)
    .replaceAll('{code}', facts.code)
    .replaceAll('{discount}', facts.discount ?? '')
    .replaceAll('{firstName}', facts.firstName ?? '')
    .replace(/[ \t]+$/gm, '')
    .trimEnd();
}

/**
 * A customer's edited text, stored with placeholders where it shows the link, the code or the
 * discount, so it stays right when they change (a new campaign, a new address).
 */
export function toShareTemplate(text: string, facts: ShareFacts): string {
  let out = text.replaceAll(facts.link, '{link}').replaceAll(facts.code, '{code}');
  if (facts.discount) out = out.replaceAll(facts.discount, '{discount}');
  return out;
}

/** Where a button for the channel opens, with the message filled in where the channel allows. */
export function shareUrl(
  channel: ShareChannel,
  message: { subject: string | null; text: string },
  link: string,
): string | null {
  const e = encodeURIComponent;
  switch (channel) {
    case 'whatsapp':
      return `https://wa.me/?text=${e(message.text)}`;
    case 'sms':
      return `sms:?&body=${e(message.text)}`;
    case 'email':
      return `mailto:?subject=${e(message.subject ?? '')}&body=${e(message.text)}`;
    case 'messenger':
      return `fb-messenger://share/?link=${e(link)}`;
    case 'facebook':
      return `https://www.facebook.com/sharer/sharer.php?u=${e(link)}`;
    case 'copy':
      return null;
  }
}
