import type { PhotoType } from '../db/schema.ts';

export const PHOTO_MAX_BYTES = 2 * 1024 * 1024;
const TYPES: readonly PhotoType[] = ['image/jpeg', 'image/png', 'image/webp'];
const NAMES: Record<PhotoType, string> = {
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WebP',
};

export type PhotoCheck =
  | { ok: true; photo: { contentType: PhotoType; bytes: Buffer } }
  | { ok: false; reason: 'too_large' | 'not_image'; message: string };

/**
 * A photo sent as a data URL (`data:image/png;base64,…`), accepted only when its bytes really
 * are the image type it claims: the declared type alone is the sender's word, and a browser
 * shown the photo later must not be able to read it as anything else.
 */
export function readPhotoDataUrl(dataUrl: string): PhotoCheck {
  const match = /^data:([^;,]*)(;base64)?,/i.exec(dataUrl);
  if (!match) {
    return fail('must be a data URL of a JPEG, PNG or WebP image (data:image/jpeg;base64,…)');
  }
  const declared = match[1]!.toLowerCase() as PhotoType;
  if (!TYPES.includes(declared)) {
    return fail(
      `is a data URL of type "${match[1] || 'text/plain'}"; only image/jpeg, image/png and image/webp are accepted`,
    );
  }
  if (!match[2]) return fail('must be base64-encoded (data:image/…;base64,…)');
  const encoded = dataUrl.slice(match[0].length).replace(/\s+/g, '');
  // Checked before decoding, so an oversized upload costs no memory.
  if (Math.floor((encoded.length * 3) / 4) - padding(encoded) > PHOTO_MAX_BYTES) {
    return { ok: false, reason: 'too_large', message: 'is larger than the limit of 2 MB' };
  }
  if (encoded.length === 0 || encoded.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) {
    return fail('is not valid base64');
  }
  const bytes = Buffer.from(encoded, 'base64');
  const actual = sniffImage(bytes);
  if (actual !== declared) {
    return fail(
      actual
        ? `declares ${declared} but contains a ${NAMES[actual]} image`
        : `declares ${declared} but its content is not a ${NAMES[declared]} image`,
    );
  }
  return { ok: true, photo: { contentType: declared, bytes } };
}

/** The image type the magic bytes say, or null. */
export function sniffImage(bytes: Buffer): PhotoType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return 'image/jpeg';
  }
  if (
    bytes.length >= 8 &&
    bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  ) {
    return 'image/png';
  }
  if (
    bytes.length >= 12 &&
    bytes.toString('latin1', 0, 4) === 'RIFF' &&
    bytes.toString('latin1', 8, 12) === 'WEBP'
  ) {
    return 'image/webp';
  }
  return null;
}

function padding(encoded: string): number {
  return encoded.endsWith('==') ? 2 : encoded.endsWith('=') ? 1 : 0;
}

function fail(message: string): PhotoCheck {
  return { ok: false, reason: 'not_image', message };
}
