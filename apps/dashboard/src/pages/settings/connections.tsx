import { useMemo, useState, type FormEvent } from 'react';
import {
  Alert,
  Button,
  Code,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Switch,
  Text,
  Title,
} from '@mantine/core';
import { FormattedMessage, useIntl } from 'react-intl';
import { ApiError } from '../../api/client.ts';
import { useShop } from '../../layout/shop-context.ts';
import { CopyField } from '../../ui/copy-field.tsx';
import { Empty, Failure, Loading } from '../../ui/states.tsx';
import { canManage } from './settings-data.ts';
import { SettingsFrame } from './settings-frame.tsx';
import { ConnectionCard } from './connection-card.tsx';
import { ConnectProblem } from './connect-problem.tsx';
import {
  useConnect,
  useConnectionPlatforms,
  useConnections,
  type Connection,
  type ConnectionPlatform,
} from './connections-data.ts';
import { SchemaFields } from './schema-fields.tsx';
import {
  fieldsOf,
  initialValues,
  splitFields,
  valuesToObject,
  type FormValues,
} from './schema-form.ts';

/**
 * Settings → Connections: the shop's platforms with their status and actions, and the form that
 * connects one (owners and admins; the API refuses others, and the page says so).
 */
export function ConnectionsPage() {
  const intl = useIntl();
  const { membership } = useShop();
  const manage = canManage(membership.role);
  const connections = useConnections();
  const platforms = useConnectionPlatforms(manage);
  const byId = useMemo(
    () => new Map((platforms.data?.data ?? []).map((p) => [p.id, p])),
    [platforms.data],
  );
  return (
    <SettingsFrame
      title={intl.formatMessage({ id: 'connections.title' })}
      intro={<FormattedMessage id="connections.intro" />}
    >
      {connections.isPending ? (
        <Loading />
      ) : connections.error ? (
        <Failure error={connections.error} onRetry={() => void connections.refetch()} />
      ) : (
        <Stack gap="lg">
          <section aria-labelledby="connections-list">
            <Title order={2} size="h4" id="connections-list" mb="xs">
              <FormattedMessage id="connections.list" />
            </Title>
            {connections.data.data.length === 0 ? (
              <Empty>
                <FormattedMessage id="connections.none" />
              </Empty>
            ) : (
              <Stack gap="md">
                {connections.data.data.map((c) => (
                  <ConnectionCard
                    key={c.id}
                    connection={c}
                    platform={byId.get(c.platform)}
                    manage={manage}
                  />
                ))}
              </Stack>
            )}
          </section>
          {manage ? (
            platforms.error ? (
              <Failure error={platforms.error} onRetry={() => void platforms.refetch()} />
            ) : platforms.isPending ? (
              <Loading />
            ) : (
              <ConnectSection platforms={platforms.data.data} connected={connections.data.data} />
            )
          ) : (
            <Text size="sm" c="dimmed">
              <FormattedMessage id="connections.readOnly" />
            </Text>
          )}
        </Stack>
      )}
    </SettingsFrame>
  );
}

function ConnectSection({
  platforms,
  connected,
}: {
  platforms: ConnectionPlatform[];
  connected: Connection[];
}) {
  const intl = useIntl();
  const connect = useConnect();
  const [done, setDone] = useState<{ platform: ConnectionPlatform; hookUrl: string } | null>(null);
  const free = platforms.filter((p) => !connected.some((c) => c.platform === p.id));
  const [platformId, setPlatformId] = useState<string | null>(null);
  const platform = free.find((p) => p.id === platformId) ?? null;

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="connect-title">
      <Title order={2} size="h4" id="connect-title" mb="sm">
        <FormattedMessage id="connections.connect" />
      </Title>
      {done && (
        <Alert color="green" role="status" mb="md" data-testid="connected">
          <Stack gap="xs">
            <Text fw={600}>
              <FormattedMessage id="connections.connected" values={{ name: done.platform.name }} />
            </Text>
            <Text size="sm">
              <FormattedMessage
                id="connections.hookShownOnce"
                values={{ name: done.platform.name }}
              />
            </Text>
            <CopyField
              value={done.hookUrl}
              label={intl.formatMessage({ id: 'connections.hookLabel' })}
              testId="hook-url"
            />
            <Guide platform={done.platform} />
            <Group>
              <Button size="xs" variant="default" onClick={() => setDone(null)}>
                <FormattedMessage id="connections.done" />
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      {free.length === 0 ? (
        <Text size="sm">
          <FormattedMessage id="connections.allConnected" />
        </Text>
      ) : (
        <Stack gap="md">
          <Select
            label={intl.formatMessage({ id: 'connections.platform' })}
            placeholder={intl.formatMessage({ id: 'connections.platformPick' })}
            data={free.map((p) => ({ value: p.id, label: p.name }))}
            value={platformId}
            onChange={(v) => {
              connect.reset();
              setPlatformId(v);
            }}
            maw={360}
            data-testid="platform-select"
          />
          {platform && (
            <ConnectForm
              key={platform.id}
              platform={platform}
              pending={connect.isPending}
              error={connect.error}
              onSubmit={(input) =>
                connect.mutate(input, {
                  onSuccess: (answer) => {
                    setDone({ platform, hookUrl: answer.hookUrl });
                    setPlatformId(null);
                  },
                })
              }
            />
          )}
        </Stack>
      )}
    </Paper>
  );
}

function Guide({ platform }: { platform: ConnectionPlatform }) {
  return (
    <Text size="sm" data-testid="guide">
      <FormattedMessage
        id="connections.guide"
        values={{ path: <Code key="path">{platform.guide}</Code> }}
      />
    </Text>
  );
}

function ConnectForm({
  platform,
  pending,
  error,
  onSubmit,
}: {
  platform: ConnectionPlatform;
  pending: boolean;
  error: unknown;
  onSubmit: (input: Parameters<ReturnType<typeof useConnect>['mutate']>[0]) => void;
}) {
  const intl = useIntl();
  const credentialFields = useMemo(
    () => fieldsOf(platform.credentials, 'credentials', true),
    [platform],
  );
  const settingFields = useMemo(() => fieldsOf(platform.settings, 'settings', false), [platform]);
  const settings = splitFields(settingFields);
  const [values, setValues] = useState<FormValues>(() => ({
    ...initialValues(credentialFields),
    ...initialValues(settingFields),
  }));
  const [more, setMore] = useState(false);
  const [months, setMonths] = useState<number | string>(12);
  const [earnPoints, setEarnPoints] = useState(false);
  const [pushCodes, setPushCodes] = useState(platform.pushCodes);
  const apiError = error instanceof ApiError ? error : null;
  const change = (path: string, value: string | boolean) =>
    setValues((v) => ({ ...v, [path]: value }));
  // A refused setting among "more settings" is shown, not left folded away.
  const moreOpen = more || settings.more.some((f) => !!apiError?.fieldErrorWithin(f.path));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit({
      platform: platform.id,
      credentials: valuesToObject(credentialFields, values),
      settings: valuesToObject(settingFields, values),
      backfill: { months: typeof months === 'number' ? months : Number(months), earnPoints },
      ...(platform.pushCodes && { pushCodes }),
    });
  };

  return (
    <form onSubmit={submit} noValidate data-testid="connect-form">
      <Stack gap="md" maw={640}>
        <Guide platform={platform} />
        <Stack gap="xs">
          <Title order={3} size="h5">
            <FormattedMessage id="connections.settings" />
          </Title>
          <SchemaFields fields={settings.main} values={values} onChange={change} error={error} />
          {settings.more.length > 0 && (
            <>
              <Group>
                <Button
                  variant="subtle"
                  size="xs"
                  px={0}
                  onClick={() => setMore(!moreOpen)}
                  aria-expanded={moreOpen}
                  aria-controls="connect-more"
                >
                  <FormattedMessage id={moreOpen ? 'connections.less' : 'connections.more'} />
                </Button>
              </Group>
              <div id="connect-more">
                {moreOpen && (
                  <SchemaFields
                    fields={settings.more}
                    values={values}
                    onChange={change}
                    error={error}
                  />
                )}
              </div>
            </>
          )}
        </Stack>
        <Stack gap="xs">
          <Title order={3} size="h5">
            <FormattedMessage id="connections.credentials" />
          </Title>
          <Text size="xs" c="dimmed">
            <FormattedMessage id="connections.credentialsHint" />
          </Text>
          <SchemaFields fields={credentialFields} values={values} onChange={change} error={error} />
        </Stack>
        <NumberInput
          label={intl.formatMessage({ id: 'connections.months' })}
          description={intl.formatMessage({ id: 'connections.monthsHint' })}
          value={months}
          onChange={setMonths}
          min={0}
          max={120}
          allowDecimal={false}
          allowNegative={false}
          error={apiError?.fieldErrorWithin('backfill.months')}
          maw={320}
        />
        <Switch
          label={intl.formatMessage({ id: 'connections.earn' })}
          description={intl.formatMessage({ id: 'connections.earnHint' })}
          checked={earnPoints}
          onChange={(e) => setEarnPoints(e.currentTarget.checked)}
          disabled={Number(months) === 0}
        />
        {platform.pushCodes ? (
          <Switch
            label={intl.formatMessage({ id: 'connections.pushCodes' }, { name: platform.name })}
            description={intl.formatMessage(
              { id: 'connections.pushCodesHint' },
              { name: platform.name },
            )}
            checked={pushCodes}
            onChange={(e) => setPushCodes(e.currentTarget.checked)}
            error={apiError?.fieldError('pushCodes')}
          />
        ) : (
          <Text size="sm">
            <FormattedMessage id="connections.noCodes" values={{ name: platform.name }} />
          </Text>
        )}
        {apiError && <ConnectProblem error={apiError} name={platform.name} />}
        <Group>
          <Button type="submit" loading={pending}>
            <FormattedMessage id="connections.submit" />
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
