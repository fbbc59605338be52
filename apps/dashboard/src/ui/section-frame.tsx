import type { ReactNode } from 'react';
import { Anchor, Group, Stack, Text, Title } from '@mantine/core';
import { Link, useMatchRoute } from '@tanstack/react-router';
import { FormattedMessage, useIntl } from 'react-intl';

export interface Section {
  to: string;
  /** A message id. */
  label: string;
}

/**
 * An area of several pages (settings, messages): the menu of its pages as links, the current
 * one marked, then the page's title, an intro and the page.
 */
export function SectionFrame({
  navLabel,
  testId,
  sections,
  title,
  intro,
  children,
}: {
  /** The message id naming the area's menu for screen readers. */
  navLabel: string;
  testId: string;
  sections: readonly Section[];
  title: string;
  intro?: ReactNode;
  children: ReactNode;
}) {
  const intl = useIntl();
  const matchRoute = useMatchRoute();
  return (
    <Stack gap="md">
      <nav aria-label={intl.formatMessage({ id: navLabel })}>
        <Group gap="md" wrap="wrap" data-testid={testId}>
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
