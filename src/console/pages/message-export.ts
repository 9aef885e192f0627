// The history's export: every message matching the filters, as CSV or XLSX (lib/table-export.ts),
// streamed a page of rows at a time so a long history never sits in memory.
import { sendTable, type Cell } from '../../lib/table-export.ts';
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

/** The rows of every matching message, a page at a time. */
async function* exportRows(pages: AsyncGenerator<MessageRow[]>): AsyncGenerator<Cell[][]> {
  for await (const page of pages) yield page.map(exportRow);
}

export const messageExportPage: ConsolePage = (app, deps) => {
  for (const format of ['csv', 'xlsx'] as const)
    app.get<{ Querystring: HistoryQuery }>(`/messages/export.${format}`, async (request, reply) => {
      const project = projectOf(request);
      const rows = matching(deps.lists, project.id, historyFilter(project, request.query));
      const stamp = new Date(deps.clock.now()).toISOString().slice(0, 10);
      return sendTable(reply, request.log, {
        format,
        name: `messages-${project.id}-${stamp}`,
        sheet: 'messages',
        columns: EXPORT_COLUMNS,
        pages: exportRows(rows),
      });
    });
};
