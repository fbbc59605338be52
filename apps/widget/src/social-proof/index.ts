import type { ChunkContext } from '../shared/context.ts';
import { addStyles } from '../shared/styles.ts';
import css from './social-proof.css';
import { socialProofText } from './texts.ts';

/** Remembered in the visitor's own browser (not a cookie): they asked never to see these. */
export const HIDDEN_KEY = 'lojal:social-proof:hidden';
const SHOW_MS = 7000;
const GAP_MS = 4000;
const FIRST_MS = 2500;

interface Note {
  kind: string;
  text: string;
}

const ICON =
  '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M7 4V2h10v2h3a1 1 0 0 1 1 1v3a5 5 0 0 1-4.1 4.9A5 5 0 0 1 13 15.9V19h4v2H7v-2h4v-3.1A5 5 0 0 1 7.1 12.9 5 5 0 0 1 3 8V5a1 1 0 0 1 1-1h3Zm0 2H5v2a3 3 0 0 0 2 2.8V6Zm10 0v4.8A3 3 0 0 0 19 8V6h-2Z"/></svg>';

/** The product this page is about: `data-lojal-product="…"` anywhere, or a reviews block's. */
export function productOfPage(doc: Document = document): string | null {
  const marked = doc.querySelector<HTMLElement>('[data-lojal-product]');
  const id =
    marked?.dataset.lojalProduct ??
    doc.querySelector<HTMLElement>('[data-lojal-reviews][data-product]')?.dataset.product;
  return id?.trim() || null;
}

function hiddenForGood(): boolean {
  try {
    return localStorage.getItem(HIDDEN_KEY) === '1';
  } catch {
    return false;
  }
}

function hideForGood(): void {
  try {
    localStorage.setItem(HIDDEN_KEY, '1');
  } catch {
    // Private mode without storage: hidden for this page view only.
  }
}

/**
 * Social proof: a small toast at the bottom left ("14 osób kupiło to dziś"), one message at a
 * time, each shown once per page view. A polite live region, so a screen reader mentions it
 * without interrupting; dismissible, and hidden for good when the visitor asks.
 */
async function start(ctx: ChunkContext): Promise<void> {
  const product = productOfPage();
  if (!product || hiddenForGood()) return;
  let notes: Note[];
  try {
    const answer = await ctx.fetchJson<{ messages: Note[] }>(
      `/social-proof?product=${encodeURIComponent(product)}`,
    );
    notes = answer.messages;
  } catch {
    return;
  }
  if (notes.length === 0) return;

  const text = socialProofText(ctx.locale);
  const root = ctx.root('social-proof');
  addStyles(root, css);
  // The live region exists before its text changes, so the change is announced.
  const region = document.createElement('div');
  region.setAttribute('role', 'status');
  region.setAttribute('aria-live', 'polite');
  region.setAttribute('aria-label', text.label);
  const toast = document.createElement('div');
  toast.className = 'toast';
  toast.hidden = true;
  toast.innerHTML = `${ICON}<div class="body"><span class="text"></span><button type="button" class="never"></button></div><button type="button" class="close">×</button>`;
  const message = toast.querySelector<HTMLElement>('.text')!;
  const never = toast.querySelector<HTMLButtonElement>('.never')!;
  const close = toast.querySelector<HTMLButtonElement>('.close')!;
  never.textContent = text.never;
  close.setAttribute('aria-label', text.close);
  region.appendChild(toast);
  root.appendChild(region);

  let timer: ReturnType<typeof setTimeout> | undefined;
  let index = 0;
  let stopped = false;
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    toast.hidden = true;
    message.textContent = '';
  };
  const next = () => {
    if (stopped) return;
    const note = notes[index++];
    if (!note) return stop();
    message.textContent = note.text;
    toast.hidden = false;
    timer = setTimeout(() => {
      // Left alone while pointed at or focused: reading takes the time it takes.
      if (toast.matches(':hover') || toast.contains(root.activeElement)) {
        timer = setTimeout(() => next(), SHOW_MS);
        return;
      }
      toast.hidden = true;
      timer = setTimeout(next, GAP_MS);
    }, SHOW_MS);
  };
  close.addEventListener('click', stop);
  never.addEventListener('click', () => {
    hideForGood();
    stop();
  });
  timer = setTimeout(next, FIRST_MS);
}

window.__lojal?.define('social-proof', (ctx) => {
  void start(ctx);
  return {};
});
