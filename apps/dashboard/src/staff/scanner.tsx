import { useEffect, useRef, useState } from 'react';
import { useT } from './i18n.ts';

interface Detector {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
type JsQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;

/**
 * The platform's BarcodeDetector where the browser has one (Android's Chrome), otherwise the JS
 * decoder, loaded only then (its own chunk, never in the first load).
 */
async function makeReader(): Promise<(video: HTMLVideoElement) => Promise<string | null>> {
  const Native = (window as unknown as { BarcodeDetector?: new (o: object) => Detector })
    .BarcodeDetector;
  if (Native) {
    const detector = new Native({ formats: ['qr_code'] });
    return async (video) => (await detector.detect(video))[0]?.rawValue ?? null;
  }
  const jsQR = (await import('jsqr')).default as unknown as JsQr;
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  return async (video) => {
    const width = video.videoWidth;
    const height = video.videoHeight;
    if (width === 0 || height === 0) return null;
    canvas.width = width;
    canvas.height = height;
    context.drawImage(video, 0, 0, width, height);
    const image = context.getImageData(0, 0, width, height);
    return jsQR(image.data, width, height)?.data ?? null;
  };
}

/** The camera, full width, until a QR code is read: then `onCode` once, and the camera stops. */
export function Scanner({
  onCode,
  onClose,
}: {
  onCode: (text: string) => void;
  onClose: () => void;
}) {
  const { t } = useT();
  const video = useRef<HTMLVideoElement>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const done = useRef(onCode);
  useEffect(() => {
    done.current = onCode;
  }, [onCode]);

  useEffect(() => {
    let stopped = false;
    let stream: MediaStream | null = null;
    let timer: number | undefined;
    (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: 'environment' },
          audio: false,
        });
        if (stopped) return;
        const element = video.current!;
        element.srcObject = stream;
        await element.play();
        const read = await makeReader();
        const tick = async () => {
          if (stopped) return;
          const text = await read(element).catch(() => null);
          if (stopped) return;
          if (text) {
            stopped = true;
            stream?.getTracks().forEach((track) => track.stop());
            done.current(text);
            return;
          }
          timer = window.setTimeout(() => void tick(), 150);
        };
        void tick();
      } catch (error) {
        if (!stopped) setFailure((error as Error).message || String(error));
      }
    })();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, []);

  return (
    <section className="scanner" aria-labelledby="scan-title">
      <h2 id="scan-title">{t('scan.title')}</h2>
      {failure ? (
        <p role="alert" className="notice error">
          {t('scan.noCamera', { reason: failure })}
        </p>
      ) : (
        <>
          <p>{t('scan.hint')}</p>
          <video ref={video} muted playsInline aria-label={t('scan.video')} />
        </>
      )}
      <button type="button" className="secondary" onClick={onClose}>
        {t('scan.stop')}
      </button>
    </section>
  );
}
