import { useMutation, useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../../api/client.ts';
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
    mutationFn: async (path: string) => {
      const response = await fetch(path, {
        headers: { accept: 'application/pdf', 'lojal-shop': membership.id },
        credentials: 'same-origin',
      });
      if (!response.ok) {
        const problem = (await response.json().catch(() => ({}))) as {
          type?: string;
          title?: string;
          detail?: string;
        };
        const retry = Number(response.headers.get('retry-after'));
        throw new ApiError(
          response.status,
          problem.type ?? `http-${response.status}`,
          problem.title ?? response.statusText,
          problem.detail,
          [],
          Number.isFinite(retry) && retry > 0 ? retry : null,
        );
      }
      return URL.createObjectURL(await response.blob());
    },
  });
}

/** Hands an object URL over as a file download. */
export function saveAs(url: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
