import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import type { ParsedMail } from 'mailparser';
import type { OutboundEmail, SendOutcome } from '../../src/app/ports/gateway.ts';
import { createSmtpMailer, smtpSettingsFromEnv } from '../../src/gateways/smtp/smtp.ts';
import type { SmtpMailer, SmtpSettings } from '../../src/gateways/smtp/smtp.ts';
import { closedPort } from '../support/net.ts';

// ---------------------------------------------------------------------------------------------
// An SMTP server on 127.0.0.1 that requires authentication and keeps what it receives.

const USER = 'mailer@clinic.example';
const PASSWORD = 'p4ss:w0rd@smtp';

interface Arrived {
  envelopeFrom: string;
  envelopeTo: string[];
  mail: ParsedMail;
}

let server: SMTPServer;
let port = 0;
let arrived: Arrived[] = [];

before(async () => {
  server = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    // No certificate here: without STARTTLS nodemailer talks plain text, as to a local relay.
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === USER && auth.password === PASSWORD)
        return callback(null, { user: auth.username });
      callback(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('nobody@')) {
        return callback(Object.assign(new Error('5.1.1 Mailbox unavailable'), { responseCode: 550 }));
      }
      if (address.address.startsWith('busy@')) {
        return callback(
          Object.assign(new Error('4.2.1 Mailbox busy, try again later'), { responseCode: 451 }),
        );
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          arrived.push({
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            mail,
          });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.server.address() as AddressInfo).port;
});

after(async () => {
  await new Promise<void>((done) => server.close(() => done()));
});

function mail(overrides: Partial<OutboundEmail> = {}): OutboundEmail {
  return {
    messageId: 12,
    idempotencyKey: '5e0c7a1f-3b2d-4c1e-9f8a-7b6c5d4e3f21',
    projectId: 'p1',
    from: null,
    to: 'nurse@health.example',
    subject: 'Rappel: vaccination ✓',
    text: 'Bonjour Amélie,\nVotre rendez-vous est demain à 9 h. ✓',
    ...overrides,
  };
}

async function withMailer<T>(settings: SmtpSettings, fn: (mailer: SmtpMailer) => Promise<T>): Promise<T> {
  const mailer = createSmtpMailer(settings);
  try {
    return await fn(mailer);
  } finally {
    mailer.close();
  }
}

function detailOf(outcome: SendOutcome): string {
  return outcome.kind === 'accepted' ? '' : outcome.detail;
}

function assertNoPassword(outcome: SendOutcome): void {
  const stored = JSON.stringify(outcome);
  assert.ok(!stored.includes(PASSWORD), `the password leaked: ${stored}`);
  assert.ok(!stored.includes(encodeURIComponent(PASSWORD)), `the encoded password leaked: ${stored}`);
}

const local = (): SmtpSettings => ({
  host: '127.0.0.1',
  port,
  secure: false,
  user: USER,
  pass: PASSWORD,
  from: 'Clinic reminders <reminders@clinic.example>',
  timeout_ms: 3000,
});

interface Case {
  label: string;
  settings: () => SmtpSettings;
  mail: OutboundEmail;
  expect: Partial<Record<'kind' | 'detail' | 'providerMessageId' | 'statusCode', unknown>>;
  /** How many messages the server must have received. */
  arrives: number;
}

const cases: Case[] = [
  {
    label: 'accepted, with the Message-ID made from the idempotency key',
    settings: local,
    mail: mail(),
    expect: {
      kind: 'accepted',
      providerMessageId: '<5e0c7a1f-3b2d-4c1e-9f8a-7b6c5d4e3f21@clinic.example>',
      statusCode: 250,
    },
    arrives: 1,
  },
  {
    label: 'through an smtp:// URL with an encoded password',
    settings: () => ({
      url: `smtp://${encodeURIComponent(USER)}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}`,
      from: 'reminders@clinic.example',
      timeout_ms: 3000,
    }),
    mail: mail(),
    expect: { kind: 'accepted' },
    arrives: 1,
  },
  {
    label: 'a recipient refused with 550 is rejected',
    settings: local,
    mail: mail({ to: 'nobody@health.example' }),
    expect: { kind: 'rejected', detail: /^SMTP 550 5\.1\.1 Mailbox unavailable/, statusCode: 550 },
    arrives: 0,
  },
  {
    label: 'a recipient deferred with 451 is temporary',
    settings: local,
    mail: mail({ to: 'busy@health.example' }),
    expect: { kind: 'temporary', detail: /^SMTP 451 4\.2\.1 Mailbox busy/, statusCode: 451 },
    arrives: 0,
  },
  {
    label: 'a wrong password is rejected and says to check the credentials',
    settings: () => ({ ...local(), pass: 'not-the-password' }),
    mail: mail(),
    expect: {
      kind: 'rejected',
      detail: /^SMTP 535 .*\(check the SMTP user and password\)$/,
      statusCode: 535,
    },
    arrives: 0,
  },
  {
    label: 'no sender address is rejected before connecting',
    settings: () => ({ ...local(), from: null }),
    mail: mail(),
    expect: { kind: 'rejected', detail: 'no sender address is configured (set SMTP_FROM)' },
    arrives: 0,
  },
];

for (const c of cases) {
  test(`smtp: ${c.label}`, async () => {
    arrived = [];
    const outcome = await withMailer(c.settings(), (mailer) => mailer.send(c.mail));
    for (const [key, value] of Object.entries(c.expect)) {
      const actual = (outcome as Record<string, unknown>)[key];
      if (value instanceof RegExp) assert.match(String(actual), value, key);
      else assert.deepEqual(actual, value, key);
    }
    assertNoPassword(outcome);
    assert.equal(arrived.length, c.arrives, 'messages received by the server');
  });
}

test('smtp: what arrives is the UTF-8 subject and body, from the sender, to the recipient', async () => {
  arrived = [];
  const outcome = await withMailer(local(), (mailer) => mailer.send(mail()));
  assert.equal(outcome.kind, 'accepted');
  assert.equal(arrived.length, 1);
  const [got] = arrived;
  assert.equal(got?.envelopeFrom, 'reminders@clinic.example');
  assert.deepEqual(got?.envelopeTo, ['nurse@health.example']);
  assert.equal(got?.mail.from?.value[0]?.address, 'reminders@clinic.example');
  assert.equal(got?.mail.from?.value[0]?.name, 'Clinic reminders');
  assert.equal(got?.mail.subject, 'Rappel: vaccination ✓');
  assert.equal(got?.mail.text?.trim(), 'Bonjour Amélie,\nVotre rendez-vous est demain à 9 h. ✓');
  assert.equal(got?.mail.messageId, '<5e0c7a1f-3b2d-4c1e-9f8a-7b6c5d4e3f21@clinic.example>');
  assert.equal(got?.mail.headers.get('x-caseline-message'), '5e0c7a1f-3b2d-4c1e-9f8a-7b6c5d4e3f21');
  const to = got?.mail.to;
  assert.equal(Array.isArray(to) ? undefined : to?.value[0]?.address, 'nurse@health.example');
  assert.match(
    outcome.trace?.request ?? '',
    /^MAIL FROM: Clinic reminders <reminders@clinic\.example>\nRCPT TO: nurse@health\.example\n/,
  );
  assert.match(outcome.trace?.request ?? '', /Subject: Rappel: vaccination ✓\n\nBonjour Amélie/);
  assert.match(outcome.trace?.response ?? '', /^250 /);
});

test('smtp: the pooled transport sends several messages, a blank subject becomes (No Subject)', async () => {
  arrived = [];
  await withMailer(local(), async (mailer) => {
    const outcomes = await Promise.all([
      mailer.send(mail({ idempotencyKey: 'k1' })),
      mailer.send(mail({ idempotencyKey: 'k2', subject: '  ' })),
    ]);
    assert.deepEqual(
      outcomes.map((o) => o.kind),
      ['accepted', 'accepted'],
    );
  });
  assert.deepEqual(arrived.map((a) => a.mail.subject).sort(), ['(No Subject)', 'Rappel: vaccination ✓']);
});

test("smtp: the project's sender address wins, else SMTP_FROM", async () => {
  arrived = [];
  await withMailer(local(), async (mailer) => {
    await mailer.send(mail({ projectId: 'p1', from: 'Project One <one@clinic.example>' }));
    await mailer.send(mail({ projectId: 'p2', from: null }));
  });
  assert.deepEqual(
    arrived.map((a) => a.envelopeFrom),
    ['one@clinic.example', 'reminders@clinic.example'],
  );
});

test('smtp: a closed port is temporary', async () => {
  const closed = await closedPort();
  const outcome = await withMailer({ ...local(), port: closed }, (mailer) => mailer.send(mail()));
  assert.equal(outcome.kind, 'temporary');
  assert.match(
    detailOf(outcome),
    new RegExp(`^SMTP server 127\\.0\\.0\\.1:${closed} unreachable: .*ECONNREFUSED`),
  );
  assertNoPassword(outcome);
});

test('smtp: a server that never greets times out, temporary', async () => {
  const sockets: Socket[] = [];
  const silent = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
  try {
    const silentPort = (silent.address() as AddressInfo).port;
    const outcome = await withMailer({ ...local(), port: silentPort, timeout_ms: 200 }, (mailer) =>
      mailer.send(mail()),
    );
    assert.equal(outcome.kind, 'temporary');
    assert.match(detailOf(outcome), /timed out/);
    assertNoPassword(outcome);
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((done) => silent.close(done));
  }
});

test('smtpSettingsFromEnv reads SMTP_URL or the separate variables', () => {
  assert.equal(smtpSettingsFromEnv({}), null);
  assert.equal(smtpSettingsFromEnv({ SMTP_FROM: 'a@b.example' }), null, 'a sender alone is no server');
  assert.deepEqual(
    smtpSettingsFromEnv({
      SMTP_URL: 'smtps://u%40x.example:p%3Aw@mail.example',
      SMTP_FROM: 'Clinic <c@x.example>',
    }),
    {
      url: 'smtps://u%40x.example:p%3Aw@mail.example',
      from: 'Clinic <c@x.example>',
    },
  );
  assert.deepEqual(
    smtpSettingsFromEnv({ SMTP_URL: 'smtp://u%40x.example:pw@mail.example:2525' })?.from,
    'u@x.example',
    'the user as sender when it is an address',
  );
  assert.deepEqual(
    smtpSettingsFromEnv({
      SMTP_HOST: 'mail.example',
      SMTP_PORT: '465',
      SMTP_SECURE: 'true',
      SMTP_USER: 'u',
      SMTP_PASSWORD: 'pw',
      SMTP_FROM: 'c@x.example',
      SMTP_TIMEOUT_MS: '5000',
    }),
    {
      host: 'mail.example',
      port: 465,
      secure: true,
      user: 'u',
      pass: 'pw',
      from: 'c@x.example',
      timeout_ms: 5000,
    },
  );
  assert.deepEqual(smtpSettingsFromEnv({ SMTP_HOST: 'relay' }), {
    host: 'relay',
    user: null,
    pass: null,
    from: null,
  });
  assert.throws(
    () => smtpSettingsFromEnv({ SMTP_HOST: 'relay', SMTP_PORT: '99999' }),
    /SMTP_PORT must be a whole number from 1 to 65535, not '99999'/,
  );
  assert.throws(
    () => smtpSettingsFromEnv({ SMTP_URL: 'https://mail.example' }),
    /SMTP_URL must start with smtp:\/\/ or smtps:\/\//,
  );
});
