import type { ReactNode } from 'react';
import { Anchor, Group, Stack, Text, Title } from '@mantine/core';
import { Link, useMatchRoute } from '@tanstack/react-router';
import { FormattedMessage, useIntl } from 'react-intl';

const SECTIONS = [
  { to: '/messages', label: 'messages.tab.log' },
  { to: '/messages/outbox', label: 'messages.tab.outbox' },
  { to: '/messages/templates', label: 'messages.tab.templates' },
  { to: '/messages/consent', label: 'messages.tab.consent' },
  { to: '/messages/settings', label: 'messages.tab.settings' },
] as const;

/** Every Messages page: its title, an intro, and the section menu. */
export function MessagesFrame({
  title,
  intro,
  children,
}: {
  title: string;
  intro?: ReactNode;
  children: ReactNode;
}) {
  const intl = useIntl();
  const matchRoute = useMatchRoute();
  return (
    <Stack gap="md">
      <nav aria-label={intl.formatMessage({ id: 'messages.tab.label' })}>
        <Group gap="md" wrap="wrap" data-testid="messages-nav">
          {SECTIONS.map((s) => {
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
