import {
  AssertionError,
  CaptureTag,
  Context,
  Liquid,
  toPromise,
  toValue,
  type Emitter,
  type Template,
} from 'liquidjs';
import {
  formatDate,
  formatMoney,
  isLocale,
  plural,
  type DateStyle,
  type Locale,
} from '../shared/i18n.ts';
import { escapeHtml } from './html-escape.ts';
import { renderLimits, TemplateLimitError } from './render-limits.ts';
import { TemplateError } from './template-error.ts';

/** What the filters need to know about the message being rendered; hidden from templates. */
export interface RenderSettings {
  locale: Locale;
  timezone: string;
  currency: string;
  /** Collects HTML outputs as slots (see render-email.ts); absent: outputs are escaped inline. */
  slots?: string[];
}

export const SETTINGS = Symbol('lojal.render-settings');
// The render's output counter, for outputs parked as slots (they never reach the emitter).
const OUTPUT = Symbol('lojal.render-output');
export const SLOT_PREFIX = `LJ${Math.random().toString(36).slice(2, 8).toUpperCase()}_`;
export const SLOT_PATTERN = new RegExp(`${SLOT_PREFIX}(\\d+)_`, 'g');

type Scope = Record<string | symbol, unknown>;
interface FilterThis {
  context: { environments: unknown };
}

function settingsOf(self: FilterThis): RenderSettings {
  return (self.context.environments as Scope)[SETTINGS] as RenderSettings;
}

function stringify(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(stringify).join('');
  return String(value);
}

function isBlank(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    value === false ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  );
}

// Every `{{ … }}` in an email ends here: escaped, then parked as a slot so the MJML around it
// compiles once per template shape rather than once per recipient.
function escapeToSlot(this: FilterThis, value: unknown): string {
  const text = escapeHtml(stringify(value));
  const slots = settingsOf(this)?.slots;
  if (!slots || text === '') return text;
  ((this.context.environments as Scope)[OUTPUT] as BoundedOutput | undefined)?.charge(text.length);
  slots.push(text);
  return `${SLOT_PREFIX}${slots.length - 1}_`;
}

class OutputLimitReached extends Error {}

/** Liquid's own emitter (its `stringify`), counting: past the limit the render stops. */
class BoundedOutput implements Emitter {
  buffer = '';
  private size = 0;

  constructor(private readonly limit: number) {}

  write(html: unknown): void {
    const text = stringifyOutput(html);
    this.charge(text.length);
    this.buffer += text;
  }

  charge(chars: number): void {
    this.size += chars;
    if (this.size > this.limit) throw new OutputLimitReached();
  }
}

function stringifyOutput(value: unknown): string {
  const v = toValue(value);
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(stringifyOutput).join('');
  return String(v);
}

/**
 * `{% capture %}` as Liquid has it, but what it captures counts against the memory limit, as
 * `append` does: captures doubling in a loop would otherwise grow without any bound.
 */
class CaptureWithinMemoryLimit extends CaptureTag {
  override *render(ctx: Context): Generator<unknown, void, string> {
    const captured: Emitter = {
      buffer: '',
      write(html: unknown) {
        const text = stringifyOutput(html);
        ctx.memoryLimit.use(text.length);
        this.buffer += text;
      },
    };
    yield this.liquid.renderer.renderTemplates(this.templates, ctx, captured);
    ctx.bottom()[this.variable] = captured.buffer;
  }
}

function createEngine(outputEscape?: (value: unknown) => string): Liquid {
  const liquid = new Liquid({
    strictFilters: true,
    strictVariables: false,
    outputEscape,
    // No file system: a merchant's template must not {% include %} files from the server.
    templates: {},
    parseLimit: renderLimits.parseChars,
    renderLimit: renderLimits.liquidMs,
    memoryLimit: renderLimits.liquidMemory,
  });
  liquid.registerTag('capture', CaptureWithinMemoryLimit);
  const strftime = liquid.filters['date']!;
  liquid.registerFilter('money', function (this: FilterThis, amount: unknown, currency?: unknown) {
    if (isBlank(amount)) return '';
    const s = settingsOf(this);
    return formatMoney(Number(amount), stringify(currency) || s.currency, s.locale);
  });
  liquid.registerFilter('date', function (this: FilterThis, value: unknown, style?: unknown) {
    if (isBlank(value)) return '';
    // A strftime pattern ("%d.%m") keeps Liquid's own date filter.
    if (typeof style === 'string' && style.includes('%')) {
      return (strftime as (this: FilterThis, v: unknown, f: string) => string).call(
        this,
        value,
        style,
      );
    }
    const s = settingsOf(this);
    const at =
      value === 'now' || value === 'today' ? new Date() : (value as Date | string | number);
    const dateStyle: DateStyle = style === 'short' || style === 'datetime' ? style : 'long';
    return formatDate(at, s.timezone, s.locale, dateStyle);
  });
  liquid.registerFilter(
    'plural',
    function (this: FilterThis, n: unknown, one: unknown, ...rest: unknown[]) {
      const forms = [one, ...rest].map(stringify);
      return plural(settingsOf(this).locale, Number(n), pluralForms(forms));
    },
  );
  liquid.registerFilter('default', (value: unknown, fallback: unknown) =>
    isBlank(value) ? fallback : value,
  );
  return liquid;
}

/**
 * `plural: 'punkt', 'punkty', 'punktów', 'punktu'` (one, few, many, other) for Polish;
 * `plural: 'point', 'points'` (one, other) for English. With three forms, fractions take the third.
 */
function pluralForms(forms: string[]) {
  const [one = '', second, third, fourth] = forms;
  if (third === undefined) return { one, other: second ?? one };
  return { one, few: second!, many: third, other: fourth ?? third };
}

/** Renders merchants' email bodies: every output HTML-escaped. */
export const htmlLiquid = createEngine(escapeToSlot);
/** Renders subjects, plain text, SMS and push: outputs as they are. */
export const textLiquid = createEngine();

const parsed = new WeakMap<Liquid, Map<string, Template[]>>();
const MAX_CACHED = 2_000;

/** The parsed template for a source, cached per engine; syntax errors become a TemplateError. */
export function parseTemplate(liquid: Liquid, source: string): Template[] {
  let cache = parsed.get(liquid);
  if (!cache) parsed.set(liquid, (cache = new Map()));
  let template = cache.get(source);
  if (template) return template;
  try {
    template = liquid.parse(source);
  } catch (error) {
    throw liquidProblem(error);
  }
  // Oldest first out: a Map iterates in insertion order.
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(source, template);
  return template;
}

/**
 * Renders a source within `renderLimits`: at most `outputChars` of output, Liquid's memory
 * count, and the time left until `deadline` (a `performance.now()` value; several fields of one
 * message share one). Past a limit it throws a TemplateLimitError, at once: a loop printing
 * MJML stops at the first character too many instead of building megabytes.
 */
export async function renderLiquid(
  liquid: Liquid,
  source: string,
  variables: object,
  settings: RenderSettings,
  deadline = performance.now() + renderLimits.liquidMs,
): Promise<string> {
  const template = parseTemplate(liquid, source);
  const output = new BoundedOutput(renderLimits.outputChars);
  const scope: Scope = { ...variables, [SETTINGS]: settings, [OUTPUT]: output };
  // What liquid.render() does, with our emitter and the time that is left.
  const renderLimit = Math.max(0, deadline - performance.now());
  const ctx = new Context(scope, liquid.options, { sync: false, renderLimit }, { liquid });
  try {
    return (await toPromise(liquid.renderer.renderTemplates(template, ctx, output))) as string;
  } catch (error) {
    throw limitReached(error) ?? liquidProblem(error);
  }
}

/** The limit a render error comes from, if it comes from one; Liquid wraps it in RenderErrors. */
function limitReached(error: unknown): TemplateLimitError | undefined {
  for (let e = error; e instanceof Error; e = (e as { originalError?: unknown }).originalError) {
    if (e instanceof OutputLimitReached) {
      return new TemplateLimitError({ limit: 'output-size' }, { cause: error });
    }
    if (e instanceof AssertionError && e.message.startsWith('template render limit')) {
      const seconds = renderLimits.liquidMs / 1000;
      return new TemplateLimitError({ limit: 'render-time', seconds }, { cause: error });
    }
    if (
      (e instanceof AssertionError && e.message.startsWith('memory alloc limit')) ||
      (e instanceof RangeError && e.message.startsWith('Invalid string length'))
    ) {
      return new TemplateLimitError({ limit: 'memory' }, { cause: error });
    }
  }
  return undefined;
}

export function settingsFor(
  variables: { shop: { timezone: string; currency: string } },
  locale: Locale,
): RenderSettings {
  if (!isLocale(locale)) throw new TypeError(`Unsupported locale ${String(locale)}`);
  return { locale, timezone: variables.shop.timezone, currency: variables.shop.currency };
}

function liquidProblem(error: unknown): TemplateError {
  const e = error as Error & { token?: { getPosition(): [number, number] } };
  const line = e.token?.getPosition()[0] ?? 0;
  // liquidjs appends ", line:3, col:7" to its messages; the line is reported on its own.
  const message = (e.message ?? String(error)).replace(/, line:\d+, col:\d+$/, '');
  return new TemplateError(`Template error on line ${line}: ${message}`, [{ line, message }], {
    cause: error,
  });
}
