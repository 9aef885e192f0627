// Times the console's pages on a SQLite file holding 100,000 messages (and 20,000 of another
// project): seeds contacts through the API, messages and failed recipients in bulk, signs in
// and requests each page through inject. Prints the median and worst of 20 requests per page.
//   node --import tsx scripts/console-timing.ts [--messages N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processPendingAlerts } from '../src/app/scheduling/alerts.ts';
import { ensureAdminKey } from '../src/app/access/keys.ts';
import { VirtualClock } from '../src/clock.ts';
import { openDatabase } from '../src/db/connection.ts';
import { createConsoleLists } from '../src/db/console-lists-read.ts';
import { createConsoleReads } from '../src/db/console-read.ts';
import { createConsoleSessionRepo } from '../src/db/console-sessions.ts';
import { createReadModel } from '../src/db/read-model.ts';
import { createApiKeyRepo } from '../src/db/repos/api-keys.ts';
import { createGatewayRemoval } from '../src/db/repos/gateway-removal.ts';
import { createStore } from '../src/db/store.ts';
import { buildApp } from '../src/cli/app.ts';
import { gatewayCatalog } from '../src/gateways/registry.ts';

const MESSAGES = Number(process.argv[process.argv.indexOf('--messages') + 1]) || 100_000;
const OTHER_MESSAGES = 20_000;
const CASES = 5_000;
const WORKERS = 300;
const RUNS = 20;
const DAY = 86_400_000;
const NOW = Date.parse('2026-03-15T09:00:00Z');
const ADMIN = 'timing-admin-key';

const folder = mkdtempSync(join(tmpdir(), 'caseline-console-'));
const db = await openDatabase(`sqlite:${join(folder, 'timing.db')}`);
await db.migrate();
const store = createStore(db);
const clock = new VirtualClock(NOW);
const keys = createApiKeyRepo(db.kysely);
await ensureAdminKey(keys, clock, ADMIN);
const app = buildApp({
  store,
  clock,
  config: {
    api: {
      rateLimitPerMinute: 0,
      bodyLimitBytes: 10 * 1024 * 1024,
      batchLimit: 5000,
      authFailuresPerMinute: 0,
    },
    publicUrl: 'http://127.0.0.1',
  },
  readModel: createReadModel(db),
  keys,
  gatewayRemoval: createGatewayRemoval(db.kysely),
  gatewayTypes: gatewayCatalog,
  console: {
    sessions: createConsoleSessionRepo(db.kysely),
    reads: createConsoleReads(db),
    lists: createConsoleLists(db),
  },
  logger: false,
});
await app.ready();

async function api(method: 'PUT' | 'POST', url: string, payload: object): Promise<void> {
  const response = await app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { authorization: `Bearer ${ADMIN}` },
    payload,
  });
  if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.body}`);
}

const started = performance.now();
for (const project of ['clinic', 'other']) {
  await api('PUT', `/projects/${project}`, { default_country: 'KE', time_zone: 'Africa/Nairobi' });
  await api('PUT', `/projects/${project}/gateways/sms-${project}`, { type: 'test', default: true });
}
// Every 50th case claims a number already verified by another case: a registry conflict.
const number = (i: number) => `07${String(10_000_000 + i).slice(-8)}`;
for (let from = 0; from < CASES; from += 1000) {
  const cases = Array.from({ length: 1000 }, (_, j) => {
    const i = from + j;
    const shared = i % 50 === 1;
    return {
      id: `case-${i}`,
      name: `Patient ${i} ${['Amina', 'Baraka', 'Chausiku', 'Daudi'][i % 4]}`,
      properties: {
        contact_phone_number: number(shared ? i - 1 : i),
        ...(i % 50 < 2 ? { contact_phone_number_is_verified: '1' } : {}),
      },
    };
  });
  await api('POST', '/projects/clinic/cases/batch', { cases });
}
for (let i = 0; i < WORKERS; i++) {
  await api('PUT', `/projects/clinic/mobile-workers/worker-${i}`, {
    username: `user${i}`,
    name: `Worker ${i}`,
    phone_numbers: [`+2547330${String(i).padStart(5, '0')}`],
  });
}

const STATUSES = ['sent', 'sent', 'sent', 'delivered', 'delivered', 'received', 'error', 'queued'] as const;
const WAITS = ['window', 'daily_limit', 'rate_limit', 'retry', null] as const;
const ERRORS = ['GATEWAY_ERROR', 'TOO_MANY_UNSUCCESSFUL_ATTEMPTS', 'PHONE_NUMBER_OPTED_OUT'] as const;
async function seedMessages(project: string, count: number, offset: number): Promise<void> {
  for (let from = 0; from < count; from += 500) {
    const rows = Array.from({ length: Math.min(500, count - from) }, (_, j) => {
      const i = from + j;
      const status = STATUSES[i % STATUSES.length] ?? 'sent';
      const created = NOW - Math.floor((i / count) * 35 * DAY);
      const queued = status === 'queued';
      const contact = i % 10 === 0 ? 'case-1' : `case-${i % CASES}`;
      return {
        project_id: project,
        direction: status === 'received' ? 'in' : 'out',
        channel: 'sms',
        contact_kind: 'case',
        contact_id: contact,
        phone: `2547${String(10_000_000 + (i % CASES)).slice(-8)}`,
        gateway_id: `sms-${project}`,
        text: `Message ${i}`,
        segments: 1,
        status,
        error_code: status === 'error' ? (ERRORS[i % ERRORS.length] ?? null) : null,
        error_text: status === 'error' ? 'the gateway said no' : null,
        due_at: queued ? NOW + ((i % 7) - 2) * 60_000 : null,
        wait_reason: queued ? (WAITS[i % WAITS.length] ?? null) : null,
        idempotency_key: `${project}-${offset + i}`,
        created_at: created,
        updated_at: created,
      };
    });
    await db.kysely.insertInto('messages').values(rows).execute();
  }
}
await seedMessages('clinic', MESSAGES, 0);
await seedMessages('other', OTHER_MESSAGES, MESSAGES);
// Failed recipients (no number and the like) as sub-events of a few broadcasts.
for (let e = 0; e < 20; e++) {
  const at = NOW - e * DAY;
  const event = await db.kysely
    .insertInto('events')
    .values({
      project_id: 'clinic',
      source: 'broadcast',
      source_id: `b${e}`,
      channel: 'sms',
      content: '{}',
      status: 'error',
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const subs = Array.from({ length: 250 }, (_, j) => ({
    event_id: event.id,
    project_id: 'clinic',
    recipient_kind: 'case',
    recipient_id: `case-${e * 250 + j}`,
    status: 'error',
    error_code: j % 2 ? 'NO_PHONE_NUMBER' : 'PHONE_NUMBER_IN_USE',
    error_text: 'seeded',
    created_at: at,
    updated_at: at,
  }));
  await db.kysely.insertInto('sub_events').values(subs).execute();
}
// An alert (its 5,000 cases processed, 100 of them matching) and a broadcast, for the schedules
// pages. The preview reads each instance's case and recipient one by one (app/scheduling/preview.ts), so its
// time grows with the instances.
await api('PUT', '/projects/clinic/alerts/reminder', {
  case_type: 'patient',
  criteria: [{ property: 'contact_phone_number', op: 'regex', value: '^07100000\\d\\d$' }],
  schedule: { type: 'daily', time: '09:00', occurrences: 3 },
  content: { text: 'Visit the clinic' },
});
await api('PUT', '/projects/clinic/broadcasts/flu', {
  recipients: Array.from({ length: 200 }, (_, i) => ({ case: `case-${i}` })),
  schedule: { type: 'daily', time: '08:00', occurrences: 2 },
  content: { text: 'Flu shots' },
});
while ((await processPendingAlerts({ store, clock })) > 0);
console.log(
  `seeded ${MESSAGES} + ${OTHER_MESSAGES} messages, ${CASES} cases, ${WORKERS} workers in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);

const signInPage = await app.inject({ method: 'GET', url: '/sign-in' });
const signInToken = /name="_csrf" value="([^"]*)"/.exec(signInPage.body)?.[1] ?? '';
const preCookie = String(signInPage.headers['set-cookie']).split(';')[0];
const signIn = await app.inject({
  method: 'POST',
  url: '/sign-in',
  headers: { cookie: preCookie, 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams({ key: ADMIN, _csrf: signInToken }).toString(),
});
const cookie =
  [signIn.headers['set-cookie']]
    .flat()
    .map(String)
    .find((c) => c.startsWith('caseline_session='))
    ?.split(';')[0] ?? '';

const pages: [string, string, Record<string, string>?][] = [
  ['dashboard', '/p/clinic/'],
  ['contacts (all)', '/p/clinic/contacts'],
  ['contacts ?q=name', '/p/clinic/contacts?q=chausiku'],
  [
    'contacts ?q=number (htmx)',
    '/p/clinic/contacts?q=0710000123',
    { 'hx-request': 'true', 'hx-target': 'results' },
  ],
  ['contact: case with 10,000 messages', '/p/clinic/contacts/case/case-1'],
  ['contact: case', '/p/clinic/contacts/case/case-777'],
  ['contact: mobile worker', '/p/clinic/contacts/mobile_worker/worker-7'],
  ['registry (100 conflicts)', '/p/clinic/registry'],
  ['messages (history)', '/p/clinic/messages'],
  ['messages ?status=error', '/p/clinic/messages?status=error'],
  [
    'messages ?error_code (htmx)',
    '/p/clinic/messages?error_code=PHONE_NUMBER_OPTED_OUT',
    { 'hx-request': 'true', 'hx-target': 'history' },
  ],
  ['messages ?contact (10,000 of case-1)', '/p/clinic/messages?contact_kind=case&contact_id=case-1'],
  ['messages ?number&from&to', '/p/clinic/messages?number=0710000123&from=2026-02-20&to=2026-03-15'],
  ['messages ?channel=email (none: full scan)', '/p/clinic/messages?channel=email'],
  ['messages older page', `/p/clinic/messages?before=${NOW - 15 * DAY}-1`],
  ['message detail', '/p/clinic/messages/1234'],
  ['compose form', '/p/clinic/messages/new'],
  ['schedules', '/p/clinic/schedules'],
  ['alert edit form', '/p/clinic/schedules/alerts/reminder/edit'],
  ['alert preview (100 cases, 300 lines)', '/p/clinic/schedules/alerts/reminder/preview'],
  ['broadcast preview (200 recipients, 400 lines)', '/p/clinic/schedules/broadcasts/flu/preview'],
  ['gateways', '/p/clinic/gateways'],
  ['keywords', '/p/clinic/keywords'],
  ['surveys', '/p/clinic/surveys'],
  ['settings', '/p/clinic/settings'],
];
console.log(`\n${'page'.padEnd(38)} ${'median ms'.padStart(10)} ${'max ms'.padStart(8)}  status`);
for (const [label, url, headers] of pages) {
  const times: number[] = [];
  let status = 0;
  for (let run = 0; run <= RUNS; run++) {
    const t0 = performance.now();
    const response = await app.inject({ method: 'GET', url, headers: { cookie, ...headers } });
    const elapsed = performance.now() - t0;
    status = response.statusCode;
    if (run > 0) times.push(elapsed);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  console.log(
    `${label.padEnd(38)} ${median.toFixed(1).padStart(10)} ${(times.at(-1) ?? 0).toFixed(1).padStart(8)}  ${status}`,
  );
}
if (process.env.PROFILE) {
  const reads = createConsoleReads(db);
  const boundaries = Array.from({ length: 31 }, (_, i) => NOW - (30 - i) * DAY);
  for (const [label, run] of [
    ['dailyVolumes', () => reads.dailyVolumes('clinic', boundaries)],
    ['waitingByReason', () => reads.waitingByReason('clinic', NOW)],
    ['recentErrors', () => reads.recentErrors('clinic', NOW - 30 * DAY, 20)],
  ] as const) {
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) await run();
    console.log(label, ((performance.now() - t0) / 5).toFixed(1), 'ms');
  }
}
await app.close();
await db.close();
if (process.env.KEEP) console.log(`kept ${folder}`);
else rmSync(folder, { recursive: true, force: true });
