import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Text } from '@mantine/core';
import { FormattedMessage } from 'react-intl';
import { fetchFile, saveBlob } from '../../api/download.ts';
import { useShop } from '../../layout/shop-context.ts';
import { useProblemText } from '../problem-text.tsx';
import type { ExportJob } from './exports-data.ts';

const POLL_MS = 1500;

/**
 * A button that asks for a file made in the background (a whole-shop zip, an audience CSV),
 * waits for it, then saves it: one click, a "being prepared" state, the download or the reason.
 */
export function ExportButton(props: {
  label: string;
  start: () => Promise<ExportJob>;
  poll: (id: string) => Promise<ExportJob>;
  accept: string;
  testId?: string;
}) {
  const { membership } = useShop();
  const problemText = useProblemText();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [failed, setFailed] = useState(false);
  const [done, setDone] = useState<ExportJob | null>(null);
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );

  const run = async () => {
    setBusy(true);
    setError(null);
    setFailed(false);
    setDone(null);
    try {
      let job = await props.start();
      while (alive.current && (job.status === 'queued' || job.status === 'running')) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        job = await props.poll(job.id);
      }
      if (!alive.current) return;
      if (job.status !== 'done' || !job.downloadUrl) {
        setFailed(true);
        return;
      }
      saveBlob(await fetchFile(job.downloadUrl, membership.id, props.accept), job.fileName);
      setDone(job);
    } catch (caught) {
      if (alive.current) setError(caught);
    } finally {
      if (alive.current) setBusy(false);
    }
  };

  return (
    <>
      <Button
        variant="default"
        onClick={() => void run()}
        loading={busy}
        data-testid={props.testId}
      >
        {props.label}
      </Button>
      {busy && (
        <Text size="sm" c="dimmed" role="status">
          <FormattedMessage id="exports.preparing" />
        </Text>
      )}
      {done && (
        <Text size="sm" c="teal.8" role="status">
          <FormattedMessage
            id="exports.saved"
            values={{ file: done.fileName, rows: done.rows ?? 0 }}
          />
        </Text>
      )}
      {(error !== null || failed) && (
        <Alert color="red" role="alert">
          {failed ? <FormattedMessage id="exports.failed" /> : problemText(error)}
        </Alert>
      )}
    </>
  );
}
