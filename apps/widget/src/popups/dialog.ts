import type { ChunkContext, FetchError } from '../shared/context.ts';
import { addStyles } from '../shared/styles.ts';
import css from './popups.css';
import { popupText } from './text.ts';
import { markShown, markSignedUp } from './visitor.ts';

/** A pop-up as `GET …/popups` offers it to this visit. */
export interface PopupOffer {
  id: string;
  kind: 'newsletter';
  variant: string;
  locale: 'pl' | 'en';
  content: { title: string; body: string; consentText: string; button: string };
  triggers: { afterSeconds?: number; scrollPercent?: number; exitIntent: boolean };
  frequency: { everyDays: number; perSession: number };
  hasCoupon: boolean;
}

const FOCUSABLE = 'a[href],button:not([disabled]),input:not([disabled]),[tabindex="0"]';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
let styled = false;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The element that had focus before, looking inside shadow roots. */
function focused(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement && active !== document.body ? active : null;
}

/**
 * Shows the pop-up as a modal dialog in the chunk's shadow root: labelled by its title, focus
 * kept inside (Tab goes round), Esc and the close button close it and focus goes back where it
 * was. The form sends the consent text exactly as the label shows it.
 */
export function showPopup(
  ctx: ChunkContext,
  offer: PopupOffer,
  visitorId: string,
  onClosed: () => void,
): HTMLDialogElement {
  const root = ctx.root('popups');
  if (!styled) {
    addStyles(root, css);
    styled = true;
  }
  const t = popupText(offer.locale);
  const opener = focused();
  const c = offer.content;

  const dialog = el('dialog', {
    class: 'popup',
    lang: offer.locale,
    'aria-labelledby': 'lojal-popup-title',
    'data-popup': offer.id,
  });
  const close = el('button', { type: 'button', class: 'close', 'aria-label': t.close }, '×');
  const title = el('h2', { id: 'lojal-popup-title' }, c.title);
  dialog.append(close, title);
  if (c.body) {
    dialog.append(el('p', { id: 'lojal-popup-body' }, c.body));
    dialog.setAttribute('aria-describedby', 'lojal-popup-body');
  }

  const form = el('form', { novalidate: '' });
  const emailLabel = el('label', { class: 'field', for: 'lojal-popup-email' }, t.email);
  const email = el('input', {
    id: 'lojal-popup-email',
    type: 'email',
    name: 'email',
    autocomplete: 'email',
    required: '',
    'aria-describedby': 'lojal-popup-error',
  });
  const consentRow = el('div', { class: 'consent' });
  const consent = el('input', {
    id: 'lojal-popup-consent',
    type: 'checkbox',
    required: '',
    'aria-describedby': 'lojal-popup-error',
  });
  const consentLabel = el('label', { for: 'lojal-popup-consent' }, c.consentText);
  consentRow.append(consent, consentLabel);
  const error = el('p', { id: 'lojal-popup-error', class: 'error', role: 'alert' });
  const submit = el('button', { type: 'submit', class: 'submit' }, c.button);
  form.append(emailLabel, email, consentRow, error, submit);
  dialog.append(form);

  function finish() {
    if (dialog.open) dialog.close();
    dialog.remove();
    if (opener?.isConnected) opener.focus();
    onClosed();
  }
  close.addEventListener('click', finish);
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    finish();
  });
  dialog.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab') return;
    const items = Array.from(dialog.querySelectorAll<HTMLElement>(FOCUSABLE));
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    const active = root.activeElement;
    if (event.shiftKey && (active === first || !dialog.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !dialog.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  });

  // One key per address, so a retry after a network failure is the same sign-up.
  const attempt = Math.random().toString(36).slice(2);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const address = email.value.trim();
    const badEmail = !EMAIL.test(address);
    email.setAttribute('aria-invalid', String(badEmail));
    consent.setAttribute('aria-invalid', String(!consent.checked));
    if (badEmail || !consent.checked) {
      error.textContent = badEmail ? t.badEmail : t.noConsent;
      (badEmail ? email : consent).focus();
      return;
    }
    error.textContent = '';
    submit.disabled = true;
    submit.textContent = t.sending;
    ctx
      .fetchJson(`/popups/${encodeURIComponent(offer.id)}/sign-ups`, {
        method: 'POST',
        headers: { 'idempotency-key': `${attempt}-${address.toLowerCase()}` },
        json: {
          email: address,
          variant: offer.variant,
          consentText: consentLabel.textContent ?? '',
          page: location.origin + location.pathname,
          locale: offer.locale,
          visitorId,
        },
      })
      .then(() => {
        markSignedUp(offer.id, Date.now());
        const done = el('div', { class: 'done' });
        const doneTitle = el('h2', { id: 'lojal-popup-done', tabindex: '-1' }, t.doneTitle);
        done.append(doneTitle, el('p', {}, t.doneText(address)));
        if (offer.hasCoupon) done.append(el('p', {}, t.doneCoupon));
        const ok = el('button', { type: 'button', class: 'submit' }, t.close);
        ok.addEventListener('click', finish);
        done.append(ok);
        title.remove();
        dialog.querySelector('#lojal-popup-body')?.remove();
        dialog.removeAttribute('aria-describedby');
        dialog.setAttribute('aria-labelledby', 'lojal-popup-done');
        form.replaceWith(done);
        doneTitle.focus();
      })
      .catch((failure: FetchError) => {
        submit.disabled = false;
        submit.textContent = c.button;
        const emailWrong =
          failure.status === 400 &&
          (failure.problem as { errors?: Array<{ path: string }> } | null)?.errors?.some(
            (e) => e.path === 'email',
          );
        error.textContent = emailWrong ? t.badEmail : t.failed;
        if (emailWrong) email.setAttribute('aria-invalid', 'true');
      });
  });

  root.append(dialog);
  dialog.showModal();
  email.focus();
  markShown(offer.id, Date.now());
  ctx
    .fetchJson(`/popups/${encodeURIComponent(offer.id)}/impressions`, {
      method: 'POST',
      json: { visitorId, variant: offer.variant },
    })
    .catch(() => undefined);
  return dialog;
}
