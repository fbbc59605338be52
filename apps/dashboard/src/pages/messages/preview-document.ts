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
 *
 * The HTML is rewritten as text, not through DOMParser: Chromium checks a parsed document's
 * style attributes against the page's policy and reports each one as a violation.
 */
export function previewDocument(html: string, nonce: string | undefined): string {
  const rules: string[] = [];
  const nonceAttr = nonce ? ` nonce="${nonce.replace(/[^\w+/=-]/g, '')}"` : '';
  let body = html
    .replace(/<script\b[\s\S]*?<\/script\s*>/gi, '')
    .replace(/<link\b[^>]*>/gi, '')
    .replace(/<meta\b[^>]*http-equiv[^>]*>/gi, '')
    .replace(/<base\b[^>]*>/gi, '')
    .replace(/<style\b([^>]*)>/gi, (_, attrs: string) => `<style${attrs}${nonceAttr}>`)
    .replace(/<([a-zA-Z][\w:-]*)(\s[^<>]*?)?(\/?)>/g, (tag, name: string, attrs = '', close) => {
      if (/^style$/i.test(name)) return tag;
      const style = /\sstyle\s*=\s*("([^"]*)"|'([^']*)')/i.exec(attrs as string);
      if (!style) return tag;
      const declarations = decodeEntities(style[2] ?? style[3] ?? '')
        .split(';')
        .map((d) => d.trim())
        .filter((d) => d.includes(':'))
        .map((d) => (/!important$/i.test(d) ? d : `${d} !important`));
      let rest = (attrs as string).replace(style[0], '');
      if (declarations.length > 0) {
        const cls = `lj-s${rules.length}`;
        rules.push(`.${cls}{${declarations.join(';')}}`);
        const classAttr = /\sclass\s*=\s*"([^"]*)"/i.exec(rest);
        rest = classAttr
          ? rest.replace(classAttr[0], ` class="${classAttr[1]} ${cls}"`)
          : `${rest} class="${cls}"`;
      }
      return `<${name}${rest}${close as string}>`;
    });
  const generated = `<style${nonceAttr}>${rules.join('\n').replace(/<\//g, '<\\/')}</style>`;
  body = /<head\b[^>]*>/i.test(body)
    ? body.replace(/<head\b[^>]*>/i, (head) => `${head}${generated}`)
    : `${generated}${body}`;
  return /^\s*<!doctype/i.test(body) ? body : `<!doctype html>\n${body}`;
}

/** The few entities a style attribute carries (&quot; around font names, &amp;, &#39;). */
function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The nonce Lojal gave this load of the page (the `csp-nonce` meta element). */
export function pageNonce(): string | undefined {
  return document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce || undefined;
}
