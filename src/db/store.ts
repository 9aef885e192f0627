// The Store port over Kysely: the same repositories for both dialects, and transactions
// that are rerun when PostgreSQL reports a serialisation failure or deadlock.
import type { Repos, Store } from '../app/ports/store.ts';
import type { Db, Dialect, Executor } from './dialect.ts';
import { activeContacts, caseRepo, groupRepo, projectRepo, workerRepo } from './repos/contacts.ts';
import { eventRepo, optOutRepo } from './repos/events.ts';
import { gatewayRepo } from './repos/gateways.ts';
import { inboundRepos } from './repos/inbound.ts';
import { limitRepo } from './repos/limits.ts';
import { messageRepo } from './repos/messages.ts';
import { phoneRepo } from './repos/phones.ts';
import { receiptRepo } from './repos/receipts.ts';
import { queuedRepo } from './repos/queued.ts';
import { removalRepo } from './repos/removals.ts';
import { scheduleRepos } from './repos/schedules.ts';
import { inSavepoint } from './savepoint.ts';
import { usageRepo } from './repos/usage.ts';

const MAX_TRANSACTION_TRIES = 5;

function repos(db: Executor, dialect: Dialect): Repos {
  return {
    ...scheduleRepos(db, dialect),
    ...inboundRepos(db),
    lock: (keys) => dialect.lockKeys(db, keys),
    isolated: (fn) => inSavepoint(db, dialect, fn),
    configVersion: async () => {
      const row = await db
        .selectFrom('config_version')
        .select('version')
        .where('id', '=', 1)
        .executeTakeFirst();
      // PostgreSQL returns its BIGINT as a string.
      return Number(row?.version ?? 0);
    },
    activeContacts: (refs) => activeContacts(db, refs),
    projects: projectRepo(db),
    cases: caseRepo(db, dialect),
    workers: workerRepo(db),
    phones: phoneRepo(db, dialect),
    gateways: gatewayRepo(db),
    events: eventRepo(db, dialect),
    messages: messageRepo(db, dialect),
    groups: groupRepo(db),
    limits: limitRepo(db),
    optOuts: optOutRepo(db),
    receipts: receiptRepo(db),
    removals: removalRepo(db),
    usage: usageRepo(db),
    queued: queuedRepo(db),
  };
}

export function createStore(db: Db): Store {
  return {
    ...repos(db.kysely, db.dialect),
    async transaction(fn) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.kysely.transaction().execute((tx) => fn(repos(tx, db.dialect)));
        } catch (error) {
          if (attempt >= MAX_TRANSACTION_TRIES || !db.dialect.isRetryable(error)) throw error;
        }
      }
    },
  };
}
