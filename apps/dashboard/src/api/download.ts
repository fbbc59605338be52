import { ApiError } from './client.ts';

/**
 * Fetches a file (a CSV) with the session and the shop header, as every call is made (a plain
 * link could not send the header), and hands it to the browser as a download.
 */
export async function downloadFile(path: string, shopId: string, fileName: string): Promise<void> {
  const response = await fetch(path, {
    headers: { accept: 'text/csv', 'lojal-shop': shopId },
    credentials: 'same-origin',
  });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as {
      type?: string;
      title?: string;
      detail?: string;
    };
    throw new ApiError(
      response.status,
      problem.type ?? `http-${response.status}`,
      problem.title ?? response.statusText,
      problem.detail,
      [],
      null,
    );
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
