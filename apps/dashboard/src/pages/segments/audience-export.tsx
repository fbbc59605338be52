import { Group, Stack, Text, Title } from '@mantine/core';
import { FormattedMessage, useIntl } from 'react-intl';
import { ExportButton } from '../exports/export-button.tsx';
import { loadAudience, startAudience, type AudiencePlatform } from '../exports/exports-data.ts';

const PLATFORMS: AudiencePlatform[] = ['meta', 'google', 'tiktok'];

/**
 * A segment as an ad platform's customer list (docs/audiences.md): hashed identifiers of the
 * members who agreed to marketing, in Meta's, Google's or TikTok's upload format.
 */
export function AudienceExport({ segmentId }: { segmentId: string }) {
  const intl = useIntl();
  return (
    <Stack gap="xs" data-testid="audience-export">
      <Title order={2} size="h3">
        <FormattedMessage id="exports.audience.title" />
      </Title>
      <Text size="sm" c="dimmed">
        <FormattedMessage id="exports.audience.intro" />
      </Text>
      <Group align="center" wrap="wrap">
        {PLATFORMS.map((platform) => (
          <ExportButton
            key={platform}
            label={intl.formatMessage({ id: `exports.audience.${platform}` })}
            start={() => startAudience(segmentId, platform)}
            poll={(id) => loadAudience(segmentId, id)}
            accept="text/csv"
            testId={`audience-${platform}`}
          />
        ))}
      </Group>
    </Stack>
  );
}
