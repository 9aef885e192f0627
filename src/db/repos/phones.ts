// The global phone registry.
import type { ContactKind, EntryState, NewPhoneEntry, PhoneEntry } from '../../app/ports/records.ts';
import type { Repos } from '../../app/ports/store.ts';
import type { Selectable } from 'kysely';
import { nextOwner } from '../../domain/registry.ts';
import { inChunks, insertChunks } from '../bulk.ts';
import type { Dialect, Executor } from '../dialect.ts';
import type { Database } from '../schema.ts';

type Row = Selectable<Database['phone_entries']>;

export function toEntry(row: Row): PhoneEntry {
  return {
    id: row.id,
    number: row.number,
    projectId: row.project_id,
    contactKind: row.contact_kind as ContactKind,
    contactId: row.contact_id,
    state: row.state as EntryState,
    claimedAt: row.claimed_at,
    verificationExpiresAt: row.verification_expires_at,
  };
}

function entryRow(entry: NewPhoneEntry, now: number) {
  return {
    number: entry.number,
    project_id: entry.projectId,
    contact_kind: entry.contactKind,
    contact_id: entry.contactId,
    state: entry.state,
    claimed_at: entry.claimedAt,
    verification_expires_at: entry.verificationExpiresAt,
    created_at: now,
    updated_at: now,
  };
}

export function phoneRepo(db: Executor, dialect: Dialect): Repos['phones'] {
  return {
    async forNumber(number) {
      const rows = await db
        .selectFrom('phone_entries')
        .selectAll()
        .where('number', '=', number)
        .orderBy('id')
        .execute();
      return rows.map(toEntry);
    },
    async forNumbers(numbers) {
      const rows = await inChunks([...new Set(numbers)], (chunk) =>
        db.selectFrom('phone_entries').selectAll().where('number', 'in', chunk).orderBy('id').execute(),
      );
      return rows.map(toEntry);
    },
    async forContact(contact) {
      const rows = await db
        .selectFrom('phone_entries')
        .selectAll()
        .where('project_id', '=', contact.projectId)
        .where('contact_kind', '=', contact.kind)
        .where('contact_id', '=', contact.id)
        .orderBy('id')
        .execute();
      return rows.map(toEntry);
    },
    async forContacts(contacts) {
      // By project and kind, then the ids in chunks (the index is project, kind, id).
      const groups = new Map<string, { projectId: string; kind: ContactKind; ids: string[] }>();
      for (const ref of contacts) {
        const key = `${ref.projectId}\u0000${ref.kind}`;
        const group = groups.get(key) ?? { projectId: ref.projectId, kind: ref.kind, ids: [] };
        group.ids.push(ref.id);
        groups.set(key, group);
      }
      const rows: Row[] = [];
      for (const { projectId, kind, ids } of groups.values()) {
        rows.push(
          ...(await inChunks(ids, (chunk) =>
            db
              .selectFrom('phone_entries')
              .selectAll()
              .where('project_id', '=', projectId)
              .where('contact_kind', '=', kind)
              .where('contact_id', 'in', chunk)
              .execute(),
          )),
        );
      }
      return rows.sort((a, b) => a.id - b.id).map(toEntry);
    },
    async insert(entry, now) {
      const row = await db
        .insertInto('phone_entries')
        .values(entryRow(entry, now))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toEntry(row);
    },
    async insertMany(entries, now) {
      await insertChunks(db, dialect, 'phone_entries', entries, (entry) => entryRow(entry, now));
    },
    async update(id, patch, now) {
      await db
        .updateTable('phone_entries')
        .set({
          ...(patch.state !== undefined ? { state: patch.state } : {}),
          ...(patch.claimedAt !== undefined ? { claimed_at: patch.claimedAt } : {}),
          ...(patch.verificationExpiresAt !== undefined
            ? { verification_expires_at: patch.verificationExpiresAt }
            : {}),
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
    },
    async remove(id) {
      await db.deleteFrom('phone_entries').where('id', '=', id).execute();
    },
    async removeMany(ids) {
      await inChunks(ids, async (chunk) => {
        await db.deleteFrom('phone_entries').where('id', 'in', chunk).execute();
        return [];
      });
    },
    async oldestWaiting(number) {
      // The order is policy (domain nextOwner), not SQL: collations differ between databases.
      const rows = await db
        .selectFrom('phone_entries')
        .selectAll()
        .where('number', '=', number)
        .where('state', '=', 'waiting')
        .execute();
      return nextOwner(rows.map(toEntry));
    },
    async expiredVerifications(now, limit) {
      const rows = await db
        .selectFrom('phone_entries')
        .selectAll()
        .where('state', '=', 'pending')
        .where('verification_expires_at', '<=', now)
        .orderBy('verification_expires_at')
        .limit(limit)
        .execute();
      return rows.map(toEntry);
    },
    async nextVerificationExpiry() {
      const row = await db
        .selectFrom('phone_entries')
        .select((eb) => eb.fn.min('verification_expires_at').as('next'))
        .where('state', '=', 'pending')
        .executeTakeFirst();
      return row?.next ?? null;
    },
  };
}
