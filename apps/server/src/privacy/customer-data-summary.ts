import type { CustomerExport } from '../customers/export-customer-data.ts';
import { SUMMARY_TEXTS as T } from '../customers/customer-data-texts.ts';
import { formatDate, plural, type Locale } from '../shared/i18n.ts';
import { mm, newPdf, pdfBytes } from '../printables/pdf-page.ts';

/** Rows shown per table in the readable summary; the JSON export has them all. */
const ROWS_SHOWN = 25;
const VALUE_CHARS = 300;

interface Line {
  label: string;
  value: string;
}

/** The summary's blocks: per kind its title, purpose, source, and each table's rows as lines. */
function summaryBlocks(data: CustomerExport, lang: Locale) {
  return data.data.map((kind) => ({
    title: kind.title,
    purpose: kind.purpose,
    source: kind.source,
    tables: Object.entries(kind.records)
      .filter(([, rows]) => rows.length > 0)
      .map(([table, rows]) => ({
        table,
        count: plural(lang, rows.length, T.records[lang]),
        rows: rows.slice(0, ROWS_SHOWN).map(rowLines),
        more:
          rows.length > ROWS_SHOWN
            ? T.more[lang].replace('{n}', String(rows.length - ROWS_SHOWN))
            : null,
      })),
  }));
}

function rowLines(row: Record<string, unknown>): Line[] {
  const out: Line[] = [];
  for (const [label, value] of Object.entries(row)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    let text =
      value instanceof Date
        ? value.toISOString()
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
    if (text === '{}') continue;
    if (text.length > VALUE_CHARS) text = `${text.slice(0, VALUE_CHARS)}…`;
    out.push({ label, value: text });
  }
  return out;
}

function intro(data: CustomerExport, lang: Locale, timezone: string): string {
  return T.intro[lang]
    .replace('{shop}', data.shop.name)
    .replace('{date}', formatDate(data.exportedAt, timezone, lang, 'datetime'));
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A readable page of the export, in Polish or English, for the person or the shop to print. */
export function customerDataHtml(data: CustomerExport, lang: Locale, timezone: string): string {
  const blocks = summaryBlocks(data, lang);
  const body = blocks
    .map(
      (b) => `<section>
<h2>${escape(b.title)}</h2>
<p><strong>${T.purpose[lang]}:</strong> ${escape(b.purpose)}</p>
<p><strong>${T.source[lang]}:</strong> ${escape(b.source)}</p>
${
  b.tables.length === 0
    ? `<p class="none">${T.nothing[lang]}</p>`
    : b.tables
        .map(
          (t) => `<h3>${escape(t.table)} <small>(${escape(t.count)})</small></h3>
${t.rows
  .map(
    (r) =>
      `<dl>${r.map((l) => `<dt>${escape(l.label)}</dt><dd>${escape(l.value)}</dd>`).join('')}</dl>`,
  )
  .join('\n')}${t.more ? `<p class="none">${escape(t.more)}</p>` : ''}`,
        )
        .join('\n')
}
</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${T.title[lang]} · ${escape(data.shop.name)}</title>
<style>
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;max-width:52rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.6rem;margin:0 0 .5rem}h2{font-size:1.2rem;margin:2rem 0 .25rem;padding-top:1rem;border-top:1px solid #d8dce4}
h3{font-size:.95rem;margin:1rem 0 .25rem;font-family:ui-monospace,monospace}h3 small{font-family:system-ui,sans-serif;color:#5b6475;font-weight:400}
p{margin:.25rem 0}.none{color:#5b6475}.meta{color:#5b6475}
dl{display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.1rem .75rem;margin:.4rem 0;padding:.5rem .75rem;background:#f4f6f9;border-radius:6px;font-size:.85rem}
dt{color:#5b6475;font-family:ui-monospace,monospace}dd{margin:0;overflow-wrap:anywhere}
@media (max-width:30rem){dl{grid-template-columns:1fr}dd{margin-bottom:.3rem}}
</style></head>
<body>
<h1>${T.title[lang]}</h1>
<p class="meta">${escape(data.shop.name)} · ${T.customer[lang]}: ${escape(data.customerId)}</p>
<p>${escape(intro(data, lang, timezone))}</p>
${body}
</body></html>`;
}

/** The same summary as an A4 PDF. */
export async function customerDataPdf(
  data: CustomerExport,
  lang: Locale,
  timezone: string,
): Promise<Buffer> {
  const doc = newPdf({
    widthMm: 210,
    heightMm: 297,
    marginMm: 18,
    title: `${T.title[lang]} · ${data.shop.name}`,
    author: data.shop.name,
    lang,
  });
  const ink = '#1d2330';
  const grey = '#5b6475';
  const width = mm(210 - 36);
  doc.font('bold').fontSize(18).fillColor(ink).text(T.title[lang], { width });
  doc
    .font('regular')
    .fontSize(9)
    .fillColor(grey)
    .text(`${data.shop.name} · ${T.customer[lang]}: ${data.customerId}`, { width });
  doc
    .moveDown(0.5)
    .fontSize(10)
    .fillColor(ink)
    .text(intro(data, lang, timezone), { width });
  for (const b of summaryBlocks(data, lang)) {
    doc.moveDown(1).font('bold').fontSize(13).fillColor(ink).text(b.title, { width });
    doc.font('bold').fontSize(9).text(`${T.purpose[lang]}: `, { continued: true, width });
    doc.font('regular').text(b.purpose, { width });
    doc.font('bold').text(`${T.source[lang]}: `, { continued: true, width });
    doc.font('regular').text(b.source, { width });
    if (b.tables.length === 0) doc.fillColor(grey).text(T.nothing[lang], { width }).fillColor(ink);
    for (const t of b.tables) {
      doc.moveDown(0.4).font('bold').fontSize(9.5).text(`${t.table} (${t.count})`, { width });
      for (const [i, row] of t.rows.entries()) {
        doc.moveDown(0.3);
        if (i > 0) {
          // A hairline between records, so one row's fields do not run into the next's.
          const y = doc.y - mm(0.8);
          doc
            .moveTo(mm(18), y)
            .lineTo(mm(18) + width, y)
            .lineWidth(0.3)
            .strokeColor('#c9ced8')
            .stroke();
        }
        for (const line of row) {
          doc.font('regular').fontSize(8).fillColor(grey).text(`${line.label}: `, {
            continued: true,
            width,
          });
          doc.fillColor(ink).text(line.value, { width });
        }
      }
      if (t.more) doc.fontSize(8).fillColor(grey).text(t.more, { width }).fillColor(ink);
    }
  }
  return pdfBytes(doc);
}
