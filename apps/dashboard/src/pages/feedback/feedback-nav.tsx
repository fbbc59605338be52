import { Anchor, Group, Title } from '@mantine/core';
import { Link, useMatchRoute } from '@tanstack/react-router';
import { FormattedMessage, useIntl } from 'react-intl';

const SECTIONS = [
  { to: '/feedback', label: 'feedback.tab.results' },
  { to: '/feedback/reviews', label: 'feedback.tab.reviews' },
  { to: '/feedback/tasks', label: 'feedback.tab.tasks' },
] as const;

/** The feedback pages' title and the links between their three parts. */
export function FeedbackHeader() {
  const intl = useIntl();
  const matchRoute = useMatchRoute();
  return (
    <>
      <Title order={1}>
        <FormattedMessage id="feedback.title" />
      </Title>
      <Group component="nav" aria-label={intl.formatMessage({ id: 'feedback.sections' })} gap="lg">
        {SECTIONS.map((s) => {
          const current = !!matchRoute({ to: s.to });
          return (
            <Anchor
              key={s.to}
              component={Link}
              to={s.to}
              fw={current ? 700 : 400}
              underline={current ? 'always' : 'hover'}
              aria-current={current ? 'page' : undefined}
            >
              {intl.formatMessage({ id: s.label })}
            </Anchor>
          );
        })}
      </Group>
    </>
  );
}
