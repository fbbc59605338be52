import { useMemo } from 'react';
import { Box } from '@mantine/core';
import { pageNonce, previewDocument } from './preview-document.ts';

/**
 * An e-mail shown as it arrives, in a sandboxed frame that runs no script and reaches nothing
 * of the dashboard (no allow-scripts, no allow-same-origin), at a given width.
 */
export function MailFrame({
  html,
  title,
  width,
  height = 640,
}: {
  html: string;
  title: string;
  width: number | '100%';
  height?: number;
}) {
  const srcDoc = useMemo(() => previewDocument(html, pageNonce()), [html]);
  return (
    <Box
      style={{ width, maxWidth: '100%', border: '1px solid var(--mantine-color-gray-4)' }}
      bg="white"
    >
      <iframe
        title={title}
        sandbox=""
        srcDoc={srcDoc}
        style={{ display: 'block', width: '100%', height, border: 0 }}
      />
    </Box>
  );
}
