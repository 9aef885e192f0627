// The compiled build (scripts/build.js), which `npm start` and `caseline` run: built here into
// a folder of its own (the tests run from the sources), then started as an operator would. It
// must find what it reads at run time from the package root (migrations, console views and
// assets), serve the API docs from swagger-ui's own files, and load exceljs when first used.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { REPO_ROOT, tempDataDir } from './support/cli.ts';
import { closedPort } from './support/net.ts';

const OUT = `.build-test-${process.pid}`;
const built = join(REPO_ROOT, OUT);
const data = tempDataDir();

/** `node <build>/cli.js ...args` with the test's data directory. */
function run(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [join(built, 'cli.js'), ...args], {
    cwd: data.dir,
    env: { ...process.env, CASELINE_DATA_DIR: data.dir, LOG_FORMAT: 'json', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('the compiled build', () => {
  before(() => {
    const result = spawnSync(process.execPath, ['scripts/build.js', OUT], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stderr);
  });
  after(() => {
    rmSync(built, { recursive: true, force: true });
    data.remove();
  });

  test('is a bundle with lazily loaded chunks, exceljs among them', () => {
    assert.ok(existsSync(join(built, 'cli.js')));
    const chunks = readdirSync(join(built, 'chunks')).filter((file) => file.endsWith('.js'));
    const cli = readFileSync(join(built, 'cli.js'), 'utf8');
    assert.doesNotMatch(cli, /(from |import\()["'][^"']+\.ts["']/, 'no source file is imported');
    assert.ok(chunks.length > 10, `${chunks.length} chunks`);
    const eager = chunks.filter((file) =>
      /createRequire\(import\.meta\.url\)\("exceljs"\)|require_exceljs/.test(
        readFileSync(join(built, 'chunks', file), 'utf8'),
      ),
    );
    assert.deepEqual(
      eager.filter((file) => readFileSync(join(built, 'chunks', file), 'utf8').includes('require_exceljs')),
      [],
      'exceljs is not bundled',
    );
    assert.equal(eager.length, 1, 'one chunk loads exceljs, when first used');
  });

  test('migrates, serves the console, its assets, the API and its docs', async () => {
    const port = await closedPort();
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [join(built, 'cli.js'), 'serve'], {
      cwd: data.dir,
      env: {
        ...process.env,
        CASELINE_DATA_DIR: data.dir,
        PORT: String(port),
        CASELINE_ADMIN_KEY: 'build-test-admin-key-0123',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const base = `http://127.0.0.1:${port}`;
    try {
      for (
        let i = 0;
        !(await fetch(`${base}/healthz`).then(
          async (r) => (await r.arrayBuffer(), r.ok),
          () => false,
        ));
        i++
      ) {
        assert.ok(i < 600 && child.exitCode === null, `the build did not start:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const signIn = await fetch(`${base}/sign-in`);
      assert.equal(signIn.status, 200);
      assert.match(await signIn.text(), /<form[^>]*action="\/sign-in"/, 'the view was found and rendered');
      // Every body is read: an unread one keeps its connection busy, and the server's close waits for it.
      const status = async (path: string) => {
        const response = await fetch(`${base}${path}`);
        await response.arrayBuffer();
        return response.status;
      };
      for (const asset of ['console.css', 'dashboard.js', 'htmx.min.js', 'chart.umd.min.js'])
        assert.equal(await status(`/assets/${asset}`), 200, asset);
      const docs = await fetch(`${base}/docs/`);
      assert.match(await docs.text(), /<title>caseline API<\/title>/);
      assert.equal(await status('/docs/static/swagger-ui-bundle.js'), 200, "swagger-ui's own files");
      const api = await fetch(`${base}/api/v1/projects/clinic`, {
        method: 'PUT',
        headers: { authorization: 'Bearer build-test-admin-key-0123', 'content-type': 'application/json' },
        body: JSON.stringify({ default_country: 'KE' }),
      });
      assert.equal(api.status, 201, await api.text());
      const metrics = await (await fetch(`${base}/metrics`)).text();
      assert.match(metrics, /^process_cpu_seconds_total /m);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });

  test('imports an XLSX file, loading exceljs on first use', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('cases');
    sheet.addRow(['id', 'type', 'name', 'contact_phone_number']);
    sheet.addRow(['c1', 'patient', 'Amina', 254712345678]);
    const file = join(data.dir, 'cases.xlsx');
    writeFileSync(file, Buffer.from(await workbook.xlsx.writeBuffer()));
    // Into the project the server above created, in the same data directory.
    const result = run(['import', file, '--project', 'clinic']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^1 rows: 1 cases created, /);
  });
});
