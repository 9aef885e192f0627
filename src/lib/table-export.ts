// Tables as files: CSV (RFC 4180, UTF-8 with a byte order mark) or XLSX, written a page of rows
// at a time so a long table never sits in memory. Text that a spreadsheet would run as a
// formula (starting with = + - @, or a tab or carriage return) gets a leading apostrophe in CSV
// (OWASP "CSV injection"); in XLSX every text is a string cell, never a formula.
import type { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';

export type Cell = string | number | null;

/** A spreadsheet would take text starting with these as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: formula-like text defused with `'`, quoted when it holds a quote, comma or line break. */
export function csvField(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csvLine = (cells: readonly Cell[]): string => `${cells.map(csvField).join(',')}\r\n`;

/** The CSV text, header first, a chunk per page of rows. */
export async function* csvChunks(
  columns: readonly string[],
  pages: AsyncIterable<readonly Cell[][]>,
): AsyncGenerator<string> {
  // The byte order mark tells spreadsheets the file is UTF-8.
  yield `\ufeff${csvLine(columns)}`;
  for await (const page of pages) yield page.map(csvLine).join('');
}

/** Writes one sheet into `out` as pages arrive. */
export async function writeXlsx(
  sheetName: string,
  columns: readonly string[],
  pages: AsyncIterable<readonly Cell[][]>,
  out: PassThrough,
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: false,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(sheetName);
  sheet.addRow([...columns]).commit();
  for await (const page of pages) {
    for (const row of page) sheet.addRow(row).commit();
    // Let the reader take what is written before the next page.
    if (out.writableNeedDrain) await new Promise((resolve) => out.once('drain', resolve));
  }
  sheet.commit();
  await workbook.commit();
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
