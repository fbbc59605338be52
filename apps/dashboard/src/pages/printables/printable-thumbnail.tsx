import type { Printable } from './types.ts';

const DEFAULT_PRIMARY = '#1f6f5c';
const DEFAULT_ACCENT = '#e8590c';

/**
 * A small drawing of the printable's layout in the shop's colours (the paper's proportions, the
 * colour band, where the QR code sits): a guide to tell them apart, not the PDF itself — the
 * preview button shows that.
 */
export function PrintableThumbnail({
  printable,
  primary,
  accent,
}: {
  printable: Printable;
  primary: string | null;
  accent: string | null;
}) {
  const p = primary ?? DEFAULT_PRIMARY;
  const a = accent ?? DEFAULT_ACCENT;
  const w = 84;
  const h = Math.round((w * printable.page.heightMm) / printable.page.widthMm);
  return (
    <svg width={w} height={h} viewBox={`0 0 ${w} ${h}`} aria-hidden="true" style={{ flex: 'none' }}>
      <rect x="0.5" y="0.5" width={w - 1} height={h - 1} fill="#fff" stroke="#adb5bd" />
      {printable.kind === 'table-tent' ? (
        <>
          <rect x="1" y="1" width="5" height={h - 2} fill={p} />
          <line x1="0" y1={h / 2} x2={w} y2={h / 2} stroke="#868e96" strokeDasharray="3 2" />
          <Qr x={w - 30} y={8} size={22} />
          <Qr x={w - 30} y={h / 2 + 12} size={22} />
        </>
      ) : printable.kind === 'loyalty-card' ? (
        <>
          <rect x="8" y="14" width={(w - 16) / 2} height="21" rx="2" fill={p} />
          <rect
            x={w / 2}
            y="14"
            width={(w - 16) / 2}
            height="21"
            rx="2"
            fill="#fff"
            stroke="#868e96"
          />
          <Qr x={w / 2 + 3} y={17} size={15} />
        </>
      ) : (
        <>
          <rect x="1" y={h * 0.15} width={w - 2} height={h * 0.19} fill={p} />
          <Qr x={(w - w * 0.43) / 2} y={h * 0.53} size={w * 0.43} />
          <rect x="1" y={h - 4} width={w - 2} height="3" fill={a} />
        </>
      )}
    </svg>
  );
}

function Qr({ x, y, size }: { x: number; y: number; size: number }) {
  const c = size / 7;
  return (
    <g>
      <rect x={x} y={y} width={size} height={size} fill="#fff" stroke="#212529" strokeWidth={c} />
      <rect x={x + 2 * c} y={y + 2 * c} width={3 * c} height={3 * c} fill="#212529" />
    </g>
  );
}
