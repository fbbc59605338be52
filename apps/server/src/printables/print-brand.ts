import type { FetchLike } from '../messaging/sms-provider.ts';
import { BoundedCache } from '../shared/bounded-cache.ts';

/** What a printable takes from the shop's brand kit. */
export interface PrintBrand {
  shopName: string;
  primary: string;
  accent: string;
  /** Black or white, whichever reads better on `primary`. */
  onPrimary: string;
  /** The logo as PNG or JPEG bytes (what a PDF can embed), or null: the name is set instead. */
  logo: Buffer | null;
}

export const DEFAULT_PRIMARY = '#1f6f5c';
const DEFAULT_ACCENT = '#e8590c';
const HEX = /^#[0-9a-f]{6}$/i;

export function printBrand(input: {
  shopName: string;
  primary: string | null | undefined;
  accent: string | null | undefined;
  logo: Buffer | null;
}): PrintBrand {
  const primary = input.primary && HEX.test(input.primary) ? input.primary : DEFAULT_PRIMARY;
  const accent = input.accent && HEX.test(input.accent) ? input.accent : DEFAULT_ACCENT;
  return {
    shopName: input.shopName,
    primary,
    accent,
    onPrimary: textOn(primary),
    logo: input.logo,
  };
}

/** WCAG relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** Black or white on this background, by WCAG contrast (as the dashboard's brand kit preview). */
export function textOn(hex: string): string {
  const l = luminance(hex);
  return (l + 0.05) / 0.05 > 1.05 / (l + 0.05) ? '#000000' : '#ffffff';
}

/** Whether text in this colour reads on white paper (contrast at least 4.5, WCAG AA). */
export function readsOnWhite(hex: string): boolean {
  return 1.05 / (luminance(hex) + 0.05) >= 4.5;
}

const MAX_LOGO_BYTES = 2 * 1024 * 1024;
const LOGO_TIMEOUT_MS = 3000;
const logos = new BoundedCache<string, { bytes: Buffer | null; at: number }>(200);
const LOGO_TTL_MS = 10 * 60 * 1000;

/**
 * The brand kit's logo, fetched through the outbound guard (public addresses only, no
 * redirects) with a short timeout and kept ten minutes per address. Only PNG and JPEG can go
 * into the PDF; anything else (SVG, WebP, an error page) or a failure gives null, and the
 * printable sets the shop's name in its place rather than failing.
 */
export async function loadLogo(
  url: string | null,
  fetch: FetchLike,
  now: number = Date.now(),
): Promise<Buffer | null> {
  if (!url) return null;
  const hit = logos.get(url);
  if (hit && now - hit.at < LOGO_TTL_MS) return hit.bytes;
  let bytes: Buffer | null = null;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(LOGO_TIMEOUT_MS) });
    if (response.ok) {
      const body = Buffer.from(await response.arrayBuffer());
      if (body.length <= MAX_LOGO_BYTES && imageKind(body)) bytes = body;
    }
  } catch {
    bytes = null;
  }
  logos.set(url, { bytes, at: now });
  return bytes;
}

/** PNG or JPEG by their magic bytes; null for anything else. */
export function imageKind(bytes: Buffer): 'png' | 'jpeg' | null {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}
