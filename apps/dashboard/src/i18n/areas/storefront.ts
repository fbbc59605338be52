import { defineMessages } from '../define-messages.ts';

/** Settings → Storefront: the widget's tag, where it may run, the storefront secret. */
export const storefrontMessages = defineMessages(
  {
    'storefront.nav': 'Storefront',
    'storefront.title': 'Storefront widget',
    'storefront.intro':
      'The widget shows shoppers their points, rewards, tier, stamp cards and referral link on your shop’s pages. Install it with one tag; signed-in shoppers need a customer token from your shop’s server.',
    'storefront.install.title': 'Install',
    'storefront.install.text':
      'Put this tag at the end of every page of your shop. For a signed-in shopper, add data-customer-token with a token your server signs with the storefront secret (the install guides in docs/storefront.md show WooCommerce, Shopify, PrestaShop and any site).',
    'storefront.install.tag': 'the widget’s tag',
    'storefront.origins.title': 'Where it may run',
    'storefront.origins.label': 'Your shop’s addresses (one per line)',
    'storefront.origins.hint':
      'Origins only, such as https://sklep.pl — the pages whose widget may read shoppers’ data. Your storefront address ({url}) is always allowed.',
    'storefront.origins.hintNoUrl':
      'Origins only, such as https://sklep.pl — the pages whose widget may read shoppers’ data.',
    'storefront.origins.error':
      'Each line must be an origin such as https://sklep.pl (https; http only for localhost), without a path.',
    'storefront.join.label': 'Where guests join the programme',
    'storefront.join.hint':
      'Your shop’s sign-up page; the widget sends guests there. An https address.',
    'storefront.join.error': 'Needs a full https:// address on a public host.',
    'storefront.secret.title': 'Storefront secret',
    'storefront.secret.text':
      'Your shop’s server signs customer tokens (JWT, HS256) with this secret. Keep it on the server: never in a page or the app.',
    'storefront.secret.make': 'Make the secret',
    'storefront.secret.rotate': 'Make a new secret',
    'storefront.secret.confirmTitle': 'Make a new storefront secret?',
    'storefront.secret.confirmText':
      'Tokens signed with the current secret keep working for one hour; switch your server to the new one before then.',
    'storefront.secret.confirm': 'Make the new secret',
    'storefront.secret.shownOnce': 'Copy the secret now: it is shown this once.',
    'storefront.secret.theSecret': 'the storefront secret',
    'storefront.secret.previousUntil': 'The previous secret keeps working until {at}.',
    'storefront.secret.managersOnly': 'Only owners and admins can make the storefront secret.',
  },
  {
    'storefront.nav': 'Sklep online',
    'storefront.title': 'Widżet w sklepie',
    'storefront.intro':
      'Widżet pokazuje klientom na stronach sklepu ich punkty, nagrody, poziom, karty pieczątek i link polecający. Instaluje się go jednym tagiem; zalogowany klient potrzebuje tokenu z serwera sklepu.',
    'storefront.install.title': 'Instalacja',
    'storefront.install.text':
      'Wstaw ten tag na końcu każdej strony sklepu. Dla zalogowanego klienta dodaj data-customer-token z tokenem, który serwer sklepu podpisuje sekretem sklepu online (instrukcje w docs/storefront.md: WooCommerce, Shopify, PrestaShop i dowolna strona).',
    'storefront.install.tag': 'tag widżetu',
    'storefront.origins.title': 'Gdzie może działać',
    'storefront.origins.label': 'Adresy sklepu (jeden w wierszu)',
    'storefront.origins.hint':
      'Same domeny ze schematem, np. https://sklep.pl — strony, na których widżet może czytać dane klientów. Adres sklepu ({url}) jest zawsze dozwolony.',
    'storefront.origins.hintNoUrl':
      'Same domeny ze schematem, np. https://sklep.pl — strony, na których widżet może czytać dane klientów.',
    'storefront.origins.error':
      'Każdy wiersz to domena ze schematem, np. https://sklep.pl (https; http tylko dla localhost), bez ścieżki.',
    'storefront.join.label': 'Gdzie goście dołączają do programu',
    'storefront.join.hint': 'Strona rejestracji w sklepie; widżet kieruje tam gości. Adres https.',
    'storefront.join.error': 'Potrzebny pełny adres https:// na publicznym serwerze.',
    'storefront.secret.title': 'Sekret sklepu online',
    'storefront.secret.text':
      'Serwer sklepu podpisuje tym sekretem tokeny klientów (JWT, HS256). Trzymaj go na serwerze: nigdy na stronie ani w aplikacji.',
    'storefront.secret.make': 'Utwórz sekret',
    'storefront.secret.rotate': 'Utwórz nowy sekret',
    'storefront.secret.confirmTitle': 'Utworzyć nowy sekret sklepu online?',
    'storefront.secret.confirmText':
      'Tokeny podpisane obecnym sekretem działają jeszcze przez godzinę; do tego czasu przełącz serwer na nowy.',
    'storefront.secret.confirm': 'Utwórz nowy sekret',
    'storefront.secret.shownOnce': 'Skopiuj sekret teraz: pokazujemy go tylko raz.',
    'storefront.secret.theSecret': 'sekret sklepu online',
    'storefront.secret.previousUntil': 'Poprzedni sekret działa do {at}.',
    'storefront.secret.managersOnly': 'Sekret może utworzyć tylko właściciel lub administrator.',
  },
);
