// Finishing cannot loop (STYLE, SPEC 3.3): when the database refuses to store what the gateway
// did with a batch, a message is still handed over a bounded number of times — once when the
// record goes through on a retry, at most its gateway's max_attempts when it never does — and
// it ends final once the database takes writes again. The real dispatcher on both databases,
// through a store whose outcome writes are refused on demand; the adapter counts every send.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { putGateway } from '../../src/app/gateways/gateways.ts';
import type { GatewayAdapter } from '../../src/app/ports/gateway.ts';
import type { MessagePatch, NewMessage } from '../../src/app/ports/records.ts';
import type { Repos, Store } from '../../src/app/ports/store.ts';
import { putProject } from '../../src/app/projects/projects.ts';
import { RecordingMailer } from '../../src/gateways/test/mailer.ts';
import { TestGateway } from '../../src/gateways/test/test.ts';
import { dispatchDue, type DispatchDeps, type DispatchOptions } from '../../src/queue/dispatcher.ts';
import { DATABASES, openTestDb, START, testDeps, type DatabaseName } from '../support/databases.ts';
import { queuedSms } from './support.ts';

const OPTIONS: DispatchOptions = { batchSize: 10, leaseMs: 60_000, concurrency: 1 };

type Refused = 'updateMany' | 'finishAttempts';

/** Which outcome writes the database refuses: a rule over the method and its rows. */
class Refusals {
  rule: ((method: Refused, rows: readonly unknown[]) => boolean) | null = null;
  refused = 0;

  check(method: Refused, rows: readonly unknown[]): void {
    if (!this.rule?.(method, rows)) return;
    this.refused++;
    throw new Error(`injected: the database refused ${method}`);
  }
}

/** The real store, with its message repository's outcome writes going through `refusals`. */
function refusing(store: Store, refusals: Refusals): Store {
  const wrap = (messages: Repos['messages']): Repos['messages'] => ({
    ...messages,
    async updateMany(updates, now) {
      refusals.check('updateMany', updates);
      return messages.updateMany(updates, now);
    },
    async finishAttempts(results) {
      refusals.check('finishAttempts', results);
      return messages.finishAttempts(results);
    },
  });
  return {
    ...store,
    messages: wrap(store.messages),
    transaction: (fn) => store.transaction((tx) => fn({ ...tx, messages: wrap(tx.messages) })),
  };
}

/** The first `n` calls of `method` are refused. */
function firstCalls(method: Refused, n: number): Refusals['rule'] {
  let calls = 0;
  return (m) => m === method && calls++ < n;
}

interface Case {
  label: string;
  /** A fresh rule for each run (a rule may count calls). */
  rule: () => Refusals['rule'];
  channel?: 'sms' | 'email';
  maxAttempts?: number;
  /** Temporary failures the gateway answers before it accepts. */
  gatewayFaults?: number;
  /** Dispatch rounds (one lease apart) before the database takes every write again. */
  healAfter?: number;
  expect: {
    sends: number;
    status: string;
    errorCode: string | null;
    attempts: number;
    /** Rounds whose dispatch threw (the failure is seen, never swallowed). */
    failedRounds: number;
    providerMessageId?: string | null;
  };
}

const CASES: Case[] = [
  {
    label: 'messages refused once: the retry stores it, sent once',
    rule: () => firstCalls('updateMany', 1),
    expect: { sends: 1, status: 'sent', errorCode: null, attempts: 1, failedRounds: 0 },
  },
  {
    label: 'attempts refused twice: the third try stores it, sent once',
    rule: () => firstCalls('finishAttempts', 2),
    expect: { sends: 1, status: 'sent', errorCode: null, attempts: 1, failedRounds: 0 },
  },
  {
    label: "only the gateway's answer refused: released as sent without it, sent once",
    rule: () => (method, rows) =>
      method === 'updateMany' &&
      (rows as { patch: MessagePatch }[]).some((r) => typeof r.patch.providerMessageId === 'string'),
    expect: {
      sends: 1,
      status: 'sent',
      errorCode: null,
      attempts: 1,
      failedRounds: 1,
      providerMessageId: null,
    },
  },
  {
    label: 'messages always refused: max_attempts sends, then final once writes are taken',
    rule: () => (method) => method === 'updateMany',
    healAfter: 5,
    expect: {
      sends: 3,
      status: 'error',
      errorCode: 'TOO_MANY_UNSUCCESSFUL_ATTEMPTS',
      attempts: 3,
      failedRounds: 5,
    },
  },
  {
    label: "attempts always refused: the gateway's own max_attempts bounds the sends",
    rule: () => (method) => method === 'finishAttempts',
    maxAttempts: 2,
    healAfter: 4,
    expect: {
      sends: 2,
      status: 'error',
      errorCode: 'TOO_MANY_UNSUCCESSFUL_ATTEMPTS',
      attempts: 2,
      failedRounds: 4,
    },
  },
  {
    label: 'a temporary failure, then every record refused: still max_attempts sends in all',
    rule: () => (method) => method === 'updateMany',
    gatewayFaults: 1,
    healAfter: 5,
    expect: {
      sends: 3,
      status: 'error',
      errorCode: 'TOO_MANY_UNSUCCESSFUL_ATTEMPTS',
      attempts: 3,
      failedRounds: 5,
    },
  },
  {
    label: 'e-mail, messages always refused: three sends, then EMAIL_GATEWAY_ERROR',
    rule: () => (method) => method === 'updateMany',
    channel: 'email',
    healAfter: 5,
    expect: { sends: 3, status: 'error', errorCode: 'EMAIL_GATEWAY_ERROR', attempts: 3, failedRounds: 5 },
  },
];

async function run(name: DatabaseName, c: Case): Promise<void> {
  const t = await openTestDb(name);
  try {
    const refusals = new Refusals();
    const deps0 = testDeps(refusing(t.store, refusals));
    const { clock } = deps0;
    await putProject(deps0, 'p', {});
    await putGateway(deps0, 'GW', {
      project: 'p',
      type: 'test',
      default: true,
      ...(c.maxAttempts ? { max_attempts: c.maxAttempts } : {}),
    });
    const [sms] = queuedSms(1, 'p', () => 'GW', START);
    assert.ok(sms);
    const message: NewMessage =
      c.channel === 'email'
        ? { ...sms, channel: 'email', phone: null, email: 'juma@example.org', gatewayId: null, subject: 'Hi' }
        : sms;
    const { id } = await t.store.messages.insert(message, START);

    const gateway = new TestGateway(clock);
    if (c.gatewayFaults) gateway.injectFaults('GW', c.gatewayFaults, { kind: 'temporary', text: 'busy' });
    const mailer = new RecordingMailer(clock);
    let sends = 0;
    const counting: GatewayAdapter = {
      send: (g, s) => {
        sends++;
        return gateway.send(g, s);
      },
    };
    const deps: DispatchDeps = {
      ...deps0,
      adapters: (type) => (type === 'test' ? counting : null),
      mailer: {
        send: (mail) => {
          sends++;
          return mailer.send(mail);
        },
      },
      workerId: 'w',
    };

    refusals.rule = c.rule();
    let failedRounds = 0;
    for (let round = 0; ; round++) {
      assert.ok(round < 20, 'the queue keeps finding work (a finish that loops)');
      if (round === c.healAfter) refusals.rule = null;
      await dispatchDue(deps, OPTIONS).catch((error: unknown) => {
        failedRounds++;
        assert.match(String(error), /storing a batch's outcomes failed 3 times \(injected/);
      });
      const next = await t.store.messages.nextDueAt();
      if (next === null) break;
      // Past the lease of a batch whose record failed, or on to the next retry.
      clock.set(Math.max(next, clock.now() + OPTIONS.leaseMs));
    }

    const stored = await t.store.messages.get(id);
    assert.ok(stored);
    assert.equal(sends, c.expect.sends, 'sends the gateway saw');
    assert.deepEqual(
      {
        status: stored.status,
        errorCode: stored.errorCode,
        attempts: stored.attempts,
        failedRounds,
        ...('providerMessageId' in c.expect ? { providerMessageId: stored.providerMessageId } : {}),
      },
      {
        status: c.expect.status,
        errorCode: c.expect.errorCode,
        attempts: c.expect.attempts,
        failedRounds: c.expect.failedRounds,
        ...('providerMessageId' in c.expect ? { providerMessageId: c.expect.providerMessageId } : {}),
      },
    );
    if (c.expect.status === 'error')
      assert.match(stored.errorText ?? '', /the outcome of the last one was not recorded/);
    const attempts = await t.db.kysely
      .selectFrom('message_attempts')
      .select('outcome')
      .where('message_id', '=', id)
      .execute();
    assert.equal(attempts.length, c.expect.sends, 'one attempt row per send');
    assert.ok(refusals.refused > 0, 'the fault was hit');
  } finally {
    await t.close();
  }
}

for (const name of DATABASES) {
  describe(`a batch whose record the database refuses, on ${name}`, () => {
    for (const c of CASES) test(c.label, () => run(name, c));
  });
}
