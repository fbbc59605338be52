import { newId } from '../shared/ids.ts';
import type { BatchState } from './batch-state.ts';
import type { DataRequestFacts } from './facts.ts';

/** RODO Art. 12(3) gives a month; Shopify asks for the data within 30 days. */
const ANSWER_WITHIN_MS = 30 * 86_400_000;

/**
 * A customer asked the shop for their data through the platform (Shopify customers/data_request).
 * Lojal's part of the answer is the export `GET /v1/customers/{id}/export` gives; the shop must
 * send it, so the request becomes an open task on the customer, due in 30 days, listed by
 * `GET /v1/tasks`. A customer Lojal does not know has no data here: nothing to do (false).
 */
export function applyDataRequest(state: BatchState, request: DataRequestFacts): boolean {
  const customer = state.customers.get(request.customerExternalId);
  if (!customer) return false;
  const ref = request.requestId ? ` ${request.requestId}` : '';
  const path = `GET /v1/customers/${request.customerExternalId}/export`;
  state.newTasks.push({
    id: newId('tsk'),
    customerId: customer.id,
    title:
      state.locale === 'pl'
        ? `Shopify: klient prosi o swoje dane (zgłoszenie${ref}). Wyślij mu eksport danych z Lojal: ${path}`
        : `Shopify: the customer asks for their data (request${ref}). Send them Lojal's data export: ${path}`,
    dueAt: new Date(request.requestedAt.getTime() + ANSWER_WITHIN_MS),
    source: request.source,
  });
  return true;
}
