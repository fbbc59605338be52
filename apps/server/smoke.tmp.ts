import { renderEmail } from './src/messaging/render-email.ts';
import { defaultBrandKit } from './src/messaging/brand-kit.ts';
const vars = { shop: { name: 'Sklep Ąę', currency: 'PLN', timezone: 'Europe/Warsaw', url: 'https://sklep.pl' }, customer: { firstName: '<b>Anna</b>', externalId: '1' },
 points: { available: 5, pending: 0 }, links: { preferences: 'https://l.pl/p?a=1&b=2', unsubscribe: 'https://l.pl/u?x=1&y=2' } };
const r = await renderEmail({ template: { subject: '{{ greeting }}, masz {{ points.available | plural: "punkt","punkty","punktów" }}', preheader: 'Pre {{ customer.firstName }}',
 body: `<mj-text>{{ greeting }}! Masz {{ points.available | plural: 'punkt', 'punkty', 'punktów' }} i {{ 1250 | money }}. Do {{ "2025-12-31T12:00:00Z" | date }}</mj-text>
<mj-button href="{{ links.shop | default: shop.url }}">Sklep</mj-button>` }, variables: vars, brand: defaultBrandKit, locale: 'pl',
 footer: { shopName: 'Sklep & Co', shopAddress: 'ul. Długa 1\n00-001 Warszawa', unsubscribeUrl: vars.links.unsubscribe, preferencesUrl: vars.links.preferences },
 tracking: { clickUrl: (u) => 'https://t.lojal/c?u=' + encodeURIComponent(u), openPixelUrl: 'https://t.lojal/o.gif' } });
console.log(r.subject); console.log(r.text); console.log(r.html.length, r.html.match(/href="[^"]*"/g));
let t = performance.now(); const N=2000;
for (let i=0;i<N;i++) await renderEmail({ template: { subject: 'x {{customer.firstName}}', body: '<mj-text>Hi {{ customer.firstName }}</mj-text>' }, variables: {...vars, customer: {firstName: 'A'+i, externalId: String(i)}}, brand: defaultBrandKit, locale: 'pl', footer: { shopName: 'S', unsubscribeUrl: 'https://u/'+i, preferencesUrl: 'https://p' } });
console.log('per sec', N / ((performance.now()-t)/1000));
try { await renderEmail({ template: { subject: 's', body: '<mj-text>ok</mj-text>\n<mj-button color="{{ customer.firstName }}">x</mj-button>\n<mj-text foo="1">x</mj-text>' }, variables: vars, brand: defaultBrandKit, locale: 'pl', footer: { shopName: 'S', unsubscribeUrl: 'https://u', preferencesUrl: 'https://p' } }); } catch (e) { console.log(e.message, e.problems); }
try { await renderEmail({ template: { subject: 's', body: '<mj-text>ok</mj-text>\n<mj-text>x' }, variables: vars, brand: defaultBrandKit, locale: 'pl', footer: { shopName: 'S', unsubscribeUrl: 'https://u', preferencesUrl: 'https://p' } }); } catch (e) { console.log(e.message, e.problems); }
try { await renderEmail({ template: { subject: 's', body: '<mj-text>ok</mj-text>\n{{ x | nope }}' }, variables: vars, brand: defaultBrandKit, locale: 'pl', footer: { shopName: 'S', unsubscribeUrl: 'https://u', preferencesUrl: 'https://p' } }); } catch (e) { console.log(e.message, e.problems); }
