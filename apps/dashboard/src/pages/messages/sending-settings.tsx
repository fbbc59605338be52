import { useState } from 'react';
import {
  Alert,
  Button,
  ColorInput,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormattedMessage, useIntl } from 'react-intl';
import { ApiError } from '../../api/client.ts';
import { useShop } from '../../layout/shop-context.ts';
import { CopyField } from '../../ui/copy-field.tsx';
import { Loaded } from '../../ui/states.tsx';
import { useProblemText } from '../problem-text.tsx';
import { canManage } from '../settings/settings-data.ts';
import { dnsHints } from './dns-hints.ts';
import { MessagesFrame } from './messages-frame.tsx';
import {
  loadSettings,
  saveSettings,
  settingsBody,
  type MessagingSettings,
} from './messages-data.ts';

/** Messages → Sending: quiet hours, the weekly cap, the sender, the e-mail brand kit, DNS hints. */
export function SendingSettingsPage() {
  const intl = useIntl();
  return (
    <MessagesFrame
      title={intl.formatMessage({ id: 'messages.settings.title' })}
      intro={<FormattedMessage id="messages.settings.intro" />}
    >
      <SendingSettings />
    </MessagesFrame>
  );
}

function SendingSettings() {
  const { membership } = useShop();
  // Kept here: a save gives new settings and starts the form again from them.
  const [done, setDone] = useState(false);
  const settings = useQuery({
    queryKey: ['messaging-settings', membership.id],
    queryFn: loadSettings,
  });
  return (
    <Loaded query={settings}>
      {(saved) => (
        <>
          <SettingsForm
            key={saved.updatedAt ?? 'defaults'}
            saved={saved}
            done={done}
            setDone={setDone}
          />
          <DnsHints settings={saved} />
        </>
      )}
    </Loaded>
  );
}

interface Draft {
  quietStart: string;
  quietEnd: string;
  cap: number | string;
  conversionDays: number | string;
  tracking: boolean;
  senderName: string;
  fromAddress: string;
  replyTo: string;
  postalAddress: string;
  smsSender: string;
  primaryColor: string;
  textColor: string;
  backgroundColor: string;
  fontFamily: string;
  logoUrl: string;
  tone: string;
}

function toDraft(s: MessagingSettings): Draft {
  const brand = s.brand as Record<string, string | undefined>;
  return {
    quietStart: s.quietHours.start,
    quietEnd: s.quietHours.end,
    cap: s.weeklyMarketingCap,
    conversionDays: s.conversionDays,
    tracking: s.tracking,
    senderName: s.senderName ?? '',
    fromAddress: s.fromAddress ?? '',
    replyTo: s.replyTo ?? '',
    postalAddress: s.postalAddress ?? '',
    smsSender: s.smsSender ?? '',
    primaryColor: brand.primaryColor ?? '',
    textColor: brand.textColor ?? '',
    backgroundColor: brand.backgroundColor ?? '',
    fontFamily: brand.fontFamily ?? '',
    logoUrl: brand.logoUrl ?? '',
    tone: brand.tone ?? 'friendly',
  };
}

function SettingsForm({
  saved,
  done,
  setDone,
}: {
  saved: MessagingSettings;
  done: boolean;
  setDone: (done: boolean) => void;
}) {
  const intl = useIntl();
  const queryClient = useQueryClient();
  const problemText = useProblemText();
  const { membership } = useShop();
  const editable = canManage(membership.role);
  const [draft, setDraft] = useState(() => toDraft(saved));
  const set = (patch: Partial<Draft>) => {
    setDone(false);
    setDraft((d) => ({ ...d, ...patch }));
  };
  const save = useMutation({
    mutationFn: () => {
      const brand: Record<string, string> = {
        primaryColor: draft.primaryColor,
        textColor: draft.textColor,
        backgroundColor: draft.backgroundColor,
        fontFamily: draft.fontFamily,
        tone: draft.tone,
        ...(draft.logoUrl.trim() ? { logoUrl: draft.logoUrl.trim() } : {}),
      };
      return saveSettings(
        settingsBody(saved, {
          quietHours: { start: draft.quietStart, end: draft.quietEnd },
          weeklyMarketingCap: Number(draft.cap),
          conversionDays: Number(draft.conversionDays),
          tracking: draft.tracking,
          senderName: draft.senderName.trim(),
          fromAddress: draft.fromAddress.trim(),
          replyTo: draft.replyTo.trim(),
          postalAddress: draft.postalAddress.trim(),
          smsSender: draft.smsSender.trim(),
          brand,
        }),
      );
    },
    onSuccess: (data) => {
      queryClient.setQueryData(['messaging-settings', membership.id], data);
      setDone(true);
    },
  });
  const apiError = save.error instanceof ApiError ? save.error : null;
  const fieldError = (path: string) => apiError?.fieldErrorWithin(path);
  const otherError = save.error && !apiError?.errors.length ? save.error : null;
  const common = { readOnly: !editable };

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (editable) save.mutate();
      }}
    >
      <Stack gap="md">
        {!editable && (
          <Alert color="gray" data-testid="read-only">
            <FormattedMessage id="messages.settings.readOnly" />
          </Alert>
        )}
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="quiet-title">
          <Title order={2} size="h4" id="quiet-title" mb="xs">
            <FormattedMessage id="messages.settings.quietTitle" />
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            <FormattedMessage id="messages.settings.quietIntro" />
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
            <TextInput
              {...common}
              type="time"
              label={intl.formatMessage({ id: 'messages.settings.quietStart' })}
              value={draft.quietStart}
              onChange={(e) => set({ quietStart: e.currentTarget.value })}
              error={fieldError('quietHours.start')}
            />
            <TextInput
              {...common}
              type="time"
              label={intl.formatMessage({ id: 'messages.settings.quietEnd' })}
              value={draft.quietEnd}
              onChange={(e) => set({ quietEnd: e.currentTarget.value })}
              error={fieldError('quietHours.end')}
            />
            <NumberInput
              {...common}
              label={intl.formatMessage({ id: 'messages.settings.cap' })}
              description={intl.formatMessage({ id: 'messages.settings.capHint' })}
              value={draft.cap}
              onChange={(v) => set({ cap: v })}
              min={0}
              max={50}
              allowDecimal={false}
              error={fieldError('weeklyMarketingCap')}
            />
            <NumberInput
              {...common}
              label={intl.formatMessage({ id: 'messages.settings.conversionDays' })}
              description={intl.formatMessage({ id: 'messages.settings.conversionHint' })}
              value={draft.conversionDays}
              onChange={(v) => set({ conversionDays: v })}
              min={0}
              max={90}
              allowDecimal={false}
              error={fieldError('conversionDays')}
            />
          </SimpleGrid>
          <Switch
            mt="sm"
            disabled={!editable}
            label={intl.formatMessage({ id: 'messages.settings.tracking' })}
            checked={draft.tracking}
            onChange={(e) => set({ tracking: e.currentTarget.checked })}
          />
        </Paper>

        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="sender-title">
          <Title order={2} size="h4" id="sender-title" mb="sm">
            <FormattedMessage id="messages.settings.senderTitle" />
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              {...common}
              label={intl.formatMessage({ id: 'messages.settings.senderName' })}
              description={intl.formatMessage({ id: 'messages.settings.senderNameHint' })}
              value={draft.senderName}
              onChange={(e) => set({ senderName: e.currentTarget.value })}
              error={fieldError('senderName')}
            />
            <TextInput
              {...common}
              type="email"
              label={intl.formatMessage({ id: 'messages.settings.fromAddress' })}
              value={draft.fromAddress}
              onChange={(e) => set({ fromAddress: e.currentTarget.value })}
              error={fieldError('fromAddress')}
            />
            <TextInput
              {...common}
              type="email"
              label={intl.formatMessage({ id: 'messages.settings.replyTo' })}
              value={draft.replyTo}
              onChange={(e) => set({ replyTo: e.currentTarget.value })}
              error={fieldError('replyTo')}
            />
            <TextInput
              {...common}
              label={intl.formatMessage({ id: 'messages.settings.postalAddress' })}
              description={intl.formatMessage({ id: 'messages.settings.postalHint' })}
              value={draft.postalAddress}
              onChange={(e) => set({ postalAddress: e.currentTarget.value })}
              error={fieldError('postalAddress')}
            />
            <TextInput
              {...common}
              label={intl.formatMessage({ id: 'messages.settings.smsSender' })}
              description={intl.formatMessage({ id: 'messages.settings.smsSenderHint' })}
              value={draft.smsSender}
              onChange={(e) => set({ smsSender: e.currentTarget.value })}
              error={fieldError('smsSender')}
            />
            <Stack gap={2}>
              <Text size="sm" fw={500}>
                <FormattedMessage id="messages.settings.smsProvider" />
              </Text>
              <Text size="sm" data-testid="sms-provider">
                {saved.smsProvider ? (
                  <FormattedMessage
                    id="messages.settings.smsProviderOn"
                    values={{
                      provider: saved.smsProvider.provider === 'smsapi' ? 'SMSAPI' : 'Twilio',
                    }}
                  />
                ) : (
                  <FormattedMessage id="messages.settings.smsProviderOff" />
                )}
              </Text>
            </Stack>
          </SimpleGrid>
        </Paper>

        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="brand-title">
          <Title order={2} size="h4" id="brand-title" mb="xs">
            <FormattedMessage id="messages.settings.brandTitle" />
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            <FormattedMessage id="messages.settings.brandIntro" />
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <ColorInput
              {...common}
              format="hex"
              withEyeDropper={false}
              label={intl.formatMessage({ id: 'messages.settings.primaryColor' })}
              value={draft.primaryColor}
              onChange={(v) => set({ primaryColor: v })}
              error={fieldError('brand.primaryColor')}
            />
            <ColorInput
              {...common}
              format="hex"
              withEyeDropper={false}
              label={intl.formatMessage({ id: 'messages.settings.textColor' })}
              value={draft.textColor}
              onChange={(v) => set({ textColor: v })}
              error={fieldError('brand.textColor')}
            />
            <ColorInput
              {...common}
              format="hex"
              withEyeDropper={false}
              label={intl.formatMessage({ id: 'messages.settings.backgroundColor' })}
              value={draft.backgroundColor}
              onChange={(v) => set({ backgroundColor: v })}
              error={fieldError('brand.backgroundColor')}
            />
            <TextInput
              {...common}
              label={intl.formatMessage({ id: 'messages.settings.fontFamily' })}
              value={draft.fontFamily}
              onChange={(e) => set({ fontFamily: e.currentTarget.value })}
              error={fieldError('brand.fontFamily')}
            />
            <TextInput
              {...common}
              label={intl.formatMessage({ id: 'messages.settings.logoUrl' })}
              value={draft.logoUrl}
              onChange={(e) => set({ logoUrl: e.currentTarget.value })}
              error={fieldError('brand.logoUrl')}
            />
            <Stack gap={4}>
              <Text size="sm" fw={500} id="tone-label">
                <FormattedMessage id="messages.settings.tone" />
              </Text>
              <Text size="xs" c="dimmed">
                <FormattedMessage id="messages.settings.toneHint" />
              </Text>
              <SegmentedControl
                aria-labelledby="tone-label"
                disabled={!editable}
                data={[
                  {
                    value: 'friendly',
                    label: intl.formatMessage({ id: 'messages.settings.toneFriendly' }),
                  },
                  {
                    value: 'formal',
                    label: intl.formatMessage({ id: 'messages.settings.toneFormal' }),
                  },
                ]}
                value={draft.tone}
                onChange={(v) => set({ tone: v })}
              />
            </Stack>
          </SimpleGrid>
        </Paper>

        {otherError && (
          <Alert color="red" role="alert">
            {problemText(otherError)}
          </Alert>
        )}
        {apiError && apiError.errors.length > 0 && (
          <Alert color="red" role="alert">
            <FormattedMessage id="messages.settings.fixFields" />
          </Alert>
        )}
        {done && (
          <Alert color="teal" role="status" data-testid="settings-saved">
            <FormattedMessage id="messages.settings.saved" />
          </Alert>
        )}
        {editable && (
          <Group>
            <Button type="submit" loading={save.isPending}>
              <FormattedMessage id="messages.settings.save" />
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}

function DnsHints({ settings }: { settings: MessagingSettings }) {
  const intl = useIntl();
  const hints = dnsHints(settings.fromAddress, settings.replyTo);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="dns-title">
      <Title order={2} size="h4" id="dns-title" mb="xs">
        <FormattedMessage id="messages.dns.title" />
      </Title>
      {hints.state === 'no-address' ? (
        <Text size="sm">
          <FormattedMessage id="messages.dns.noAddress" />
        </Text>
      ) : hints.state === 'free-mail' ? (
        <Alert color="orange" data-testid="dns-free-mail">
          <FormattedMessage id="messages.dns.freeMail" values={{ domain: hints.domain }} />
        </Alert>
      ) : (
        <Stack gap="sm" data-testid="dns-hints">
          <Text size="sm">
            <FormattedMessage id="messages.dns.intro" values={{ domain: hints.domain }} />
          </Text>
          {hints.records.map((r) => (
            <Paper key={r.kind} withBorder p="sm" radius="sm" data-testid={`dns-${r.kind}`}>
              <Text size="sm" fw={700}>
                {r.kind.toUpperCase()} ({r.type})
              </Text>
              <Text size="xs" c="dimmed" mb="xs">
                <FormattedMessage id={`messages.dns.why.${r.kind}`} />
              </Text>
              <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xs">
                <div>
                  <Text size="xs" fw={500}>
                    <FormattedMessage id="messages.dns.name" />
                  </Text>
                  <CopyField
                    value={r.name}
                    label={`${r.kind.toUpperCase()}: ${intl.formatMessage({ id: 'messages.dns.name' })}`}
                  />
                </div>
                <div>
                  <Text size="xs" fw={500}>
                    <FormattedMessage id="messages.dns.value" />
                  </Text>
                  <CopyField
                    value={r.value}
                    label={`${r.kind.toUpperCase()}: ${intl.formatMessage({ id: 'messages.dns.value' })}`}
                  />
                </div>
              </SimpleGrid>
            </Paper>
          ))}
          <Text size="xs" c="dimmed">
            <FormattedMessage
              id="messages.dns.placeholders"
              values={{ provider: '<provider>', selector: '<selector>' }}
            />
          </Text>
        </Stack>
      )}
    </Paper>
  );
}
