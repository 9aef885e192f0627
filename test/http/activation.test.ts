// Stopping what runs, on a virtual clock, on SQLite and PostgreSQL (SPEC 7, 4, 6, 2.2): a
// stopped recurring broadcast or alert sends nothing more; restarted, it goes on from that
// instant — nothing missed is sent, and occurrences count on from where they were; a queued
// message is cancelled (and one being sent is not); deleting a case ends its instances and
// releases its number; removing or changing a worker's number releases it in the registry.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DATABASES } from '../support/databases.ts';
import { dueWork, type DueWork } from '../support/due-work.ts';
import { openApi, type TestApi } from './support.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const N = {
  c1: '254712000501',
  c2: '254712000502',
  w: '254712000503',
  waiting: '254712000504',
  c3: '254712000505',
};

for (const name of DATABASES) {
  describe(`stopping what runs on ${name}`, () => {
    let api: TestApi;
    let work: DueWork;
    const p = (path: string) => `/api/v1/projects/p${path}`;
    const advanceTo = (until: number) => work.advanceTo(until);
    const sent = (number: string) =>
      work.gateway.accepted.filter((a) => a.to === number).map((a) => new Date(a.at).toISOString());

    before(async () => {
      api = await openApi(name);
      work = dueWork(api.t.store, api.clock);
      await api.ok('PUT', p(''), { time_zone: 'UTC' });
      await api.ok('PUT', p('/gateways/gw'), { type: 'test', default: true });
      for (const [id, number] of [
        ['c1', N.c1],
        ['c2', N.c2],
      ])
        await api.ok('PUT', p(`/cases/${id}`), {
          type: 'mother',
          properties: { contact_phone_number: number },
        });
    });
    after(() => api?.close());

    test('a stopped recurring broadcast sends nothing more; restarted it goes on from then, missed days skipped, occurrences kept', async () => {
      const start = api.clock.now(); // 2026-01-05T08:00Z, a Monday
      await api.ok('PUT', p('/broadcasts/daily'), {
        recipients: [{ case: 'c1' }],
        schedule: { type: 'daily', time: '09:00', occurrences: 4 },
        content: { text: 'daily tip' },
      });
      await advanceTo(start + DAY + 2 * HOUR); // through 5 and 6 January 09:00
      assert.deepEqual(sent(N.c1), ['2026-01-05T09:00:00.000Z', '2026-01-06T09:00:00.000Z']);

      const stopped = await api.ok('PATCH', p('/broadcasts/daily'), { active: false });
      assert.deepEqual([stopped.active, stopped.next_due_at], [false, null]);
      assert.equal((await api.ok('GET', p('/broadcasts/daily'))).active, false);
      const listed = await api.ok('GET', p('/broadcasts?active=false'));
      assert.deepEqual(
        listed.broadcasts.map((b: { id: string }) => b.id),
        ['daily'],
      );
      await advanceTo(start + 4 * DAY + 4 * HOUR); // 7, 8 and 9 January pass while stopped
      assert.equal(sent(N.c1).length, 2, 'nothing more while stopped');

      // Restarted on 9 January at 12:00: today's 09:00 has passed, so the next is the 10th.
      const restarted = await api.ok('PATCH', p('/broadcasts/daily'), { active: true });
      assert.deepEqual([restarted.active, restarted.next_due_at], [true, '2026-01-10T09:00:00.000Z']);
      await advanceTo(start + 10 * DAY);
      // Two occurrences were left of four: the 10th and the 11th, then it ends.
      assert.deepEqual(sent(N.c1).slice(2), ['2026-01-10T09:00:00.000Z', '2026-01-11T09:00:00.000Z']);
      const history = await api.ok('GET', p('/messages?contact=case:c1'));
      assert.equal(history.messages.length, 4, 'the history is kept');
    });

    test('stopped and restarted in the instant it fired, a broadcast does not send that instant again', async () => {
      const start = api.clock.now();
      const today = start - (start % DAY) + 10 * HOUR;
      const fired = today > start ? today : today + DAY; // the next 10:00 UTC
      await api.ok('PUT', p('/cases/c3'), {
        type: 'visitor',
        properties: { contact_phone_number: N.c3 },
      });
      await api.ok('PUT', p('/broadcasts/same-instant'), {
        recipients: [{ case: 'c3' }],
        schedule: { type: 'daily', time: '10:00', occurrences: 3 },
        content: { text: 'same instant' },
      });
      const times = () =>
        work.gateway.accepted.filter((a) => a.to === N.c3).map((a) => new Date(a.at).toISOString());
      await advanceTo(fired);
      assert.deepEqual(times(), [new Date(fired).toISOString()]);
      await api.ok('PATCH', p('/broadcasts/same-instant'), { active: false });
      // A local time equal to the current instant has not passed (SPEC 4): the instance is due
      // again at the very instant it fired, and firing it must not send a second time.
      const restarted = await api.ok('PATCH', p('/broadcasts/same-instant'), { active: true });
      assert.equal(restarted.next_due_at, new Date(fired).toISOString());
      await work.now();
      assert.deepEqual(times(), [new Date(fired).toISOString()], 'not sent twice');
      assert.equal(
        (await api.ok('GET', p('/broadcasts/same-instant'))).next_due_at,
        new Date(fired + DAY).toISOString(),
      );
      await advanceTo(fired + 3 * DAY);
      assert.deepEqual(
        times(),
        [fired, fired + DAY, fired + 2 * DAY].map((t) => new Date(t).toISOString()),
      );
    });

    test('an alert stopped and restarted: nothing while stopped, nothing missed sent, occurrences kept; a case closed meanwhile loses its instance', async () => {
      const start = api.clock.now();
      const earlier = sent(N.c1).length;
      await api.ok('PUT', p('/alerts/mothers'), {
        case_type: 'mother',
        criteria: [],
        schedule: { type: 'daily', time: '18:00', occurrences: 3 },
        content: { text: 'evening' },
      });
      await advanceTo(start + 11 * HOUR); // the first 18:00 after now (08:00)
      assert.equal(sent(N.c1).length, earlier + 1);
      assert.equal(sent(N.c2).length, 1);
      assert.equal((await api.ok('PATCH', p('/alerts/mothers'), { active: false })).active, false);
      await api.ok('PUT', p('/cases/c2'), { closed: true });
      await advanceTo(start + 3 * DAY);
      assert.equal(sent(N.c2).length, 1, 'nothing while stopped');
      const restarted = await api.ok('PATCH', p('/alerts/mothers'), { active: true });
      assert.equal(restarted.active, true);
      await advanceTo(start + 3 * DAY + HOUR); // processing of the cases runs as due work
      const read = await api.ok('GET', p('/alerts/mothers'));
      assert.equal(read.instance_count, 1, "the closed case's instance is gone");
      await advanceTo(start + 10 * DAY);
      const c1 = sent(N.c1).slice(earlier);
      // One occurrence before the stop, two after it, from the first 18:00 after the restart.
      assert.equal(c1.length, 3);
      assert.ok(c1.slice(1).every((at) => Date.parse(at) > start + 3 * DAY));
      assert.equal(sent(N.c2).length, 1);
    });

    test('a queued message can be cancelled (kept as cancelled); a sent one or one being sent cannot', async () => {
      const at = new Date(api.clock.now() + DAY).toISOString();
      const queued = await api.ok('POST', p('/messages'), { to: { case: 'c1' }, text: 'tomorrow', at });
      const id = queued.sub_events[0].message_id as number;
      const edited = await api.ok('PATCH', p(`/messages/${id}`), { text: 'Tomorrow’s visit…' });
      assert.deepEqual([edited.text, edited.segments], ["Tomorrow's visit...", 1]);
      const cancel = await api.call('DELETE', p(`/messages/${id}`));
      assert.equal(cancel.statusCode, 204, cancel.body);
      const read = await api.ok('GET', p(`/messages/${id}`));
      assert.deepEqual([read.status, read.due_at], ['cancelled', null]);
      assert.equal(read.event.status, 'completed');
      assert.equal((await api.ok('GET', p('/messages?status=cancelled'))).messages[0].id, id);
      const again = await api.call('DELETE', p(`/messages/${id}`));
      assert.equal(again.statusCode, 409);
      assert.match(again.json().error.message, /already cancelled/);
      const before = work.gateway.accepted.length;
      await advanceTo(api.clock.now() + 2 * DAY);
      assert.ok(!work.gateway.accepted.slice(before).some((a) => a.messageId === id), 'never sent');

      // Sent: too late.
      const now = await api.ok('POST', p('/messages'), { to: { case: 'c1' }, text: 'now' });
      await advanceTo(api.clock.now());
      const late = await api.call('DELETE', p(`/messages/${now.sub_events[0].message_id}`));
      assert.equal(late.statusCode, 409);
      assert.match(late.json().error.message, /already sent/);

      // Being handed to the gateway (a worker holds its lease): not cancelled.
      const claimed = await api.ok('POST', p('/messages'), { to: { case: 'c1' }, text: 'in flight' });
      const claimedId = claimed.sub_events[0].message_id as number;
      const leased = await api.t.store.messages.claimDue(api.clock.now(), 10, {
        owner: 'other-worker',
        until: api.clock.now() + 60_000,
      });
      assert.ok(leased.some((m) => m.id === claimedId));
      const busy = await api.call('DELETE', p(`/messages/${claimedId}`));
      assert.equal(busy.statusCode, 409);
      assert.match(busy.json().error.message, /being handed to its gateway/);
      assert.equal((await api.ok('GET', p(`/messages/${claimedId}`))).status, 'queued');
    });

    test('deleting a case ends its instances and releases its number to the waiting claim', async () => {
      await api.ok('PUT', '/api/v1/projects/other', {});
      await api.ok('PUT', p('/cases/owner'), {
        type: 'mother',
        properties: { contact_phone_number: N.waiting, contact_phone_number_is_verified: '1' },
      });
      await api.ok('PUT', '/api/v1/projects/other/cases/claimant', {
        properties: { contact_phone_number: N.waiting, contact_phone_number_is_verified: '1' },
      });
      await api.ok('PUT', p('/alerts/all-mothers'), {
        case_type: 'mother',
        criteria: [],
        schedule: { type: 'daily', time: '07:00' },
        content: { text: 'morning' },
      });
      await advanceTo(api.clock.now() + HOUR);
      const instances = async () =>
        (await api.t.store.schedules.forSource('alert', 'p', 'all-mothers')).map((i) => i.subjectKey);
      assert.ok((await instances()).includes('owner'));
      const deleted = await api.call('DELETE', p('/cases/owner'));
      assert.equal(deleted.statusCode, 200, deleted.body);
      assert.ok(!(await instances()).includes('owner'));
      const registry = await api.ok('GET', `/api/v1/phone-numbers/${N.waiting}`);
      assert.deepEqual(
        registry.entries.map((e: { project: string; contact: { id: string }; two_way: boolean }) => [
          e.project,
          e.contact.id,
          e.two_way,
        ]),
        [['other', 'claimant', true]],
      );
    });

    test("removing or changing a worker's number releases it in the registry", async () => {
      await api.ok('PUT', p('/mobile-workers/w'), { phone_numbers: [N.w, '+254712000509'] });
      await api.ok('POST', p('/mobile-workers/w/verifications'), { number: N.w });
      const owners = async (number: string) =>
        (await api.ok('GET', `/api/v1/phone-numbers/${number}`)).entries.map(
          (e: { contact: { id: string }; pending: boolean }) => [e.contact.id, e.pending],
        );
      assert.deepEqual(await owners(N.w), [['w', true]]);
      const changed = await api.ok('PATCH', p(`/mobile-workers/w/phone-numbers/%2B${N.w}`), {
        number: '+254712000508',
      });
      assert.deepEqual(changed.phone_numbers, ['+254712000508', '+254712000509']);
      assert.deepEqual(await owners(N.w), [], 'the old number is released');
      assert.deepEqual(await owners('254712000508'), [['w', false]], 'the new one starts one-way');
      assert.equal(
        (await api.call('DELETE', p('/mobile-workers/w/phone-numbers/254712000509'))).statusCode,
        204,
      );
      assert.deepEqual((await api.ok('GET', p('/mobile-workers/w'))).phone_numbers, ['+254712000508']);
      assert.deepEqual(await owners('254712000509'), []);
      const missing = await api.call('DELETE', p('/mobile-workers/w/phone-numbers/254712000509'));
      assert.equal(missing.statusCode, 404);
    });
  });
}
