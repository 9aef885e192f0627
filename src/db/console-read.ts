// The console's read queries over Kysely, the same on both dialects (lower() + LIKE with an
// explicit escape character behaves alike on SQLite and PostgreSQL). Each is scoped to one
// project and served by an index (migrations/*/0002_console_sessions.sql).
import { sql, type ExpressionBuilder } from 'kysely';
import type { ConsoleReads, ContactHit } from '../app/console-queries.ts';
import type { ContactKind } from '../app/ports.ts';
import type { Db } from './dialect.ts';
import type { Database } from './schema.ts';

/** `%text%` with LIKE's wildcards in the text escaped by a backslash. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const likeLower = (column: string, pattern: string) => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;

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
      const matches = <T extends 'cases' | 'mobile_workers'>(eb: ExpressionBuilder<Database, T>, kind: ContactKind, columns: string[]) => {
        const found = columns.map((column) => likeLower(column, pattern));
        if (digits !== null) found.push(sql<boolean>`${sql.ref('id')} in (${byNumber(projectId, kind, digits)})`);
        return eb.or(found);
      };
      let cases = k.selectFrom('cases').select(['id', 'name', 'closed', 'deleted']).where('project_id', '=', projectId).orderBy('id').limit(limit);
      let workers = k.selectFrom('mobile_workers').select(['id', 'name', 'username', 'active']).where('project_id', '=', projectId).orderBy('id').limit(limit);
      if (!blank) {
        cases = cases.where((eb) => matches(eb, 'case', ['id', 'name']));
        workers = workers.where((eb) => matches(eb, 'mobile_worker', ['id', 'name', 'username']));
      }
      const [caseRows, workerRows] = await Promise.all([cases.execute(), workers.execute()]);
      const hits: ContactHit[] = [
        ...caseRows.map((r) => ({ kind: 'case' as const, id: r.id, name: r.name, active: r.closed === 0 && r.deleted === 0, numbers: [] })),
        ...workerRows.map((r) => ({ kind: 'mobile_worker' as const, id: r.id, name: r.name ?? r.username, active: r.active === 1, numbers: [] })),
      ];
      if (hits.length === 0) return hits;
      const entries = await k
        .selectFrom('phone_entries')
        .select(['contact_kind', 'contact_id', 'number'])
        .where('project_id', '=', projectId)
        .where((eb) =>
          eb.or([
            eb.and([eb('contact_kind', '=', 'case'), eb('contact_id', 'in', caseRows.length ? caseRows.map((r) => r.id) : [''])]),
            eb.and([eb('contact_kind', '=', 'mobile_worker'), eb('contact_id', 'in', workerRows.length ? workerRows.map((r) => r.id) : [''])]),
          ]),
        )
        .orderBy('id')
        .execute();
      const byContact = new Map(hits.map((hit) => [`${hit.kind}:${hit.id}`, hit]));
      for (const entry of entries) byContact.get(`${entry.contact_kind}:${entry.contact_id}`)?.numbers.push(entry.number);
      return hits;
    },
  };
}
