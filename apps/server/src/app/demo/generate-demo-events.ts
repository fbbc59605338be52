import type { ApiEvent } from '../../ingest/api-event.ts';

/** A small deterministic random source (mulberry32), so every demo shop looks the same. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST_NAMES = [
  'Anna',
  'Katarzyna',
  'Maria',
  'Małgorzata',
  'Agnieszka',
  'Barbara',
  'Ewa',
  'Zofia',
  'Julia',
  'Magdalena',
  'Piotr',
  'Krzysztof',
  'Andrzej',
  'Tomasz',
  'Paweł',
  'Michał',
  'Jan',
  'Marcin',
  'Jakub',
  'Łukasz',
];
const LAST_NAMES = [
  'Nowak',
  'Kowalski',
  'Wiśniewski',
  'Wójcik',
  'Kowalczyk',
  'Kamiński',
  'Lewandowski',
  'Zieliński',
  'Szymański',
  'Woźniak',
  'Dąbrowski',
  'Kozłowski',
  'Jankowski',
  'Mazur',
  'Krawczyk',
];
/** A Polish surname agrees with the person: Anna Kowalska, Jan Kowalski; Nowak stays Nowak. */
export function surnameOf(firstName: string, surname: string): string {
  const woman = firstName.endsWith('a');
  return woman && /(ski|cki|dzki)$/.test(surname) ? `${surname.slice(0, -1)}a` : surname;
}

const PRODUCTS = [
  { id: 'kawa-etiopia-250', name: 'Kawa Etiopia 250 g', category: 'kawa', price: 4900 },
  { id: 'kawa-brazylia-1kg', name: 'Kawa Brazylia 1 kg', category: 'kawa', price: 12900 },
  { id: 'kawa-kolumbia-250', name: 'Kawa Kolumbia 250 g', category: 'kawa', price: 4500 },
  { id: 'herbata-sencha', name: 'Herbata Sencha 100 g', category: 'herbata', price: 3200 },
  { id: 'herbata-earl-grey', name: 'Herbata Earl Grey 100 g', category: 'herbata', price: 2800 },
  { id: 'drip-v60', name: 'Drip V60', category: 'akcesoria', price: 8900 },
  { id: 'mlynek-reczny', name: 'Młynek ręczny', category: 'akcesoria', price: 24900 },
  { id: 'kubek-ceramiczny', name: 'Kubek ceramiczny', category: 'akcesoria', price: 5900 },
  { id: 'filtry-100', name: 'Filtry papierowe 100 szt.', category: 'akcesoria', price: 1900 },
  { id: 'czekolada-gorzka', name: 'Czekolada gorzka 70%', category: 'slodycze', price: 1500 },
];

export interface DemoOptions {
  customers: number;
  /** The end of the simulated year. */
  until: Date;
  seed?: number;
}

/**
 * A year of a small coffee shop's e-commerce: customers arrive through the year, buy at
 * individual rates (gamma-distributed) and drop out after any purchase (beta-distributed
 * probability), as in the BG/NBD model, so repeat rates and recency look like a real shop's.
 * Some orders use discount codes, a few are refunded or cancelled, a few are guest checkouts.
 */
export function generateDemoEvents({ customers, until, seed = 2026 }: DemoOptions): ApiEvent[] {
  const random = seededRandom(seed);
  const day = 86_400_000;
  const start = until.getTime() - 365 * day;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const gamma = (shape: number, scale: number): number => {
    // Marsaglia–Tsang, with the shape < 1 boost
    if (shape < 1) return gamma(shape + 1, scale) * Math.pow(random(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      if (Math.log(random() || 1e-12) < 0.5 * x * x + d - d * v + d * Math.log(v))
        return d * v * scale;
    }
  };
  const beta = (a: number, b: number) => {
    const x = gamma(a, 1);
    return x / (x + gamma(b, 1));
  };

  const events: ApiEvent[] = [];
  let orderNo = 1000;
  for (let i = 1; i <= customers; i++) {
    const firstName = pick(FIRST_NAMES);
    const lastName = surnameOf(firstName, pick(LAST_NAMES));
    const customerId = `demo-c${i}`;
    const email = `${ascii(firstName)}.${ascii(lastName)}${i}@example.pl`.toLowerCase();
    const joined = start + random() * 340 * day;
    const customer = {
      id: customerId,
      email,
      firstName,
      lastName,
      birthday: `19${60 + Math.floor(random() * 40)}-${pad(1 + Math.floor(random() * 12))}-${pad(1 + Math.floor(random() * 28))}`,
      acceptsMarketing: { email: random() < 0.6, sms: random() < 0.25 },
    };
    events.push({
      type: 'customer.created',
      id: customerId,
      occurredAt: iso(joined),
      data: customer,
    });

    const ratePerDay = gamma(0.9, 1 / 45); // mean one order every ~50 days among the active
    const dropout = beta(1.2, 3.5);
    const guest = random() < 0.05;
    let t = joined + random() * 2 * day;
    while (t < until.getTime()) {
      orderNo++;
      const lines = Array.from({ length: 1 + Math.floor(gamma(1.2, 1)) }, () => {
        const product = pick(PRODUCTS);
        return {
          productId: product.id,
          sku: product.id.toUpperCase(),
          categoryIds: [product.category],
          quantity: random() < 0.8 ? 1 : 2,
          price: product.price,
        };
      });
      const subtotal = lines.reduce((sum, l) => sum + l.price * l.quantity, 0);
      const coded = random() < 0.15;
      const discount = coded ? Math.round(subtotal * 0.1) : 0;
      const shipping = subtotal >= 15000 ? 0 : 1499;
      const orderId = `demo-${orderNo}`;
      events.push({
        type: 'order.paid',
        id: orderId,
        occurredAt: iso(t + 60_000),
        data: {
          id: orderId,
          customer: guest ? null : { id: customerId, email },
          currency: 'PLN',
          total: subtotal - discount + shipping,
          subtotal: subtotal - discount,
          shipping,
          discount,
          discountCodes: coded ? [pick(['WITAJ10', 'KAWA10', 'LATO10'])] : [],
          lines,
          createdAt: iso(t),
        },
      });
      const fate = random();
      if (fate < 0.03) {
        events.push({
          type: 'order.cancelled',
          id: `${orderId}-cancel`,
          occurredAt: iso(t + day),
          data: { orderId },
        });
      } else if (fate < 0.08) {
        const amount = Math.min(subtotal - discount, lines[0]!.price);
        events.push({
          type: 'order.refunded',
          id: `${orderId}-r1`,
          occurredAt: iso(t + 5 * day),
          data: { orderId, refundId: `${orderId}-r1`, amount, currency: 'PLN' },
        });
      } else if (t + 2 * day < until.getTime()) {
        events.push({
          type: 'order.fulfilled',
          id: `${orderId}-f`,
          occurredAt: iso(t + 2 * day),
          data: { orderId, fulfilledAt: iso(t + 2 * day) },
        });
      }
      if (random() < dropout) break;
      t += Math.max(day, (-Math.log(random() || 1e-12) / ratePerDay) * day);
    }
  }
  return events.sort((a, b) => (a.occurredAt ?? '').localeCompare(b.occurredAt ?? ''));
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function ascii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L');
}
