import { useState } from 'react';
import { Alert, Button, Grid, Group, NavLink, Paper, Stack, Text, Title } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { FormattedMessage, useIntl } from 'react-intl';
import { useShop } from '../../layout/shop-context.ts';
import { Empty, Failure, Loading } from '../../ui/states.tsx';
import { useDateTime } from '../settings/date-time.ts';
import { MailFrame } from './mail-frame.tsx';
import { MessagesFrame } from './messages-frame.tsx';
import { loadOutbox, loadOutboxMail } from './messages-data.ts';
import { mailBody } from './mime.ts';

/** Messages → the local outbox: mail kept instead of sent (no SMTP_URL), each shown rendered. */
export function OutboxPage() {
  const intl = useIntl();
  return (
    <MessagesFrame
      title={intl.formatMessage({ id: 'messages.outbox.title' })}
      intro={<FormattedMessage id="messages.outbox.intro" />}
    >
      <Outbox />
    </MessagesFrame>
  );
}

function Outbox() {
  const { membership } = useShop();
  const dateTime = useDateTime();
  const [chosen, setChosen] = useState<string | null>(null);
  const list = useInfiniteQuery({
    queryKey: ['outbox', membership.id],
    queryFn: ({ pageParam }) => loadOutbox(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  if (list.isPending) return <Loading />;
  if (list.error) return <Failure error={list.error} onRetry={() => void list.refetch()} />;
  const mails = list.data.pages.flatMap((p) => p.mails);
  if (mails.length === 0)
    return (
      <Empty>
        <FormattedMessage id="messages.outbox.empty" />
      </Empty>
    );
  const current = chosen ?? mails[0]!.messageId;
  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Paper withBorder radius="md" p={4} component="ul" m={0} style={{ listStyle: 'none' }}>
          {mails.map((m) => (
            <li key={m.messageId}>
              <NavLink
                component="button"
                active={m.messageId === current}
                onClick={() => setChosen(m.messageId)}
                label={m.subject}
                description={
                  <Text size="xs" c="dark.6" component="span">
                    {m.to} · {dateTime(m.createdAt)}
                  </Text>
                }
                aria-current={m.messageId === current ? 'true' : undefined}
              />
            </li>
          ))}
        </Paper>
        {list.hasNextPage && (
          <Group justify="center" mt="sm">
            <Button variant="light" onClick={() => void list.fetchNextPage()}>
              <FormattedMessage id="messages.more" />
            </Button>
          </Group>
        )}
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 8 }}>
        <OutboxMail id={current} />
      </Grid.Col>
    </Grid>
  );
}

function OutboxMail({ id }: { id: string }) {
  const intl = useIntl();
  const { membership } = useShop();
  const mail = useQuery({
    queryKey: ['outbox-mail', membership.id, id],
    queryFn: () => loadOutboxMail(id),
  });
  if (mail.isPending) return <Loading />;
  if (mail.error) return <Failure error={mail.error} onRetry={() => void mail.refetch()} />;
  const body = mailBody(mail.data.raw);
  return (
    <Stack gap="xs" data-testid="outbox-mail">
      <Title order={2} size="h4">
        {mail.data.subject}
      </Title>
      <Text size="sm" c="dimmed">
        <FormattedMessage id="messages.outbox.to" values={{ to: mail.data.to }} />
      </Text>
      {body.html ? (
        <MailFrame
          html={body.html}
          width="100%"
          title={intl.formatMessage(
            { id: 'messages.outbox.frame' },
            { subject: mail.data.subject },
          )}
        />
      ) : body.text ? (
        <Paper withBorder p="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {body.text}
        </Paper>
      ) : (
        <Alert color="gray">
          <FormattedMessage id="messages.outbox.noBody" />
        </Alert>
      )}
    </Stack>
  );
}
