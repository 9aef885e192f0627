// Provider ids gateways handed us (SPEC 3.6): inbound messages and delivery reports, each
// processed once; reports that arrived before their send's answer wait here until it is recorded.
import type { Selectable } from 'kysely';
import type { ReceiptRecord } from '../../app/ports/records.ts';
import type { Repos } from '../../app/ports/store.ts';
import { storableText } from '../../domain/storable-text.ts';
import type { Executor } from '../dialect.ts';
import type { Database } from '../schema.ts';

type Row = Selectable<Database['gateway_receipts']>;

function toReceipt(row: Row): ReceiptRecord {
  return {
    gatewayId: row.gateway_id,
    kind: row.kind as ReceiptRecord['kind'],
    key: row.receipt_key,
    providerMessageId: row.provider_message_id,
    messageId: row.message_id,
    result: row.result as ReceiptRecord['result'],
    detail: row.detail,
    reroute: row.reroute,
    receivedAt: row.received_at,
    appliedAt: row.applied_at,
  };
}

export function receiptRepo(db: Executor): Repos['receipts'] {
  const one = (gatewayId: string, kind: string, key: string) =>
    db
      .selectFrom('gateway_receipts')
      .where('gateway_id', '=', gatewayId)
      .where('kind', '=', kind)
      .where('receipt_key', '=', storableText(key));
  return {
    async get(gatewayId, kind, key) {
      const row = await one(gatewayId, kind, key).selectAll().executeTakeFirst();
      return row ? toReceipt(row) : null;
    },
    async insert(receipt) {
      const rows = await db
        .insertInto('gateway_receipts')
        .values({
          gateway_id: receipt.gatewayId,
          kind: receipt.kind,
          receipt_key: storableText(receipt.key),
          provider_message_id: storableText(receipt.providerMessageId),
          message_id: receipt.messageId,
          result: receipt.result,
          detail: storableText(receipt.detail),
          reroute: receipt.reroute,
          received_at: receipt.receivedAt,
          applied_at: receipt.appliedAt,
        })
        .onConflict((oc) => oc.columns(['gateway_id', 'kind', 'receipt_key']).doNothing())
        .returning('gateway_id')
        .execute();
      return rows.length > 0;
    },
    async update(gatewayId, kind, key, patch) {
      await db
        .updateTable('gateway_receipts')
        .set({
          ...(patch.messageId !== undefined ? { message_id: patch.messageId } : {}),
          ...(patch.appliedAt !== undefined ? { applied_at: patch.appliedAt } : {}),
          ...(patch.receivedAt !== undefined ? { received_at: patch.receivedAt } : {}),
        })
        .where('gateway_id', '=', gatewayId)
        .where('kind', '=', kind)
        .where('receipt_key', '=', storableText(key))
        .execute();
    },
    async remove(gatewayId, kind, key) {
      await db
        .deleteFrom('gateway_receipts')
        .where('gateway_id', '=', gatewayId)
        .where('kind', '=', kind)
        .where('receipt_key', '=', storableText(key))
        .execute();
    },
    async waiting(gatewayId, providerMessageIds) {
      if (providerMessageIds.length === 0) return [];
      const rows = await db
        .selectFrom('gateway_receipts')
        .selectAll()
        .where('gateway_id', '=', gatewayId)
        .where(
          'provider_message_id',
          'in',
          providerMessageIds.map((id) => storableText(id)),
        )
        .where('kind', '=', 'status')
        .where('applied_at', 'is', null)
        .orderBy('received_at')
        .execute();
      return rows.map(toReceipt);
    },
  };
}
