import type { ReactNode } from 'react';
import { Alert, Text } from '@mantine/core';
import { FormattedMessage, useIntl } from 'react-intl';
import type { ApiError } from '../../api/client.ts';
import { useProblemText } from '../problem-text.tsx';

/** The paths the connect form shows at a field of its own. */
const AT_A_FIELD = /^(credentials|settings|backfill|pushCodes)(\.|$)/;

/**
 * Why connecting failed, beside the form: the platform's own reason when it refused the
 * credentials or the address (422 connection-auth / -address), a second connection (409), and
 * "check the marked fields" when the fields say it themselves.
 */
export function ConnectProblem({ error, name }: { error: ApiError; name: string }) {
  const intl = useIntl();
  const problemText = useProblemText();
  // The server says "<Platform>: <reason>"; the title already names the platform.
  const reason = (error.detail ?? error.title).replace(new RegExp(`^${name}:\\s*`), '');
  const titled = (titleId: string, body: ReactNode) => (
    <Alert color="red" role="alert" title={intl.formatMessage({ id: titleId }, { name })}>
      {body}
    </Alert>
  );
  switch (error.code) {
    case 'connection-auth':
      return titled('connections.problem.auth', <PlatformSays reason={reason} />);
    case 'connection-address':
      return titled('connections.problem.address', <PlatformSays reason={reason} />);
    case 'connection-unavailable':
    case 'connection-rate-limited':
    case 'connection-bad-response':
    case 'connection-refused':
      return titled('connections.problem.unavailable', <PlatformSays reason={reason} />);
    case 'platform-not-available':
      return titled('connections.problem.notAvailable', null);
  }
  if (error.status === 409) {
    return titled(
      'connections.problem.conflict',
      <FormattedMessage id="connections.problem.conflictText" />,
    );
  }
  if (error.status === 403) {
    return (
      <Alert color="red" role="alert">
        <FormattedMessage id="app.forbidden" />
      </Alert>
    );
  }
  if (error.errors.length > 0) {
    const elsewhere = error.errors.filter((e) => !AT_A_FIELD.test(e.path));
    return (
      <Alert color="red" role="alert">
        <FormattedMessage id="connections.fixFields" />
        {elsewhere.map((e) => (
          <Text size="sm" key={e.path}>
            {e.path}: {e.message}
          </Text>
        ))}
      </Alert>
    );
  }
  return (
    <Alert color="red" role="alert">
      {problemText(error)}
    </Alert>
  );
}

function PlatformSays({ reason }: { reason: string }) {
  return (
    <Text size="sm" data-testid="platform-reason">
      <FormattedMessage id="connections.problem.reason" values={{ reason }} />
    </Text>
  );
}
