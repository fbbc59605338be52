import { useIntl } from 'react-intl';
import type { ApiError } from '../../api/client.ts';

/** What each field of PATCH /v1/shop needs, said in the interface's language. */
const FIELD_TEXT: Record<string, string> = {
  name: 'settings.error.name',
  currency: 'settings.error.currency',
  timezone: 'settings.error.timezone',
  locale: 'settings.error.locale',
  returnWindowDays: 'settings.error.returnWindow',
  storefrontUrl: 'settings.error.url',
  'brand.logoUrl': 'settings.error.url',
  'brand.primaryColor': 'settings.error.colour',
  'brand.accentColor': 'settings.error.colour',
};

/**
 * The server's field errors (problem+json `errors[].path`) as texts for the fields: the
 * currency of a shop with orders has its own words (409 currency-locked).
 */
export function useFieldErrors(error: ApiError | null) {
  const intl = useIntl();
  return (path: string): string | undefined => {
    if (!error?.fieldError(path)) return undefined;
    if (path === 'currency' && error.code === 'currency-locked')
      return intl.formatMessage({ id: 'settings.error.currencyLocked' });
    const id = FIELD_TEXT[path];
    return id ? intl.formatMessage({ id }) : error.fieldError(path);
  };
}
