import type { useIntl } from 'react-intl';

/** A template's name in the interface's language; a key without one as it is. */
export function templateName(intl: ReturnType<typeof useIntl>, key: string): string {
  const id = `messages.template.${key}`;
  return intl.messages[id] ? intl.formatMessage({ id }) : key;
}
