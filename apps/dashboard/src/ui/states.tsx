import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { Alert, Button, Center, Loader, Stack, Text } from '@mantine/core';
import { FormattedMessage, useIntl } from 'react-intl';
import { ApiError } from '../api/client.ts';

/** Loading, error and forbidden, the same on every page. */
export function Loading() {
  const intl = useIntl();
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Loader aria-label={intl.formatMessage({ id: 'app.loading' })} />
    </Center>
  );
}

export function Failure({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (error instanceof ApiError && error.status === 403) return <Forbidden />;
  const detail = error instanceof Error ? error.message : String(error);
  return (
    <Alert color="red" role="alert" title={<FormattedMessage id="app.error" values={{ detail }} />}>
      {onRetry && (
        <Button variant="light" color="red" mt="xs" onClick={onRetry}>
          <FormattedMessage id="app.retry" />
        </Button>
      )}
    </Alert>
  );
}

export function Forbidden() {
  return (
    <Alert color="orange" role="alert" data-testid="forbidden">
      <FormattedMessage id="app.forbidden" />
    </Alert>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return (
    <Stack align="center" py="xl">
      <Text c="dimmed">{children}</Text>
    </Stack>
  );
}

/** A query's loading and error states (403 included), then what its data shows. */
export function Loaded<T>({
  query,
  children,
}: {
  query: UseQueryResult<T>;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <Failure error={query.error} onRetry={() => void query.refetch()} />;
  return <>{children(query.data)}</>;
}
