import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ChunkContext, Locale } from '../shared/context.ts';
import { money, panelText, plural, type PanelText } from '../shared/messages.ts';

/** What every part of the panel reads: the loader's context, the words, the shop's currency. */
export interface PanelEnv {
  ctx: ChunkContext;
  locale: Locale;
  t: PanelText;
  currency: string;
  /** Says something to screen readers (the panel's one live region). */
  announce(text: string): void;
}

export const Env = createContext<PanelEnv>(null as unknown as PanelEnv);
export const useEnv = () => useContext(Env);

export function makeFormatters(locale: Locale, currency: string) {
  const t = panelText(locale);
  return {
    points: (n: number) => plural(locale, t.points, n),
    money: (minor: number) => money(locale, minor, currency),
  };
}
