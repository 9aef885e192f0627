// Deleting a gateway: one statement; its prefixes and shares follow by ON DELETE CASCADE.
import type { GatewayRemoval } from '../../app/ports/store.ts';
import type { Executor } from '../dialect.ts';

export function createGatewayRemoval(db: Executor): GatewayRemoval {
  return {
    async remove(id, owner) {
      const result = await db
        .deleteFrom('gateways')
        .where('id', '=', id)
        .where('owner', '=', owner ?? '')
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
