import { useRef } from 'preact/hooks';
import type { Me } from './api-types.ts';
import { CopyButton } from './copy-button.tsx';
import { useEnv } from './state.ts';

/** The customer's referral link, to copy or to share through the usual apps. */
export function Referral({ referral }: { referral: NonNullable<Me['referral']> }) {
  const { t } = useEnv();
  const input = useRef<HTMLInputElement>(null);
  const message = referral.shareMessage?.includes(referral.link)
    ? referral.shareMessage
    : `${referral.shareMessage ?? ''} ${referral.link}`.trim();
  const text = encodeURIComponent(message);
  const links = [
    { name: t.share.whatsapp, href: `https://wa.me/?text=${text}` },
    {
      name: t.share.messenger,
      href: `fb-messenger://share/?link=${encodeURIComponent(referral.link)}`,
    },
    { name: t.share.sms, href: `sms:?&body=${text}` },
    {
      name: t.share.email,
      href: `mailto:?subject=${encodeURIComponent(t.shareSubject)}&body=${text}`,
    },
  ];
  return (
    <section aria-labelledby="lojal-refer">
      <h3 id="lojal-refer">{t.referTitle}</h3>
      {referral.shareMessage ? (
        <p>{referral.shareMessage.replace(referral.link, '').trim()}</p>
      ) : null}
      <label class="small" for="lojal-ref-link">
        {t.referLink}
      </label>
      <div class="copy-row">
        <input
          id="lojal-ref-link"
          ref={input}
          readOnly
          value={referral.link}
          onFocus={(e) => e.currentTarget.select()}
        />
        <CopyButton text={referral.link} label={t.copy} input={() => input.current} primary />
      </div>
      <p class="small muted" id="lojal-share">
        {t.shareVia}
      </p>
      <ul class="share" aria-labelledby="lojal-share">
        {links.map((link) => (
          <li key={link.name}>
            <a class="btn" href={link.href} target="_blank" rel="noopener noreferrer">
              {link.name}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
