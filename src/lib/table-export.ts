// Tables as files: CSV (RFC 4180, UTF-8 with a byte order mark) or XLSX, written a page of rows
// at a time so a long table never sits in memory. Text that a spreadsheet would run as a
// formula (starting with = + - @, or a tab or carriage return) gets a leading apostrophe in CSV
// (OWASP "CSV injection"); in XLSX every text is a string cell, never a formula.
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FastifyBaseLogger, FastifyReply } from 'fastify';

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

/**
 * Answers with the table as a download named `${name}.csv` or `${name}.xlsx`, streamed; a
 * failure while writing XLSX is logged and ends the download with the error.
 */
export function sendTable(
  reply: FastifyReply,
  log: FastifyBaseLogger,
  table: {
    format: 'csv' | 'xlsx';
    name: string;
    sheet: string;
    columns: readonly string[];
    pages: AsyncIterable<readonly Cell[][]>;
  },
): FastifyReply {
  const download = (type: string) =>
    reply
      .type(type)
      .header('content-disposition', `attachment; filename="${table.name}.${table.format}"`)
      .header('cache-control', 'no-store');
  if (table.format === 'csv')
    return download('text/csv; charset=utf-8').send(Readable.from(csvChunks(table.columns, table.pages)));
  const out = new PassThrough();
  writeXlsx(table.sheet, table.columns, table.pages, out).catch((error: unknown) => {
    log.error({ err: error }, 'XLSX export failed');
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return download(XLSX_TYPE).send(out);
}
