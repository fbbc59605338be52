/**
 * JSON.parse that never loses digits: integers too long to be exact in a double (Shopify ids
 * reach 18 digits, beyond 2^53) arrive as strings of their exact digits; other numbers are
 * plain numbers. It quotes such integers in the text outside string literals, then lets the
 * native parser do the rest, which is several times faster than a parser written in JS.
 */
export function parseJsonLossless(text: string): unknown {
  return JSON.parse(quoteLongIntegers(text));
}

const QUOTE = 34; // "
const BACKSLASH = 92;
const MINUS = 45;
const ZERO = 48;
const NINE = 57;
const SAFE_DIGITS = 15; // every integer of up to 15 digits is exact in a double

function quoteLongIntegers(text: string): string {
  let out: string[] | null = null;
  let copied = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // skip the string literal
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) i += 2;
        else if (d === QUOTE) break;
        else i++;
      }
      i++;
      continue;
    }
    if ((c >= ZERO && c <= NINE) || c === MINUS) {
      const start = i;
      i++;
      while (i < n && text.charCodeAt(i) >= ZERO && text.charCodeAt(i) <= NINE) i++;
      const next = i < n ? text.charCodeAt(i) : 0;
      const isInteger = next !== 46 && next !== 101 && next !== 69; // . e E
      const digits = i - start - (c === MINUS ? 1 : 0);
      if (
        isInteger &&
        digits > SAFE_DIGITS &&
        !Number.isSafeInteger(Number(text.slice(start, i)))
      ) {
        out ??= [];
        out.push(text.slice(copied, start), '"', text.slice(start, i), '"');
        copied = i;
      } else {
        // skip the rest of a non-integer number (fraction, exponent)
        while (i < n && /[0-9.eE+-]/.test(text[i]!)) i++;
      }
      continue;
    }
    i++;
  }
  if (!out) return text;
  out.push(text.slice(copied));
  return out.join('');
}

/** An external id as a string, whatever shape the sender used. */
export function idString(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) {
    return Number.isInteger(value) ? BigInt(value).toString() : String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  return null;
}

/**
 * The dotted path of the first key that appears twice in one object of a valid JSON text
 * (`points`, `data.customer.id`, `lines.0.price`), or null. JSON.parse keeps the last value, and
 * a gateway or a log that reads the first one would see another request than the one applied.
 */
export function duplicateKeyIn(text: string): string | null {
  type Frame = { keys: Set<string> | null; path: string; index: number; key: string | null };
  const stack: Frame[] = [];
  let expectKey = false;
  const childPath = () => {
    const top = stack.at(-1);
    if (!top) return '';
    const step = top.keys ? top.key! : String(top.index);
    return top.path ? `${top.path}.${step}` : step;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      const top = stack.at(-1);
      if (expectKey && top?.keys) {
        const literal = text.slice(i, end + 1);
        const key = literal.includes('\\') ? (JSON.parse(literal) as string) : literal.slice(1, -1);
        top.key = key;
        if (top.keys.has(key)) return childPath();
        top.keys.add(key);
        expectKey = false;
      }
      i = end;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      stack.push({ keys: c === 123 ? new Set() : null, path: childPath(), index: 0, key: null });
      expectKey = c === 123;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      stack.pop();
    } else if (c === 44 /* , */) {
      const top = stack.at(-1);
      if (top?.keys) expectKey = true;
      else if (top) top.index++;
    }
  }
  return null;
}

/** The index of the quote that closes the string literal opening at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    i = quote + 1;
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The dotted path of the first string (or key) holding half of a UTF-16 surrogate pair, as
 * `"\udfff"` in JSON gives, or null. It has no UTF-8 form: PostgreSQL refuses it in JSON and
 * text, and a driver would silently turn it into U+FFFD.
 */
export function loneSurrogatePath(value: unknown, path: string[] = []): string | null {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path.join('.') : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    if (LONE_SURROGATE.test(key)) return [...path, key].join('.');
    const found = loneSurrogatePath(child, [...path, key]);
    if (found !== null) return found;
  }
  return null;
}
