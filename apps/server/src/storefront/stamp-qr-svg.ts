import QRCode from 'qrcode';

/**
 * A QR code as an SVG string for a screen: medium error correction and the standard four-module
 * quiet zone, so a till's scanner reads it from a phone held at arm's length.
 */
export async function qrSvg(payload: string): Promise<string> {
  return QRCode.toString(payload, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
}
