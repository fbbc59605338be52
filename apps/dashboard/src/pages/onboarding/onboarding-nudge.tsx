import { Alert, Anchor } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { FormattedMessage } from 'react-intl';
import { useFirstDelivery } from './first-delivery.ts';

/** On Home, while the shop has received nothing yet: the way to connect it. */
export function OnboardingNudge() {
  const delivery = useFirstDelivery(false);
  if (!delivery.data || delivery.data.data.length > 0) return null;
  return (
    <Alert color="teal" variant="light" data-testid="onboarding-nudge">
      <FormattedMessage id="home.nudge" />{' '}
      <Anchor component={Link} to="/onboarding" fw={700}>
        <FormattedMessage id="home.nudgeLink" />
      </Anchor>
    </Alert>
  );
}
