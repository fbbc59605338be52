import { useState, type FormEvent } from 'react';
import {
  Alert,
  Button,
  Group,
  Modal,
  Paper,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { FormattedMessage, useIntl } from 'react-intl';
import { api, ApiError } from '../../api/client.ts';
import { useShop } from '../../layout/shop-context.ts';
import { CopyField } from '../../ui/copy-field.tsx';
import { Failure, Forbidden, Loading } from '../../ui/states.tsx';
import { useProblemText } from '../problem-text.tsx';
import { useDateTime } from './date-time.ts';
import { canManage, useShopSettings, useUpdateShop } from './settings-data.ts';
import { SettingsFrame } from './settings-frame.tsx';
import type { ShopSettings } from './types.ts';

interface StorefrontSecret {
  secret: string;
  createdAt: string;
  previousSecretsValidUntil: string;
}

/** Settings → Storefront: the widget's tag, the origins it may run on, the storefront secret. */
export function StorefrontSettingsPage() {
  const intl = useIntl();
  const shop = useShopSettings();
  return (
    <SettingsFrame
      title={intl.formatMessage({ id: 'storefront.title' })}
      intro={<FormattedMessage id="storefront.intro" />}
    >
      {shop.isPending ? (
        <Loading />
      ) : shop.error ? (
        <Failure error={shop.error} onRetry={() => void shop.refetch()} />
      ) : (
        <Stack gap="md">
          <Install shop={shop.data} />
          <Origins key={shop.data.id} shop={shop.data} />
          <Secret />
        </Stack>
      )}
    </SettingsFrame>
  );
}

function Install({ shop }: { shop: ShopSettings }) {
  const intl = useIntl();
  const tag = `<script src="${window.location.origin}/widget.js" data-shop="${shop.id}" async></script>`;
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          <FormattedMessage id="storefront.install.title" />
        </Title>
        <Text size="sm">
          <FormattedMessage id="storefront.install.text" />
        </Text>
        <CopyField
          value={tag}
          block
          label={intl.formatMessage({ id: 'storefront.install.tag' })}
          testId="widget-tag"
        />
      </Stack>
    </Paper>
  );
}

function Origins({ shop }: { shop: ShopSettings }) {
  const intl = useIntl();
  const { membership } = useShop();
  const problemText = useProblemText();
  const update = useUpdateShop();
  const [origins, setOrigins] = useState(shop.storefrontOrigins.join('\n'));
  const [joinUrl, setJoinUrl] = useState(shop.storefrontJoinUrl ?? '');
  const error = update.error instanceof ApiError ? update.error : null;
  const readOnly = !canManage(membership.role);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({
      storefrontOrigins: origins
        .split('\n')
        .map((o) => o.trim())
        .filter(Boolean),
      storefrontJoinUrl: joinUrl.trim() === '' ? null : joinUrl.trim(),
    });
  };
  return (
    <Paper withBorder p="md" radius="md">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm" maw={640}>
          <Title order={2} size="h4">
            <FormattedMessage id="storefront.origins.title" />
          </Title>
          {readOnly && (
            <Alert color="gray">
              <FormattedMessage id="settings.readOnly" />
            </Alert>
          )}
          {error?.status === 403 && <Forbidden />}
          {error && error.status !== 403 && error.errors.length === 0 && (
            <Alert color="red" role="alert">
              {problemText(error)}
            </Alert>
          )}
          {update.isSuccess && !update.isPending && (
            <Alert color="green" role="status">
              <FormattedMessage id="settings.saved" />
            </Alert>
          )}
          <Textarea
            label={intl.formatMessage({ id: 'storefront.origins.label' })}
            description={
              shop.storefrontUrl
                ? intl.formatMessage(
                    { id: 'storefront.origins.hint' },
                    { url: new URL(shop.storefrontUrl).origin },
                  )
                : intl.formatMessage({ id: 'storefront.origins.hintNoUrl' })
            }
            placeholder="https://sklep.pl"
            autosize
            minRows={2}
            value={origins}
            onChange={(e) => setOrigins(e.currentTarget.value)}
            error={
              error?.fieldErrorWithin('storefrontOrigins') &&
              intl.formatMessage({ id: 'storefront.origins.error' })
            }
            readOnly={readOnly}
            spellCheck={false}
          />
          <TextInput
            label={intl.formatMessage({ id: 'storefront.join.label' })}
            description={intl.formatMessage({ id: 'storefront.join.hint' })}
            placeholder="https://"
            type="url"
            value={joinUrl}
            onChange={(e) => setJoinUrl(e.currentTarget.value)}
            error={
              error?.fieldError('storefrontJoinUrl') &&
              intl.formatMessage({ id: 'storefront.join.error' })
            }
            readOnly={readOnly}
          />
          {!readOnly && (
            <Group>
              <Button type="submit" loading={update.isPending}>
                <FormattedMessage id="settings.save" />
              </Button>
            </Group>
          )}
        </Stack>
      </form>
    </Paper>
  );
}

function Secret() {
  const intl = useIntl();
  const dateTime = useDateTime();
  const { membership } = useShop();
  const problemText = useProblemText();
  const [confirming, setConfirming] = useState(false);
  const make = useMutation({
    mutationFn: () => api<StorefrontSecret>('POST', '/v1/storefront/secret', { body: {} }),
  });
  const error = make.error instanceof ApiError ? make.error : null;
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm" maw={640}>
        <Title order={2} size="h4">
          <FormattedMessage id="storefront.secret.title" />
        </Title>
        <Text size="sm">
          <FormattedMessage id="storefront.secret.text" />
        </Text>
        {!canManage(membership.role) ? (
          <Alert color="gray">
            <FormattedMessage id="storefront.secret.managersOnly" />
          </Alert>
        ) : (
          <>
            {error && (
              <Alert color="red" role="alert">
                {error.status === 403 ? (
                  <FormattedMessage id="app.forbidden" />
                ) : (
                  problemText(error)
                )}
              </Alert>
            )}
            <Group>
              <Button onClick={() => setConfirming(true)} loading={make.isPending}>
                <FormattedMessage id="storefront.secret.rotate" />
              </Button>
            </Group>
            {make.data && (
              <Alert color="green" role="status" data-testid="new-storefront-secret">
                <Stack gap="xs">
                  <Text fw={600}>
                    <FormattedMessage id="storefront.secret.shownOnce" />
                  </Text>
                  <CopyField
                    value={make.data.secret}
                    label={intl.formatMessage({ id: 'storefront.secret.theSecret' })}
                    testId="new-storefront-secret-value"
                  />
                  <Text size="sm">
                    <FormattedMessage
                      id="storefront.secret.previousUntil"
                      values={{ at: dateTime(make.data.previousSecretsValidUntil) }}
                    />
                  </Text>
                </Stack>
              </Alert>
            )}
          </>
        )}
      </Stack>
      <Modal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={intl.formatMessage({ id: 'storefront.secret.confirmTitle' })}
        lockScroll={false}
        closeButtonProps={{ 'aria-label': intl.formatMessage({ id: 'settings.cancel' }) }}
      >
        <Stack gap="md">
          <Text size="sm">
            <FormattedMessage id="storefront.secret.confirmText" />
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              <FormattedMessage id="settings.cancel" />
            </Button>
            <Button
              onClick={() => {
                setConfirming(false);
                make.mutate();
              }}
            >
              <FormattedMessage id="storefront.secret.confirm" />
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
