import type { BatchState } from './batch-state.ts';
import type { ProductFacts } from './facts.ts';

/**
 * Keeps the newest description of a product seen in the batch; the save writes it only over an
 * older stored one, so deliveries in any order end with the newest.
 */
export function applyProductFacts(state: BatchState, facts: ProductFacts): void {
  const seen = state.products.get(facts.externalId);
  if (!seen || facts.asOf >= seen.asOf) state.products.set(facts.externalId, facts);
}
