import type { Locale } from '../shared/i18n.ts';
import { compileMjml } from '../messaging/compile-mjml.ts';
import { escapeHtml } from '../messaging/html-escape.ts';
import type { VoucherFacts } from './voucher-pdf.ts';
import { voucherTexts } from './voucher-texts.ts';

/** The head the gift card e-mails share: the title, one font, the text's colour and spacing. */
export function mjmlHead(title: string): string {
  return `<mj-head><mj-title>${escapeHtml(title)}</mj-title>
<mj-attributes><mj-all font-family="Helvetica, Arial, sans-serif" />
<mj-text color="#1d2327" font-size="16px" line-height="1.55" padding="8px 24px" /></mj-attributes>
</mj-head>`;
}

/**
 * The voucher e-mail: who it is for, the value, the buyer's message, the code and PIN, and a
 * button to the balance page; the printable voucher goes with it as a PDF. Every value is
 * escaped; the layout is fixed (a transactional e-mail, not a merchant's template).
 */
export async function voucherEmail(
  facts: VoucherFacts,
  locale: Locale,
): Promise<{ subject: string; html: string; text: string }> {
  const t = voucherTexts[locale];
  const shop = facts.brand.shopName;
  const intro = facts.recipientName
    ? t.introNamed(facts.recipientName, shop, facts.amount)
    : t.intro(shop, facts.amount);
  const e = escapeHtml;
  const until = facts.validUntil ? t.validUntil(facts.validUntil) : t.noExpiry;
  const message = facts.message
    ? `<mj-text font-size="14px" color="#4a545e">${e(t.messageFrom)}</mj-text>
<mj-text font-style="italic">${e(t.quote(facts.message))}</mj-text>`
    : '';
  const mjml = `<mjml lang="${locale}">
${mjmlHead(t.subject(shop))}
<mj-body background-color="#f4f4f2" width="600px">
<mj-section background-color="${facts.brand.primary}" padding="20px 0"><mj-column>
<mj-text align="center" color="${facts.brand.onPrimary}" font-size="22px" font-weight="700">${e(shop)}</mj-text>
</mj-column></mj-section>
<mj-section background-color="#ffffff" padding="16px 0"><mj-column>
<mj-text>${e(intro)}</mj-text>
${message}
<mj-text font-size="14px" color="#4a545e">${e(t.code)}</mj-text>
<mj-text font-size="24px" font-weight="700" letter-spacing="1px">${e(facts.code)}</mj-text>
<mj-text>${e(t.pin)}: <strong>${e(facts.pin)}</strong></mj-text>
<mj-text font-size="14px" color="#4a545e">${e(until)}. ${e(t.howTo(shop))}</mj-text>
<mj-text font-size="14px">${e(t.attached)}</mj-text>
<mj-button background-color="${facts.brand.primary}" color="${facts.brand.onPrimary}" href="${e(facts.balanceUrl)}">${e(t.checkBalance)}</mj-button>
</mj-column></mj-section>
</mj-body></mjml>`;
  const result = await compileMjml(mjml);
  if ('problems' in result) {
    throw new Error(`voucher e-mail: ${result.problems.map((p) => p.message).join('; ')}`);
  }
  const text = [
    intro,
    facts.message ? `${t.messageFrom}\n${t.quote(facts.message)}` : null,
    `${t.code}: ${facts.code}`,
    `${t.pin}: ${facts.pin}`,
    `${until}. ${t.howTo(shop)}`,
    t.attached,
    `${t.checkBalance}: ${facts.balanceUrl}`,
  ]
    .filter((line): line is string => line !== null)
    .join('\n\n');
  return { subject: t.subject(shop), html: result.html, text };
}
