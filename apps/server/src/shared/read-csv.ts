/** One record of a CSV file: the line it starts on (1 is the first line) and its fields. */
export interface CsvRecord {
  line: number;
  fields: string[];
  /** Why the record could not be read (an unclosed quote); its fields are then unusable. */
  error?: string;
}

/**
 * Reads RFC 4180 CSV from a stream of chunks, one record at a time, so a file of any size is
 * never held whole: quoted fields may hold commas, doubled quotes and line breaks; CRLF or LF
 * ends a record; a UTF-8 byte-order mark is dropped; blank lines are skipped. The delimiter is
 * a comma unless the first line has more semicolons than commas (a spreadsheet saved in a
 * Polish locale).
 */
export async function* readCsv(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<CsvRecord> {
  const decoder = new TextDecoder('utf-8');
  let delimiter: string | null = null;
  let delimiterCode = 44;
  let field = '';
  let fields: string[] = [];
  let quoted = false;
  // Inside quotes, a quote was just read: a second one is a literal quote, anything else ends the field.
  let quoteSeen = false;
  let afterQuote = false;
  let badQuote = false;
  let started = false;
  let line = 1;
  let start = 1;
  let first = true;
  let pendingCr = false;

  const finish = (): CsvRecord | null => {
    fields.push(field);
    const record: CsvRecord = { line: start, fields };
    if (badQuote) record.error = 'a quote inside a field that does not start with one';
    field = '';
    fields = [];
    afterQuote = false;
    badQuote = false;
    const blank = !started;
    started = false;
    return blank ? null : record;
  };

  for await (const chunk of chunks) {
    let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (text.length === 0) continue;
      first = false;
    }
    if (delimiter === null) {
      const firstLine = text.split('\n', 1)[0]!;
      delimiter = count(firstLine, ';') > count(firstLine, ',') ? ';' : ',';
      delimiterCode = delimiter.charCodeAt(0);
    }
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (pendingCr) {
        pendingCr = false;
        if (c === '\n') continue;
      }
      if (quoted) {
        if (quoteSeen) {
          quoteSeen = false;
          if (c === '"') {
            field += '"';
            continue;
          }
          quoted = false;
          afterQuote = true;
          // falls through: the character after the closing quote
        } else if (c === '"') {
          quoteSeen = true;
          continue;
        } else {
          // The quoted text up to the next quote, in one piece.
          let end = text.indexOf('"', i);
          if (end < 0) end = text.length;
          for (
            let at = text.indexOf('\n', i);
            at >= 0 && at < end;
            at = text.indexOf('\n', at + 1)
          ) {
            line++;
          }
          field += text.slice(i, end);
          i = end - 1;
          continue;
        }
      }
      if (c === delimiter) {
        fields.push(field);
        field = '';
        afterQuote = false;
        started = true;
      } else if (c === '\n' || c === '\r') {
        const record = finish();
        if (record) yield record;
        line++;
        start = line;
        pendingCr = c === '\r';
      } else if (c === '"' && field.length === 0 && !afterQuote) {
        quoted = true;
        started = true;
      } else {
        if (c === '"' || afterQuote) badQuote = true;
        // The plain text up to the next delimiter, line break or quote, in one piece.
        let end = i + 1;
        while (end < text.length) {
          const code = text.charCodeAt(end);
          if (code === delimiterCode || code === 10 || code === 13 || code === 34) break;
          end++;
        }
        field += end === i + 1 ? c : text.slice(i, end);
        i = end - 1;
        started = true;
      }
    }
  }
  if (quoted && !quoteSeen) {
    fields.push(field);
    yield { line: start, fields, error: 'a quoted field is never closed' };
    return;
  }
  const record = finish();
  if (record) yield record;
}

function count(text: string, c: string): number {
  let n = 0;
  for (const ch of text) if (ch === c) n++;
  return n;
}
