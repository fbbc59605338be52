const STAR = 'M12 2.5l2.9 6.1 6.6.8-4.9 4.6 1.3 6.6L12 17.3l-5.9 3.3 1.3-6.6-4.9-4.6 6.6-.8z';

function Row({ className }: { className: string }) {
  return (
    <span class={className}>
      {[0, 1, 2, 3, 4].map((i) => (
        <svg key={i} viewBox="0 0 24 24" focusable="false">
          <path d={STAR} />
        </svg>
      ))}
    </span>
  );
}

/** Five stars filled to `value` (4.3 fills four and a third); the words say it to screen readers. */
export function Stars({
  value,
  label,
  size = 'small',
}: {
  value: number;
  label: string;
  size?: 'small' | 'large';
}) {
  const share = Math.max(0, Math.min(5, value)) / 5;
  return (
    <span class={`stars ${size}`} role="img" aria-label={label}>
      <Row className="off" />
      <span class="on" style={{ width: `${share * 100}%` }}>
        <Row className="row" />
      </span>
    </span>
  );
}
