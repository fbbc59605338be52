import { createIntl } from 'react-intl';
import type { FieldError } from '../api/client.ts';
import { SHELL_MESSAGES, type Locale } from './messages.ts';

/**
 * A server field error said in the dashboard's language, from its facts (the issue, bound and
 * format); the server's own message when the facts do not say it (a rule of the route's own,
 * in English).
 */
export function fieldErrorWording(locale: Locale): (error: FieldError) => string {
  const intl = createIntl({ locale, messages: SHELL_MESSAGES[locale] });
  const say = (id: string, values?: Record<string, string | number>) =>
    intl.formatMessage({ id }, values);
  return (error) => {
    const on = error.origin === 'string' || error.origin === 'array' ? error.origin : 'number';
    switch (error.code) {
      case 'too_small':
        if (error.minimum === undefined) break;
        if (on !== 'number') return say(`fieldError.tooSmall.${on}`, { n: error.minimum });
        return say(error.exclusive ? 'fieldError.moreThan' : 'fieldError.atLeast', {
          n: error.minimum,
        });
      case 'too_big':
        if (error.maximum === undefined) break;
        if (on !== 'number') return say(`fieldError.tooBig.${on}`, { n: error.maximum });
        return say(error.exclusive ? 'fieldError.lessThan' : 'fieldError.atMost', {
          n: error.maximum,
        });
      case 'invalid_format':
        if (error.format === 'email') return say('fieldError.email');
        if (error.format === 'url') return say('fieldError.url');
        if (error.format === 'date' || error.format === 'datetime') return say('fieldError.date');
        break;
      case 'invalid_type':
        return say('fieldError.required');
      case 'invalid_value':
        if (error.values?.length) {
          return say('fieldError.oneOf', { values: error.values.map(String).join(', ') });
        }
        break;
    }
    return error.message;
  };
}
