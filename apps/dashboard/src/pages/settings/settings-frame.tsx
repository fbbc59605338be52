import type { ReactNode } from 'react';
import { Anchor, Group, Stack, Text, Title } from '@mantine/core';
import { Link, useMatchRoute } from '@tanstack/react-router';
import { FormattedMessage, useIntl } from 'react-intl';
import { useShop } from '../../layout/shop-context.ts';
import { canManage } from './settings-data.ts';

const SECTIONS = [
  { to: '/settings', label: 'settings.nav.shop', manage: false },
  { to: '/settings/brand', label: 'settings.nav.brand', manage: false },
  { to: '/settings/storefront', label: 'storefront.nav', manage: false },
  { to: '/settings/api-keys', label: 'settings.nav.apiKeys', manage: true },
  { to: '/settings/webhook-secret', label: 'settings.nav.webhookSecret', manage: true },
  { to: '/settings/connections', label: 'connections.nav', manage: true },
  { to: '/team', label: 'settings.nav.team', manage: false },
  { to: '/settings/audit-log', label: 'settings.nav.auditLog', manage: true },
] as const;

/**
 * Every settings page: its title and the settings menu. Keys, the webhook secret, connections
 * and the audit log are listed only for owners and admins (others get the forbidden state if they open them).
 */
export function SettingsFrame({
  title,
  intro,
  children,
}: {
  title: string;
  intro?: ReactNode;
  children: ReactNode;
}) {
  const intl = useIntl();
  const { membership } = useShop();
  const matchRoute = useMatchRoute();
  const sections = SECTIONS.filter((s) => !s.manage || canManage(membership.role));
  return (
    <Stack gap="md">
      <nav aria-label={intl.formatMessage({ id: 'settings.nav.label' })}>
        <Group gap="md" wrap="wrap" data-testid="settings-nav">
          {sections.map((s) => {
            const active = !!matchRoute({ to: s.to });
            return (
              <Anchor
                key={s.to}
                component={Link}
                to={s.to}
                size="sm"
                fw={active ? 700 : 400}
                underline={active ? 'always' : 'hover'}
                aria-current={active ? 'page' : undefined}
              >
                <FormattedMessage id={s.label} />
              </Anchor>
            );
          })}
        </Group>
      </nav>
      <div>
        <Title order={1} size="h2">
          {title}
        </Title>
        {intro && (
          <Text size="sm" c="dimmed" mt={4}>
            {intro}
          </Text>
        )}
      </div>
      {children}
    </Stack>
  );
}
