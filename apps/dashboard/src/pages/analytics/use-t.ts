import { useIntl } from 'react-intl';

/** `t('analytics.x', values)`: the area's texts in the chosen language. */
export function useT() {
  const intl = useIntl();
  return (id: string, values?: Record<string, string | number>) =>
    intl.formatMessage({ id }, values);
}
