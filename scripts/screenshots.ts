// The README's console screenshots: seeds a demo project (a few dozen cases and mobile workers,
// 30 days of messages sent, delivered, received, waiting and failed, an alert, a broadcast, a
// survey, a keyword, SMS from unknown numbers) on an in-memory SQLite database through the API
// and the use cases, serves the console on a random port and saves the dashboard, a contact's
// page, the alerts list and form, the survey builder, the inbox, the Test SMS page and a
// message's page at 1280×800 with Debian's Chromium.
//   node --import tsx scripts/screenshots.ts [output folder, default docs/screenshots]
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { recordDeliveryReport } from '../src/app/sending/delivery-reports.ts';
import { handleInbound } from '../src/app/inbound/inbound.ts';
import { replyToInbound } from '../src/app/inbound/inbox.ts';
import { RecordingMailer } from '../src/gateways/test/mailer.ts';
import { TestGateway } from '../src/gateways/test/test.ts';
import { runDueWork } from '../src/queue/due.ts';
import { openApi } from '../test/http/support.ts';

const OUT = process.argv[2] ?? 'docs/screenshots';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PROJECT = 'kisumu-mch';
const DAY = 86_400_000;
const DAYS = 30;

const FIRST = [
  'Amina',
  'Akinyi',
  'Wanjiru',
  'Nafula',
  'Atieno',
  'Chebet',
  'Njeri',
  'Auma',
  'Moraa',
  'Wambui',
  'Adhiambo',
  'Kerubo',
  'Nekesa',
  'Jepkoech',
  'Mumbua',
  'Halima',
  'Zawadi',
  'Nuru',
];
const LAST = [
  'Otieno',
  'Ochieng',
  'Kamau',
  'Mwangi',
  'Njoroge',
  'Wekesa',
  'Kiprono',
  'Mutua',
  'Odhiambo',
  'Omondi',
  'Barasa',
  'Kariuki',
];
const VILLAGES = ['Kisumu', 'Kisumu', 'Ahero', 'Maseno', 'Kombewa'];
const TEXTS = [
  'Habari {name}, your antenatal visit is on Tuesday at Kisumu clinic.',
  'Reminder: take your iron and folic acid tablet today.',
  'Your child is due for the 14-week vaccination this week.',
  'Please bring your clinic card to your next visit.',
];

if (!existsSync(CHROMIUM))
  throw new Error(
    `Chromium is not installed at ${CHROMIUM}: apt-get install -y chromium (.ci/run does), or set CHROMIUM_PATH.`,
  );

/** A small seeded generator, so that every run draws the same project. */
let seed = 20260105;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

const api = await openApi('sqlite');
const gateway = new TestGateway(api.clock);
const deps = { store: api.t.store, clock: api.clock };
const work = async () => {
  for (let round = 0; round < 50; round++) {
    const done = await runDueWork({
      ...deps,
      adapters: (type) => (type === 'test' ? gateway : null),
      mailer: new RecordingMailer(api.clock),
      workerId: 'demo',
    });
    if (done === 0) return;
  }
};
const ok = async (method: string, url: string, body?: unknown) => {
  const response = await api.call(method, url, { body });
  if (response.statusCode >= 300)
    throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.body === '' ? null : response.json();
};
const base = `/api/v1/projects/${PROJECT}`;

await ok('PUT', base, {
  default_country: 'KE',
  time_zone: 'Africa/Nairobi',
  daily_sms_limit: 60,
  default_language: 'en',
  languages: ['sw'],
});
await ok('PUT', `${base}/gateways/sms`, { type: 'test', default: true });

// 36 mothers: most with a number (a third verified, so their replies reach them), a few without
// one or with a mistyped one; two later opt out and one case is closed.
const cases: { id: string; name: string; phone: string | null }[] = [];
for (let i = 1; i <= 36; i++) {
  const name = `${pick(FIRST)} ${pick(LAST)}`;
  const phone =
    i % 12 === 5
      ? null
      : i % 17 === 3
        ? `07${i}1234`
        : `+2547${String(11_000_000 + i * 7_919).padStart(8, '0')}`;
  const properties: Record<string, string> = {
    village: pick(VILLAGES),
    edd: `2026-0${3 + (i % 6)}-${String(1 + (i % 27)).padStart(2, '0')}`,
  };
  if (phone) properties.contact_phone_number = phone;
  if (phone && i % 3 === 0) properties.contact_phone_number_is_verified = '1';
  const id = `m-${String(i).padStart(3, '0')}`;
  await ok('PUT', `${base}/cases/${id}`, { type: 'mother', name, properties, owner: `chw-${1 + (i % 8)}` });
  cases.push({ id, name, phone: phone?.startsWith('+') ? phone : null });
}
for (let i = 1; i <= 8; i++) {
  await ok('PUT', `${base}/mobile-workers/chw-${i}`, {
    username: `chw${i}`,
    name: `${pick(FIRST)} ${pick(LAST)} (CHW)`,
    phone_numbers: [`+2547330${String(10_000 + i * 37).padStart(5, '0')}`],
  });
}
await ok('PUT', `${base}/alerts/anc-reminder`, {
  case_type: 'mother',
  criteria: [{ property: 'village', op: 'equals', value: 'Kisumu' }],
  schedule: { type: 'weekly', days: ['mon', 'thu'], time: '09:00', occurrences: 6 },
  content: {
    translations: {
      en: 'Hello {case.name}, remember your antenatal visit this week.',
      sw: 'Habari {case.name}, kumbuka ziara yako ya kliniki wiki hii.',
    },
  },
});
await ok('PUT', `${base}/alerts/delivery-checkup`, {
  case_type: 'mother',
  criteria: [{ property: 'edd', op: 'has_value' }],
  schedule: { type: 'daily', time: '08:00', start_property: 'edd', start_offset_days: 2, occurrences: 3 },
  content: { text: 'Congratulations! Please bring your baby to the clinic this week.' },
  active: false,
});
await ok('PUT', `${base}/broadcasts/clinic-days`, {
  recipients: cases.slice(0, 12).map((c) => ({ case: c.id })),
  schedule: { type: 'monthly', days: [1, 15], time: '07:30' },
  content: { text: 'The clinic is open on Saturdays this month.' },
});
await ok('PUT', `${base}/surveys/anc-check`, {
  questions: [
    {
      id: 'weeks',
      type: 'int',
      text: { '*': 'How many weeks pregnant are you?', sw: 'Una ujauzito wa wiki ngapi?' },
      save_to: 'weeks',
    },
    {
      id: 'well',
      type: 'single',
      text: { '*': 'Are you feeling well?', sw: 'Unajisikia vizuri?' },
      choices: [
        { value: 'yes', text: { '*': 'Yes', sw: 'Ndiyo' } },
        { value: 'no', text: { '*': 'No', sw: 'Hapana' } },
      ],
      save_to: 'feeling_well',
    },
    { id: 'thanks', type: 'label', text: { '*': 'Thank you, see you at the clinic.' } },
  ],
  expiry_hours: 24,
  reminder_minutes: [60],
});
await ok('PUT', `${base}/keywords/hours`, {
  reply: { text: 'The clinic opens 8:00 to 17:00, Monday to Saturday.' },
});

const optingOut = [cases[7]!, cases[22]!].filter((c) => c.phone);
// 30 days: each morning a few reminders, most delivered, some rejected or undelivered; replies
// from verified mothers; two opt-outs along the way.
const start = api.clock.now();
for (let day = 0; day < DAYS; day++) {
  api.clock.set(start + day * DAY + 3_600_000 * (day % 3));
  const today = cases.filter(() => random() < 0.25 + 0.35 * (day / DAYS));
  if (day % 6 === 2)
    gateway.injectFaults('sms', 1 + (day % 4), {
      kind: 'permanent',
      text: 'Twilio 21614: not a mobile number',
    });
  for (const c of today) {
    await ok('POST', `${base}/messages`, {
      to: { case: c.id },
      text: pick(TEXTS).replace('{name}', c.name.split(' ')[0]!),
    });
  }
  const accepted = gateway.accepted.length;
  await work();
  const sentIds = gateway.accepted.slice(accepted).map((a) => a.messageId);
  api.clock.set(api.clock.now() + 600_000);
  for (const id of sentIds) {
    if (day === DAYS - 1 && random() < 0.5) continue; // today: some still only sent
    const failed = random() < 0.06;
    await recordDeliveryReport(deps, {
      gatewayId: 'sms',
      providerMessageId: `test-${id}`,
      result: failed ? 'error' : 'delivered',
      detail: failed ? 'Twilio 30003: Unreachable destination handset' : null,
    });
  }
  api.clock.set(api.clock.now() + 3_600_000);
  for (const c of today.filter((c) => c.phone && random() < 0.3)) {
    await handleInbound(deps, {
      gateway: 'sms',
      from: c.phone!,
      text: pick(['Asante', 'OK', 'Nitakuja', 'Thank you, I will come']),
    });
  }
  if (day === 12 || day === 21)
    await handleInbound(deps, { gateway: 'sms', from: optingOut[day === 12 ? 0 : 1]!.phone!, text: 'STOP' });
  if (day === 25) await ok('DELETE', `${base}/cases/${cases[30]!.id}`);
  await work();
}
// SMS from numbers nobody owns, and an operator's answer to one of them.
for (const [from, text] of [
  ['+254799100201', 'Where is the clinic in Ahero?'],
  ['+254799100202', 'Is the nurse there on Sunday?'],
] as const) {
  const { messageId } = await handleInbound(deps, { gateway: 'sms', from, text });
  if (from.endsWith('1'))
    await replyToInbound(deps, PROJECT, messageId, 'Next to the market, opposite the church.');
}
// Later today and tomorrow: messages waiting in the queue.
const tomorrow = new Date(api.clock.now() + DAY).toISOString();
for (const c of cases.slice(0, 5))
  await ok('POST', `${base}/messages`, {
    to: { case: c.id },
    text: 'Your next visit is tomorrow.',
    at: tomorrow,
  });
await work();

const key = await api.projectKey(PROJECT);
await api.app.listen({ port: 0, host: '127.0.0.1' });
const origin = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, baseURL: origin });
  await page.goto('/sign-in');
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`**/p/${PROJECT}/`);
  await page.waitForFunction('document.getElementById("volume-chart").hasAttribute("height")');
  mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: `${OUT}/dashboard.png` });

  // A verified mother with replies in her history.
  const contact = cases.find((c, i) => c.phone && i % 3 === 2 && !optingOut.includes(c))!;
  await page.goto(`/p/${PROJECT}/contacts/case/${contact.id}`);
  await page.screenshot({ path: `${OUT}/contact.png` });
  const shots: [string, string, boolean][] = [
    ['alerts', `/p/${PROJECT}/alerts`, false],
    ['alert-form', `/p/${PROJECT}/alerts/anc-reminder/edit`, true],
    ['survey-builder', `/p/${PROJECT}/surveys/anc-check/edit`, true],
    ['broadcasts', `/p/${PROJECT}/broadcasts`, false],
    ['inbox', `/p/${PROJECT}/inbox`, false],
  ];
  for (const [name, path, full] of shots) {
    await page.goto(path);
    await page.screenshot({ path: `${OUT}/${name}.png`, fullPage: full });
  }
  await page.goto(`/p/${PROJECT}/test-sms`);
  await page.getByLabel('From (the sender’s number)').fill(contact.phone ?? '+254799100203');
  await page.getByLabel('Text', { exact: true }).fill('HOURS');
  await page.getByRole('button', { name: 'Send test SMS' }).click();
  await page.locator('#result').waitFor();
  await page.screenshot({ path: `${OUT}/test-sms.png` });
  await page.goto(`/p/${PROJECT}/messages?status=error`);
  await page.locator('#message-table a').first().click();
  await page.waitForURL(/\/messages\/\d+$/);
  await page.screenshot({ path: `${OUT}/message.png`, fullPage: true });
  console.log(
    `saved ${OUT}: dashboard, contact (${contact.id}), ${shots.map((s) => s[0]).join(', ')}, test-sms, message`,
  );
} finally {
  await browser.close();
  await api.close();
}
