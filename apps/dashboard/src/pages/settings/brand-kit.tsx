import { useState, type FormEvent } from 'react';
import {
  Alert,
  Box,
  Button,
  ColorSwatch,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { FormattedMessage, useIntl } from 'react-intl';
import { ApiError } from '../../api/client.ts';
import { useShop } from '../../layout/shop-context.ts';
import { Failure, Forbidden, Loading } from '../../ui/states.tsx';
import { useProblemText } from '../problem-text.tsx';
import { useFieldErrors } from './field-errors.ts';
import { canManage, useShopSettings, useUpdateShop } from './settings-data.ts';
import { SettingsFrame } from './settings-frame.tsx';
import type { ShopSettings } from './types.ts';

/** Lojal's own colours, used where the shop has not chosen any. */
const DEFAULT_PRIMARY = '#0b7285';
const DEFAULT_ACCENT = '#e8590c';
const HEX = /^#[0-9a-f]{6}$/i;

/** Black or white, whichever reads better on this background (WCAG relative luminance). */
export function textOn(hex: string): string {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) ? '#000000' : '#ffffff';
}

/** Settings → Brand kit: the logo and two colours, previewed as the widget and e-mail header. */
export function BrandKitPage() {
  const intl = useIntl();
  const shop = useShopSettings();
  return (
    <SettingsFrame
      title={intl.formatMessage({ id: 'settings.brand.title' })}
      intro={<FormattedMessage id="settings.brand.intro" />}
    >
      {shop.isPending ? (
        <Loading />
      ) : shop.error ? (
        <Failure error={shop.error} onRetry={() => void shop.refetch()} />
      ) : (
        <BrandForm key={shop.data.id} shop={shop.data} />
      )}
    </SettingsFrame>
  );
}

function BrandForm({ shop }: { shop: ShopSettings }) {
  const intl = useIntl();
  const { membership } = useShop();
  const problemText = useProblemText();
  const update = useUpdateShop();
  const [logoUrl, setLogoUrl] = useState(shop.brand.logoUrl ?? '');
  const [primary, setPrimary] = useState(shop.brand.primaryColor ?? '');
  const [accent, setAccent] = useState(shop.brand.accentColor ?? '');
  const error = update.error instanceof ApiError ? update.error : null;
  const fieldError = useFieldErrors(error);
  const readOnly = !canManage(membership.role);
  const orNull = (v: string) => (v.trim() === '' ? null : v.trim());

  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({
      brand: {
        logoUrl: orNull(logoUrl),
        primaryColor: orNull(primary),
        accentColor: orNull(accent),
      },
    });
  };
  const colourInput = (
    id: 'primary' | 'accent',
    value: string,
    set: (v: string) => void,
    fallback: string,
  ) => (
    <TextInput
      label={intl.formatMessage({ id: `settings.brand.${id}` })}
      description={intl.formatMessage({ id: 'settings.brand.colourHint' })}
      placeholder={fallback}
      value={value}
      onChange={(e) => set(e.currentTarget.value)}
      error={fieldError(`brand.${id}Color`)}
      readOnly={readOnly}
      leftSection={<ColorSwatch color={HEX.test(value) ? value : fallback} size={18} />}
      spellCheck={false}
    />
  );

  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
      <Paper withBorder p="md" radius="md">
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
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
            <TextInput
              label={intl.formatMessage({ id: 'settings.brand.logoUrl' })}
              description={intl.formatMessage({ id: 'settings.brand.logoUrlHint' })}
              placeholder="https://"
              type="url"
              value={logoUrl}
              onChange={(e) => setLogoUrl(e.currentTarget.value)}
              error={fieldError('brand.logoUrl')}
              readOnly={readOnly}
            />
            {colourInput('primary', primary, setPrimary, DEFAULT_PRIMARY)}
            {colourInput('accent', accent, setAccent, DEFAULT_ACCENT)}
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
      <BrandPreview
        shopName={shop.name}
        logoUrl={orNull(logoUrl)}
        primary={HEX.test(primary) ? primary : DEFAULT_PRIMARY}
        accent={HEX.test(accent) ? accent : DEFAULT_ACCENT}
      />
    </SimpleGrid>
  );
}

/** How the widget's panel and an e-mail's header look with these colours, as they are typed. */
function BrandPreview({
  shopName,
  logoUrl,
  primary,
  accent,
}: {
  shopName: string;
  logoUrl: string | null;
  primary: string;
  accent: string;
}) {
  const [broken, setBroken] = useState<string | null>(null);
  const logo =
    logoUrl && logoUrl.startsWith('https://') && broken !== logoUrl ? (
      <img
        src={logoUrl}
        alt=""
        referrerPolicy="no-referrer"
        height={28}
        style={{ maxWidth: 120, objectFit: 'contain' }}
        onError={() => setBroken(logoUrl)}
      />
    ) : null;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="preview-title">
      <Title order={2} size="h4" id="preview-title" mb="sm">
        <FormattedMessage id="settings.brand.preview" />
      </Title>
      <Stack gap="md" data-testid="brand-preview">
        <div>
          <Text size="sm" fw={600} mb={4}>
            <FormattedMessage id="settings.brand.previewEmail" />
          </Text>
          <Box style={{ border: '1px solid var(--mantine-color-gray-4)', borderRadius: 6 }}>
            <Group
              px="md"
              py="sm"
              gap="sm"
              style={{ background: primary, color: textOn(primary), borderRadius: '6px 6px 0 0' }}
              data-testid="preview-header"
            >
              {logo}
              <Text fw={700} c="inherit">
                {shopName}
              </Text>
            </Group>
            <Box p="md">
              <Text size="sm">
                <FormattedMessage id="settings.brand.previewEmailBody" />
              </Text>
            </Box>
          </Box>
        </div>
        <div>
          <Text size="sm" fw={600} mb={4}>
            <FormattedMessage id="settings.brand.previewWidget" />
          </Text>
          <Box
            maw={280}
            style={{
              border: '1px solid var(--mantine-color-gray-4)',
              borderRadius: 12,
              overflow: 'hidden',
            }}
          >
            <Box px="md" py="sm" style={{ background: primary, color: textOn(primary) }}>
              <Text size="sm" c="inherit">
                <FormattedMessage id="settings.brand.previewPoints" />
              </Text>
              <Text fw={700} size="xl" c="inherit">
                <FormattedMessage id="settings.brand.previewBalance" />
              </Text>
            </Box>
            <Box p="md">
              <Box
                component="span"
                px="md"
                py={6}
                style={{
                  display: 'inline-block',
                  background: accent,
                  color: textOn(accent),
                  borderRadius: 6,
                  fontWeight: 600,
                  fontSize: 14,
                }}
              >
                <FormattedMessage id="settings.brand.previewRedeem" />
              </Box>
            </Box>
          </Box>
        </div>
      </Stack>
    </Paper>
  );
}
