// `caseline import <file.csv|file.xlsx> --project p [--kind cases|mobile_workers]`: cases or
// mobile workers from a spreadsheet, through the same use cases as the API. Cases go in
// batches (one transaction each); a bad row is reported by row and column and nothing of it is
// applied, the others are.
import cliProgress from 'cli-progress';
import { parseCaseItems, upsertCases, type CaseEntry } from '../app/contacts/case-batch.ts';
import type { Deps } from '../app/ports/deps.ts';
import { requireProject } from '../app/projects/projects.ts';
import { Id, withFields } from '../lib/schema.ts';
import { MobileWorkerBody } from '../app/contacts/schemas.ts';
import { InputError, parseInput } from '../lib/input.ts';
import { upsertMobileWorker } from '../app/contacts/workers.ts';
import { readRows, type Row } from './read-rows.ts';

export type ImportKind = 'cases' | 'mobile_workers';

export interface RowError {
  line: number;
  /** The column at fault (or the field, when it is not one column). */
  column: string;
  message: string;
}

export interface ImportReport {
  rows: number;
  created: number;
  updated: number;
  ignored: number;
  errors: RowError[];
}

/** Rows per transaction for cases. */
const CHUNK = 500;

/** Columns that are case fields; `parent_id`/`parent_type` and `host_id`/`host_type` are the
 * case's `parent` and `host` indices (as in CommCare's case importer); others are properties. */
const CASE_COLUMNS = new Set([
  'id',
  'type',
  'name',
  'owner',
  'closed',
  'parent_id',
  'parent_type',
  'host_id',
  'host_type',
]);
const WORKER_COLUMNS = [
  'id',
  'username',
  'name',
  'first_name',
  'last_name',
  'phone_numbers',
  'email',
  'language',
  'time_zone',
  'active',
];

const WorkerItem = withFields({ id: Id }, MobileWorkerBody);

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

/** A yes/no cell as a boolean; anything else stays text, so validation names the column. */
function flag(text: string | undefined): boolean | string | undefined {
  if (text === undefined) return undefined;
  const lower = text.trim().toLowerCase();
  if (TRUE.has(lower)) return true;
  if (FALSE.has(lower)) return false;
  return text;
}

/** A row as a case item: the known columns, and every other column a case property. */
export function caseFromRow(row: Row): Record<string, unknown> {
  const { id, type, name, owner, closed } = row.values;
  const properties: Record<string, string> = {};
  for (const [column, value] of Object.entries(row.values))
    if (!CASE_COLUMNS.has(column)) properties[column] = value;
  const indices: Record<string, unknown> = {};
  for (const [identifier, relationship] of [
    ['parent', 'child'],
    ['host', 'extension'],
  ] as const) {
    const target = row.values[`${identifier}_id`];
    if (target !== undefined)
      indices[identifier] = {
        case_type: row.values[`${identifier}_type`] ?? '',
        case_id: target,
        relationship,
      };
  }
  return {
    ...(Object.keys(indices).length > 0 ? { indices } : {}),
    ...(id !== undefined ? { id } : {}),
    ...(type !== undefined ? { type } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(owner !== undefined ? { owner } : {}),
    ...(closed !== undefined ? { closed: flag(closed) } : {}),
    ...(Object.keys(properties).length > 0 ? { properties } : {}),
  };
}

/** A row as a mobile worker item; phone_numbers are separated by `;` or spaces. */
export function workerFromRow(row: Row): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row.values)) {
    if (column === 'phone_numbers') item[column] = value.split(/[;,]/).flatMap((part) => splitNumbers(part));
    else if (column === 'active') item[column] = flag(value);
    else item[column] = value;
  }
  return item;
}

/** "+254 712 345678" is one number, "254712345678 254712345679" two: split on spaces only between whole numbers. */
function splitNumbers(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const words = trimmed.split(/\s+/);
  const whole = words.every((word) => /^\+?\d{8,15}$/.test(word));
  return whole ? words : [trimmed];
}

/** The column an item's field came from: `properties.dob` → `dob`, `phone_numbers[1]` → `phone_numbers`. */
function columnOf(field: string): string {
  const local = field.replace(/^(cases|rows)\[\d+\]\.?/, '');
  const property = /^properties(?:\.([A-Za-z_][A-Za-z0-9_]*)|\["(.*)"\])/.exec(local);
  if (property) return property[1] ?? property[2] ?? 'properties';
  return /^[A-Za-z_][A-Za-z0-9_]*/.exec(local)?.[0] ?? (local || 'row');
}

export async function importRows(
  deps: Deps,
  project: string,
  kind: ImportKind,
  rows: readonly Row[],
  onProgress: (done: number) => void = () => {},
): Promise<ImportReport> {
  await requireProject(deps.store, project);
  const report: ImportReport = { rows: rows.length, created: 0, updated: 0, ignored: 0, errors: [] };
  const fail = (line: number, error: InputError) =>
    report.errors.push({ line, column: columnOf(error.field), message: error.message });
  if (kind === 'cases') {
    for (let start = 0; start < rows.length; start += CHUNK) {
      const chunk = rows.slice(start, start + CHUNK);
      const entries: CaseEntry[] = parseCaseItems(chunk.map(caseFromRow), 'rows');
      const result = await upsertCases(deps, project, entries);
      for (const [index, item] of result.results.entries()) {
        const line = chunk[index]?.line ?? 0;
        if (item.status === 'error')
          report.errors.push({ line, column: columnOf(item.error.field), message: item.error.message });
        else report[item.status] += 1;
      }
      onProgress(start + chunk.length);
    }
    return report;
  }
  for (const [index, row] of rows.entries()) {
    try {
      const item = parseInput(WorkerItem, workerFromRow(row));
      const outcome = await upsertMobileWorker(deps, { ...item, project });
      report[outcome.status] += 1;
    } catch (error) {
      if (error instanceof InputError) fail(row.line, error);
      else if (error instanceof Error && /username/i.test(error.message)) {
        // The database's unique username per project: that row only.
        report.errors.push({
          line: row.line,
          column: 'username',
          message: 'another mobile worker of the project has this username',
        });
      } else throw error;
    }
    onProgress(index + 1);
  }
  return report;
}

/** Reads the file, imports it with a progress bar on a terminal, and describes the result. */
export async function importFile(
  deps: Deps,
  file: string,
  project: string,
  kind: ImportKind,
): Promise<{ report: ImportReport; lines: string[] }> {
  const sheet = await readRows(file);
  if (!sheet.columns.includes('id'))
    throw new InputError('id', `${file} has no 'id' column (columns: ${sheet.columns.join(', ') || 'none'})`);
  const unknown =
    kind === 'mobile_workers' ? sheet.columns.filter((c) => c !== '' && !WORKER_COLUMNS.includes(c)) : [];
  if (unknown.length > 0)
    throw new InputError(
      unknown[0] ?? '',
      `unknown column(s) ${unknown.join(', ')}; mobile workers have ${WORKER_COLUMNS.join(', ')}`,
    );
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        { stream: process.stderr, format: 'importing {bar} {value}/{total} rows' },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(sheet.rows.length, 0);
  try {
    const report = await importRows(deps, project, kind, sheet.rows, (done) => bar?.update(done));
    return { report, lines: describe(report, kind) };
  } finally {
    bar?.stop();
  }
}

export function describe(report: ImportReport, kind: ImportKind): string[] {
  const noun = kind === 'cases' ? 'cases' : 'mobile workers';
  const lines = [
    `${report.rows} rows: ${report.created} ${noun} created, ${report.updated} updated, ${report.ignored} ignored (older than the stored one), ${report.errors.length} rows with errors`,
  ];
  for (const error of report.errors)
    lines.push(`row ${error.line}, column ${error.column}: ${error.message}`);
  return lines;
}
