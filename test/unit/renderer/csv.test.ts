// CSV export quoting (RFC 4180) and spreadsheet formula neutralising.
import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../../renderer/src/lib/csv';

describe('csvField', () => {
  it('leaves plain values alone', () => {
    expect(csvField('lemons')).toBe('lemons');
    expect(csvField(42)).toBe('42');
    expect(csvField(-3)).toBe('-3');
    expect(csvField(true)).toBe('true');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
  });

  it('quotes commas, quotes and line breaks, doubling inner quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line1\nline2')).toBe('"line1\nline2"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
  });

  it('neutralises text that a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('+1')).toBe('"\'+1"');
    expect(csvField('@cmd')).toBe('"\'@cmd"');
  });
});

describe('toCsv', () => {
  it('joins a header and rows with CRLF and a final line end', () => {
    const text = toCsv(
      ['id', 'name'],
      [
        [1, 'job, one'],
        [2, 'two'],
      ],
    );
    expect(text).toBe('id,name\r\n1,"job, one"\r\n2,two\r\n');
  });

  it('round-trips through a strict parser', () => {
    const rows = [
      [1, 'x "quoted", with comma\nand newline'],
      [2, ''],
    ];
    const text = toCsv(['id', 'text'], rows);
    expect(parseCsv(text)).toEqual([
      ['id', 'text'],
      ['1', 'x "quoted", with comma\nand newline'],
      ['2', ''],
    ]);
  });
});

/** A minimal RFC 4180 reader, written independently of the writer, to check what a consumer sees. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}
