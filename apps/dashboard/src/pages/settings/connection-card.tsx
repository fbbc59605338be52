import { useState, type FormEvent, type ReactNode } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { FormattedMessage, useIntl } from 'react-intl';
import { ApiError } from '../../api/client.ts';
import { useProblemText } from '../problem-text.tsx';
import { useDateTime } from './date-time.ts';
import { useConnectionTime } from './connection-time.ts';
import {
  useConnectionActions,
  type Connection,
  type ConnectionPlatform,
  type ConnectionState,
} from './connections-data.ts';
import { SchemaFields } from './schema-fields.tsx';
import { fieldsOf, initialValues, valuesToObject, type FormValues } from './schema-form.ts';
import { ConnectProblem } from './connect-problem.tsx';

/** A darker orange than the palette's darkest (orange 9 is 4.3:1 on white; this is 6.5:1). */
const WARNING = '#a63a0c';
/** Each state's colour, always beside its words (never colour alone). */
const STATE_COLOUR: Record<ConnectionState, string> = {
  active: 'teal.9',
  retrying: WARNING,
  paused: 'gray.7',
  error: 'red.9',
  alert: WARNING,
};
/** The states that need the merchant stand out (filled); the others are outlined. */
const FILLED = new Set<ConnectionState>(['error', 'alert']);

const SHOWN_ERRORS = 5;

function Figure({ label, children }: { label: ReactNode; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={500}>
        {children}
      </Text>
    </div>
  );
}

/** One connection: its state, reads, codes, history import, last errors, and its actions. */
export function ConnectionCard({
  connection: c,
  platform,
  manage,
}: {
  connection: Connection;
  platform: ConnectionPlatform | undefined;
  manage: boolean;
}) {
  const intl = useIntl();
  const time = useConnectionTime();
  const dateTime = useDateTime();
  const problemText = useProblemText();
  const { update, replace, sync, remove } = useConnectionActions(c.id);
  const [removing, setRemoving] = useState(false);
  const [replacing, setReplacing] = useState(false);
  const when = (iso: string | null) =>
    iso ? (
      <time dateTime={iso} title={dateTime(iso)}>
        {time.ago(iso)}
      </time>
    ) : (
      <FormattedMessage id="connections.never" />
    );
  const headingId = `connection-${c.id}`;
  const stateText = intl.formatMessage({ id: `connections.state.${c.state}` });
  const actionError = update.error ?? sync.error;
  const b = c.backfill;

  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      component="article"
      aria-labelledby={headingId}
      data-testid={`connection-${c.platform}`}
    >
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
          <div>
            <Title order={3} size="h4" id={headingId}>
              {c.name}
            </Title>
            <Text size="sm" c="dimmed">
              {c.accountName && (
                <>
                  <FormattedMessage id="connections.account" values={{ name: c.accountName }} />
                  {' · '}
                </>
              )}
              <FormattedMessage id="connections.since" values={{ at: dateTime(c.createdAt) }} />
            </Text>
          </div>
          <Badge
            color={STATE_COLOUR[c.state]}
            variant={FILLED.has(c.state) ? 'filled' : 'outline'}
            size="lg"
            tt="none"
            data-testid="connection-state"
            aria-label={intl.formatMessage({ id: 'connections.stateLabel' }, { state: stateText })}
          >
            {stateText}
          </Badge>
        </Group>

        {c.state === 'error' && c.attention && (
          <Alert color="red" title={intl.formatMessage({ id: 'connections.attention' })}>
            {c.attention}
          </Alert>
        )}
        {c.state === 'alert' && (
          <Alert color="orange">
            <FormattedMessage id="connections.alertText" />
          </Alert>
        )}

        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm" verticalSpacing="xs">
          <Figure label={<FormattedMessage id="connections.lastPull" />}>
            {when(c.pull.lastOkAt)}
          </Figure>
          <Figure label={<FormattedMessage id="connections.lag" />}>
            {c.pull.lagSeconds === null ? (
              '—'
            ) : c.pull.lagSeconds < 60 ? (
              <FormattedMessage id="connections.noLag" />
            ) : (
              time.span(c.pull.lagSeconds)
            )}
          </Figure>
          <Figure label={<FormattedMessage id="connections.nextPull" />}>
            {c.state === 'paused' ? (
              '—'
            ) : c.pull.nextAt && Date.parse(c.pull.nextAt) <= Date.now() ? (
              <FormattedMessage id="connections.due" />
            ) : (
              when(c.pull.nextAt)
            )}
          </Figure>
          <Figure label={<FormattedMessage id="connections.pulled" />}>
            {time.number(c.pull.recordsPulled)}
          </Figure>
          {c.pushCodes && (
            <Figure label={<FormattedMessage id="connections.lastPush" />}>
              {when(c.push.lastOkAt)}
            </Figure>
          )}
        </SimpleGrid>
        {c.pull.failuresInARow > 0 && (
          <Text size="sm" c="red.9">
            <FormattedMessage id="connections.failures" values={{ n: c.pull.failuresInARow }} />
          </Text>
        )}

        <div>
          <Text size="xs" c="dimmed">
            <FormattedMessage id="connections.codes" />
          </Text>
          {c.pushCodes ? (
            <Text size="sm" fw={500} data-testid="connection-codes">
              <FormattedMessage
                id="connections.codes.created"
                values={{ n: c.push.codes.created }}
              />
              {' · '}
              <FormattedMessage
                id="connections.codes.pending"
                values={{ n: c.push.codes.pending }}
              />
              {' · '}
              <Text span inherit c={c.push.codes.failing > 0 ? 'red.9' : undefined}>
                <FormattedMessage
                  id="connections.codes.failing"
                  values={{ n: c.push.codes.failing }}
                />
              </Text>
              {' · '}
              <FormattedMessage
                id="connections.codes.disabled"
                values={{ n: c.push.codes.disabled }}
              />
            </Text>
          ) : (
            <Text size="sm">
              <FormattedMessage id="connections.codesOff" />
            </Text>
          )}
        </div>

        {b && (
          <div data-testid="connection-backfill">
            <Text size="xs" c="dimmed">
              <FormattedMessage id="connections.backfill" />
              {' · '}
              <FormattedMessage id="connections.backfillFrom" values={{ from: dateTime(b.from) }} />
              {' · '}
              <FormattedMessage
                id={b.earnPoints ? 'connections.backfillEarns' : 'connections.backfillNoEarn'}
              />
            </Text>
            {b.doneAt ? (
              <Text size="sm">
                <FormattedMessage
                  id="connections.backfillDone"
                  values={{ at: dateTime(b.doneAt), imported: time.number(b.imported) }}
                />
              </Text>
            ) : (
              <Stack gap={4} mt={4}>
                <Progress
                  value={b.total ? Math.min(100, (b.imported / b.total) * 100) : 0}
                  aria-label={intl.formatMessage({ id: 'connections.backfill' })}
                  aria-valuetext={
                    b.total
                      ? intl.formatMessage(
                          { id: 'connections.backfillProgress' },
                          { imported: time.number(b.imported), total: time.number(b.total) },
                        )
                      : undefined
                  }
                  color="teal.9"
                />
                <Text size="sm">
                  {b.total ? (
                    <FormattedMessage
                      id="connections.backfillProgress"
                      values={{ imported: time.number(b.imported), total: time.number(b.total) }}
                    />
                  ) : (
                    <FormattedMessage
                      id="connections.backfillCount"
                      values={{ imported: time.number(b.imported) }}
                    />
                  )}
                </Text>
              </Stack>
            )}
          </div>
        )}

        <section aria-label={intl.formatMessage({ id: 'connections.errors' })}>
          <Text size="xs" c="dimmed">
            <FormattedMessage id="connections.errors" />
          </Text>
          {c.errors.length === 0 ? (
            <Text size="sm">
              <FormattedMessage id="connections.errorsNone" />
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={480}>
              <Table data-testid="connection-errors" verticalSpacing={4}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">
                      <FormattedMessage id="connections.errorAt" />
                    </Table.Th>
                    <Table.Th scope="col">
                      <FormattedMessage id="connections.errorWhere" />
                    </Table.Th>
                    <Table.Th scope="col">
                      <FormattedMessage id="connections.errorWhat" />
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {c.errors.slice(0, SHOWN_ERRORS).map((e, i) => (
                    <Table.Tr key={`${e.at}-${i}`}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{when(e.at)}</Table.Td>
                      <Table.Td>
                        {intl.messages[`connections.direction.${e.direction}`]
                          ? intl.formatMessage({ id: `connections.direction.${e.direction}` })
                          : e.direction}
                      </Table.Td>
                      <Table.Td style={{ wordBreak: 'break-word' }}>{e.message}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          {c.errors.length > SHOWN_ERRORS && (
            <Text size="xs" c="dimmed">
              <FormattedMessage
                id="connections.errorsMore"
                values={{ n: c.errors.length - SHOWN_ERRORS }}
              />
            </Text>
          )}
        </section>

        {manage && (
          <Group
            gap="xs"
            wrap="wrap"
            role="group"
            aria-label={intl.formatMessage({ id: 'connections.actions' }, { name: c.name })}
          >
            <Button
              size="xs"
              variant="default"
              loading={update.isPending}
              onClick={() => {
                sync.reset();
                update.mutate({ paused: c.state !== 'paused' });
              }}
            >
              <FormattedMessage
                id={c.state === 'paused' ? 'connections.resume' : 'connections.pause'}
              />
            </Button>
            <Button
              size="xs"
              variant="default"
              loading={sync.isPending}
              disabled={c.state === 'paused'}
              onClick={() => {
                update.reset();
                sync.mutate();
              }}
            >
              <FormattedMessage id="connections.sync" />
            </Button>
            {platform && (
              <Button
                size="xs"
                variant="default"
                onClick={() => {
                  replace.reset();
                  setReplacing(true);
                }}
              >
                <FormattedMessage id="connections.replace" />
              </Button>
            )}
            <Button
              size="xs"
              variant="outline"
              color="red.9"
              onClick={() => {
                remove.reset();
                setRemoving(true);
              }}
            >
              <FormattedMessage id="connections.remove" />
            </Button>
          </Group>
        )}
        {replace.isSuccess && (
          <Text size="sm" role="status">
            <FormattedMessage id="connections.replaced" />
          </Text>
        )}
        {sync.isSuccess && (
          <Text size="sm" role="status">
            <FormattedMessage id="connections.syncQueued" />
          </Text>
        )}
        {actionError && (
          <Alert color="red" role="alert">
            {problemText(actionError)}
          </Alert>
        )}
      </Stack>

      <Modal
        opened={removing}
        onClose={() => setRemoving(false)}
        title={intl.formatMessage({ id: 'connections.removeTitle' }, { name: c.name })}
        // No scroll lock: its <style> element would carry no CSP nonce (react-remove-scroll).
        lockScroll={false}
        closeButtonProps={{ 'aria-label': intl.formatMessage({ id: 'connections.cancel' }) }}
      >
        <Stack gap="md">
          <Text size="sm">
            <FormattedMessage id="connections.removeText" values={{ name: c.name }} />
          </Text>
          {remove.error && (
            <Alert color="red" role="alert">
              {problemText(remove.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRemoving(false)}>
              <FormattedMessage id="connections.cancel" />
            </Button>
            <Button
              color="red.9"
              loading={remove.isPending}
              onClick={() => remove.mutate(undefined, { onSuccess: () => setRemoving(false) })}
            >
              <FormattedMessage id="connections.removeConfirm" />
            </Button>
          </Group>
        </Stack>
      </Modal>

      {platform && (
        <Modal
          opened={replacing}
          onClose={() => setReplacing(false)}
          title={intl.formatMessage({ id: 'connections.replaceTitle' }, { name: c.name })}
          lockScroll={false}
          closeButtonProps={{ 'aria-label': intl.formatMessage({ id: 'connections.cancel' }) }}
        >
          {replacing && (
            <ReplaceCredentials
              platform={platform}
              onDone={() => setReplacing(false)}
              save={(credentials, options) => replace.mutate(credentials, options)}
              pending={replace.isPending}
              error={replace.error}
            />
          )}
        </Modal>
      )}
    </Paper>
  );
}

/** New credentials for a connection: the platform's credential fields, tested before saving. */
function ReplaceCredentials({
  platform,
  onDone,
  save,
  pending,
  error,
}: {
  platform: ConnectionPlatform;
  onDone: () => void;
  save: (credentials: Record<string, unknown>, options: { onSuccess: () => void }) => void;
  pending: boolean;
  error: unknown;
}) {
  const fields = fieldsOf(platform.credentials, 'credentials', true);
  const [values, setValues] = useState<FormValues>(() => initialValues(fields));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save(valuesToObject(fields, values), { onSuccess: onDone });
  };
  const apiError = error instanceof ApiError ? error : null;
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">
          <FormattedMessage id="connections.replaceText" values={{ name: platform.name }} />
        </Text>
        {apiError && <ConnectProblem error={apiError} name={platform.name} />}
        <SchemaFields
          fields={fields}
          values={values}
          onChange={(path, value) => setValues((v) => ({ ...v, [path]: value }))}
          error={error}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            <FormattedMessage id="connections.cancel" />
          </Button>
          <Button type="submit" loading={pending}>
            <FormattedMessage id="connections.replaceSave" />
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
