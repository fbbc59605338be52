import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { fetchFile } from '../../api/download.ts';
import { useShop } from '../../layout/shop-context.ts';
import type { PrintLanguage, PrintableCatalogue, PrintableKind } from './types.ts';

export function usePrintables() {
  const { membership } = useShop();
  return useQuery({
    queryKey: ['printables', membership.id],
    queryFn: () => api<PrintableCatalogue>('GET', '/v1/printables'),
  });
}

/** Where a printable's PDF is: the shop's own, or one customer's. */
export function pdfPath(kind: PrintableKind, lang: PrintLanguage, customerId?: string): string {
  const file = `${encodeURIComponent(kind)}.pdf?lang=${lang}`;
  return customerId === undefined
    ? `/v1/printables/${file}`
    : `/v1/customers/${encodeURIComponent(customerId)}/printables/${file}`;
}

/**
 * A PDF fetched with the session like every call (a plain link could not send the shop
 * header), as an object URL the page downloads or shows; the caller revokes it.
 */
export function usePdf() {
  const { membership } = useShop();
  return useMutation({
    mutationFn: async (path: string) =>
      URL.createObjectURL(await fetchFile(path, membership.id, 'application/pdf')),
  });
}
