import { useState } from 'react';
import {
  Alert,
  Button,
  Fieldset,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormattedMessage, useIntl } from 'react-intl';
import { useShop } from '../../layout/shop-context.ts';
import { MARKETING, useCan } from '../../ui/roles.ts';
import { Loaded } from '../../ui/states.tsx';
import { useProblemText } from '../problem-text.tsx';
import { MessagesFrame } from './messages-frame.tsx';
import {
  CHANNELS,
  CONSENT_PURPOSES,
  LOCALES,
  loadConsentTexts,
  saveConsentTexts,
  type ConsentText,
} from './messages-data.ts';

const keyOf = (t: Pick<ConsentText, 'channel' | 'purpose' | 'locale'>) =>
  `${t.channel}/${t.purpose}/${t.locale}`;

/** Messages → Consent texts: the words the shop asks for consent with, per channel and purpose. */
export function ConsentTextsPage() {
  const intl = useIntl();
  return (
    <MessagesFrame
      title={intl.formatMessage({ id: 'messages.consent.title' })}
      intro={<FormattedMessage id="messages.consent.intro" />}
    >
      <ConsentTexts />
    </MessagesFrame>
  );
}

function ConsentTexts() {
  const { membership } = useShop();
  // Kept here: a save gives new texts and starts the form again from them.
  const [done, setDone] = useState(false);
  const texts = useQuery({
    queryKey: ['consent-texts', membership.id],
    queryFn: loadConsentTexts,
  });
  return (
    <Loaded query={texts}>
      {(saved) => (
        <ConsentForm key={texts.dataUpdatedAt} saved={saved} done={done} setDone={setDone} />
      )}
    </Loaded>
  );
}

function ConsentForm({
  saved,
  done,
  setDone,
}: {
  saved: ConsentText[];
  done: boolean;
  setDone: (done: boolean) => void;
}) {
  const intl = useIntl();
  const queryClient = useQueryClient();
  const problemText = useProblemText();
  const { membership } = useShop();
  const canEdit = useCan(MARKETING);
  const [draft, setDraft] = useState(() => new Map(saved.map((t) => [keyOf(t), t.text])));
  const save = useMutation({
    mutationFn: () =>
      saveConsentTexts(
        saved
          .filter((t) => draft.get(keyOf(t)) !== t.text)
          .map((t) => ({ ...t, text: draft.get(keyOf(t)) ?? '' })),
      ),
    onSuccess: (data) => {
      queryClient.setQueryData(['consent-texts', membership.id], data);
      setDone(true);
    },
  });
  const changed = saved.some((t) => draft.get(keyOf(t)) !== t.text);
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (changed) save.mutate();
      }}
    >
      <Stack gap="md">
        {CHANNELS.map((channel) => (
          <Paper key={channel} withBorder p="md" radius="md">
            <Text fw={700} mb="xs" component="h2" size="lg">
              <FormattedMessage id={`messages.channel.${channel}`} />
            </Text>
            <Stack gap="sm">
              {CONSENT_PURPOSES.map((purpose) => (
                <Fieldset
                  key={purpose}
                  legend={intl.formatMessage({ id: `messages.purpose.${purpose}` })}
                  variant="unstyled"
                >
                  <SimpleGrid cols={{ base: 1, md: 2 }}>
                    {LOCALES.map((locale) => {
                      const k = keyOf({ channel, purpose, locale });
                      const row = saved.find((t) => keyOf(t) === k)!;
                      return (
                        <Textarea
                          key={k}
                          data-testid={`consent-${k}`}
                          label={intl.formatMessage(
                            { id: 'messages.consent.text' },
                            {
                              language: intl.formatMessage({ id: `messages.locale.${locale}` }),
                            },
                          )}
                          description={intl.formatMessage({
                            id: row.own ? 'messages.consent.own' : 'messages.consent.default',
                          })}
                          value={draft.get(k) ?? ''}
                          readOnly={!canEdit}
                          autosize
                          minRows={2}
                          maxLength={1000}
                          onChange={(e) => {
                            const value = e.currentTarget.value;
                            setDone(false);
                            setDraft((d) => new Map(d).set(k, value));
                          }}
                        />
                      );
                    })}
                  </SimpleGrid>
                </Fieldset>
              ))}
            </Stack>
          </Paper>
        ))}
        {save.error && (
          <Alert color="red" role="alert">
            {problemText(save.error)}
          </Alert>
        )}
        {done && (
          <Alert color="teal" role="status">
            <FormattedMessage id="messages.consent.saved" />
          </Alert>
        )}
        {canEdit ? (
          <Group>
            <Button type="submit" disabled={!changed} loading={save.isPending}>
              <FormattedMessage id="messages.consent.save" />
            </Button>
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            <FormattedMessage id="messages.consent.readOnly" />
          </Text>
        )}
      </Stack>
    </form>
  );
}
