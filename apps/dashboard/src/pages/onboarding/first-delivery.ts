import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { useShop } from '../../layout/shop-context.ts';

export interface InboundEvent {
  id: string;
  source: 'api' | 'shopify' | 'woocommerce';
  topic: string;
  receivedAt: string;
}

/**
 * The shop's newest inbound event (GET /v1/events?limit=1), asked again every few seconds
 * while there is none; polling stops once the first delivery is there.
 */
export function useFirstDelivery(poll: boolean) {
  const { membership } = useShop();
  return useQuery({
    queryKey: ['events-newest', membership.id],
    queryFn: () => api<{ data: InboundEvent[] }>('GET', '/v1/events', { query: { limit: 1 } }),
    refetchInterval: (query) => (poll && (query.state.data?.data.length ?? 0) === 0 ? 3000 : false),
  });
}
