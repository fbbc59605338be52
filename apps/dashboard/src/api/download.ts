import { ApiError } from './client.ts';

/**
 * Fetches a file (a CSV, a PDF) with the session and the shop header, as every call is made (a
 * plain link could not send the header); a refusal becomes an `ApiError` like any call's.
 */
export async function fetchFile(path: string, shopId: string, accept: string): Promise<Blob> {
  const response = await fetch(path, {
    headers: { accept, 'lojal-shop': shopId },
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
  return response.blob();
}

/** Hands an object URL over to the browser as a file to save, and revokes it afterwards. */
export function saveUrl(url: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Hands a file made in the page (a table's CSV) to the browser to save. */
export function saveBlob(blob: Blob, fileName: string): void {
  saveUrl(URL.createObjectURL(blob), fileName);
}

/** Fetches a CSV of the API and hands it to the browser as a download. */
export async function downloadFile(path: string, shopId: string, fileName: string): Promise<void> {
  saveBlob(await fetchFile(path, shopId, 'text/csv'), fileName);
}
