import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { IntlProvider } from 'react-intl';
import { setFieldErrorWording } from '../api/client.ts';
import { fieldErrorWording } from './field-error-wording.ts';
import { useAreaMessages } from './area-store.ts';
import { LOCALES, SHELL_MESSAGES, type Locale } from './messages.ts';

const STORAGE_KEY = 'lojal.locale';

/** The language chosen before (remembered in this browser), else the browser's, else Polish. */
function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved && (LOCALES as string[]).includes(saved)) return saved as Locale;
  const browser = navigator.language.slice(0, 2);
  return browser === 'en' ? 'en' : 'pl';
}

interface LocaleState {
  locale: Locale;
  setLocale: (locale: Locale) => void;
}

const LocaleContext = createContext<LocaleState>({ locale: 'pl', setLocale: () => {} });

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, set] = useState<Locale>(initialLocale);
  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next;
    set(next);
  }, []);
  document.documentElement.lang = locale;
  // Before the pages render: their field errors are said in this language.
  useMemo(() => setFieldErrorWording(fieldErrorWording(locale)), [locale]);
  const state = useMemo(() => ({ locale, setLocale }), [locale, setLocale]);
  const areas = useAreaMessages();
  const messages = useMemo(
    () => (areas ? { ...SHELL_MESSAGES[locale], ...areas[locale] } : SHELL_MESSAGES[locale]),
    [areas, locale],
  );
  return (
    <LocaleContext.Provider value={state}>
      {/* British English: dates as "1 Sept 2026" and times on the 24-hour clock, as in Poland. */}
      <IntlProvider
        locale={locale === 'en' ? 'en-GB' : locale}
        messages={messages}
        defaultLocale="pl"
      >
        {children}
      </IntlProvider>
    </LocaleContext.Provider>
  );
}

export const useLocale = () => useContext(LocaleContext);
