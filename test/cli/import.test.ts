// `caseline import` and `caseline send` on the use cases: CSV and XLSX (numbers typed as Excel
// numbers are international digits), a per-row error report by row and column, and a bad row
// leaves nothing of itself behind.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { putGateway } from '../../src/app/gateways/gateways.ts';
import { putProject } from '../../src/app/projects/projects.ts';
import { importFile } from '../../src/cli/import.ts';
import { readCsv } from '../../src/cli/read-rows.ts';
import { recipientOf, sendFromCli } from '../../src/cli/send.ts';
import { DATABASES, openTestDb, testDeps, type TestDb } from '../support/databases.ts';

for (const name of DATABASES) {
  describe(`import and send on ${name}`, () => {
    let t: TestDb;
    let deps: ReturnType<typeof testDeps>;
    let dir: string;

    before(async () => {
      t = await openTestDb(name);
      deps = testDeps(t.store);
      await putProject(deps, 'clinic', { default_country: 'KE' });
      await putGateway(deps, 'sms', { project: 'clinic', type: 'test', default: true });
      dir = await mkdtemp(join(tmpdir(), 'caseline-import-'));
    });
    after(async () => {
      await t.close();
      await rm(dir, { recursive: true, force: true });
    });

    test('a CSV of cases: known columns, properties, and bad rows reported without a trace', async () => {
      const file = join(dir, 'cases.csv');
      await writeFile(
        file,
        '\ufeffid,type,name,owner,closed,contact_phone_number,village\n' +
          'c1,patient,Amina,w1,no,+254 712 345 678,Kisumu\n' +
          'c2,patient,Baraka,,maybe,+254712345679,Nyeri\n' +
          ',patient,No id,,,,\n' +
          'c3,,Chebet,,yes,,\n',
      );
      const { report, lines } = await importFile(deps, file, 'clinic', 'cases');
      assert.deepEqual([report.rows, report.created, report.errors.length], [4, 2, 2]);
      assert.deepEqual(report.errors, [
        { line: 3, column: 'closed', message: 'must be true or false' },
        { line: 4, column: 'id', message: 'is required' },
      ]);
      assert.match(lines[1] ?? '', /^row 3, column closed: /);
      const c1 = await t.store.cases.get('clinic', 'c1');
      assert.deepEqual(
        [c1?.name, c1?.ownerId, c1?.closed, c1?.properties],
        ['Amina', 'w1', false, { contact_phone_number: '+254 712 345 678', village: 'Kisumu' }],
      );
      assert.equal((await t.store.cases.get('clinic', 'c3'))?.closed, true);
      assert.equal(await t.store.cases.get('clinic', 'c2'), null, 'the bad row left a case');
      assert.deepEqual(await t.store.phones.forNumber('254712345679'), [], 'the bad row left a phone entry');
      assert.equal((await t.store.phones.forNumber('254712345678')).length, 1);
    });

    test("a CSV's parent_id/parent_type and host_id/host_type columns are the case's indices", async () => {
      const file = join(dir, 'children.csv');
      await writeFile(
        file,
        'id,type,name,parent_id,parent_type,host_id,host_type\n' +
          'k1,child,Zawadi,m1,mother,,\n' +
          'k2,child,Imani,m1,mother,hh1,household\n' +
          'k3,child,Neema,m1,,,\n',
      );
      const { report } = await importFile(deps, file, 'clinic', 'cases');
      assert.equal(report.created, 2);
      assert.equal(report.errors[0]?.line, 4, 'a parent_id without its parent_type is refused');
      assert.deepEqual((await t.store.cases.get('clinic', 'k1'))?.indices, {
        parent: { case_type: 'mother', case_id: 'm1', relationship: 'child' },
      });
      assert.deepEqual((await t.store.cases.get('clinic', 'k2'))?.indices?.host, {
        case_type: 'household',
        case_id: 'hh1',
        relationship: 'extension',
      });
      assert.deepEqual(
        (await t.store.cases.children('clinic', 'm1')).map((c) => c.id),
        ['k1', 'k2'],
      );
    });

    test('an XLSX of mobile workers: a number typed as an Excel number keeps its digits', async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('workers');
      sheet.addRow(['id', 'username', 'name', 'phone_numbers', 'active']);
      sheet.addRow(['w1', 'otieno', 'Otieno', 254711000001, true]);
      sheet.addRow(['w2', 'wanjiru', 'Wanjiru', '+254711000002; 0711 000 003', 'yes']);
      sheet.addRow(['w3', 'x'.repeat(201), 'Too long', '', '']);
      const file = join(dir, 'workers.xlsx');
      await workbook.xlsx.writeFile(file);
      const { report } = await importFile(deps, file, 'clinic', 'mobile_workers');
      assert.deepEqual(
        [report.created, report.errors],
        [2, [{ line: 4, column: 'username', message: 'must be at most 200 characters (it has 201)' }]],
      );
      assert.deepEqual((await t.store.workers.get('clinic', 'w1'))?.phoneNumbers, ['254711000001']);
      assert.deepEqual((await t.store.workers.get('clinic', 'w2'))?.phoneNumbers, [
        '+254711000002',
        '0711 000 003',
      ]);
      assert.equal((await t.store.phones.forNumber('254711000001')).length, 1);
      assert.equal(await t.store.workers.get('clinic', 'w3'), null);
    });

    test('send: case:ID, mobile_worker:ID or a number; a message that cannot go says why', async () => {
      assert.deepEqual(recipientOf('case:c1'), { case: 'c1' });
      assert.deepEqual(recipientOf('mobile_worker:w1'), { mobile_worker: 'w1' });
      assert.deepEqual(recipientOf('+254 712 345 678'), { phone: '+254 712 345 678' });
      assert.throws(() => recipientOf('someone'));
      const sent = await sendFromCli(deps, 'clinic', 'case:c1', 'Hello');
      assert.equal(sent.ok, true);
      assert.match(sent.lines[0] ?? '', /^queued message \d+ to case c1/);
      const failed = await sendFromCli(deps, 'clinic', 'case:c3', 'Hello');
      assert.equal(failed.ok, false);
      assert.match(failed.lines[0] ?? '', /CONTACT_IS_INACTIVE/);
    });
  });
}

test('CSV reading: BOM, quoted fields, empty cells absent', () => {
  const sheet = readCsv('\ufeffid,name,notes\n"c1","Amina, A.",\n');
  assert.deepEqual(sheet.rows, [{ line: 2, values: { id: 'c1', name: 'Amina, A.' } }]);
});
