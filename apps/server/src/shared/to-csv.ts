/**
 * RFC 4180 CSV: a header row, then one row per record; fields quoted when they need it. Text
 * that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return —
 * a customer's name can be anything) gets a leading apostrophe; numbers stay numbers.
 */
export function toCsv(header: string[], rows: Array<Array<string | number | null>>): string {
  const field = (value: string | number | null) => {
    let text = value === null ? '' : String(value);
    if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}
