import { SegmentedControl } from '@mantine/core';
import { useIntl } from 'react-intl';
import { useLocale } from '../i18n/locale.tsx';
import type { Locale } from '../i18n/messages.ts';

/** Polski / English, remembered in this browser. */
export function LanguageSwitch() {
  const intl = useIntl();
  const { locale, setLocale } = useLocale();
  return (
    <SegmentedControl
      size="xs"
      aria-label={intl.formatMessage({ id: 'lang.label' })}
      value={locale}
      onChange={(value) => setLocale(value as Locale)}
      data={[
        { value: 'pl', label: <span lang="pl">PL</span> },
        { value: 'en', label: <span lang="en">EN</span> },
      ]}
    />
  );
}
