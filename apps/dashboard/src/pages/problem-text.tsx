import { useIntl } from 'react-intl';
import { ApiError } from '../api/client.ts';

/** The words for a failed form submission: the wait of a 429, else the server's detail. */
export function useProblemText() {
  const intl = useIntl();
  return (error: unknown): string => {
    if (!(error instanceof ApiError)) return String(error);
    if (error.status === 429) {
      const seconds = error.retryAfter ?? 60;
      return seconds >= 120
        ? intl.formatMessage(
            { id: 'signIn.throttledMinutes' },
            { minutes: Math.ceil(seconds / 60) },
          )
        : intl.formatMessage({ id: 'signIn.throttled' }, { seconds });
    }
    return error.detail ?? error.title;
  };
}
