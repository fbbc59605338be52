import { useState } from 'react';
import {
  Alert,
  Anchor,
  Button,
  Group,
  List,
  Loader,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { FormattedMessage, useIntl } from 'react-intl';
import { api } from '../../api/client.ts';
import { useShop } from '../../layout/shop-context.ts';
import { CopyField } from '../../ui/copy-field.tsx';
import { Failure, Loading } from '../../ui/states.tsx';
import { useProblemText } from '../problem-text.tsx';
import { useDateTime } from '../settings/date-time.ts';
import { canManage, useShopSettings } from '../settings/settings-data.ts';
import type { ShopSettings } from '../settings/types.ts';
import { NewSecret, useRotateSecret } from '../settings/webhook-secret.tsx';
import { useFirstDelivery } from './first-delivery.ts';
import { programmeInPlainWords, type ProgrammeView, type RuleKind } from './plain-words.ts';

type Platform = 'shopify' | 'woocommerce' | 'other';

const SHOPIFY_TOPICS = [
  'orders/paid',
  'orders/create',
  'orders/updated',
  'orders/cancelled',
  'refunds/create',
  'customers/create',
  'customers/update',
  'customers/redact',
  'customers/data_request',
  'shop/redact',
];
const SOURCE_NAMES = { shopify: 'Shopify', woocommerce: 'WooCommerce', api: 'API' } as const;
const WOO_TOPICS = ['order.created', 'order.updated', 'customer.created', 'customer.updated'];

/** Onboarding: connect the shop, see the first delivery arrive, review the programme. */
export function OnboardingPage() {
  const intl = useIntl();
  const shop = useShopSettings();
  return (
    <Stack gap="md">
      <div>
        <Title order={1} size="h2">
          <FormattedMessage id="onboarding.title" />
        </Title>
        <Text size="sm" c="dimmed" mt={4}>
          <FormattedMessage id="onboarding.intro" />
        </Text>
      </div>
      {shop.isPending ? (
        <Loading />
      ) : shop.error ? (
        <Failure error={shop.error} onRetry={() => void shop.refetch()} />
      ) : (
        <>
          <Connect shop={shop.data} />
          <ProgrammeSummary shop={shop.data} />
        </>
      )}
      <Text size="sm">
        <Anchor component={Link} to="/">
          {intl.formatMessage({ id: 'onboarding.done' })}
        </Anchor>
      </Text>
    </Stack>
  );
}

function Connect({ shop }: { shop: ShopSettings }) {
  const intl = useIntl();
  const [platform, setPlatform] = useState<Platform>('shopify');
  const delivery = useFirstDelivery(true);
  const narrow = useMediaQuery('(max-width: 30em)');
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="connect-title">
      <Stack gap="md">
        <Title order={2} size="h4" id="connect-title">
          <FormattedMessage id="onboarding.connect" />
        </Title>
        <SegmentedControl
          aria-label={intl.formatMessage({ id: 'onboarding.platform' })}
          value={platform}
          onChange={(v) => setPlatform(v as Platform)}
          data={[
            { value: 'shopify', label: 'Shopify' },
            { value: 'woocommerce', label: 'WooCommerce' },
            { value: 'other', label: intl.formatMessage({ id: 'onboarding.other' }) },
          ]}
          fullWidth
          orientation={narrow ? 'vertical' : 'horizontal'}
          style={{ maxWidth: 480 }}
        />
        {platform === 'other' ? (
          <OtherPlatform shop={shop} />
        ) : (
          <Webhooks shop={shop} platform={platform} />
        )}
        <DeliveryStatus delivery={delivery} />
      </Stack>
    </Paper>
  );
}

function Webhooks({ shop, platform }: { shop: ShopSettings; platform: 'shopify' | 'woocommerce' }) {
  const intl = useIntl();
  const url =
    platform === 'shopify'
      ? shop.connection.shopifyWebhookUrl
      : shop.connection.woocommerceWebhookUrl;
  const topics = platform === 'shopify' ? SHOPIFY_TOPICS : WOO_TOPICS;
  return (
    <Stack gap="sm">
      <Text size="sm">
        <FormattedMessage id={`onboarding.${platform}.where`} />
      </Text>
      <div>
        <Text size="sm" fw={600} mb={4}>
          <FormattedMessage id="onboarding.webhookUrl" />
        </Text>
        <CopyField
          value={url}
          label={intl.formatMessage({ id: 'onboarding.webhookUrl' })}
          testId="webhook-url"
        />
      </div>
      <div>
        <Text size="sm" fw={600} mb={4}>
          <FormattedMessage id="onboarding.topics" />
        </Text>
        <Group gap={6} wrap="wrap">
          {topics.map((topic) => (
            <Text key={topic} component="code" size="sm" ff="monospace">
              {topic}
            </Text>
          ))}
        </Group>
        {platform === 'woocommerce' && (
          <Text size="sm" mt={4}>
            <FormattedMessage id="onboarding.woocommerce.version" />
          </Text>
        )}
      </div>
      <SecretStep platform={platform} />
    </Stack>
  );
}

/** The webhook secret is shown once, so it is revealed by making a new one (owners, admins). */
function SecretStep({ platform }: { platform: 'shopify' | 'woocommerce' }) {
  const { membership } = useShop();
  const problemText = useProblemText();
  const rotate = useRotateSecret();
  if (!canManage(membership.role)) {
    return (
      <Alert color="gray">
        <FormattedMessage id="onboarding.secret.askAdmin" />
      </Alert>
    );
  }
  return (
    <div>
      <Text size="sm" fw={600} mb={4}>
        <FormattedMessage id="onboarding.secret" />
      </Text>
      <Text size="sm" mb="xs">
        <FormattedMessage id={`onboarding.secret.${platform}`} />
      </Text>
      {rotate.data ? (
        <NewSecret rotated={rotate.data} />
      ) : (
        <Button onClick={() => rotate.mutate(undefined)} loading={rotate.isPending}>
          <FormattedMessage id="onboarding.secret.reveal" />
        </Button>
      )}
      {rotate.error && (
        <Alert color="red" role="alert" mt="xs">
          {problemText(rotate.error)}
        </Alert>
      )}
    </div>
  );
}

function OtherPlatform({ shop }: { shop: ShopSettings }) {
  const intl = useIntl();
  const curl = [
    `curl -X POST ${shop.connection.eventsUrl} \\`,
    `  -H "Authorization: Bearer $LOJAL_API_KEY" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -H "Idempotency-Key: order-1001-paid" \\`,
    `  -d '{"type": "order.paid", "id": "order-1001-paid", "data": {"id": "1001",`,
    `       "customer": {"id": "c-1", "email": "ola@example.pl"},`,
    `       "currency": "${shop.currency}", "total": 12900, "createdAt": "2026-01-15T12:00:00Z"}}'`,
  ].join('\n');
  return (
    <Stack gap="sm">
      <Text size="sm">
        <FormattedMessage id="onboarding.other.what" />
      </Text>
      <CopyField
        value={curl}
        block
        label={intl.formatMessage({ id: 'onboarding.other.curl' })}
        testId="curl"
      />
      <Text size="sm">
        <FormattedMessage
          id="onboarding.other.key"
          values={{
            link: (chunks) => (
              <Anchor component={Link} to="/settings/api-keys">
                {chunks}
              </Anchor>
            ),
          }}
        />
      </Text>
    </Stack>
  );
}

function DeliveryStatus({ delivery }: { delivery: ReturnType<typeof useFirstDelivery> }) {
  const dateTime = useDateTime();
  const first = delivery.data?.data[0];
  return (
    <div role="status" aria-live="polite" data-testid="delivery-status">
      {delivery.error ? (
        <Failure error={delivery.error} onRetry={() => void delivery.refetch()} />
      ) : first ? (
        <Alert color="teal" variant="light">
          <Text fw={700}>
            <FormattedMessage id="onboarding.received" />
          </Text>
          <Text size="sm">
            <FormattedMessage
              id="onboarding.receivedWhat"
              values={{
                source: SOURCE_NAMES[first.source],
                topic: first.topic,
                at: dateTime(first.receivedAt),
              }}
            />
          </Text>
        </Alert>
      ) : (
        <Group gap="xs">
          <Loader size="xs" aria-hidden="true" />
          <Text size="sm">
            <FormattedMessage id="onboarding.waiting" />
          </Text>
        </Group>
      )}
    </div>
  );
}

function ProgrammeSummary({ shop }: { shop: ShopSettings }) {
  const intl = useIntl();
  const { membership } = useShop();
  const programme = useQuery({
    queryKey: ['programme', membership.id],
    queryFn: () => api<ProgrammeView>('GET', '/v1/programme'),
  });
  const kinds = useQuery({
    queryKey: ['rule-kinds', membership.id],
    queryFn: () => api<RuleKind[]>('GET', '/v1/programme/rule-kinds'),
  });
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="programme-title">
      <Title order={2} size="h4" id="programme-title" mb="sm">
        <FormattedMessage id="onboarding.programme" />
      </Title>
      {programme.isPending || kinds.isPending ? (
        <Loading />
      ) : programme.error || kinds.error ? (
        <Failure
          error={programme.error ?? kinds.error}
          onRetry={() => {
            void programme.refetch();
            void kinds.refetch();
          }}
        />
      ) : (
        <List spacing="xs" data-testid="programme-words">
          {programmeInPlainWords(intl, programme.data, kinds.data, shop).map((line) => (
            <List.Item key={line}>{line}</List.Item>
          ))}
        </List>
      )}
    </Paper>
  );
}
