import { useState, type FormEvent } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { FormattedMessage, useIntl } from 'react-intl';
import { useShopFormat } from '../../i18n/format.ts';
import { useShop } from '../../layout/shop-context.ts';
import { fieldProblem } from '../../ui/field-error.ts';
import { SUPPORT, useCan } from '../../ui/roles.ts';
import { dayOf } from '../../ui/shop-time.ts';
import { Empty, Failure, Loading } from '../../ui/states.tsx';
import { useProblemText } from '../problem-text.tsx';
import { ReferralsFrame } from './referrals-nav.tsx';
import { ScrollTable } from './scroll-table.tsx';
import {
  useSaveShareMessage,
  useShareMessages,
  useThankYouNotes,
  type ShareMessage,
} from './referrals-data.ts';

/**
 * The share messages a referrer sends friends (the ready wording per channel and language, and
 * a customer's own wording), and the thank-you notes friends left their referrers.
 */
export function ReferralSharingPage() {
  const intl = useIntl();
  const [draft, setDraft] = useState('');
  const [customerId, setCustomerId] = useState('');
  const [lang, setLang] = useState<'pl' | 'en'>('pl');
  const messages = useShareMessages(customerId, lang);

  const look = (event: FormEvent) => {
    event.preventDefault();
    setCustomerId(draft.trim());
  };

  return (
    <ReferralsFrame
      title={intl.formatMessage({ id: 'referrals.sharing.title' })}
      lead={intl.formatMessage({ id: 'referrals.sharing.lead' })}
    >
      <section aria-labelledby="share-title">
        <Title order={2} size="h4" id="share-title" mb="xs">
          <FormattedMessage id="referrals.sharing.messages" />
        </Title>
        <form onSubmit={look}>
          <Group align="flex-end" wrap="wrap">
            <TextInput
              label={intl.formatMessage({ id: 'referrals.sharing.customer' })}
              description={intl.formatMessage({ id: 'referrals.sharing.customerHint' })}
              value={draft}
              onChange={(e) => setDraft(e.currentTarget.value)}
            />
            <Button type="submit">
              <FormattedMessage id="referrals.sharing.show" />
            </Button>
            <SegmentedControl
              data-testid="share-language"
              aria-label={intl.formatMessage({ id: 'referrals.sharing.language' })}
              value={lang}
              onChange={(v) => setLang(v === 'en' ? 'en' : 'pl')}
              data={[
                { value: 'pl', label: intl.formatMessage({ id: 'referrals.sharing.pl' }) },
                { value: 'en', label: intl.formatMessage({ id: 'referrals.sharing.en' }) },
              ]}
            />
          </Group>
        </form>
        <Stack gap="sm" mt="md">
          {customerId === '' ? (
            <Text size="sm" c="dimmed">
              <FormattedMessage id="referrals.sharing.pick" />
            </Text>
          ) : messages.isPending ? (
            <Loading />
          ) : messages.error ? (
            <Failure error={messages.error} onRetry={() => void messages.refetch()} />
          ) : (
            <>
              <Text size="sm" data-testid="share-link">
                {intl.formatMessage(
                  { id: 'referrals.sharing.linkLine' },
                  {
                    link: messages.data.link,
                    code: messages.data.referralCode,
                    discount:
                      messages.data.discount ??
                      intl.formatMessage({ id: 'referrals.sharing.noDiscount' }),
                  },
                )}
              </Text>
              {messages.data.messages.map((m) => (
                <ChannelMessage
                  key={`${customerId}-${lang}-${m.channel}-${m.text}`}
                  customerId={customerId}
                  lang={lang}
                  message={m}
                />
              ))}
            </>
          )}
        </Stack>
      </section>
      <ThankYouNotes />
    </ReferralsFrame>
  );
}

function ChannelMessage({
  customerId,
  lang,
  message,
}: {
  customerId: string;
  lang: 'pl' | 'en';
  message: ShareMessage;
}) {
  const intl = useIntl();
  const canEdit = useCan(SUPPORT);
  const save = useSaveShareMessage(customerId, lang);
  const problemText = useProblemText();
  const [text, setText] = useState(message.text);
  const [subject, setSubject] = useState(message.subject ?? '');
  const channel = intl.formatMessage({ id: `referrals.channel.${message.channel}` });
  const titleId = `channel-${message.channel}`;
  return (
    <Paper
      withBorder
      p="sm"
      component="section"
      aria-labelledby={titleId}
      data-testid={`share-${message.channel}`}
    >
      <Group justify="space-between" mb={4}>
        <Title order={3} size="h6" id={titleId}>
          {channel}
        </Title>
        <Badge tt="none" variant="outline" color={message.edited ? 'teal.9' : 'gray.8'}>
          <FormattedMessage
            id={message.edited ? 'referrals.sharing.edited' : 'referrals.sharing.ready'}
          />
        </Badge>
      </Group>
      {save.error && !fieldProblem(save.error, 'text') && (
        <Alert color="red" role="alert" mb="xs">
          {problemText(save.error)}
        </Alert>
      )}
      {message.channel === 'email' && (
        <TextInput
          label={intl.formatMessage({ id: 'referrals.sharing.subject' })}
          value={subject}
          readOnly={!canEdit}
          onChange={(e) => setSubject(e.currentTarget.value)}
          error={fieldProblem(save.error, 'subject')}
          mb="xs"
        />
      )}
      <Textarea
        label={intl.formatMessage({ id: 'referrals.sharing.text' }, { channel })}
        autosize
        minRows={2}
        value={text}
        readOnly={!canEdit}
        onChange={(e) => setText(e.currentTarget.value)}
        error={fieldProblem(save.error, 'text')}
      />
      {canEdit && (
        <Group justify="flex-end" mt="xs">
          {message.edited && (
            <Button
              variant="subtle"
              loading={save.isPending}
              onClick={() => save.mutate({ channel: message.channel, reset: true })}
            >
              <FormattedMessage id="referrals.sharing.reset" />
            </Button>
          )}
          <Button
            variant="light"
            loading={save.isPending}
            // A long channel name ("Tekst do skopiowania") wraps on a phone instead of overflowing.
            h="auto"
            mih={36}
            maw="100%"
            styles={{ label: { whiteSpace: 'normal', textAlign: 'center' } }}
            onClick={() =>
              save.mutate({
                channel: message.channel,
                text,
                ...(message.channel === 'email' && { subject }),
              })
            }
          >
            {intl.formatMessage({ id: 'referrals.sharing.save' }, { channel })}
          </Button>
        </Group>
      )}
    </Paper>
  );
}

function ThankYouNotes() {
  const intl = useIntl();
  const { shop } = useShop();
  const fmt = useShopFormat(shop);
  const notes = useThankYouNotes();
  return (
    <section aria-labelledby="thanks-title">
      <Title order={2} size="h4" id="thanks-title" mb="xs">
        <FormattedMessage id="referrals.sharing.thanks" />
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        <FormattedMessage id="referrals.sharing.thanksLead" />
      </Text>
      {notes.isPending ? (
        <Loading />
      ) : notes.error ? (
        <Failure error={notes.error} onRetry={() => void notes.refetch()} />
      ) : notes.data.length === 0 ? (
        <Empty>
          <FormattedMessage id="referrals.sharing.noThanks" />
        </Empty>
      ) : (
        <ScrollTable minWidth={480} label={intl.formatMessage({ id: 'referrals.sharing.thanks' })}>
          <Table striped data-testid="thank-you-notes">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{intl.formatMessage({ id: 'referrals.col.day' })}</Table.Th>
                <Table.Th scope="col">
                  {intl.formatMessage({ id: 'referrals.col.friend' })}
                </Table.Th>
                <Table.Th scope="col">
                  {intl.formatMessage({ id: 'referrals.col.referrer' })}
                </Table.Th>
                <Table.Th scope="col">{intl.formatMessage({ id: 'referrals.col.note' })}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {notes.data.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{fmt.day(dayOf(r.thankYou!.at, fmt.timezone))}</Table.Td>
                  <Table.Td>{r.friendCustomerId}</Table.Td>
                  <Table.Td>{r.referrerId}</Table.Td>
                  <Table.Td>{r.thankYou!.note}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
    </section>
  );
}
