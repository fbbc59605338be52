import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import { FormattedMessage, useIntl } from 'react-intl';
import { ExportButton } from '../exports/export-button.tsx';
import { loadShopExport, startShopExport } from '../exports/exports-data.ts';

/**
 * Settings → Shop: the whole shop as a zip (docs/export.md), for owners and admins: every
 * customer, order, points entry, coupon, referral, consent, message, review and survey answer.
 */
export function DataExport() {
  const intl = useIntl();
  return (
    <Paper withBorder p="md" radius="md" data-testid="data-export">
      <Stack gap="sm">
        <Title order={2} size="h3">
          <FormattedMessage id="exports.shop.title" />
        </Title>
        <Text size="sm">
          <FormattedMessage id="exports.shop.intro" />
        </Text>
        <Group align="center" wrap="wrap">
          {(['jsonl', 'csv'] as const).map((format) => (
            <ExportButton
              key={format}
              label={intl.formatMessage({ id: `exports.shop.${format}` })}
              start={() => startShopExport(format)}
              poll={loadShopExport}
              accept="application/zip"
              testId={`export-${format}`}
            />
          ))}
        </Group>
        <Text size="xs" c="dimmed">
          <FormattedMessage id="exports.shop.note" />
        </Text>
      </Stack>
    </Paper>
  );
}
