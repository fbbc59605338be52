import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/shared/to-csv.ts';

describe('CSV exports', () => {
  it('quote what needs quoting and keep numbers as numbers', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['Kowalski, Jan', -120],
          ['say "hi"', null],
        ],
      ),
    ).toBe('a,b\r\n"Kowalski, Jan",-120\r\n"say ""hi""",\r\n');
  });

  it('never hand a spreadsheet a formula from text', () => {
    const csv = toCsv(
      ['name'],
      [['=HYPERLINK("http://x")'], ['+48 600'], ['-1'], ['@SUM(A1)'], ['Ala']],
    );
    expect(csv.split('\r\n').slice(1, 6)).toEqual([
      `"'=HYPERLINK(""http://x"")"`,
      "'+48 600",
      "'-1",
      "'@SUM(A1)",
      'Ala',
    ]);
  });
});
