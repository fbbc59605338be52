/**
 * An e-mail's HTML as a document for a sandboxed `srcdoc` iframe under the dashboard's CSP.
 *
 * A srcdoc frame inherits the page's policy (`style-src 'self' 'nonce-…'`), which refuses the
 * e-mail's `<style>` elements and `style="…"` attributes. So each `<style>` gets the page's nonce,
 * and each style attribute becomes a rule of one generated class in a nonced `<style>` placed
 * before the e-mail's own: its declarations `!important`, as an inline style beats ordinary rules,
 * while the e-mail's own `!important` rules (MJML's phone-width media queries) come later and still
 * win, as they do over inline styles. Stylesheet links (web fonts) are dropped: the policy would
 * refuse them, and the frame falls back to the next font. The frame runs no script (sandbox).
 */
export function previewDocument(html: string, nonce: string | undefined): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  doc.querySelectorAll('script, link[rel~="stylesheet"], meta[http-equiv], base').forEach((e) => {
    e.remove();
  });
  const rules: string[] = [];
  doc.querySelectorAll<HTMLElement>('[style]').forEach((element, i) => {
    const declarations = (element.getAttribute('style') ?? '')
      .split(';')
      .map((d) => d.trim())
      .filter((d) => d.includes(':'))
      .map((d) => (/!important$/i.test(d) ? d : `${d} !important`));
    element.removeAttribute('style');
    if (declarations.length === 0) return;
    const name = `lj-s${i}`;
    element.classList.add(name);
    rules.push(`.${name}{${declarations.join(';')}}`);
  });
  doc.querySelectorAll('style').forEach((style) => {
    if (nonce) style.setAttribute('nonce', nonce);
  });
  const generated = doc.createElement('style');
  if (nonce) generated.setAttribute('nonce', nonce);
  generated.textContent = rules.join('\n');
  doc.head.prepend(generated);
  return `<!doctype html>\n${doc.documentElement.outerHTML}`;
}

/** The nonce Lojal gave this load of the page (the `csp-nonce` meta element). */
export function pageNonce(): string | undefined {
  return document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce || undefined;
}
