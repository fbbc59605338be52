import type { Brand, Locale } from '../shared/context.ts';
import { launcherText } from '../shared/messages.ts';
import { addStyles, brandStyle } from '../shared/styles.ts';
import { hostRoot } from './host.ts';
import css from './launcher.css';

const GIFT =
  '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M20 7h-2.2A3 3 0 0 0 12 3.8 3 3 0 0 0 6.2 7H4a1 1 0 0 0-1 1v3a1 1 0 0 0 1 1v8a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-8a1 1 0 0 0 1-1V8a1 1 0 0 0-1-1Zm-5-2a1 1 0 1 1 0 2h-2a2 2 0 0 1 2-2ZM9 5a2 2 0 0 1 2 2H9a1 1 0 1 1 0-2Zm-4 4h6v2H5V9Zm1 4h5v6H6v-6Zm7 6v-6h5v6h-5Zm6-8h-6V9h6v2Z"/></svg>';

/**
 * The launcher: one button, fixed in the corner. Pointing at it or focusing it fetches the
 * panel's chunk; activating it opens the panel.
 */
export function showLauncher(
  locale: Locale,
  brand: Brand,
  onIntent: () => void,
  onOpen: (button: HTMLButtonElement) => void,
): HTMLButtonElement {
  const root = hostRoot('launcher');
  addStyles(root, css);
  brandStyle(root.host as HTMLElement, brand);
  const text = launcherText(locale);
  const button = document.createElement('button');
  button.type = 'button';
  button.setAttribute('aria-haspopup', 'dialog');
  button.setAttribute('aria-label', text.label);
  button.innerHTML = `${GIFT}<span></span>`;
  button.lastElementChild!.textContent = text.open;
  button.addEventListener('pointerenter', onIntent, { once: true });
  button.addEventListener('focus', onIntent, { once: true });
  button.addEventListener('click', () => {
    onIntent();
    onOpen(button);
  });
  root.appendChild(button);
  return button;
}
