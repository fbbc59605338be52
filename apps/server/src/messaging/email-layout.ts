import type { Locale } from '../shared/i18n.ts';
import type { BrandKit } from './brand-kit.ts';

export interface LayoutText {
  /** Each of these is already a slot (see render-email.ts) or escaped text. */
  title: string;
  preheader: string;
  shopName: string;
  shopAddress?: string;
  logoUrl?: string;
  shopUrl?: string;
  unsubscribeUrl: string;
  preferencesUrl: string;
}

const footerWords: Record<Locale, { preferences: string; unsubscribe: string }> = {
  pl: { preferences: 'Ustawienia wiadomości', unsubscribe: 'Wypisz się' },
  en: { preferences: 'Message preferences', unsubscribe: 'Unsubscribe' },
};

/**
 * Our branded MJML wrapper around a merchant's body: logo or shop name on top, the body on a
 * white card, and a footer with the shop's name and address and the preference and unsubscribe
 * links. `bodyLine` is the document line the body starts on, to report errors in its terms.
 */
export function emailLayout(
  brand: BrandKit,
  locale: Locale,
  text: LayoutText,
  body: string,
): { mjml: string; bodyLine: number } {
  const font = brand.fontFamily.replace(/["<>&]/g, '');
  const logo = text.logoUrl
    ? `<mj-image src="${text.logoUrl}" alt="${text.shopName}" width="160px" padding="8px 24px"${
        text.shopUrl ? ` href="${text.shopUrl}"` : ''
      } />`
    : `<mj-text font-size="20px" font-weight="700" align="center">${text.shopName}</mj-text>`;
  const words = footerWords[locale];
  const address = text.shopAddress ? `<br />${text.shopAddress}` : '';
  const head = `<mjml lang="${locale}">
<mj-head>
<mj-title>${text.title}</mj-title>
<mj-preview>${text.preheader}</mj-preview>
<mj-attributes>
<mj-all font-family="${font}" />
<mj-text color="${brand.textColor}" font-size="16px" line-height="1.55" padding="8px 24px" />
<mj-button background-color="${brand.primaryColor}" color="#ffffff" border-radius="6px" font-size="16px" font-weight="600" padding="16px 24px" />
</mj-attributes>
<mj-style>a { color: ${brand.primaryColor}; }</mj-style>
</mj-head>
<mj-body background-color="${brand.backgroundColor}" width="600px">
<mj-section padding="24px 0 8px"><mj-column>${logo}</mj-column></mj-section>
`;
  const ownSections = /<mj-(section|wrapper|hero)\b/.test(body);
  const open = ownSections
    ? ''
    : '<mj-section background-color="#ffffff" border-radius="8px" padding="16px 0"><mj-column>\n';
  const close = ownSections ? '' : '\n</mj-column></mj-section>';
  const tail = `
<mj-section padding="16px 0 32px"><mj-column>
<mj-text font-size="12px" line-height="1.5" color="#6b7280" align="center">${text.shopName}${address}<br /><a href="${text.preferencesUrl}" style="color:#6b7280">${words.preferences}</a> · <a href="${text.unsubscribeUrl}" style="color:#6b7280">${words.unsubscribe}</a></mj-text>
</mj-column></mj-section>
</mj-body>
</mjml>`;
  const before = head + open;
  return { mjml: before + body + close + tail, bodyLine: before.split('\n').length };
}
