import { useMemo, useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  Grid,
  Group,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { FormattedMessage, useIntl } from 'react-intl';
import { ApiError, retryWhileBusy } from '../../api/client.ts';
import { useLocale } from '../../i18n/locale.tsx';
import { useShop } from '../../layout/shop-context.ts';
import { MARKETING, useCan } from '../../ui/roles.ts';
import { Empty, Failure, Loading } from '../../ui/states.tsx';
import { useProblemText } from '../problem-text.tsx';
import { MailFrame } from './mail-frame.tsx';
import { MessagesFrame } from './messages-frame.tsx';
import { templateName } from './template-name.ts';
import {
  CHANNELS,
  LOCALES,
  loadTemplate,
  loadTemplates,
  previewTemplate,
  resetTemplate,
  saveTemplate,
  sendTest,
  type Channel,
  type Preview,
  type Template,
  type TemplateContent,
  type TemplateLocale,
  type TemplateSummary,
} from './messages-data.ts';
import { templateProblems, type TemplateProblem } from './template-problems.ts';

/** The fields of each channel's content, in the order they are edited. */
const FIELDS: Record<Channel, (keyof TemplateContent)[]> = {
  email: ['subject', 'preheader', 'body', 'text'],
  sms: ['text'],
  push: ['title', 'body'],
};
const LONG = new Set(['body', 'text']);
/** Fields an e-mail may leave empty (an SMS's text is its whole content). */
const OPTIONAL = new Set(['preheader', 'text']);
const optional = (channel: Channel, field: string) => channel === 'email' && OPTIONAL.has(field);

/** Messages → Templates: every template × channel × language, edited with a live preview. */
export function TemplatesPage() {
  const intl = useIntl();
  return (
    <MessagesFrame
      title={intl.formatMessage({ id: 'messages.templates.title' })}
      intro={<FormattedMessage id="messages.templates.intro" />}
    >
      <Templates />
    </MessagesFrame>
  );
}

function channelsOf(t: TemplateSummary): Channel[] {
  const have = new Set([...t.readyMade, ...t.overridden].map((v) => v.channel));
  return CHANNELS.filter((c) => have.has(c));
}

function Templates() {
  const intl = useIntl();
  const { locale: uiLocale } = useLocale();
  const { membership } = useShop();
  const search = useSearch({ from: '/signed-in/messages/templates' });
  const navigate = useNavigate({ from: '/messages/templates' });
  const list = useQuery({
    queryKey: ['message-templates', membership.id],
    queryFn: loadTemplates,
  });
  if (list.isPending) return <Loading />;
  if (list.error) return <Failure error={list.error} onRetry={() => void list.refetch()} />;
  if (list.data.length === 0)
    return (
      <Empty>
        <FormattedMessage id="messages.templates.empty" />
      </Empty>
    );
  const chosen = list.data.find((t) => t.key === search.key) ?? list.data[0]!;
  const channels = channelsOf(chosen);
  const channel =
    search.channel && channels.includes(search.channel) ? search.channel : channels[0]!;
  const locale: TemplateLocale = search.locale ?? (uiLocale === 'en' ? 'en' : 'pl');
  const go = (patch: { key?: string; channel?: Channel; locale?: TemplateLocale }) =>
    void navigate({ search: { key: chosen.key, channel, locale, ...patch }, replace: true });
  const own = (c: Channel, l: TemplateLocale) =>
    chosen.overridden.some((o) => o.channel === c && o.locale === l);

  return (
    <Stack gap="md">
      <Paper withBorder p="md" radius="md">
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select
            label={intl.formatMessage({ id: 'messages.templates.template' })}
            data={list.data.map((t) => ({
              value: t.key,
              label: templateName(intl, t.key),
            }))}
            value={chosen.key}
            onChange={(key) => key && go({ key, channel: undefined })}
            allowDeselect={false}
            searchable
          />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="template-channel-label">
              <FormattedMessage id="messages.templates.channel" />
            </Text>
            <SegmentedControl
              aria-labelledby="template-channel-label"
              data={channels.map((c) => ({
                value: c,
                label: intl.formatMessage({ id: `messages.channel.${c}` }),
              }))}
              value={channel}
              onChange={(c) => go({ channel: c as Channel })}
            />
          </Stack>
          <Stack gap={4}>
            <Text size="sm" fw={500} id="template-locale-label">
              <FormattedMessage id="messages.templates.language" />
            </Text>
            <SegmentedControl
              aria-labelledby="template-locale-label"
              data={LOCALES.map((l) => ({
                value: l,
                label: intl.formatMessage({ id: `messages.locale.${l}` }),
              }))}
              value={locale}
              onChange={(l) => go({ locale: l as TemplateLocale })}
            />
          </Stack>
        </SimpleGrid>
        <Group gap="xs" mt="sm">
          <Badge variant="light" color="gray">
            <FormattedMessage id={`messages.purpose.${chosen.purpose}`} />
          </Badge>
          <Badge variant="light" color={own(channel, locale) ? 'teal' : 'gray'}>
            <FormattedMessage
              id={own(channel, locale) ? 'messages.templates.own' : 'messages.templates.readyMade'}
            />
          </Badge>
        </Group>
      </Paper>
      <TemplateLoader
        key={`${chosen.key}/${channel}/${locale}`}
        k={chosen.key}
        channel={channel}
        locale={locale}
      />
    </Stack>
  );
}

function TemplateLoader({
  k,
  channel,
  locale,
}: {
  k: string;
  channel: Channel;
  locale: TemplateLocale;
}) {
  const { membership } = useShop();
  // Kept here: a save or reset starts the editor again, and what happened must stay shown.
  const [notice, setNotice] = useState<string | null>(null);
  const template = useQuery({
    queryKey: ['message-template', membership.id, k, channel, locale],
    queryFn: () => loadTemplate(k, channel, locale),
  });
  if (template.isPending) return <Loading />;
  if (template.error)
    return <Failure error={template.error} onRetry={() => void template.refetch()} />;
  // A save or a reset gives new content: the editor starts again from it.
  return (
    <Editor
      key={template.data.updatedAt ?? 'ready-made'}
      template={template.data}
      notice={notice}
      setNotice={setNotice}
    />
  );
}

function Editor({
  template,
  notice,
  setNotice,
}: {
  template: Template;
  notice: string | null;
  setNotice: (notice: string | null) => void;
}) {
  const intl = useIntl();
  const queryClient = useQueryClient();
  const problemText = useProblemText();
  const { membership } = useShop();
  const canEdit = useCan(MARKETING);
  const { key, channel, locale } = template;
  const fields = FIELDS[channel];
  const initial = useMemo(
    () => Object.fromEntries(fields.map((f) => [f, template.content[f] ?? ''])) as TemplateContent,
    [template, fields],
  );
  const [draft, setDraft] = useState<TemplateContent>(initial);
  const [customer, setCustomer] = useState('');
  // What the API takes: optional fields left empty are left out.
  const content = useMemo(
    () =>
      Object.fromEntries(
        Object.entries(draft).filter(([f, v]) => !(optional(channel, f) && v === '')),
      ) as TemplateContent,
    [draft, channel],
  );
  const [debounced] = useDebouncedValue(
    JSON.stringify({ content, customer: customer.trim() }),
    300,
  );
  const preview = useQuery({
    queryKey: ['template-preview', membership.id, key, channel, locale, debounced],
    queryFn: () => {
      const d = JSON.parse(debounced) as { content: TemplateContent; customer: string };
      return previewTemplate(key, channel, locale, d.content, d.customer || undefined);
    },
    enabled: canEdit,
    placeholderData: keepPreviousData,
    // Earlier previews still rendering make the shop's renders busy (429): ask again shortly.
    ...retryWhileBusy,
  });
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['message-templates', membership.id] });
    await queryClient.invalidateQueries({
      queryKey: ['message-template', membership.id, key, channel, locale],
    });
  };
  const save = useMutation({
    mutationFn: () => saveTemplate(key, channel, locale, content),
    onSuccess: async () => {
      setNotice(intl.formatMessage({ id: 'messages.templates.saved' }));
      await refresh();
    },
  });
  const reset = useMutation({
    mutationFn: () => resetTemplate(key, channel, locale),
    onSuccess: async () => {
      setNotice(intl.formatMessage({ id: 'messages.templates.wasReset' }));
      await refresh();
    },
  });
  const test = useMutation({
    mutationFn: () => sendTest(key, locale, content, customer.trim() || undefined),
    onSuccess: (r) =>
      setNotice(
        intl.formatMessage(
          { id: r.outbox ? 'messages.templates.testOutbox' : 'messages.templates.testSent' },
          { to: r.to },
        ),
      ),
  });
  // Problems: the last save's or test's when it was refused, else the live preview's.
  const actionError = [save.error, test.error].find((e) => templateProblems(e).length > 0);
  const problems = templateProblems(actionError ?? preview.error);
  const customerProblem =
    preview.error instanceof ApiError && preview.error.status === 404 && customer.trim() !== '';
  const otherError = [save.error, reset.error, test.error].find(
    (e) => e && templateProblems(e).length === 0,
  );
  const edit = (field: keyof TemplateContent, value: string) => {
    setNotice(null);
    save.reset();
    test.reset();
    setDraft((d) => ({ ...d, [field]: value }));
  };

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <Paper
          withBorder
          p="md"
          radius="md"
          component="section"
          aria-labelledby="template-edit-title"
        >
          <Title order={2} size="h4" id="template-edit-title" mb="sm">
            <FormattedMessage id="messages.templates.editTitle" />
          </Title>
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              if (canEdit) save.mutate();
            }}
          >
            <Stack gap="sm">
              {!canEdit && (
                <Alert color="gray" data-testid="read-only">
                  <FormattedMessage id="messages.templates.readOnly" />
                </Alert>
              )}
              {fields.map((field) => (
                <TemplateField
                  key={field}
                  channel={channel}
                  field={field}
                  value={draft[field] ?? ''}
                  source={draft[field] ?? ''}
                  onChange={(v) => edit(field, v)}
                  problems={problems.filter((p) => p.field === field)}
                  readOnly={!canEdit}
                />
              ))}
              {canEdit && (
                <TextInput
                  label={intl.formatMessage({ id: 'messages.templates.customer' })}
                  description={intl.formatMessage({ id: 'messages.templates.customerHint' })}
                  value={customer}
                  onChange={(e) => setCustomer(e.currentTarget.value)}
                  error={
                    customerProblem
                      ? intl.formatMessage({ id: 'messages.templates.customerUnknown' })
                      : undefined
                  }
                />
              )}
              {notice && (
                <Alert color="teal" role="status" data-testid="template-notice">
                  {notice}
                </Alert>
              )}
              {otherError && (
                <Alert color="red" role="alert">
                  {problemText(otherError)}
                </Alert>
              )}
              {canEdit && (
                <Group gap="sm">
                  <Button type="submit" loading={save.isPending}>
                    <FormattedMessage id="messages.templates.save" />
                  </Button>
                  {channel === 'email' && (
                    <Button variant="light" loading={test.isPending} onClick={() => test.mutate()}>
                      <FormattedMessage id="messages.templates.sendTest" />
                    </Button>
                  )}
                  {template.own && (
                    <Button
                      variant="subtle"
                      color="red"
                      loading={reset.isPending}
                      onClick={() => reset.mutate()}
                    >
                      <FormattedMessage id="messages.templates.reset" />
                    </Button>
                  )}
                </Group>
              )}
              <Text size="xs" c="dimmed">
                <FormattedMessage
                  id="messages.templates.variables"
                  values={{ code: (chunks) => <Code>{chunks}</Code> }}
                />
              </Text>
            </Stack>
          </form>
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <Paper
          withBorder
          p="md"
          radius="md"
          component="section"
          aria-labelledby="template-preview-title"
        >
          <Title order={2} size="h4" id="template-preview-title" mb="sm">
            <FormattedMessage id="messages.templates.previewTitle" />
          </Title>
          {!canEdit ? (
            <Text size="sm" c="dimmed">
              <FormattedMessage id="messages.templates.previewRoles" />
            </Text>
          ) : preview.isPending ? (
            <Loading />
          ) : (
            <Stack gap="sm">
              {problems.length > 0 && (
                <Alert color="red" role="alert" data-testid="preview-refused">
                  <FormattedMessage id="messages.templates.doesNotRender" />
                </Alert>
              )}
              {preview.error && problems.length === 0 && !customerProblem && (
                <Failure error={preview.error} onRetry={() => void preview.refetch()} />
              )}
              {preview.data && (
                <div style={{ opacity: preview.error || preview.isFetching ? 0.6 : 1 }}>
                  <PreviewView preview={preview.data} />
                </div>
              )}
              {channel === 'email' && (
                <Text size="xs" c="dimmed">
                  <FormattedMessage
                    id="messages.templates.brand"
                    values={{
                      link: (chunks) => (
                        <Anchor
                          component={Link}
                          to="/messages/settings"
                          size="xs"
                          underline="always"
                        >
                          {chunks}
                        </Anchor>
                      ),
                    }}
                  />
                </Text>
              )}
            </Stack>
          )}
        </Paper>
      </Grid.Col>
    </Grid>
  );
}

function TemplateField({
  channel,
  field,
  value,
  source,
  onChange,
  problems,
  readOnly,
}: {
  channel: Channel;
  field: keyof TemplateContent;
  value: string;
  source: string;
  onChange: (value: string) => void;
  problems: TemplateProblem[];
  readOnly: boolean;
}) {
  const intl = useIntl();
  const label = intl.formatMessage({ id: `messages.field.${channel}.${field}` });
  const lines = source.split('\n');
  const error =
    problems.length === 0 ? undefined : (
      <Stack gap={2} component="span" data-testid={`problems-${field}`}>
        {problems.map((p, i) => (
          <span key={i}>
            {p.line !== null ? (
              <FormattedMessage
                id="messages.templates.problemAtLine"
                values={{ line: p.line, message: p.message }}
              />
            ) : (
              p.message
            )}
            {p.line !== null && lines[p.line - 1] !== undefined && (
              <>
                {' '}
                <Code>{lines[p.line - 1]!.trim().slice(0, 120)}</Code>
              </>
            )}
          </span>
        ))}
      </Stack>
    );
  const common = {
    label,
    value,
    readOnly,
    error,
    description: optional(channel, field)
      ? intl.formatMessage({ id: `messages.field.hint.${field}` })
      : undefined,
    onChange: (e: { currentTarget: { value: string } }) => onChange(e.currentTarget.value),
  };
  if (LONG.has(field) || channel !== 'email')
    return (
      <Textarea
        {...common}
        autosize
        minRows={field === 'body' && channel === 'email' ? 10 : 3}
        maxRows={30}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        spellCheck={false}
        data-testid={`field-${field}`}
      />
    );
  return <TextInput {...common} data-testid={`field-${field}`} />;
}

function PreviewView({ preview }: { preview: Preview }) {
  const intl = useIntl();
  const [width, setWidth] = useState<'desktop' | 'phone'>('desktop');
  if (preview.channel === 'email')
    return (
      <Stack gap="xs">
        <Text size="sm">
          <FormattedMessage
            id="messages.templates.subject"
            values={{ subject: preview.subject, b: (chunks) => <b>{chunks}</b> }}
          />
        </Text>
        <SegmentedControl
          aria-label={intl.formatMessage({ id: 'messages.templates.width' })}
          data={[
            { value: 'desktop', label: intl.formatMessage({ id: 'messages.templates.desktop' }) },
            { value: 'phone', label: intl.formatMessage({ id: 'messages.templates.phone' }) },
          ]}
          value={width}
          onChange={(v) => setWidth(v as 'desktop' | 'phone')}
          style={{ alignSelf: 'flex-start' }}
        />
        <MailFrame
          html={preview.html}
          width={width === 'desktop' ? '100%' : 375}
          height={width === 'desktop' ? 640 : 720}
          title={intl.formatMessage(
            { id: 'messages.templates.frame' },
            { subject: preview.subject },
          )}
        />
      </Stack>
    );
  if (preview.channel === 'sms') {
    const s = preview.segments;
    return (
      <Stack gap="xs">
        <Paper
          withBorder
          p="sm"
          radius="lg"
          bg="gray.0"
          style={{ whiteSpace: 'pre-wrap' }}
          data-testid="sms-text"
        >
          {preview.text}
        </Paper>
        <Group gap="xs" data-testid="sms-counter">
          <Badge
            color={s.encoding === 'GSM-7' ? 'teal.9' : '#a63a0c'}
            variant="outline"
            data-testid="sms-encoding"
          >
            {s.encoding}
          </Badge>
          <Text size="sm">
            <FormattedMessage
              id="messages.templates.smsCount"
              values={{ units: s.units, segments: s.segments }}
            />
          </Text>
        </Group>
        <Text size="xs" c="dimmed">
          <FormattedMessage
            id={
              s.encoding === 'GSM-7' ? 'messages.templates.gsmHint' : 'messages.templates.ucsHint'
            }
          />
        </Text>
      </Stack>
    );
  }
  return (
    <Paper withBorder p="sm" radius="md" shadow="xs" maw={360} data-testid="push-preview">
      <Text size="sm" fw={700}>
        {preview.title}
      </Text>
      <Text size="sm">{preview.body}</Text>
    </Paper>
  );
}
