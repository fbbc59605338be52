import { render } from 'preact';
import type { ChunkContext, PanelApi } from '../shared/context.ts';
import { panelText } from '../shared/messages.ts';
import { addStyles, brandStyle } from '../shared/styles.ts';
import { PanelApp } from './app.tsx';
import css from './panel.css';

interface HeaderProps {
  title: string;
  logo: string | null;
  closeLabel: string;
  onClose?: () => void;
}

function Header({ title, logo, closeLabel, onClose }: HeaderProps) {
  return (
    <header class="head">
      {logo && /^https:\/\//.test(logo) ? <img class="logo" src={logo} alt="" /> : null}
      <h2 id="lojal-title">{title}</h2>
      {onClose ? (
        <button type="button" class="close" aria-label={closeLabel} onClick={onClose}>
          <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path
              d="M6 6l12 12M18 6 6 18"
              stroke="currentColor"
              stroke-width="2.2"
              stroke-linecap="round"
            />
          </svg>
        </button>
      ) : null}
    </header>
  );
}

const FOCUSABLE = 'a[href],button:not([disabled]),input,summary,[tabindex]:not([tabindex="-1"])';

/**
 * The panel chunk: the programme and the customer's account, as a modal dialog over the shop's
 * page (opened by the launcher), or full size inside an element of a page (the portal).
 */
function definePanel(ctx: ChunkContext): PanelApi {
  let dialog: HTMLDialogElement | null = null;
  let opener: HTMLElement | null = null;
  let opened = 0;
  let logo: string | null = ctx.brand.logoUrl;
  const t = panelText(ctx.locale);

  function draw() {
    if (!dialog) return;
    const host = dialog.getRootNode() as ShadowRoot;
    render(
      <PanelApp
        ctx={ctx}
        opened={opened}
        onBrand={(p) => {
          brandStyle(host.host as HTMLElement, p.shop.brand);
          if (p.shop.brand?.logoUrl !== logo) {
            logo = p.shop.brand?.logoUrl ?? null;
            draw();
          }
        }}
        header={(title) => (
          <Header title={title} logo={logo} closeLabel={t.close} onClose={close} />
        )}
      />,
      dialog,
    );
  }

  function make(): HTMLDialogElement {
    const root = ctx.root('panel');
    addStyles(root, css);
    const made = document.createElement('dialog');
    made.className = 'panel';
    made.setAttribute('aria-labelledby', 'lojal-title');
    made.addEventListener('cancel', (event) => {
      event.preventDefault();
      close();
    });
    // Clicking the backdrop (outside the panel's box) closes it.
    made.addEventListener('click', (event) => {
      if (event.target === made) {
        const r = made.getBoundingClientRect();
        const { clientX: x, clientY: y } = event;
        if (x < r.left || x > r.right || y < r.top || y > r.bottom) close();
      }
    });
    // Tab and Shift+Tab go round inside the dialog.
    made.addEventListener('keydown', (event) => {
      if (event.key !== 'Tab') return;
      const items = Array.from(made.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
        (el) => el.offsetParent !== null,
      );
      const first = items[0];
      const last = items[items.length - 1];
      const active = root.activeElement;
      if (!first || !last) return;
      if (event.shiftKey && (active === first || !made.contains(active))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && active === last) {
        event.preventDefault();
        first.focus();
      }
    });
    root.appendChild(made);
    return made;
  }

  function open(from?: HTMLElement | null) {
    opener = from ?? null;
    dialog ??= make();
    opened += 1;
    draw();
    if (!dialog.open) dialog.showModal();
    opener?.setAttribute('aria-expanded', 'true');
    dialog.querySelector<HTMLElement>('.close')?.focus();
  }

  function close() {
    if (!dialog?.open) return;
    dialog.close();
    opener?.setAttribute('aria-expanded', 'false');
    opener?.focus();
  }

  function mount(target: Element) {
    const root = target.shadowRoot ?? target.attachShadow({ mode: 'open' });
    addStyles(root, css);
    const page = document.createElement('div');
    page.className = 'page';
    root.appendChild(page);
    const draw = () =>
      render(
        <PanelApp
          ctx={ctx}
          opened={1}
          onBrand={(p) => {
            brandStyle(target as HTMLElement, p.shop.brand);
            if (p.shop.brand?.logoUrl !== logo) {
              logo = p.shop.brand?.logoUrl ?? null;
              draw();
            }
          }}
          header={(title) => <Header title={title} logo={logo} closeLabel={t.close} />}
        />,
        page,
      );
    draw();
  }

  return { open, close, mount };
}

window.__lojal?.define('panel', definePanel);
