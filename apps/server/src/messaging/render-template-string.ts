import type { Locale } from '../shared/i18n.ts';
import type { BrandKit } from './brand-kit.ts';
import { greeting } from './greeting.ts';
import { renderLiquid, settingsFor, textLiquid } from './liquid-engine.ts';
import type { TemplateVariables } from './template-variables.ts';

/**
 * A Liquid text for SMS or push, not escaped. No-break spaces (which Intl puts in "12,50 zł")
 * become plain spaces: one of them would force a whole SMS into UCS-2. Within `renderLimits`;
 * texts of one message may share a `deadline` (see renderLiquid).
 */
export async function renderTemplateString(
  liquidSource: string,
  variables: TemplateVariables,
  locale: Locale,
  options: { tone?: BrandKit['tone']; deadline?: number } = {},
): Promise<string> {
  const scope = {
    greeting: greeting(locale, options.tone ?? 'friendly', variables.customer?.firstName),
    ...variables,
    locale,
  };
  const text = await renderLiquid(
    textLiquid,
    liquidSource,
    scope,
    settingsFor(variables, locale),
    options.deadline,
  );
  return text.replace(/[\u00a0\u202f]/g, ' ').trim();
}
