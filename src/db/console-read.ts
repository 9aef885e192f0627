// The console's read queries over Kysely, the same on both dialects (lower() + LIKE with an
// explicit escape character behaves alike on SQLite and PostgreSQL). Each is scoped to one
// project and served by an index (migrations/*/0002_console_sessions.sql).
import { sql, type ExpressionBuilder } from 'kysely';
import type { ConsoleReads, ContactHit, ErrorGroup } from '../app/ports/read-model.ts';
import type { ContactKind } from '../app/ports/records.ts';
import type { Db } from './dialect.ts';
import { toEntry } from './repos/phones.ts';
import type { Database } from './schema.ts';

/** `%text%` with LIKE's wildcards in the text escaped by a backslash. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const likeLower = (column: string, pattern: string) =>
  sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;

export function createConsoleReads(db: Db): ConsoleReads {
  const k = db.kysely;

  /** Ids of the project's contacts of one kind whose registry numbers contain the digits. */
  const byNumber = (projectId: string, kind: ContactKind, digits: string) =>
    k
      .selectFrom('phone_entries')
      .select('contact_id')
      .where('project_id', '=', projectId)
      .where('contact_kind', '=', kind)
      .where('number', 'like', containsPattern(digits));

  return {
    async searchContacts(projectId, { text, digits, limit }) {
      const pattern = containsPattern(text.trim().toLowerCase());
      const blank = text.trim() === '';
      const matches = <T extends 'cases' | 'mobile_workers'>(
        eb: ExpressionBuilder<Database, T>,
        kind: ContactKind,
        columns: string[],
      ) => {
        const found = columns.map((column) => likeLower(column, pattern));
        if (digits !== null)
          found.push(sql<boolean>`${sql.ref('id')} in (${byNumber(projectId, kind, digits)})`);
        return eb.or(found);
      };
      let cases = k
        .selectFrom('cases')
        .select(['id', 'name', 'closed', 'deleted'])
        .where('project_id', '=', projectId)
        .orderBy('id')
        .limit(limit);
      let workers = k
        .selectFrom('mobile_workers')
        .select(['id', 'name', 'username', 'active'])
        .where('project_id', '=', projectId)
        .orderBy('id')
        .limit(limit);
      if (!blank) {
        cases = cases.where((eb) => matches(eb, 'case', ['id', 'name']));
        workers = workers.where((eb) => matches(eb, 'mobile_worker', ['id', 'name', 'username']));
      }
      const [caseRows, workerRows] = await Promise.all([cases.execute(), workers.execute()]);
      const hits: ContactHit[] = [
        ...caseRows.map((r) => ({
          kind: 'case' as const,
          id: r.id,
          name: r.name,
          active: r.closed === 0 && r.deleted === 0,
          numbers: [],
        })),
        ...workerRows.map((r) => ({
          kind: 'mobile_worker' as const,
          id: r.id,
          name: r.name ?? r.username,
          active: r.active === 1,
          numbers: [],
        })),
      ];
      if (hits.length === 0) return hits;
      const entries = await k
        .selectFrom('phone_entries')
        .select(['contact_kind', 'contact_id', 'number'])
        .where('project_id', '=', projectId)
        .where((eb) =>
          eb.or([
            eb.and([
              eb('contact_kind', '=', 'case'),
              eb('contact_id', 'in', caseRows.length ? caseRows.map((r) => r.id) : ['']),
            ]),
            eb.and([
              eb('contact_kind', '=', 'mobile_worker'),
              eb('contact_id', 'in', workerRows.length ? workerRows.map((r) => r.id) : ['']),
            ]),
          ]),
        )
        .orderBy('id')
        .execute();
      const byContact = new Map(hits.map((hit) => [`${hit.kind}:${hit.id}`, hit]));
      for (const entry of entries)
        byContact.get(`${entry.contact_kind}:${entry.contact_id}`)?.numbers.push(entry.number);
      return hits;
    },

    async dailyVolumes(projectId, boundaries) {
      // One grouped range scan per day, joined by UNION ALL: each day walks its own slice of
      // messages_project_created, cheaper than classifying every row with a 30-way CASE.
      const days = boundaries.slice(0, -1).map((from, day) =>
        k
          .selectFrom('messages')
          .select([sql.lit(day).as('day'), 'status', (eb) => eb.fn.countAll<number>().as('n')])
          .where('project_id', '=', projectId)
          .where('created_at', '>=', from)
          .where('created_at', '<', boundaries[day + 1] ?? from)
          .groupBy('status'),
      );
      const [first, ...rest] = days;
      if (!first) return [];
      const rows = await rest.reduce((query, day) => query.unionAll(day), first).execute();
      return rows.map((row) => ({ day: Number(row.day), status: row.status, count: Number(row.n) }));
    },

    async waitingByReason(projectId, now) {
      const rows = await k
        .selectFrom('messages')
        .select((eb) =>
          eb
            .case()
            .when('due_at', '<=', now)
            .then('due')
            .else(eb.fn.coalesce('wait_reason', eb.val('scheduled')))
            .end()
            .as('reason'),
        )
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('project_id', '=', projectId)
        .where('due_at', 'is not', null)
        .where('direction', '=', 'out')
        .groupBy('reason')
        .execute();
      return rows.map((row) => ({ reason: String(row.reason), count: Number(row.n) }));
    },

    async recentErrors(projectId, since, limit) {
      const [subs, messages] = await Promise.all([
        k
          .selectFrom('sub_events')
          .select([
            'error_code as code',
            (eb) => eb.fn.countAll<number>().as('n'),
            (eb) => eb.fn.max('updated_at').as('last_at'),
          ])
          .where('project_id', '=', projectId)
          .where('status', '=', 'error')
          .where('updated_at', '>=', since)
          .groupBy('error_code')
          .execute(),
        k
          .selectFrom('messages')
          .select([
            'error_code as code',
            (eb) => eb.fn.countAll<number>().as('n'),
            (eb) => eb.fn.max('updated_at').as('last_at'),
          ])
          .where('project_id', '=', projectId)
          .where('error_code', 'is not', null)
          .where('updated_at', '>=', since)
          .where('sub_event_id', 'is', null)
          .groupBy('error_code')
          .execute(),
      ]);
      const groups = new Map<string, ErrorGroup & { from: 'sub_events' | 'messages' }>();
      for (const [from, rows] of [
        ['sub_events', subs],
        ['messages', messages],
      ] as const) {
        for (const row of rows) {
          const code = row.code ?? 'UNKNOWN';
          const lastAt = Number(row.last_at);
          const seen = groups.get(code);
          const count = Number(row.n) + (seen?.count ?? 0);
          if (!seen || lastAt > seen.lastAt) groups.set(code, { code, count, lastAt, lastText: null, from });
          else seen.count = count;
        }
      }
      const newest = [...groups.values()]
        .sort((a, b) => b.lastAt - a.lastAt || a.code.localeCompare(b.code))
        .slice(0, limit);
      // The newest error's own text, from the table it came from.
      await Promise.all(
        newest.map(async (group) => {
          const row =
            group.from === 'sub_events'
              ? await k
                  .selectFrom('sub_events')
                  .select('error_text')
                  .where('project_id', '=', projectId)
                  .where('status', '=', 'error')
                  .where('updated_at', '=', group.lastAt)
                  .where('error_code', '=', group.code)
                  .executeTakeFirst()
              : await k
                  .selectFrom('messages')
                  .select('error_text')
                  .where('project_id', '=', projectId)
                  .where('error_code', '=', group.code)
                  .where('updated_at', '=', group.lastAt)
                  .where('sub_event_id', 'is', null)
                  .executeTakeFirst();
          group.lastText = row?.error_text ?? null;
        }),
      );
      return newest.map(({ code, count, lastAt, lastText }) => ({ code, count, lastAt, lastText }));
    },

    async registryConflicts(projectId, limit) {
      const numbers = k
        .selectFrom('phone_entries')
        .select('number')
        .where(
          'number',
          'in',
          k.selectFrom('phone_entries').select('number').where('project_id', '=', projectId),
        )
        .groupBy('number')
        .having((eb) => eb.fn.countAll(), '>', 1)
        .orderBy('number')
        .limit(limit);
      const rows = await k
        .selectFrom('phone_entries')
        .selectAll()
        .where('number', 'in', numbers)
        .orderBy('number')
        .orderBy('id')
        .execute();
      return rows.map(toEntry);
    },
  };
}
