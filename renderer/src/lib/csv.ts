// CSV (RFC 4180) built in the page: every field quoted when it needs to be, CRLF line ends.

export type CsvValue = string | number | boolean | null | undefined;

/** Fields holding a quote, comma, CR or LF are quoted and inner quotes doubled. A leading =, +, -, @
 * (spreadsheet formula injection) is neutralised with an apostrophe inside quotes. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  const formula = typeof value === 'string' && /^[=+\-@\t\r]/.test(text);
  if (formula) return `"'${text.replaceAll('"', '""')}"`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const lines = [header.map(csvField).join(',')];
  for (const row of rows) lines.push(row.map(csvField).join(','));
  return lines.join('\r\n') + '\r\n';
}
