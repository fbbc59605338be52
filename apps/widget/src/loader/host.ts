/**
 * A chunk's own element on the page: `<lojal-NAME>` (a custom element name, so the shop's
 * `div { … }` rules never match it), fixed so it takes no place in the page's layout, with an
 * open shadow root that the shop's style sheets cannot reach. Its inline `!important` styles
 * win over the shop's `* { … !important }`.
 */
const HOST_STYLE =
  'all:initial!important;position:fixed!important;z-index:2147483000!important;' +
  'display:block!important;width:0!important;height:0!important;top:auto;left:auto;' +
  'overflow:visible!important;contain:none!important';

export function hostRoot(name: string): ShadowRoot {
  const tag = `lojal-${name.replace(/[^a-z0-9-]/g, '')}`;
  let host = document.querySelector(tag);
  if (!host) {
    host = document.createElement(tag);
    host.setAttribute('style', HOST_STYLE);
    document.body.appendChild(host);
  }
  return host.shadowRoot ?? host.attachShadow({ mode: 'open' });
}
