// Rows of a CSV or XLSX file as text, keyed by the header row's column names. Spreadsheet
// cells are turned into the text a person typed: a number typed into Excel loses its `+` and
// must not turn into 2.54712E+11, so whole numbers keep all their digits.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { CellValue } from 'exceljs';
import { PlainError } from '../plain-error.ts';

export interface Row {
  /** The row's number in the file, the header being row 1 (what a spreadsheet shows). */
  line: number;
  /** Column name → text; empty cells are absent. */
  values: Record<string, string>;
}

export interface Sheet {
  columns: string[];
  rows: Row[];
}

export async function readRows(file: string): Promise<Sheet> {
  const extension = extname(file).toLowerCase();
  if (extension === '.csv' || extension === '.txt') return readCsv(await readFile(file, 'utf8'));
  if (extension === '.xlsx') return readXlsx(file);
  throw new PlainError(
    `${file} is neither a .csv nor an .xlsx file`,
    'save the sheet as CSV (UTF-8) or XLSX',
  );
}

export function readCsv(text: string): Sheet {
  const records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
  const [header, ...body] = records;
  if (!header) return { columns: [], rows: [] };
  const columns = header.map((name) => name.trim());
  const rows = body.map((cells, index) => ({ line: index + 2, values: toValues(columns, cells) }));
  return { columns, rows };
}

async function readXlsx(file: string): Promise<Sheet> {
  // Loaded when needed: exceljs takes longer to load than the rest of the CLI.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.worksheets[0];
  if (!sheet) return { columns: [], rows: [] };
  const columns: string[] = [];
  const rows: Row[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = cellText(cell.value);
    });
    if (columns.length === 0) {
      columns.push(...Array.from(cells, (cell) => (cell ?? '').trim()));
      return;
    }
    rows.push({
      line: number,
      values: toValues(
        columns,
        Array.from(cells, (cell) => cell ?? ''),
      ),
    });
  });
  return { columns, rows };
}

function toValues(columns: readonly string[], cells: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [index, column] of columns.entries()) {
    const cell = cells[index]?.trim() ?? '';
    if (column !== '' && cell !== '') values[column] = cell;
  }
  return values;
}

/** The text of one spreadsheet cell. */
export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  // Whole numbers keep every digit (phone numbers typed as numbers): 254712345678, not 2.54712E+11.
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (value instanceof Date) {
    const text = value.toISOString();
    return text.endsWith('T00:00:00.000Z') ? text.slice(0, 10) : text;
  }
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('hyperlink' in value)
    return typeof value.text === 'string' ? value.text : cellText(value.text as CellValue);
  if ('result' in value) return value.result === undefined ? '' : cellText(value.result as CellValue);
  if ('error' in value) return '';
  return '';
}
