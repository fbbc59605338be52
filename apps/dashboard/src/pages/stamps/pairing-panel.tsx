import { Alert, Anchor, Button, CopyButton, Group, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useShopFormat } from '../../i18n/format.ts';
import { useShop } from '../../layout/shop-context.ts';

export interface Pairing {
  id: string;
  name: string;
  url: string;
  qrSvg: string;
  expiresAt: string;
}

/**
 * The pairing QR for a phone (POST /v1/staff/pairings): the phone's camera opens the staff app
 * with the code, once, within 10 minutes. The device list is asked again every few seconds
 * meanwhile, so the new device shows up as soon as it is paired.
 */
export function PairingPanel({ pairing, onDone }: { pairing: Pairing; onDone: () => void }) {
  const intl = useIntl();
  const { shop } = useShop();
  const fmt = useShopFormat(shop);
  const queryClient = useQueryClient();
  useEffect(() => {
    const timer = window.setInterval(
      () => void queryClient.invalidateQueries({ queryKey: ['staff'] }),
      3000,
    );
    return () => window.clearInterval(timer);
  }, [queryClient]);
  return (
    <Alert
      color="teal"
      role="status"
      mb="sm"
      title={<FormattedMessage id="stamps.pair.title" values={{ name: pairing.name }} />}
      data-testid="staff-pairing"
    >
      <Stack gap="xs">
        <Text size="sm">
          <FormattedMessage id="stamps.pair.how" />
        </Text>
        <div
          role="img"
          aria-label={intl.formatMessage({ id: 'stamps.pair.qr' }, { name: pairing.name })}
          style={{ width: 240, maxWidth: '100%', background: '#fff' }}
          // The SVG is Lojal's own rendering of the pairing link (qrcode), not user content.
          dangerouslySetInnerHTML={{ __html: pairing.qrSvg }}
        />
        <Text size="sm">
          <FormattedMessage
            id="stamps.pair.expires"
            values={{
              time: intl.formatTime(pairing.expiresAt, {
                timeStyle: 'short',
                timeZone: fmt.timezone,
              }),
            }}
          />
        </Text>
        <Group>
          <CopyButton value={pairing.url}>
            {({ copied, copy }) => (
              <Button size="xs" variant="default" onClick={copy}>
                <FormattedMessage id={copied ? 'stamps.staff.copied' : 'stamps.pair.copy'} />
              </Button>
            )}
          </CopyButton>
          <Anchor size="sm" href="/staff/" target="_blank" rel="noopener">
            <FormattedMessage id="stamps.pair.open" />
          </Anchor>
          <Button size="xs" onClick={onDone}>
            <FormattedMessage id="stamps.pair.close" />
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
