import { writeFile } from 'node:fs/promises';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';

const WIDTH = 640;
const HEIGHT = 480;

/**
 * A Y4M video (4:2:0, one frame, which Chromium loops) of `text` as a QR code on white, for
 * Chromium's fake camera (`--use-file-for-fake-video-capture`): the QR is rendered by the
 * `qrcode` package to a PNG, its pixels become the luma plane, the chroma planes stay grey.
 */
export async function writeQrVideo(file: string, text: string): Promise<void> {
  const png = PNG.sync.read(
    await QRCode.toBuffer(text, { errorCorrectionLevel: 'M', margin: 4, scale: 6 }),
  );
  if (png.width > WIDTH || png.height > HEIGHT) throw new Error('the QR code is too big');
  const luma = Buffer.alloc(WIDTH * HEIGHT, 235); // white, in video range
  const left = Math.floor((WIDTH - png.width) / 2);
  const top = Math.floor((HEIGHT - png.height) / 2);
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const i = (y * png.width + x) * 4;
      const grey = (png.data[i]! + png.data[i + 1]! + png.data[i + 2]!) / 3;
      luma[(top + y) * WIDTH + left + x] = grey < 128 ? 16 : 235;
    }
  }
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2), 128);
  await writeFile(
    file,
    Buffer.concat([
      Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\n`),
      Buffer.from('FRAME\n'),
      luma,
      chroma,
      chroma,
    ]),
  );
}

/** Chromium's switches for a camera that shows `file` and a permission already granted. */
export const fakeCamera = (file: string) => [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  `--use-file-for-fake-video-capture=${file}`,
];
