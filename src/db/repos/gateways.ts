// Gateways with their prefix mappings and shares. owner '' in the table is a global gateway.
import type { GatewayRecord } from '../../app/ports/records.ts';
import type { Repos } from '../../app/ports/store.ts';
import { sql } from 'kysely';
import type { Selectable } from 'kysely';
import type { Executor } from '../dialect.ts';
import { flag, parseJson } from '../json.ts';
import type { Database } from '../schema.ts';

type Row = Selectable<Database['gateways']>;

/** Gateway rows with their prefixes and shares, in one more query (a UNION of both lists). */
export async function assemble(db: Executor, rows: Row[]): Promise<GatewayRecord[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  // One round trip instead of two: the inbound path reads a gateway for every request.
  const lists = await db
    .selectFrom('gateway_prefixes')
    .select(['gateway_id', 'prefix as value', sql<string>`'p'`.as('list')])
    .where('gateway_id', 'in', ids)
    .unionAll(
      db
        .selectFrom('gateway_shares')
        .select(['gateway_id', 'project_id as value', sql<string>`'s'`.as('list')])
        .where('gateway_id', 'in', ids),
    )
    .orderBy('value')
    .execute();
  const prefixes = lists
    .filter((l) => l.list === 'p')
    .map((l) => ({ gateway_id: l.gateway_id, prefix: l.value }));
  const shares = lists
    .filter((l) => l.list === 's')
    .map((l) => ({ gateway_id: l.gateway_id, project_id: l.value }));
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    owner: row.owner === '' ? null : row.owner,
    type: row.type,
    config: parseJson<Record<string, unknown>>(row.config, {}),
    isDefault: row.is_default === 1,
    prefixes: prefixes.filter((p) => p.gateway_id === row.id).map((p) => p.prefix),
    sharedWith: shares.filter((s) => s.gateway_id === row.id).map((s) => s.project_id),
    rateLimitPerMinute: row.rate_limit_per_minute,
    maxAttempts: row.max_attempts,
    retryMinutes: row.retry_minutes,
    optOutKeywords: parseJson<string[] | null>(row.opt_out_keywords, null),
    optInKeywords: parseJson<string[] | null>(row.opt_in_keywords, null),
    inboundSecret: row.inbound_secret,
    defaultCountry: row.default_country,
    trusted: row.trusted === 1,
  }));
}

export function gatewayRepo(db: Executor): Repos['gateways'] {
  return {
    async get(id) {
      const rows = await db.selectFrom('gateways').selectAll().where('id', '=', id).execute();
      return (await assemble(db, rows))[0] ?? null;
    },
    async visibleTo(projectId) {
      const rows = await db
        .selectFrom('gateways')
        .selectAll()
        .where((eb) =>
          eb.or([
            eb('owner', '=', projectId),
            eb('owner', '=', ''),
            eb(
              'id',
              'in',
              eb.selectFrom('gateway_shares').select('gateway_id').where('project_id', '=', projectId),
            ),
          ]),
        )
        .orderBy('id')
        .execute();
      return assemble(db, rows);
    },
    async ownedBy(owner) {
      const rows = await db
        .selectFrom('gateways')
        .selectAll()
        .where('owner', '=', owner ?? '')
        .orderBy('id')
        .execute();
      return assemble(db, rows);
    },
    async ofTypes(types) {
      if (types.length === 0) return [];
      const rows = await db
        .selectFrom('gateways')
        .selectAll()
        .where('type', 'in', [...types])
        .orderBy('id')
        .execute();
      return assemble(db, rows);
    },
    async put(record, now) {
      const owner = record.owner ?? '';
      const values = {
        name: record.name,
        name_key: record.name.trim().toUpperCase(),
        owner,
        type: record.type,
        config: JSON.stringify(record.config),
        is_default: flag(record.isDefault),
        rate_limit_per_minute: record.rateLimitPerMinute,
        max_attempts: record.maxAttempts,
        retry_minutes: record.retryMinutes,
        opt_out_keywords: record.optOutKeywords ? JSON.stringify(record.optOutKeywords) : null,
        opt_in_keywords: record.optInKeywords ? JSON.stringify(record.optInKeywords) : null,
        inbound_secret: record.inboundSecret,
        default_country: record.defaultCountry ?? null,
        trusted: flag(record.trusted ?? false),
        updated_at: now,
      };
      if (record.isDefault) {
        // Making a gateway the default clears its owner's previous default (SPEC 3.2).
        await db
          .updateTable('gateways')
          .set({ is_default: 0, updated_at: now })
          .where('owner', '=', owner)
          .where('id', '!=', record.id)
          .where('is_default', '=', 1)
          .execute();
      }
      await db
        .insertInto('gateways')
        .values({ id: record.id, created_at: now, ...values })
        .onConflict((oc) => oc.column('id').doUpdateSet(values))
        .execute();
      await db.deleteFrom('gateway_prefixes').where('gateway_id', '=', record.id).execute();
      if (record.prefixes.length > 0) {
        await db
          .insertInto('gateway_prefixes')
          .values(record.prefixes.map((prefix) => ({ owner, prefix, gateway_id: record.id })))
          .execute();
      }
      await db.deleteFrom('gateway_shares').where('gateway_id', '=', record.id).execute();
      if (record.sharedWith.length > 0) {
        await db
          .insertInto('gateway_shares')
          .values(record.sharedWith.map((project_id) => ({ gateway_id: record.id, project_id })))
          .execute();
      }
    },
  };
}
