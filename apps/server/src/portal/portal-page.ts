import { escapeHtml } from '../messaging/html-escape.ts';
import type { Locale } from '../shared/i18n.ts';
import { PORTAL_TEXT, scriptText } from './portal-text.ts';

export interface PortalShop {
  id: string;
  name: string;
  slug: string;
  logoUrl: string | null;
}

/**
 * The customer portal, one page in two states: `home` (`/p/{shop}`: the sign-in form, or the
 * customer's panel once signed in: the widget's panel in page mode, then the customer's data) and `enter` (`/p/{shop}/enter#token`: the mailed link, whose
 * token the script posts to the storefront API and then forgets). The portal token lives in
 * sessionStorage only — never a cookie or localStorage — so it ends with the tab. Everything is
 * built by the script with textContent from the storefront API's JSON; the server puts in only
 * escaped text and the page's settings as a JSON data block.
 */
export function portalPage(page: {
  locale: Locale;
  shop: PortalShop;
  mode: 'home' | 'enter';
  /** The widget loader's address (`/widget.js`), when the widget is built. */
  widget?: string | null;
}): string {
  const t = PORTAL_TEXT[page.locale];
  const e = escapeHtml;
  const home = `/p/${encodeURIComponent(page.shop.slug)}`;
  const config = {
    mode: page.mode,
    shopId: page.shop.id,
    locale: page.locale,
    api: `/storefront/v1/shops/${encodeURIComponent(page.shop.id)}`,
    home,
    // The widget's loader, in page mode; null draws the programme with this page's own script.
    widget: page.widget ?? null,
    text: scriptText(page.locale),
  };
  // A JSON block is data, not script; "<" written as \u003c so no text can close the element.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  const logo = page.shop.logoUrl
    ? `<img class="logo" src="${e(page.shop.logoUrl)}" alt="${e(page.shop.name)}">`
    : `<span class="shop-name">${e(page.shop.name)}</span>`;
  return `<!doctype html>
<html lang="${page.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${e(t.title(page.shop.name))}</title>
<style>${PORTAL_STYLE}</style>
</head>
<body>
<header class="top">
<a class="home" href="${e(home)}">${logo}</a>
<button type="button" id="sign-out" class="quiet" hidden>${e(t.signOut)}</button>
</header>
<main>
<section id="sign-in" hidden aria-labelledby="sign-in-heading">
<h1 id="sign-in-heading">${e(t.signInHeading)}</h1>
<p>${e(t.signInLead)}</p>
<form id="sign-in-form" novalidate>
<label for="email">${e(t.emailLabel)}</label>
<input id="email" name="email" type="email" autocomplete="email" inputmode="email" required maxlength="254" aria-describedby="sign-in-status">
<button type="submit" id="send">${e(t.send)}</button>
</form>
<p id="sign-in-status" class="status" role="status"></p>
</section>
<section id="enter" hidden aria-labelledby="enter-heading">
<h1 id="enter-heading">${e(t.entering)}</h1>
<p><a id="ask-again" class="button" href="${e(home)}" hidden>${e(t.askAgain)}</a></p>
</section>
<section id="panel" hidden></section>
<noscript><p>${e(page.locale === 'pl' ? 'Konto działa z włączonym JavaScriptem.' : 'Your account needs JavaScript.')}</p></noscript>
</main>
<script type="application/json" id="portal-config">${json}</script>
<script>${PORTAL_SCRIPT}</script>
</body>
</html>
`;
}

// The portal's one script; the pages' Content-Security-Policy allows exactly this text by its
// hash. It builds every element with textContent (nothing the API returns is parsed as HTML),
// talks only to Lojal's own storefront API, and keeps the portal token in sessionStorage.
export const PORTAL_SCRIPT = `
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('portal-config').textContent);
  var t = config.text;
  var storeKey = 'lojal-portal:' + config.shopId;
  var intl = config.locale === 'pl' ? 'pl-PL' : 'en-GB';
  var rules = new Intl.PluralRules(intl);
  var numbers = new Intl.NumberFormat(intl);
  var dates = new Intl.DateTimeFormat(intl, { day: 'numeric', month: 'long', year: 'numeric' });

  function byId(id) { return document.getElementById(id); }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === 'text') node.textContent = value;
      else if (name === 'class') node.className = value;
      else node.setAttribute(name, value === true ? '' : value);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }
  function points(n) {
    var forms = t.plural.points;
    return numbers.format(n) + '\\u00a0' + (forms[rules.select(n)] || forms.other);
  }
  function day(iso) { return dates.format(new Date(iso)); }
  function fill(template, values) {
    return template.replace(/\\{(\\w+)\\}/g, function (all, name) { return name in values ? values[name] : all; });
  }
  function token() { try { return sessionStorage.getItem(storeKey); } catch (e) { return null; } }
  function keep(value) {
    try {
      if (value) sessionStorage.setItem(storeKey, value);
      else sessionStorage.removeItem(storeKey);
    } catch (e) { /* storage refused: the panel works until the page closes */ }
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return String(Date.now()) + String(Math.random()).slice(2);
  }
  function call(method, path, body, options) {
    options = options || {};
    var headers = { accept: 'application/json', 'accept-language': config.locale };
    if (body !== undefined) headers['content-type'] = 'application/json';
    var signedIn = token();
    if (signedIn && !options.guest) headers.authorization = 'Bearer ' + signedIn;
    if (options.idempotent) headers['idempotency-key'] = newKey();
    return fetch(config.api + path, {
      method: method,
      headers: headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store'
    });
  }
  function problemCode(response) {
    return response.json().then(function (p) {
      return String((p && p.type) || '').split('/').pop();
    }, function () { return ''; });
  }
  function show(id) {
    ['sign-in', 'enter', 'panel'].forEach(function (name) { byId(name).hidden = name !== id; });
    byId('sign-out').hidden = id !== 'panel';
  }
  function copyButton(label, value) {
    var status = el('span', { class: 'status', role: 'status' });
    var button = el('button', { type: 'button', class: 'quiet', text: label });
    button.addEventListener('click', function () {
      var done = function () { status.textContent = t.copied; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(value).then(done, function () { status.textContent = value; });
      } else {
        status.textContent = value;
      }
    });
    return el('span', { class: 'copy' }, [button, status]);
  }

  // Signing in: the address goes to the storefront API, which answers 202 whoever it is.
  function signIn(message) {
    show('sign-in');
    document.title = t.signInHeading;
    byId('sign-in-status').textContent = message || '';
  }
  byId('sign-in-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var input = byId('email');
    var button = byId('send');
    var status = byId('sign-in-status');
    var email = input.value.trim();
    if (!email || !input.checkValidity()) {
      input.setAttribute('aria-invalid', 'true');
      status.textContent = t.invalidEmail;
      input.focus();
      return;
    }
    input.removeAttribute('aria-invalid');
    button.disabled = true;
    status.textContent = t.sending;
    call('POST', '/portal/sign-in-links', { email: email, locale: config.locale }, { guest: true, idempotent: true })
      .then(function (response) {
        button.disabled = false;
        if (response.status === 202) { status.textContent = t.sent; return; }
        status.textContent = response.status === 429 ? t.tooMany
          : response.status === 400 ? t.invalidEmail : t.failed;
      }, function () {
        button.disabled = false;
        status.textContent = t.failed;
      });
  });

  // The mailed link: its token is in the fragment, which never reaches a server or a Referer.
  function enter() {
    show('enter');
    var link = location.hash.slice(1);
    history.replaceState(null, '', location.pathname);
    function refuse(message) {
      byId('enter-heading').textContent = message;
      document.title = message;
      byId('ask-again').hidden = false;
    }
    if (!link) { refuse(t.linkUnknown); return; }
    call('POST', '/portal/sessions', { token: link }, { guest: true }).then(function (response) {
      if (response.status === 201) {
        return response.json().then(function (session) {
          keep(session.token);
          location.replace(config.home);
        });
      }
      return problemCode(response).then(function (code) {
        refuse(code === 'sign-in-link-used' ? t.linkUsed
          : code === 'sign-in-link-expired' ? t.linkExpired
          : response.status === 429 ? t.tooMany : t.linkUnknown);
      });
    }).catch(function () { refuse(t.failed); });
  }

  // The panel: the greeting, the widget's panel in page mode (the customer's programme), then
  // their data. Without the widget (not built, blocked), the page shows the programme itself.
  function panel() {
    show('panel');
    var root = byId('panel');
    root.textContent = '';
    root.appendChild(el('p', { text: t.loading, role: 'status' }));
    call('GET', '/me').then(function (response) {
      if (response.status === 401 || response.status === 404) { keep(null); signIn(t.sessionEnded); return; }
      if (!response.ok) throw new Error(String(response.status));
      return response.json().then(function (me) {
        root.textContent = '';
        // The widget greets by name; the page's heading names the page.
        document.title = t.helloAnonymous;
        root.appendChild(el('h1', { text: t.helloAnonymous, tabindex: '-1' }));
        var programme = el('div', { id: 'portal-panel', class: 'programme' });
        root.appendChild(programme);
        root.appendChild(dataSection());
        root.querySelector('h1').focus();
        mountWidget(programme, me);
      });
    }).catch(function () {
      root.textContent = '';
      root.appendChild(el('p', { class: 'error', role: 'alert', text: t.failed }));
    });
  }

  function mountWidget(target, me) {
    var fallback = function () {
      target.textContent = '';
      call('GET', '/me/history?limit=20').then(function (response) {
        return response.ok ? response.json() : null;
      }, function () { return null; }).then(function (history) { render(target, me, history); });
    };
    if (!config.widget) { fallback(); return; }
    var script = document.createElement('script');
    script.src = config.widget;
    script.async = true;
    script.setAttribute('data-shop', config.shopId);
    script.setAttribute('data-customer-token', token() || '');
    script.setAttribute('data-mode', 'page');
    script.setAttribute('data-target', '#portal-panel');
    script.setAttribute('data-locale', config.locale);
    script.addEventListener('error', fallback);
    document.body.appendChild(script);
  }

  function section(title, children) {
    return el('section', { class: 'card' }, [el('h2', { text: title })].concat(children));
  }

  // The programme drawn by the page itself, when the widget cannot be loaded.
  function render(root, me, history) {
    var name = me.customer && me.customer.firstName;
    if (name) root.appendChild(el('p', { class: 'hello', text: fill(t.hello, { name: name }) }));
    var p = me.points || {};
    var pointsParts = [el('p', { class: 'balance', text: points(p.available || 0) })];
    (p.pendingLots || []).forEach(function (lot) {
      pointsParts.push(el('p', { class: 'note', text: fill(t.pending, { date: day(lot.availableAt), points: points(lot.points) }) }));
    });
    (p.expiringSoon || []).forEach(function (lot) {
      pointsParts.push(el('p', { class: 'note', text: fill(t.expiring, { date: day(lot.expiresAt), points: points(lot.points) }) }));
    });
    root.appendChild(section(t.points, pointsParts));

    if (me.tier) {
      var tierParts = [el('p', { class: 'tier', text: me.tier.current ? me.tier.current.name : t.noTier })];
      if (me.tier.next && me.tier.next.text) tierParts.push(el('p', { class: 'note', text: me.tier.next.text }));
      root.appendChild(section(t.tier, tierParts));
    }

    var rewards = me.rewards || [];
    var rewardList = el('ul', { class: 'list' });
    rewards.forEach(function (reward) {
      var result = el('div', { class: 'result', role: 'status' });
      var action = reward.available
        ? el('button', { type: 'button', text: t.redeem })
        : el('span', { class: 'note', text: fill(t.missing, { points: points(reward.missingPoints || 0) }) });
      if (reward.available) {
        action.addEventListener('click', function () {
          action.disabled = true;
          call('POST', '/me/redemptions', { rewardId: reward.id }, { idempotent: true }).then(function (response) {
            if (!response.ok) throw new Error(String(response.status));
            return response.json().then(function (redemption) {
              result.textContent = '';
              var code = redemption.coupon && redemption.coupon.code;
              if (code) {
                result.appendChild(el('span', { text: t.yourCode + ' ' }));
                result.appendChild(el('code', { text: code }));
                result.appendChild(copyButton(t.copyCode, code));
                if (redemption.coupon.applyUrl) {
                  result.appendChild(el('a', { href: redemption.coupon.applyUrl, text: t.apply, rel: 'noopener' }));
                }
              }
            });
          }).catch(function () { action.disabled = false; result.textContent = t.failed; });
        });
      }
      rewardList.appendChild(el('li', {}, [
        el('div', { class: 'row' }, [
          el('div', {}, [
            el('strong', { text: reward.name }),
            el('div', { class: 'note', text: points(reward.pointsCost) }),
          ]),
          action,
        ]),
        result,
      ]));
    });
    root.appendChild(section(t.rewards, rewards.length ? [rewardList] : [el('p', { class: 'note', text: t.noRewards })]));

    if ((me.stampCards || []).length) {
      root.appendChild(section(t.stampCards, me.stampCards.map(function (card) {
        return el('p', {}, [
          el('strong', { text: card.name + ': ' }),
          el('span', { text: card.stamps + ' / ' + card.stampsRequired + ' ' + t.stamps }),
        ]);
      })));
    }

    if ((me.coupons || []).length) {
      root.appendChild(section(t.coupons, [el('ul', { class: 'list' }, me.coupons.map(function (coupon) {
        return el('li', {}, [
          el('code', { text: coupon.code }),
          coupon.expiresAt ? el('span', { class: 'note', text: ' ' + t.validUntil + ' ' + day(coupon.expiresAt) }) : null,
          coupon.applyUrl ? el('a', { href: coupon.applyUrl, text: ' ' + t.apply, rel: 'noopener' }) : null,
        ]);
      }))]));
    }

    if (me.referral && me.referral.link) {
      root.appendChild(section(t.referral, [
        el('p', { text: t.referralLead }),
        el('p', {}, [el('code', { class: 'link', text: me.referral.link })]),
        copyButton(t.copyLink, me.referral.link),
      ]));
    }

    var entries = (history && history.data) || [];
    root.appendChild(section(t.history, entries.length ? [el('ul', { class: 'list history' }, entries.map(function (entry) {
      return el('li', { class: 'row' }, [
        el('span', {}, [el('span', { text: entry.text }), el('span', { class: 'note', text: ' · ' + day(entry.at) })]),
        el('strong', { class: entry.points < 0 ? 'minus' : 'plus', text: (entry.points > 0 ? '+' : '') + points(entry.points) }),
      ]);
    }))] : [el('p', { class: 'note', text: t.noHistory })]));
  }

  function dataSection() {
    var status = el('p', { class: 'status', role: 'status' });
    var preferences = el('a', { href: '#', id: 'preferences', text: t.preferences });
    preferences.addEventListener('click', function (event) {
      event.preventDefault();
      call('GET', '/me/preferences-link').then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      }).then(function (link) { location.assign(link.url); })
        .catch(function () { status.textContent = t.failed; });
    });
    var download = el('button', { type: 'button', class: 'quiet', text: t.download });
    download.addEventListener('click', function () {
      status.textContent = t.downloading;
      call('GET', '/me/export').then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.blob();
      }).then(function (blob) {
        var url = URL.createObjectURL(blob);
        var a = el('a', { href: url, download: 'my-data.json' });
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
        status.textContent = '';
      }).catch(function () { status.textContent = t.failed; });
    });
    var erase = el('button', { type: 'button', class: 'danger-quiet', text: t.deleteAccount, 'aria-expanded': 'false', 'aria-controls': 'delete-confirm' });
    var confirmButton = el('button', { type: 'button', class: 'danger', text: t.deleteConfirm });
    var cancel = el('button', { type: 'button', class: 'quiet', text: t.cancel });
    var confirmBox = el('div', { id: 'delete-confirm', class: 'confirm', hidden: true, role: 'group', 'aria-label': t.deleteAccount }, [
      el('p', { text: t.deleteWarning }),
      el('div', { class: 'row start' }, [confirmButton, cancel]),
    ]);
    erase.addEventListener('click', function () {
      confirmBox.hidden = false;
      erase.setAttribute('aria-expanded', 'true');
      cancel.focus();
    });
    cancel.addEventListener('click', function () {
      confirmBox.hidden = true;
      erase.setAttribute('aria-expanded', 'false');
      erase.focus();
    });
    confirmButton.addEventListener('click', function () {
      confirmButton.disabled = true;
      call('POST', '/me/erasure', { confirm: true }, { idempotent: true }).then(function (response) {
        if (response.status !== 202) throw new Error(String(response.status));
        keep(null);
        var root = byId('panel');
        root.textContent = '';
        root.appendChild(el('section', { class: 'card' }, [
          el('h1', { text: t.deletedHeading, tabindex: '-1' }),
          el('p', { role: 'status', text: t.deleted }),
        ]));
        document.title = t.deletedHeading;
        byId('sign-out').hidden = true;
        root.querySelector('h1').focus();
      }).catch(function () { confirmButton.disabled = false; status.textContent = t.failed; });
    });
    return section(t.yourData, [
      el('p', {}, [preferences]),
      el('div', { class: 'row start' }, [download, erase]),
      confirmBox,
      status,
    ]);
  }

  // Signing out forgets the token and starts the page afresh (the widget keeps its own state).
  byId('sign-out').addEventListener('click', function () {
    keep(null);
    location.replace(config.home);
  });

  if (config.mode === 'enter') enter();
  else if (token()) panel();
  else signIn('');
})();
`;

/** The portal's style sheet; the Content-Security-Policy allows it by its hash. */
export const PORTAL_STYLE = `
*{box-sizing:border-box}
[hidden]{display:none!important}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;color:#1d2327;background:#eef3f1;margin:0}
.top{display:flex;align-items:center;justify-content:space-between;gap:1rem;max-width:44rem;margin:0 auto;padding:1rem}
.home{color:inherit;text-decoration:none}
.logo{display:block;max-height:2.5rem;max-width:10rem}
.shop-name{font-weight:700;font-size:1.15rem}
main{max-width:44rem;margin:0 auto;padding:0 1rem 2rem}
main>section:not(.card){background:#fff;border-radius:14px;padding:1.5rem;box-shadow:0 2px 14px rgba(0,0,0,.06)}
#panel{background:none;box-shadow:none;padding:0}
h1{font-size:1.6rem;line-height:1.25;margin:0 0 1rem;overflow-wrap:anywhere}
h1:focus{outline:none}
h2{font-size:1.05rem;margin:0 0 .5rem;color:#3a4449}
.card{background:#fff;border-radius:14px;padding:1.25rem 1.5rem;margin:0 0 1rem;box-shadow:0 2px 14px rgba(0,0,0,.06)}
#portal-panel{display:block;margin:0 0 1rem}
.balance{font-size:2rem;font-weight:800;color:#17594a;margin:0}
.hello{font-size:1.2rem;font-weight:700;margin:0 0 1rem}
.tier{font-size:1.25rem;font-weight:700;margin:0}
.note{color:#4a5358;font-size:.95rem;margin:.25rem 0 0}
.list{list-style:none;margin:0;padding:0}
.list>li{padding:.75rem 0;border-top:1px solid #e4e9e7}
.list>li:first-child{border-top:0;padding-top:0}
.row{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.75rem}
.row.start{justify-content:flex-start}
.history .row,.history li{gap:.5rem}
.plus{color:#17594a;white-space:nowrap}
.minus{color:#8a1c1c;white-space:nowrap}
.result:empty{display:none}
.result{margin-top:.5rem;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-weight:700;font-size:1.05rem;overflow-wrap:anywhere}
code.link{font-weight:400;font-size:.95rem}
label{display:block;font-weight:600;margin:1rem 0 .35rem}
input[type=email]{width:100%;font:inherit;padding:.65rem .75rem;border:1px solid #6b7478;border-radius:8px;min-height:2.75rem}
input[aria-invalid]{border-color:#a00000}
button,.button{font:inherit;display:inline-block;min-height:2.75rem;padding:.55rem 1.1rem;border:2px solid #1f6f5c;border-radius:8px;background:#1f6f5c;color:#fff;font-weight:600;cursor:pointer;text-decoration:none}
form button{margin-top:1rem}
button:disabled{opacity:.6;cursor:default}
button.quiet{background:#fff;color:#17594a}
button.danger-quiet{background:#fff;color:#8a1c1c;border-color:#8a1c1c}
button.danger{background:#8a1c1c;border-color:#8a1c1c}
.confirm{margin-top:1rem;padding:1rem;border:2px solid #8a1c1c;border-radius:10px;background:#fff7f7}
.status{font-weight:600;color:#17594a}
.status:empty{display:none}
.error{color:#a00000;font-weight:700}
.copy{display:inline-flex;flex-wrap:wrap;gap:.5rem;align-items:center}
a{color:#17594a}
:focus-visible{outline:3px solid #0b3d31;outline-offset:2px}
`;
