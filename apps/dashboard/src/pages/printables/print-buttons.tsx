import { Alert, Button, Group } from '@mantine/core';
import { useIntl } from 'react-intl';
import { useProblemText } from '../problem-text.tsx';
import { saveUrl } from '../../api/download.ts';
import { pdfPath, usePdf } from './printables-data.ts';
import type { PrintLanguage, PrintableKind } from './types.ts';

const LANGUAGES: PrintLanguage[] = ['pl', 'en'];

/**
 * Preview (the PDF in the browser's own viewer) and a download in each language,
 * for one printable: the shop's, or one customer's when `customerId` is given.
 */
export function PrintButtons({
  kind,
  customerId,
  fileStem,
}: {
  kind: PrintableKind;
  customerId?: string;
  fileStem: string;
}) {
  const intl = useIntl();
  const problemText = useProblemText();
  const pdf = usePdf();
  const name = intl.formatMessage({ id: `printables.kind.${kind}` });
  const wanted = intl.locale.startsWith('pl') ? 'pl' : 'en';

  const download = (lang: PrintLanguage) =>
    pdf.mutate(pdfPath(kind, lang, customerId), {
      onSuccess: (url) => saveUrl(url, `${fileStem}-${lang}.pdf`),
    });
  // The PDF in the browser's own viewer, in a new tab: the dashboard's policy embeds no frames.
  // The tab opens at the click (a pop-up blocker allows that), and gets the PDF once fetched.
  const showPreview = () => {
    const tab = window.open('', '_blank');
    pdf.mutate(pdfPath(kind, wanted, customerId), {
      onSuccess: (url) => {
        if (tab) tab.location.href = url;
        else window.location.assign(url);
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      },
      onError: () => tab?.close(),
    });
  };

  return (
    <>
      <Group gap="xs">
        <Button
          size="xs"
          variant="light"
          onClick={showPreview}
          loading={pdf.isPending}
          aria-label={intl.formatMessage({ id: 'printables.previewOf' }, { name })}
        >
          {intl.formatMessage({ id: 'printables.preview' })}
        </Button>
        {LANGUAGES.map((lang) => (
          <Button
            key={lang}
            size="xs"
            variant="default"
            onClick={() => download(lang)}
            disabled={pdf.isPending}
            // The visible words first (WCAG 2.5.3), then which printable.
            aria-label={intl.formatMessage(
              { id: 'printables.downloadNamed' },
              {
                download: intl.formatMessage(
                  { id: 'printables.download' },
                  { language: lang.toUpperCase() },
                ),
                name,
              },
            )}
          >
            {intl.formatMessage({ id: 'printables.download' }, { language: lang.toUpperCase() })}
          </Button>
        ))}
      </Group>
      {pdf.error && (
        <Alert color="red" role="alert" mt="xs">
          {problemText(pdf.error)}
        </Alert>
      )}
    </>
  );
}
