import { newId } from '../shared/ids.ts';
import type { BatchState } from './batch-state.ts';
import type { ActivityFacts } from './facts.ts';
import { applyCustomerFacts } from './apply-customer-facts.ts';

/**
 * Records something a customer did (a review, a newsletter sign-up, a follow, a custom event).
 * An activity of a customer Lojal has not seen yet creates the customer, as an order does.
 */
export function applyActivity(state: BatchState, activity: ActivityFacts): void {
  const customerId = applyCustomerFacts(state, activity.customer);
  const id = newId('act');
  state.newActivities.push({
    id,
    customerId,
    type: activity.type,
    externalId: activity.externalId,
    data: activity.data,
    occurredAt: activity.occurredAt,
  });
  state.domainEvents.push({
    type: 'activity.recorded',
    shopId: state.shopId,
    customerId,
    activityId: id,
    externalId: activity.externalId,
    activityType: activity.type,
    data: activity.data,
    at: activity.occurredAt,
  });
}
