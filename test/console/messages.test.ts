// The console's messages on both databases: the history's filters and pages, one message with
// its attempts and recipients, the CSV and XLSX exports (formula-like text defused), composing
// through the API's use case with the server's segment count, a form error that names its field
// and changes nothing, escaping, and project isolation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { csvField } from '../../src/lib/table-export.ts';
import { TestGateway } from '../../src/gateways/test/test.ts';
import { RecordingMailer } from '../../src/gateways/test/mailer.ts';
import { runDueWork } from '../../src/queue/due.ts';
import { DATABASES, START } from '../support/databases.ts';
import { openApi, type TestApi } from '../http/support.ts';
import { signedIn, type Visitor } from './support.ts';

const DAY = 86_400_000;

/** The message ids listed in a history page or fragment, in order. */
const listedIds = (html: string): number[] =>
  [...html.matchAll(/<td><a href="\/p\/[^/]+\/messages\/(\d+)">#/g)].map((m) => Number(m[1]));

/** RFC 4180 records (quoted fields with "" escapes, CRLF line ends). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted) {
      cell += c;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      records.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      cell += c;
    }
  }
  return records;
}

test('csvField quotes what RFC 4180 needs and defuses formulas', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"\nbye'), '"say ""hi""\nbye"');
  assert.equal(csvField('=1+1'), "'=1+1");
  assert.equal(csvField('+254'), "'+254");
  assert.equal(csvField('-2'), "'-2");
  assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvField('=HYPERLINK("x","y")'), `"'=HYPERLINK(""x"",""y"")"`);
  assert.equal(csvField(12), '12');
  assert.equal(csvField(null), '');
});

for (const name of DATABASES) {
  describe(`console messages on ${name}`, () => {
    let api: TestApi;
    let v: Visitor;
    let gateway: TestGateway;
    const ids: Record<string, number> = {};
    const work = () =>
      runDueWork({
        store: api.t.store,
        clock: api.clock,
        adapters: (type) => (type === 'test' ? gateway : null),
        mailer: new RecordingMailer(api.clock),
        workerId: 'test',
      });
    const ok = async (method: string, url: string, body?: unknown) => {
      const response = await api.call(method, url, { body });
      assert.ok(response.statusCode < 300, `${method} ${url}: ${response.body}`);
      return response.json() as { sub_events: { message_id: number | null }[] };
    };
    const send = async (label: string, project: string, to: object, text: string) => {
      const result = await ok('POST', `/api/v1/projects/${project}/messages`, { to, text });
      ids[label] = result.sub_events[0]?.message_id ?? 0;
    };
    const count = async (table: 'messages' | 'events' | 'sub_events') =>
      Number(
        (
          await api.t.db.kysely
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    before(async () => {
      api = await openApi(name);
      gateway = new TestGateway(api.clock);
      await ok('PUT', '/api/v1/projects/clinic', { default_country: 'KE', time_zone: 'Africa/Nairobi' });
      await ok('PUT', '/api/v1/projects/other', { default_country: 'KE' });
      await ok('PUT', '/api/v1/projects/clinic/gateways/sms', { type: 'test', default: true });
      await ok('PUT', '/api/v1/projects/other/gateways/sms-other', { type: 'test', default: true });
      await ok('PUT', '/api/v1/projects/clinic/cases/c1', {
        name: 'Amina',
        properties: { contact_phone_number: '0712345678' },
      });
      await ok('PUT', '/api/v1/projects/clinic/cases/c2', {
        name: 'Baraka',
        properties: { contact_phone_number: '0722000111' },
      });
      await ok('PUT', '/api/v1/projects/other/cases/o1', {
        name: 'Foreign',
        properties: { contact_phone_number: '0733000222' },
      });
      // Day 1 (2026-01-05 in Nairobi): the first is rejected by the gateway, the others are sent.
      await send('rejected', 'clinic', { case: 'c1' }, 'Hello Amina');
      await send('script', 'clinic', { case: 'c2' }, "<script>alert('x')</script>");
      await send('formula', 'clinic', { case: 'c1' }, '=cmd|\' /C calc\'!A0, "quoted"');
      await send('foreign', 'other', { case: 'o1' }, 'Foreign text');
      gateway.injectFaults('sms', 1, { kind: 'permanent', text: 'no such route' });
      await work();
      // Day 3: one more, left queued.
      api.clock.set(START + 2 * DAY);
      await send('later', 'clinic', { case: 'c2' }, 'Later');
      v = await signedIn(api, await api.projectKey('clinic'));
    });
    after(() => api.close());

    test('the history lists the project’s messages newest first and filters them', async () => {
      const all = await v.get('/p/clinic/messages');
      assert.equal(all.statusCode, 200, all.body);
      assert.deepEqual(listedIds(all.body), [ids.later, ids.formula, ids.script, ids.rejected]);
      const rejected = await api.t.store.messages.get(ids.rejected ?? 0);
      assert.equal(rejected?.status, 'error');
      const cases: [string, (number | undefined)[]][] = [
        ['status=error', [ids.rejected]],
        ['status=queued', [ids.later]],
        ['channel=sms&direction=out', [ids.later, ids.formula, ids.script, ids.rejected]],
        ['channel=email', []],
        [`error_code=${rejected?.errorCode ?? ''}`, [ids.rejected]],
        ['contact_kind=case&contact_id=c2', [ids.later, ids.script]],
        ['number=0712345678', [ids.formula, ids.rejected]],
        ['number=%2B254722000111', [ids.later, ids.script]],
        ['from=2026-01-06', [ids.later]],
        ['to=2026-01-05', [ids.formula, ids.script, ids.rejected]],
        ['from=2026-01-06&to=2026-01-06', []],
      ];
      for (const [query, expected] of cases) {
        const page = await v.get(`/p/clinic/messages?${query}`);
        assert.equal(page.statusCode, 200, `${query}: ${page.body}`);
        assert.deepEqual(listedIds(page.body), expected, query);
      }
      // htmx asks for the table only; the filters stay in the shareable links.
      const partial = await v.get('/p/clinic/messages?status=error', {
        'hx-request': 'true',
        'hx-target': 'history',
      });
      assert.doesNotMatch(partial.body, /<html/);
      assert.deepEqual(listedIds(partial.body), [ids.rejected]);
      assert.match(partial.body, /href="\/p\/clinic\/messages\/export\.csv\?status=error"/);
      const bad = await v.get('/p/clinic/messages?status=lost');
      assert.equal(bad.statusCode, 400);
      assert.match(
        bad.body,
        /<select id="f-status" name="status" aria-describedby="f-status-error" aria-invalid="true">/,
      );
      assert.match(bad.body, /<p class="field-error" id="f-status-error">must be one of queued/);
      assert.deepEqual(listedIds(bad.body), []);
    });

    test('pages go back by cursor without overlap', async () => {
      const rows = Array.from({ length: 60 }, (_, i) => ({
        project_id: 'clinic',
        direction: 'out',
        channel: 'email',
        contact_kind: 'case',
        contact_id: 'bulk',
        email: `p${i}@example.org`,
        text: `Bulk ${i}`,
        status: 'sent',
        idempotency_key: `bulk-${name}-${i}`,
        created_at: START + i,
        updated_at: START + i,
      }));
      await api.t.db.kysely.insertInto('messages').values(rows).execute();
      const first = await v.get('/p/clinic/messages?contact_id=bulk');
      const firstIds = listedIds(first.body);
      assert.equal(firstIds.length, 50);
      const older = /href="([^"]*before=\d+-\d+[^"]*)" hx-get/.exec(first.body)?.[1]?.replace(/&amp;/g, '&');
      assert.ok(older, 'an older page link');
      assert.match(older, /contact_id=bulk/);
      const second = await v.get(older);
      const secondIds = listedIds(second.body);
      assert.equal(secondIds.length, 10);
      assert.ok(Math.min(...firstIds) > Math.max(...secondIds));
      assert.doesNotMatch(second.body, /rel="next"/);
    });

    test('a message shows its attempts and its event’s recipients', async () => {
      const page = await v.get(`/p/clinic/messages/${ids.rejected}`);
      assert.equal(page.statusCode, 200, page.body);
      assert.match(page.body, /<dd id="status">error<\/dd>/);
      assert.match(page.body, /<table id="attempts">[\s\S]*no such route[\s\S]*<\/table>/);
      assert.match(page.body, /<table id="recipients">[\s\S]*case c1[\s\S]*<\/table>/);
      assert.equal((await v.get('/p/clinic/messages/999999')).statusCode, 404);
      assert.equal((await v.get('/p/clinic/messages/abc')).statusCode, 404);
    });

    test('a <script> text is shown as text', async () => {
      for (const url of ['/p/clinic/messages?contact_id=c2', `/p/clinic/messages/${ids.script}`]) {
        const page = await v.get(url);
        assert.doesNotMatch(page.body, /<script>alert/);
        assert.match(page.body, /&lt;script&gt;alert\(&#39;x&#39;\)&lt;\/script&gt;/);
      }
    });

    test('CSV export: the filtered messages, RFC 4180 quoting, formulas defused', async () => {
      const response = await v.get('/p/clinic/messages/export.csv?contact_kind=case&contact_id=c1');
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^text\/csv/);
      assert.match(
        String(response.headers['content-disposition']),
        /attachment; filename="messages-clinic-2026-01-07\.csv"/,
      );
      assert.ok(response.body.startsWith('\ufeff'));
      const [header, ...rows] = parseCsv(response.body.slice(1));
      assert.deepEqual(header?.slice(0, 3), ['id', 'created_at', 'direction']);
      const column = (row: string[] | undefined, field: string) => row?.[header?.indexOf(field) ?? -1];
      assert.deepEqual(
        rows.map((r) => Number(r[0])),
        [ids.formula, ids.rejected],
      );
      assert.equal(column(rows[0], 'text'), "'=cmd|' /C calc'!A0, \"quoted\"");
      assert.equal(column(rows[0], 'phone'), "'+254712345678");
      assert.equal(column(rows[1], 'status'), 'error');
      assert.equal(column(rows[1], 'created_at'), new Date(START).toISOString());
      const none = await v.get('/p/clinic/messages/export.csv?status=received');
      assert.equal(parseCsv(none.body.slice(1)).length, 1);
    });

    test('XLSX export: the same rows, text as string cells', async () => {
      const response = await api.app.inject({
        method: 'GET',
        url: '/p/clinic/messages/export.xlsx?contact_id=c1',
        headers: { cookie: [...v.cookies].map(([k, x]) => `${k}=${encodeURIComponent(x)}`).join('; ') },
      });
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /spreadsheetml/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
      const sheet = workbook.getWorksheet('messages');
      assert.ok(sheet);
      assert.equal(sheet.rowCount, 3);
      const header = (sheet.getRow(1).values as unknown[]).slice(1);
      const textColumn = header.indexOf('text') + 1;
      assert.equal(sheet.getRow(2).getCell(1).value, ids.formula);
      const cell = sheet.getRow(2).getCell(textColumn);
      assert.equal(cell.type, ExcelJS.ValueType.String);
      assert.equal(cell.value, '=cmd|\' /C calc\'!A0, "quoted"');
      assert.equal(sheet.getRow(3).getCell(textColumn).value, 'Hello Amina');
    });

    test('compose: the preview shows the server’s count, sending queues it through the use case', async () => {
      const form = await v.get('/p/clinic/messages/new?to_kind=case&to_id=c2');
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /<label for="text">Text<\/label>/);
      assert.match(form.body, /<script src="\/assets\/compose\.js" defer><\/script>/);
      const text = `${'Jambo! '.repeat(25)}€`; // 175 GSM-7 characters + € (two septets): 177 septets, 2 segments
      const preview = await v.post('/p/clinic/messages/new', {
        to_kind: 'case',
        to_id: 'c2',
        channel: 'sms',
        text,
        action: 'preview',
      });
      assert.equal(preview.statusCode, 200, preview.body);
      assert.match(preview.body, /<span id="preview-segments">2<\/span> segments, GSM-7, 177 septets/);
      const before = await count('messages');
      const sent = await v.post('/p/clinic/messages/new', {
        to_kind: 'case',
        to_id: 'c2',
        channel: 'sms',
        text,
        action: 'send',
      });
      assert.equal(sent.statusCode, 303, sent.body);
      const location = String(sent.headers.location);
      const id = Number(/\/p\/clinic\/messages\/(\d+)\?sent=1$/.exec(location)?.[1]);
      assert.ok(id > 0, location);
      assert.equal(await count('messages'), before + 1);
      const detail = await v.get(location);
      assert.match(detail.body, /id="sent-notice">The message is queued/);
      assert.match(detail.body, /<dd id="segments">2<\/dd>/);
      const history = await v.get('/p/clinic/messages?status=queued');
      assert.equal(listedIds(history.body)[0], id);
      const unicode = await v.post('/p/clinic/messages/new', {
        to_kind: 'phone',
        to_id: '0722000111',
        channel: 'sms',
        text: 'Habari 😀',
        action: 'preview',
      });
      assert.match(unicode.body, /<span id="preview-segments">1<\/span> segment, UCS-2, 9 UTF-16 units/);
    });

    test('a form error names its field and changes nothing', async () => {
      const before = await Promise.all([count('messages'), count('events'), count('sub_events')]);
      const response = await v.post('/p/clinic/messages/new', {
        to_kind: 'case',
        to_id: '',
        channel: 'sms',
        text: 'Hi',
        action: 'send',
      });
      assert.equal(response.statusCode, 400);
      assert.match(
        response.body,
        /<input type="text" id="to_id" name="to_id" value="" required aria-describedby="to_id-error" aria-invalid="true">/,
      );
      assert.match(response.body, /<p class="field-error" id="to_id-error">must not be empty/i);
      assert.match(response.body, /<a href="#to_id">to\.case<\/a>/);
      assert.match(response.body, /<textarea id="text" name="text"[^>]*>Hi<\/textarea>/);
      const channel = await v.post('/p/clinic/messages/new', {
        to_kind: 'case',
        to_id: 'c1',
        channel: 'fax',
        text: 'Hi',
        action: 'send',
      });
      assert.equal(channel.statusCode, 400);
      assert.match(channel.body, /id="channel-error"/);
      assert.deepEqual(await Promise.all([count('messages'), count('events'), count('sub_events')]), before);
      const forged = await v.post('/p/clinic/messages/new', {
        to_kind: 'case',
        to_id: 'c1',
        text: 'Hi',
        _csrf: null,
      });
      assert.equal(forged.statusCode, 403);
      assert.deepEqual(await Promise.all([count('messages'), count('events'), count('sub_events')]), before);
    });

    test('a project key reads and posts only its own project’s messages', async () => {
      for (const url of [
        '/p/other/messages',
        `/p/other/messages/${ids.foreign}`,
        '/p/other/messages/export.csv',
        '/p/other/messages/new',
        `/p/clinic/messages/${ids.foreign}`,
      ]) {
        assert.equal((await v.get(url)).statusCode, 404, url);
      }
      const before = await count('messages');
      const post = await v.post('/p/other/messages/new', {
        to_kind: 'case',
        to_id: 'o1',
        channel: 'sms',
        text: 'Sneaky',
        action: 'send',
      });
      assert.equal(post.statusCode, 404);
      assert.equal(await count('messages'), before);
      const csv = await v.get('/p/clinic/messages/export.csv');
      assert.doesNotMatch(csv.body, /Foreign text/);
    });
  });
}
