import { defineMessages } from '../define-messages.ts';

/** Onboarding: connect the shop, the first delivery, the programme in plain words. */
export const onboardingMessages = defineMessages(
  {
    'onboarding.title': 'Connect your shop',
    'onboarding.intro':
      'Two steps: tell your shop where to send its orders and customers, then check the programme your customers will get.',
    'onboarding.connect': '1. Send your shop’s orders to Lojal',
    'onboarding.platform': 'Your shop platform',
    'onboarding.other': 'Another system',
    'onboarding.shopify.where':
      'In Shopify: Settings → Notifications → Webhooks → Create webhook. Format JSON, latest API version; one webhook for each topic below, all with this address.',
    'onboarding.woocommerce.where':
      'In WooCommerce: Settings → Advanced → Webhooks → Add webhook. One webhook for each topic below, all with this delivery URL and the secret.',
    'onboarding.woocommerce.version': 'API version: WP REST API Integration v3.',
    'onboarding.webhookUrl': 'Webhook URL',
    'onboarding.topics': 'Topics',
    'onboarding.secret': 'Webhook secret',
    'onboarding.secret.shopify':
      'Shopify signs with its own key: after creating the webhooks, paste the key shown on its Notifications page in Settings → Webhook secret. For a custom app, use a new secret below as the app’s signing key.',
    'onboarding.secret.woocommerce':
      'Paste this secret into the “Secret” field of each webhook. It is shown only once, so Lojal makes a new one for you now (the previous one keeps working for an hour).',
    'onboarding.secret.reveal': 'Make and show a new secret',
    'onboarding.secret.askAdmin':
      'The webhook secret is shown to owners and admins only: ask one of them to finish this step.',
    'onboarding.other.what':
      'Any other shop, POS or your own system sends one event per request to the events API, with an API key:',
    'onboarding.other.curl': 'the curl command',
    'onboarding.other.key':
      'Replace $LOJAL_API_KEY with a key from <link>Settings → API keys</link>.',
    'onboarding.waiting': 'Waiting for the first delivery…',
    'onboarding.received': 'Received ✓',
    'onboarding.receivedWhat': '{topic} from {source}, {at}',
    'onboarding.programme': '2. Your programme in plain words',
    'onboarding.words.spend':
      '{points, plural, one {# point} other {# points}} for every {currency, select, other {{unit}}} spent (after discounts, without shipping).',
    'onboarding.words.minOrder': 'For orders of at least {amount}.',
    'onboarding.words.fixed': '{title}: {points, plural, one {# point} other {# points}}.',
    'onboarding.words.noRules': 'No way to earn points is switched on yet.',
    'onboarding.words.pending':
      'Points can be used {days, plural, one {# day} other {# days}} after the order, once the return window has passed.',
    'onboarding.words.noPending': 'Points can be used right after the order.',
    'onboarding.words.expiry':
      'Points expire {months, plural, one {# month} other {# months}} after they become available.',
    'onboarding.words.noExpiry': 'Points never expire.',
    'onboarding.done': 'Go to Home',
  },
  {
    'onboarding.title': 'Podłącz swój sklep',
    'onboarding.intro':
      'Dwa kroki: wskaż sklepowi, dokąd wysyłać zamówienia i klientów, a potem sprawdź program, który dostaną Twoi klienci.',
    'onboarding.connect': '1. Wysyłaj zamówienia ze sklepu do Lojal',
    'onboarding.platform': 'Platforma Twojego sklepu',
    'onboarding.other': 'Inny system',
    'onboarding.shopify.where':
      'W Shopify: Ustawienia → Powiadomienia → Webhooki → Utwórz webhook. Format JSON, najnowsza wersja API; jeden webhook na każdy temat poniżej, wszystkie z tym adresem.',
    'onboarding.woocommerce.where':
      'W WooCommerce: Ustawienia → Zaawansowane → Webhooki → Dodaj webhook. Jeden webhook na każdy temat poniżej, wszystkie z tym adresem dostarczania i sekretem.',
    'onboarding.woocommerce.version': 'Wersja API: WP REST API Integration v3.',
    'onboarding.webhookUrl': 'Adres webhooka',
    'onboarding.topics': 'Tematy',
    'onboarding.secret': 'Sekret webhooków',
    'onboarding.secret.shopify':
      'Shopify podpisuje własnym kluczem: po utworzeniu webhooków wklej klucz ze strony Powiadomienia w Ustawieniach → Sekret webhooków. Dla własnej aplikacji użyj nowego sekretu poniżej jako klucza podpisu.',
    'onboarding.secret.woocommerce':
      'Wklej ten sekret w pole „Sekret” każdego webhooka. Pokazujemy go tylko raz, więc Lojal utworzy teraz nowy (poprzedni działa jeszcze godzinę).',
    'onboarding.secret.reveal': 'Utwórz i pokaż nowy sekret',
    'onboarding.secret.askAdmin':
      'Sekret webhooków widzą tylko właściciele i administratorzy: poproś jedno z nich o dokończenie tego kroku.',
    'onboarding.other.what':
      'Każdy inny sklep, kasa lub własny system wysyła jedno zdarzenie na żądanie do API zdarzeń, z kluczem API:',
    'onboarding.other.curl': 'polecenie curl',
    'onboarding.other.key':
      'Zamiast $LOJAL_API_KEY wstaw klucz z <link>Ustawienia → Klucze API</link>.',
    'onboarding.waiting': 'Czekamy na pierwsze powiadomienie…',
    'onboarding.received': 'Odebrano ✓',
    'onboarding.receivedWhat': '{topic} z {source}, {at}',
    'onboarding.programme': '2. Twój program w prostych słowach',
    'onboarding.words.spend':
      '{points, plural, one {# punkt} few {# punkty} many {# punktów} other {# punktu}} {currency, select, PLN {za każdą wydaną złotówkę} other {za każde wydane {unit}}} (po rabatach, bez kosztów wysyłki).',
    'onboarding.words.minOrder': 'Dla zamówień od {amount}.',
    'onboarding.words.fixed':
      '{title}: {points, plural, one {# punkt} few {# punkty} many {# punktów} other {# punktu}}.',
    'onboarding.words.noRules': 'Nie włączono jeszcze żadnego sposobu zdobywania punktów.',
    'onboarding.words.pending':
      'Punkty można wykorzystać {days, plural, one {# dzień} few {# dni} many {# dni} other {# dnia}} po zamówieniu, gdy minie czas na zwrot.',
    'onboarding.words.noPending': 'Punkty można wykorzystać zaraz po zamówieniu.',
    'onboarding.words.expiry':
      'Punkty wygasają {months, plural, one {# miesiąc} few {# miesiące} many {# miesięcy} other {# miesiąca}} od chwili, gdy stają się dostępne.',
    'onboarding.words.noExpiry': 'Punkty nie wygasają.',
    'onboarding.done': 'Przejdź do pulpitu',
  },
);
