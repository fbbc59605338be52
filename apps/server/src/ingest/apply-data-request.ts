import { newId } from '../shared/ids.ts';
import type { BatchState } from './batch-state.ts';
import type { DataRequestFacts } from './facts.ts';

/** RODO Art. 12(3) gives a month; Shopify asks for the data within 30 days. */
const ANSWER_WITHIN_MS = 30 * 86_400_000;

/**
 * A customer asked the shop for their data through the platform (Shopify customers/data_request).
 * Lojal's part of the answer, the export, is made at once and kept for the merchant to download
 * (`GET /v1/customers/{id}/data-exports`, with an audit entry); the shop must send it, so the
 * request also becomes an open task on the customer, due in 30 days, listed by `GET /v1/tasks`. A customer Lojal does not know has no data here: nothing to do (false).
 */
export function applyDataRequest(state: BatchState, request: DataRequestFacts): boolean {
  const customer = state.customers.get(request.customerExternalId);
  if (!customer) return false;
  const ref = request.requestId ? ` ${request.requestId}` : '';
  const path = `GET /v1/customers/${request.customerExternalId}/data-exports`;
  state.newTasks.push({
    id: newId('tsk'),
    customerId: customer.id,
    title:
      state.locale === 'pl'
        ? `Shopify: klient prosi o swoje dane (zgłoszenie${ref}). Eksport danych z Lojal jest gotowy do pobrania i wysłania klientowi: ${path}`
        : `Shopify: the customer asks for their data (request${ref}). Lojal's data export is ready to download and send them: ${path}`,
    dueAt: new Date(request.requestedAt.getTime() + ANSWER_WITHIN_MS),
    source: request.source,
  });
  // The export itself is made and kept for the merchant (privacy/privacy-reaction.ts).
  state.domainEvents.push({
    type: 'customer.data-requested',
    shopId: state.shopId,
    customerId: customer.id,
    at: state.now,
    source: request.source,
    requestRef: request.requestId ?? null,
  });
  return true;
}
