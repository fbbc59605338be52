import type { EmailTemplate } from './render-email.ts';

/**
 * The messages a shop gets ready-made, in Polish and English: short, in the shop's voice
 * ("we"), addressing the customer as "ty"/"you" with forms that do not depend on gender (no
 * second-person past tense, no vocative names). Polish SMS avoid ą, ę, ł, ó, ś, ż… (and use
 * the invariant "pkt") so they stay GSM-7: 160 characters in one SMS instead of 70.
 * Texts like `coupon.discountText` come from the caller in the message's language.
 */

export type TemplateKey =
  | 'welcome.thank_you'
  | 'welcome.tip'
  | 'welcome.second_order_coupon'
  | 'welcome.review_request'
  | 'birthday'
  | 'name_day'
  | 'win_back'
  | 'cart_abandoned'
  | 'points_expiring'
  | 'tier_upgrade'
  | 'referral_invite'
  | 'referral_thank_you'
  | 'nps_survey'
  | 'csat_survey'
  | 'review_request';

export type MessagePurpose = 'transactional' | 'marketing' | 'loyalty' | 'feedback';

export interface ReadyTemplate {
  /** Decides the consent a send needs: marketing needs the customer's marketing consent. */
  purpose: MessagePurpose;
  /** Days after the flow starts, for the steps of a series. */
  day?: number;
  email?: { pl: EmailTemplate; en: EmailTemplate };
  sms?: { pl: string; en: string };
  push?: { pl: { title: string; body: string }; en: { title: string; body: string } };
}

const signoff = {
  pl: '<mj-text>Pozdrawiamy,<br />zespół {{ shop.name }}</mj-text>',
  en: '<mj-text>Best wishes,<br />the {{ shop.name }} team</mj-text>',
};

const shopButton = (label: string) =>
  `{% if links.shop %}<mj-button href="{{ links.shop }}">${label}</mj-button>{% endif %}`;

const couponBlock = {
  pl: `<mj-text align="center" font-size="24px" font-weight="700" letter-spacing="2px">{{ coupon.code }}</mj-text>
<mj-text align="center" font-size="14px">{% if coupon.expiresAt %}Kod jest ważny do {{ coupon.expiresAt | date }}.{% endif %}{% if coupon.minBasket %} Minimalna wartość zamówienia: {{ coupon.minBasket | money }}.{% endif %}</mj-text>`,
  en: `<mj-text align="center" font-size="24px" font-weight="700" letter-spacing="2px">{{ coupon.code }}</mj-text>
<mj-text align="center" font-size="14px">{% if coupon.expiresAt %}The code is valid until {{ coupon.expiresAt | date }}.{% endif %}{% if coupon.minBasket %} Minimum order: {{ coupon.minBasket | money }}.{% endif %}</mj-text>`,
};

// Eleven one-click answers 0..10; the link carries the score.
const scoreLinks = (urls: string, first: number) =>
  `<mj-text align="center" padding="8px 12px">{% for url in ${urls} %}<a href="{{ url }}" style="display:inline-block;min-width:30px;line-height:34px;margin:2px;border:1px solid currentColor;border-radius:4px;text-decoration:none;font-weight:600">{{ forloop.index0 | plus: ${first} }}</a>{% endfor %}</mj-text>`;

const nps = {
  pl: `<mj-text>Jak bardzo prawdopodobne jest, że polecisz {{ shop.name }} znajomym?</mj-text>
${scoreLinks('survey.npsUrls', 0)}
<mj-text align="center" font-size="13px" color="#6b7280">0 – na pewno nie, 10 – na pewno tak. Wystarczy jedno kliknięcie.</mj-text>`,
  en: `<mj-text>How likely are you to recommend {{ shop.name }} to a friend?</mj-text>
${scoreLinks('survey.npsUrls', 0)}
<mj-text align="center" font-size="13px" color="#6b7280">0 – not at all likely, 10 – extremely likely. One click is all it takes.</mj-text>`,
};

const toNextTier = {
  pl: `{% case tier.measure %}{% when 'spend' %}{{ tier.toNext | money }}{% when 'orders' %}{{ tier.toNext | plural: 'zamówienia', 'zamówień', 'zamówień' }}{% else %}{{ tier.toNext | plural: 'punktu', 'punktów', 'punktów' }}{% endcase %}`,
  en: `{% case tier.measure %}{% when 'spend' %}{{ tier.toNext | money }}{% when 'orders' %}{{ tier.toNext | plural: 'order', 'orders' }}{% else %}{{ tier.toNext | plural: 'point', 'points' }}{% endcase %}`,
};

const points = {
  pl: `{{ points.available | plural: 'punkt', 'punkty', 'punktów' }}`,
  en: `{{ points.available | plural: 'point', 'points' }}`,
};

export const readyTemplates: Record<TemplateKey, ReadyTemplate> = {
  'welcome.thank_you': {
    purpose: 'loyalty',
    day: 0,
    email: {
      pl: {
        subject: 'Dziękujemy za zakupy w {{ shop.name }}',
        preheader: 'Cieszymy się, że jesteś z nami.',
        body: `<mj-text>{{ greeting }}!</mj-text>
<mj-text>Dziękujemy za pierwsze zamówienie{% if order %} (nr {{ order.externalId }}){% endif %}. Cieszymy się, że jesteś z nami.</mj-text>
{% if points %}<mj-text>Za zakupy u nas zbierasz punkty, które wymienisz na rabaty i nagrody.{% if points.pending > 0 %} Za to zamówienie naliczyliśmy Ci {{ points.pending | plural: 'punkt', 'punkty', 'punktów' }} – trafią na konto, gdy minie czas na zwrot.{% endif %}</mj-text>{% endif %}
${shopButton('Zobacz swoje konto')}
${signoff.pl}`,
      },
      en: {
        subject: 'Thank you for shopping at {{ shop.name }}',
        preheader: 'We are glad to have you with us.',
        body: `<mj-text>{{ greeting }}!</mj-text>
<mj-text>Thank you for your first order{% if order %} (no. {{ order.externalId }}){% endif %}. We are glad to have you with us.</mj-text>
{% if points %}<mj-text>Every purchase earns you points to swap for discounts and rewards.{% if points.pending > 0 %} This order earned you {{ points.pending | plural: 'point', 'points' }}, added to your account once the return period ends.{% endif %}</mj-text>{% endif %}
${shopButton('See your account')}
${signoff.en}`,
      },
    },
  },

  'welcome.tip': {
    purpose: 'loyalty',
    day: 2,
    email: {
      pl: {
        subject: 'Jak działa program w {{ shop.name }}',
        preheader: 'Trzy rzeczy, które warto wiedzieć.',
        body: `<mj-text>{{ greeting }}!</mj-text>
<mj-text>Krótko o tym, jak działa nasz program:<br />
• za każde zakupy dostajesz punkty,<br />
• punkty wymienisz na rabaty i nagrody,<br />
• dodatkowe punkty czekają za opinię o produkcie i w urodziny.</mj-text>
{% if points %}<mj-text>Masz teraz ${points.pl}.</mj-text>{% endif %}
${shopButton('Sprawdź nagrody')}
${signoff.pl}`,
      },
      en: {
        subject: 'How the {{ shop.name }} programme works',
        preheader: 'Three things worth knowing.',
        body: `<mj-text>{{ greeting }}!</mj-text>
<mj-text>Here is how our programme works:<br />
• every purchase earns you points,<br />
• points turn into discounts and rewards,<br />
• there are extra points for a product review and on your birthday.</mj-text>
{% if points %}<mj-text>You have ${points.en} right now.</mj-text>{% endif %}
${shopButton('See the rewards')}
${signoff.en}`,
      },
    },
  },

  'welcome.second_order_coupon': {
    purpose: 'marketing',
    day: 7,
    email: {
      pl: {
        subject: 'Na kolejne zakupy: {{ coupon.discountText }}',
        preheader: 'Twój kod czeka w środku.',
        body: `<mj-text>{{ greeting }}!</mj-text>
<mj-text>Mamy nadzieję, że zamówienie się sprawdza. Na kolejne zakupy w {{ shop.name }} mamy dla Ciebie {{ coupon.discountText }}. Wystarczy podać ten kod przy zamówieniu:</mj-text>
${couponBlock.pl}
${shopButton('Przejdź do sklepu')}
${signoff.pl}`,
      },
      en: {
        subject: 'For your next order: {{ coupon.discountText }}',
        preheader: 'Your code is inside.',
        body: `<mj-text>{{ greeting }}!</mj-text>
<mj-text>We hope you are enjoying your order. For your next one at {{ shop.name }}, here is {{ coupon.discountText }}. Just enter this code at checkout:</mj-text>
${couponBlock.en}
${shopButton('Visit the shop')}
${signoff.en}`,
      },
    },
  },

  'welcome.review_request': {
    purpose: 'feedback',
    day: 14,
    email: {
      pl: {
        subject: 'Co myślisz o {{ shop.name }}?',
        preheader: 'Jedno kliknięcie wystarczy.',
        body: `<mj-text>{{ greeting }}!</mj-text>
<mj-text>Minęły już dwa tygodnie od Twoich pierwszych zakupów w {{ shop.name }}. Chcemy wiedzieć, co o nas myślisz.</mj-text>
${nps.pl}
{% if review %}<mj-text>A jeśli masz chwilę, napisz kilka słów o zakupie – pomożesz innym w wyborze.</mj-text>
<mj-button href="{{ review.url }}">Napisz opinię</mj-button>{% endif %}
${signoff.pl}`,
      },
      en: {
        subject: 'What do you think of {{ shop.name }}?',
        preheader: 'One click is all it takes.',
        body: `<mj-text>{{ greeting }}!</mj-text>
<mj-text>It has been two weeks since your first order at {{ shop.name }}. We would love to know what you think of us.</mj-text>
${nps.en}
{% if review %}<mj-text>And if you have a minute, a few words about your purchase will help others choose.</mj-text>
<mj-button href="{{ review.url }}">Write a review</mj-button>{% endif %}
${signoff.en}`,
      },
    },
  },

  birthday: {
    purpose: 'marketing',
    email: {
      pl: {
        subject: 'Wszystkiego najlepszego od {{ shop.name }}!',
        preheader: 'Mamy dla Ciebie mały prezent.',
        body: `<mj-text>{{ greeting }}!</mj-text>
<mj-text>Z okazji urodzin życzymy Ci wszystkiego dobrego: zdrowia, radości i spełnienia marzeń.</mj-text>
{% if coupon %}<mj-text>W prezencie od nas: {{ coupon.discountText }} z tym kodem:</mj-text>
${couponBlock.pl}{% endif %}
${signoff.pl}`,
      },
      en: {
        subject: 'Happy birthday from {{ shop.name }}!',
        preheader: 'A small gift for you.',
        body: `<mj-text>{{ greeting }}!</mj-text>
<mj-text>Happy birthday! We wish you a wonderful day and a great year ahead.</mj-text>
{% if coupon %}<mj-text>Here is a small gift from us: {{ coupon.discountText }} with this code:</mj-text>
${couponBlock.en}{% endif %}
${signoff.en}`,
      },
    },
    sms: {
      pl: `{{ shop.name }}: Sto lat! {% if coupon %}Z okazji urodzin masz od nas {{ coupon.discountText }} z kodem {{ coupon.code }}{% if coupon.expiresAt %} (do {{ coupon.expiresAt | date: 'short' }}){% endif %}.{% else %}Wszystkiego najlepszego z okazji urodzin!{% endif %}`,
      en: `{{ shop.name }}: Happy birthday! {% if coupon %}Here is {{ coupon.discountText }} with code {{ coupon.code }}{% if coupon.expiresAt %} (until {{ coupon.expiresAt | date: 'short' }}){% endif %}.{% else %}Have a wonderful day!{% endif %}`,
    },
  },

  name_day: {
    purpose: 'marketing',
    email: {
      pl: {
        subject: 'Wszystkiego najlepszego z okazji imienin!',
        preheader: 'Pamiętamy o Twoim święcie.',
        body: `<mj-text>{{ greeting }}!</mj-text>
<mj-text>Dziś Twoje imieniny – życzymy Ci wszystkiego dobrego!</mj-text>
{% if coupon %}<mj-text>Z tej okazji mamy dla Ciebie {{ coupon.discountText }} z tym kodem:</mj-text>
${couponBlock.pl}{% endif %}
${signoff.pl}`,
      },
      en: {
        subject: 'Happy name day!',
        preheader: 'We remembered your day.',
        body: `<mj-text>{{ greeting }}!</mj-text>
<mj-text>It is your name day today – all the best from all of us!</mj-text>
{% if coupon %}<mj-text>To celebrate, here is {{ coupon.discountText }} with this code:</mj-text>
${couponBlock.en}{% endif %}
${signoff.en}`,
      },
    },
    sms: {
      pl: `{{ shop.name }}: Wszystkiego najlepszego z okazji imienin!{% if coupon %} Masz od nas {{ coupon.discountText }} z kodem {{ coupon.code }}.{% endif %}`,
      en: `{{ shop.name }}: Happy name day!{% if coupon %} Here is {{ coupon.discountText }} with code {{ coupon.code }}.{% endif %}`,
    },
  },

  win_back: {
    purpose: 'marketing',
    email: {
      pl: {
        subject: 'Dawno Cię u nas nie było',
        preheader: 'Mamy coś na powrót.',
        body: `<mj-text>{{ greeting }}!</mj-text>
<mj-text>Minęło trochę czasu od Twoich ostatnich zakupów w {{ shop.name }}. Jeśli masz ochotę do nas zajrzeć, mamy dla Ciebie {{ coupon.discountText }}:</mj-text>
${couponBlock.pl}
{% if points and points.available > 0 %}<mj-text>Masz też ${points.pl} do wykorzystania.</mj-text>{% endif %}
${shopButton('Zobacz, co nowego')}
${signoff.pl}`,
      },
      en: {
        subject: 'It has been a while',
        preheader: 'Something to welcome you back.',
        body: `<mj-text>{{ greeting }}!</mj-text>
<mj-text>It has been a while since your last order at {{ shop.name }}. If you feel like dropping by, here is {{ coupon.discountText }}:</mj-text>
${couponBlock.en}
{% if points and points.available > 0 %}<mj-text>You also have ${points.en} to use.</mj-text>{% endif %}
${shopButton('See what is new')}
${signoff.en}`,
      },
    },
  },

  cart_abandoned: {
    purpose: 'marketing',
    email: {
      pl: {
        subject: 'Twój koszyk na Ciebie czeka',
        preheader: 'Zostawiliśmy wszystko tak, jak było.',
        body: `<mj-text>{{ greeting }}!</mj-text>
<mj-text>Twój koszyk w {{ shop.name }} ({{ context.lines.size | plural: 'produkt', 'produkty', 'produktów' }} za {{ context.total | money: context.currency }}) czeka na Ciebie. Jeśli coś przeszkodziło w zamówieniu, możesz wrócić w każdej chwili.</mj-text>
{% for line in context.lines limit: 5 %}<mj-text padding="2px 25px">{{ line.quantity }} × {{ line.name | default: line.productId }}</mj-text>{% endfor %}
{% if context.url %}<mj-button href="{{ context.url }}">Wróć do koszyka</mj-button>{% else %}${shopButton('Wróć do sklepu')}{% endif %}
${signoff.pl}`,
      },
      en: {
        subject: 'Your cart is waiting for you',
        preheader: 'We kept everything as you left it.',
        body: `<mj-text>{{ greeting }}!</mj-text>
<mj-text>Your cart at {{ shop.name }} holds {{ context.lines.size | plural: 'product', 'products' }} worth {{ context.total | money: context.currency }}. If something got in the way, you can pick up where you left off at any time.</mj-text>
{% for line in context.lines limit: 5 %}<mj-text padding="2px 25px">{{ line.quantity }} × {{ line.name | default: line.productId }}</mj-text>{% endfor %}
{% if context.url %}<mj-button href="{{ context.url }}">Back to your cart</mj-button>{% else %}${shopButton('Back to the shop')}{% endif %}
${signoff.en}`,
      },
    },
  },

  points_expiring: {
    purpose: 'loyalty',
    email: {
      pl: {
        subject: 'Twoje punkty niedługo wygasną',
        preheader: 'Wykorzystaj je do {{ points.expiringAt | date }}.',
        body: `<mj-text>{{ greeting }}!</mj-text>
<mj-text>Termin wykorzystania {{ points.expiringAmount | plural: 'punktu', 'punktów', 'punktów' }} z Twojego konta mija {{ points.expiringAt | date }}. Wymień je na rabat lub nagrodę, zanim przepadną.</mj-text>
<mj-text>Masz teraz łącznie ${points.pl}.</mj-text>
${shopButton('Wybierz nagrodę')}
${signoff.pl}`,
      },
      en: {
        subject: 'Your points expire soon',
        preheader: 'Use them by {{ points.expiringAt | date }}.',
        body: `<mj-text>{{ greeting }}!</mj-text>
<mj-text>{{ points.expiringAmount | plural: 'point', 'points' }} on your account will expire on {{ points.expiringAt | date }}. Swap them for a discount or a reward before then.</mj-text>
<mj-text>Your balance is ${points.en}.</mj-text>
${shopButton('Choose a reward')}
${signoff.en}`,
      },
    },
    sms: {
      pl: `{{ shop.name }}: termin na wykorzystanie {{ points.expiringAmount }} pkt mija {{ points.expiringAt | date: 'short' }}. Odbierz za punkty rabat{% if links.shop %}: {{ links.shop }}{% else %}!{% endif %}`,
      en: `{{ shop.name }}: {{ points.expiringAmount | plural: 'point', 'points' }} will expire on {{ points.expiringAt | date: 'short' }}. Swap them for a discount{% if links.shop %}: {{ links.shop }}{% else %}!{% endif %}`,
    },
    push: {
      pl: {
        title: 'Punkty niedługo wygasną',
        body: `Masz {{ points.expiringAmount | plural: 'punkt', 'punkty', 'punktów' }} do wykorzystania do {{ points.expiringAt | date }}.`,
      },
      en: {
        title: 'Your points expire soon',
        body: `Use your {{ points.expiringAmount | plural: 'point', 'points' }} by {{ points.expiringAt | date }}.`,
      },
    },
  },

  tier_upgrade: {
    purpose: 'loyalty',
    email: {
      pl: {
        subject: 'Gratulacje! Masz teraz poziom {{ tier.name }}',
        preheader: 'Nowy poziom to nowe korzyści.',
        body: `<mj-text>{{ greeting }}!</mj-text>
<mj-text>Dziękujemy, że wybierasz {{ shop.name }}. Od dziś masz w naszym programie poziom <strong>{{ tier.name }}</strong>, a z nim nowe korzyści.</mj-text>
{% if tier.nextTierName and tier.toNext %}<mj-text>Do poziomu {{ tier.nextTierName }} brakuje Ci ${toNextTier.pl}.</mj-text>{% endif %}
${shopButton('Zobacz swoje korzyści')}
${signoff.pl}`,
      },
      en: {
        subject: 'Congratulations! You have reached {{ tier.name }}',
        preheader: 'A new level comes with new benefits.',
        body: `<mj-text>{{ greeting }}!</mj-text>
<mj-text>Thank you for choosing {{ shop.name }}. From today you are at the <strong>{{ tier.name }}</strong> level of our programme, with new benefits to match.</mj-text>
{% if tier.nextTierName and tier.toNext %}<mj-text>You are ${toNextTier.en} away from {{ tier.nextTierName }}.</mj-text>{% endif %}
${shopButton('See your benefits')}
${signoff.en}`,
      },
    },
    push: {
      pl: {
        title: 'Nowy poziom: {{ tier.name }}',
        body: 'Gratulacje! Od teraz korzystasz z przywilejów poziomu {{ tier.name }}.',
      },
      en: {
        title: 'You have reached {{ tier.name }}',
        body: 'Congratulations! Your {{ tier.name }} benefits start now.',
      },
    },
  },

  referral_invite: {
    purpose: 'marketing',
    email: {
      pl: {
        subject: 'Poleć {{ shop.name }} znajomym',
        preheader: 'Podziel się swoim linkiem.',
        body: `<mj-text>{{ greeting }}!</mj-text>
<mj-text>Cieszymy się, że lubisz nasze produkty. Jeśli znasz kogoś, komu też by się spodobały, podziel się z tą osobą swoim linkiem.{% if referral.friendRewardText %} Na pierwsze zakupy dostanie {{ referral.friendRewardText }}{% if referral.rewardText %}, a Ty – {{ referral.rewardText }}{% endif %}.{% endif %}</mj-text>
<mj-button href="{{ referral.link }}">Twój link polecający</mj-button>
<mj-text align="center" font-size="14px">Można też podać Twój kod: <strong>{{ referral.code }}</strong></mj-text>
${signoff.pl}`,
      },
      en: {
        subject: 'Share {{ shop.name }} with your friends',
        preheader: 'Pass on your personal link.',
        body: `<mj-text>{{ greeting }}!</mj-text>
<mj-text>We are glad you like what we make. If you know someone who would like it too, share your personal link with them.{% if referral.friendRewardText %} They get {{ referral.friendRewardText }} on their first order{% if referral.rewardText %}, and you get {{ referral.rewardText }}{% endif %}.{% endif %}</mj-text>
<mj-button href="{{ referral.link }}">Your referral link</mj-button>
<mj-text align="center" font-size="14px">They can also enter your code: <strong>{{ referral.code }}</strong></mj-text>
${signoff.en}`,
      },
    },
  },

  referral_thank_you: {
    purpose: 'loyalty',
    email: {
      pl: {
        subject: 'Dziękujemy za polecenie!',
        preheader: 'Ktoś nowy zrobił u nas zakupy dzięki Tobie.',
        body: `<mj-text>{{ greeting }}!</mj-text>
<mj-text>Dzięki Twojemu poleceniu ktoś nowy zrobił właśnie pierwsze zakupy w {{ shop.name }}. Bardzo dziękujemy!</mj-text>
{% if referral.rewardText %}<mj-text>W podziękowaniu dostajesz {{ referral.rewardText }}.</mj-text>{% endif %}
{% if referral.link %}<mj-text>Twój link działa dalej: <a href="{{ referral.link }}">{{ referral.link }}</a></mj-text>{% endif %}
${signoff.pl}`,
      },
      en: {
        subject: 'Thank you for the recommendation!',
        preheader: 'Someone new shopped with us thanks to you.',
        body: `<mj-text>{{ greeting }}!</mj-text>
<mj-text>Thanks to your recommendation, someone new has just placed their first order at {{ shop.name }}. Thank you!</mj-text>
{% if referral.rewardText %}<mj-text>As a thank-you, you get {{ referral.rewardText }}.</mj-text>{% endif %}
{% if referral.link %}<mj-text>Your link still works: <a href="{{ referral.link }}">{{ referral.link }}</a></mj-text>{% endif %}
${signoff.en}`,
      },
    },
  },

  nps_survey: {
    purpose: 'feedback',
    email: {
      pl: {
        subject: 'Jedno pytanie od {{ shop.name }}',
        preheader: 'Odpowiesz jednym kliknięciem.',
        body: `<mj-text>{{ greeting }}!</mj-text>
${nps.pl}
<mj-text>Każda odpowiedź pomaga nam robić to lepiej. Dziękujemy!</mj-text>
${signoff.pl}`,
      },
      en: {
        subject: 'One question from {{ shop.name }}',
        preheader: 'Answer with a single click.',
        body: `<mj-text>{{ greeting }}!</mj-text>
${nps.en}
<mj-text>Every answer helps us do better. Thank you!</mj-text>
${signoff.en}`,
      },
    },
  },

  csat_survey: {
    purpose: 'feedback',
    email: {
      pl: {
        subject:
          'Jak oceniasz {% if order %}zamówienie {{ order.externalId }}{% else %}ostatnie zamówienie{% endif %}?',
        preheader: 'Wybierz ocenę od 1 do 5.',
        body: `<mj-text>{{ greeting }}!</mj-text>
<mj-text>Jak oceniasz {% if order %}zamówienie nr {{ order.externalId }}{% else %}swoje ostatnie zamówienie{% endif %}? Kliknij ocenę:</mj-text>
${scoreLinks('survey.csatUrls', 1)}
<mj-text align="center" font-size="13px" color="#6b7280">1 – bardzo źle, 5 – bardzo dobrze</mj-text>
${signoff.pl}`,
      },
      en: {
        subject:
          'How was {% if order %}order {{ order.externalId }}{% else %}your recent order{% endif %}?',
        preheader: 'Pick a rating from 1 to 5.',
        body: `<mj-text>{{ greeting }}!</mj-text>
<mj-text>How satisfied are you with {% if order %}order no. {{ order.externalId }}{% else %}your recent order{% endif %}? Click a rating:</mj-text>
${scoreLinks('survey.csatUrls', 1)}
<mj-text align="center" font-size="13px" color="#6b7280">1 – very poor, 5 – excellent</mj-text>
${signoff.en}`,
      },
    },
  },

  review_request: {
    purpose: 'feedback',
    email: {
      pl: {
        subject: 'Jak sprawdza się Twój zakup?',
        preheader: 'Twoja opinia pomoże innym w wyborze.',
        body: `<mj-text>{{ greeting }}!</mj-text>
<mj-text>Mamy nadzieję, że zakup{% if order %} z zamówienia nr {{ order.externalId }}{% endif %} się sprawdza. Napiszesz nam kilka słów? Twoja opinia pomoże innym w wyborze, a nam – w dalszej pracy.</mj-text>
<mj-button href="{{ review.url }}">Napisz opinię</mj-button>
${signoff.pl}`,
      },
      en: {
        subject: 'How is your purchase working out?',
        preheader: 'Your review helps others choose.',
        body: `<mj-text>{{ greeting }}!</mj-text>
<mj-text>We hope your purchase{% if order %} from order no. {{ order.externalId }}{% endif %} is working out well. Could you write us a few words? Your review helps others choose, and helps us keep improving.</mj-text>
<mj-button href="{{ review.url }}">Write a review</mj-button>
${signoff.en}`,
      },
    },
  },
};

export const templateKeys = Object.keys(readyTemplates) as TemplateKey[];
