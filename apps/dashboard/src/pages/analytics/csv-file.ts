import { saveBlob } from '../../api/download.ts';

/** RFC 4180 text: fields with a comma, quote or line break are quoted, quotes doubled. */
export function toCsv(header: string[], rows: Array<Array<string | number | null>>): string {
  const field = (v: string | number | null) => {
    const text = v === null ? '' : String(v);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}

/**
 * Saves a table's figures as a CSV file: the same rows and columns as the table, values as
 * numbers a spreadsheet reads (money in major units, shares as fractions). UTF-8 with a byte
 * order mark, which Excel needs to read "ł".
 */
export function downloadCsv(name: string, csv: string): void {
  saveBlob(new Blob([`\uFEFF${csv}`], { type: 'text/csv;charset=utf-8' }), `${name}.csv`);
}
