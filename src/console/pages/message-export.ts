// The history's export: every message matching the filters, as CSV (RFC 4180) or XLSX, streamed
// a page of rows at a time so a long history never sits in memory. Text that a spreadsheet
// would run as a formula (starting with = + - @, or a tab or carriage return) is exported
// with a leading apostrophe in CSV; in XLSX every text is a string cell, never a formula.
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import type { ConsoleLists, HistoryFilter } from '../../app/ports/read-model.ts';
import type { MessageRow } from '../../app/ports/read-model.ts';
import type { ConsolePage } from '../deps.ts';
import { projectOf } from '../deps.ts';
import { historyFilter, type HistoryQuery } from './messages.ts';

/** Rows read per query while exporting. */
const EXPORT_PAGE = 2000;

export const EXPORT_COLUMNS = [
  'id',
  'created_at',
  'direction',
  'channel',
  'kind',
  'status',
  'contact_kind',
  'contact_id',
  'phone',
  'email',
  'gateway',
  'subject',
  'text',
  'segments',
  'attempts',
  'error_code',
  'error_text',
  'sent_at',
  'delivered_at',
] as const;

type Cell = string | number | null;

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function exportRow(m: MessageRow): Cell[] {
  return [
    m.id,
    new Date(m.createdAt).toISOString(),
    m.direction,
    m.channel,
    m.kind,
    m.status,
    m.contact?.kind ?? null,
    m.contact?.id ?? null,
    m.phone === null ? null : `+${m.phone}`,
    m.email,
    m.gatewayId,
    m.subject,
    m.text,
    m.segments,
    m.attempts,
    m.errorCode,
    m.errorText,
    isoOrNull(m.sentAt),
    isoOrNull(m.deliveredAt),
  ];
}

/** Every matching message, newest first, a page of rows at a time. */
async function* matching(
  lists: ConsoleLists,
  projectId: string,
  filter: HistoryFilter,
): AsyncGenerator<MessageRow[]> {
  let before: string | null = null;
  for (;;) {
    const page = await lists.messages(projectId, filter, { before, limit: EXPORT_PAGE });
    if (page.items.length > 0) yield page.items;
    if (page.nextCursor === null) return;
    before = page.nextCursor;
  }
}

/** A spreadsheet would take text starting with these as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: formula-like text defused with `'`, quoted when it holds a quote, comma or line break. */
export function csvField(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csvLine = (cells: readonly Cell[]): string => `${cells.map(csvField).join(',')}\r\n`;

async function* csvChunks(rows: AsyncGenerator<MessageRow[]>): AsyncGenerator<string> {
  // The byte order mark tells spreadsheets the file is UTF-8.
  yield `\ufeff${csvLine([...EXPORT_COLUMNS])}`;
  for await (const page of rows) yield page.map((m) => csvLine(exportRow(m))).join('');
}

/** Writes the workbook into `out` as rows arrive; a failure ends `out` with the error. */
async function writeXlsx(rows: AsyncGenerator<MessageRow[]>, out: PassThrough): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: false,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('messages');
  sheet.addRow([...EXPORT_COLUMNS]).commit();
  for await (const page of rows) {
    for (const m of page) sheet.addRow(exportRow(m)).commit();
    // Let the response take what is written before the next page.
    if (out.writableNeedDrain) await new Promise((resolve) => out.once('drain', resolve));
  }
  sheet.commit();
  await workbook.commit();
}

function attachment(reply: FastifyReply, type: string, name: string): FastifyReply {
  return reply
    .type(type)
    .header('content-disposition', `attachment; filename="${name}"`)
    .header('cache-control', 'no-store');
}

export const messageExportPage: ConsolePage = (app, deps) => {
  app.get<{ Querystring: HistoryQuery }>('/messages/export.csv', async (request, reply) => {
    const project = projectOf(request);
    const rows = matching(deps.lists, project.id, historyFilter(project, request.query));
    const stamp = new Date(deps.clock.now()).toISOString().slice(0, 10);
    return attachment(reply, 'text/csv; charset=utf-8', `messages-${project.id}-${stamp}.csv`).send(
      Readable.from(csvChunks(rows)),
    );
  });

  app.get<{ Querystring: HistoryQuery }>('/messages/export.xlsx', async (request, reply) => {
    const project = projectOf(request);
    const rows = matching(deps.lists, project.id, historyFilter(project, request.query));
    const stamp = new Date(deps.clock.now()).toISOString().slice(0, 10);
    const out = new PassThrough();
    writeXlsx(rows, out).catch((error: unknown) => {
      request.log.error({ err: error }, 'XLSX export failed');
      out.destroy(error instanceof Error ? error : new Error(String(error)));
    });
    return attachment(
      reply,
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      `messages-${project.id}-${stamp}.xlsx`,
    ).send(out);
  });
};
