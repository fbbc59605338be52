import type { ReactNode } from 'react';
import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { Link, useMatchRoute } from '@tanstack/react-router';
import { FormattedMessage, useIntl } from 'react-intl';

const TABS = [
  { to: '/referrals', label: 'referrals.tab.campaigns' },
  { to: '/referrals/review', label: 'referrals.tab.review' },
  { to: '/referrals/results', label: 'referrals.tab.results' },
  { to: '/referrals/sharing', label: 'referrals.tab.sharing' },
  { to: '/referrals/affiliates', label: 'referrals.tab.affiliates' },
] as const;

/** The referral area's frame: its title, the page's lead, and links between its pages. */
export function ReferralsFrame({
  title,
  lead,
  actions,
  children,
}: {
  title: string;
  lead: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const intl = useIntl();
  const matchRoute = useMatchRoute();
  return (
    <Stack gap="lg">
      <nav aria-label={intl.formatMessage({ id: 'referrals.tabs' })}>
        <Group gap={4} wrap="wrap">
          {TABS.map((tab) => {
            const active = Boolean(matchRoute({ to: tab.to }));
            return (
              <Button
                key={tab.to}
                component={Link}
                to={tab.to}
                size="compact-sm"
                variant={active ? 'filled' : 'subtle'}
                aria-current={active ? 'page' : undefined}
              >
                <FormattedMessage id={tab.label} />
              </Button>
            );
          })}
        </Group>
      </nav>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={1} size="h2">
            {title}
          </Title>
          <Text size="sm" c="dimmed">
            {lead}
          </Text>
        </div>
        {actions}
      </Group>
      {children}
    </Stack>
  );
}
