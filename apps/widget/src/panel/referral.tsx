import { useRef } from 'preact/hooks';
import type { Referral as ReferralInfo } from './api-types.ts';
import { CopyButton } from './copy-button.tsx';
import { useEnv } from './state.ts';

const CHANNELS = ['whatsapp', 'messenger', 'sms', 'email'] as const;

/**
 * The customer's referral link, to copy or to share through the usual apps with the ready
 * message the server wrote for each (in the shopper's language, with the link in it).
 */
export function Referral({ referral }: { referral: ReferralInfo }) {
  const { t } = useEnv();
  const input = useRef<HTMLInputElement>(null);
  const share = referral.share ?? [];
  // The message as a friend reads it in a chat (the copy channel's is only "shop: link").
  const message = (share.find((m) => m.channel === 'whatsapp') ?? share[0])?.text ?? null;
  const links = CHANNELS.flatMap((channel) => {
    const url = share.find((m) => m.channel === channel)?.url;
    return url ? [{ channel, name: t.share[channel], url }] : [];
  });
  return (
    <section aria-labelledby="lojal-refer">
      <h3 id="lojal-refer">{t.referTitle}</h3>
      {referral.discount ? <p>{t.friendDiscount(referral.discount)}</p> : null}
      {message ? (
        <blockquote class="message small" data-testid="share-message">
          {message}
        </blockquote>
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
      {links.length ? (
        <>
          <p class="small muted" id="lojal-share">
            {t.shareVia}
          </p>
          <ul class="share" aria-labelledby="lojal-share">
            {links.map((link) => (
              <li key={link.channel}>
                <a
                  class="btn"
                  href={link.url}
                  target="_blank"
                  rel="noopener noreferrer"
                  data-channel={link.channel}
                >
                  {link.name}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
