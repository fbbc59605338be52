/** Colours from the brand kit, and a text colour that stays readable on them (WCAG contrast). */
export const DEFAULT_PRIMARY = '#1f4b99';

export function safeColor(value: string | null | undefined, fallback = DEFAULT_PRIMARY): string {
  return value && /^#[0-9a-f]{6}$/i.test(value) ? value : fallback;
}

function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** White or near-black, whichever contrasts more with `hex`. */
export function textOn(hex: string): string {
  const l = luminance(hex);
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? '#ffffff' : '#111111';
}
