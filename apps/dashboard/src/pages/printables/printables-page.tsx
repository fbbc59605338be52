import { useState } from 'react';
import { Anchor, Card, Group, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { FormattedMessage, useIntl } from 'react-intl';
import { MARKETING, useCan } from '../../ui/roles.ts';
import { Empty, Failure, Loading } from '../../ui/states.tsx';
import { useShopSettings } from '../settings/settings-data.ts';
import { PrintButtons } from './print-buttons.tsx';
import { PrintableThumbnail } from './printable-thumbnail.tsx';
import { usePrintables } from './printables-data.ts';
import type { Printable } from './types.ts';

/** Print materials: the shop's poster, flyer and table tent, and a customer's card and flyer. */
export function PrintablesPage() {
  const intl = useIntl();
  const catalogue = usePrintables();
  const settings = useShopSettings();
  const marketing = useCan(MARKETING);
  const [customerId, setCustomerId] = useState('');

  const title = (
    <Title order={1}>
      <FormattedMessage id="printables.title" />
    </Title>
  );
  if (catalogue.isPending)
    return (
      <Stack>
        {title}
        <Loading />
      </Stack>
    );
  if (catalogue.error) {
    return (
      <Stack>
        {title}
        <Failure error={catalogue.error} onRetry={() => void catalogue.refetch()} />
      </Stack>
    );
  }
  const brand = settings.data?.brand;
  const shopItems = catalogue.data.printables.filter((p) => p.scope === 'shop');
  const customerItems = catalogue.data.printables.filter((p) => p.scope === 'customer');
  const card = (p: Printable, buttons: React.ReactNode) => (
    <Card key={p.kind} withBorder padding="md" data-testid={`printable-${p.kind}`}>
      <Group align="flex-start" wrap="nowrap" gap="md">
        <PrintableThumbnail
          printable={p}
          primary={brand?.primaryColor ?? null}
          accent={brand?.accentColor ?? null}
        />
        <Stack gap={6} style={{ minWidth: 0 }}>
          <Title order={3} size="h5">
            <FormattedMessage id={`printables.kind.${p.kind}`} />
          </Title>
          <Text size="sm">
            <FormattedMessage id={`printables.about.${p.kind}`} />
          </Text>
          <Text size="xs" c="dimmed">
            <FormattedMessage
              id="printables.sizes"
              values={{
                width: p.page.widthMm,
                height: p.page.heightMm,
                qr: p.qr.sizeMm,
                level: p.qr.errorCorrection,
                quiet: p.qr.quietZoneModules,
              }}
            />
          </Text>
          {buttons}
        </Stack>
      </Group>
    </Card>
  );

  return (
    <Stack>
      {title}
      <Text>
        <FormattedMessage id="printables.intro" />
      </Text>
      <Text size="sm">
        <FormattedMessage
          id="printables.joinUrl"
          values={{
            url: (
              <Anchor href={catalogue.data.joinUrl} target="_blank" rel="noreferrer">
                {catalogue.data.joinUrl}
              </Anchor>
            ),
          }}
        />
      </Text>

      <Title order={2} size="h3">
        <FormattedMessage id="printables.shopSection" />
      </Title>
      {!marketing && (
        <Text size="sm" c="dimmed">
          <FormattedMessage id="printables.marketingOnly" />
        </Text>
      )}
      {shopItems.length === 0 ? (
        <Empty>
          <FormattedMessage id="printables.empty" />
        </Empty>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2, lg: 3 }}>
          {shopItems.map((p) =>
            card(p, marketing ? <PrintButtons kind={p.kind} fileStem={p.kind} /> : null),
          )}
        </SimpleGrid>
      )}

      <Title order={2} size="h3">
        <FormattedMessage id="printables.customerSection" />
      </Title>
      <Text size="sm">
        <FormattedMessage id="printables.customerIntro" />
      </Text>
      <TextInput
        label={intl.formatMessage({ id: 'printables.customerId' })}
        description={intl.formatMessage({ id: 'printables.customerIdHint' })}
        value={customerId}
        onChange={(e) => setCustomerId(e.currentTarget.value)}
        maw={360}
      />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {customerItems.map((p) =>
          card(
            p,
            customerId.trim() ? (
              <PrintButtons
                kind={p.kind}
                customerId={customerId.trim()}
                fileStem={`${p.kind}-${customerId.trim().replace(/[^\w-]+/g, '-')}`}
              />
            ) : (
              <Text size="xs" c="dimmed">
                <FormattedMessage id="printables.customerFirst" />
              </Text>
            ),
          ),
        )}
      </SimpleGrid>
    </Stack>
  );
}

/** On a customer's page: their loyalty card and referral flyer, in both languages. */
export function CustomerPrintables({ customerId }: { customerId: string }) {
  return (
    <Card withBorder padding="md" data-testid="customer-printables">
      <Stack gap="sm">
        <Title order={2} size="h4">
          <FormattedMessage id="printables.customerCard" />
        </Title>
        {(['loyalty-card', 'referral-flyer'] as const).map((kind) => (
          <Stack key={kind} gap={4}>
            <Text size="sm" fw={600}>
              <FormattedMessage id={`printables.kind.${kind}`} />
            </Text>
            <PrintButtons
              kind={kind}
              customerId={customerId}
              fileStem={`${kind}-${customerId.replace(/[^\w-]+/g, '-')}`}
            />
          </Stack>
        ))}
      </Stack>
    </Card>
  );
}
