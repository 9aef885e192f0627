// One data location (SPEC 7 "Configuration"): the server and every command use the same data
// directory whatever the current folder; the first start generates the admin key, keeps it
// there (mode 0600) and prints it once; `caseline --version` and `caseline doctor`.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { readConfig } from '../../src/config.ts';
import { dataDirectory } from '../../src/data-dir.ts';
import { REPO_ROOT, runCli, startServer, tempDataDir } from '../support/cli.ts';
import { closedPort } from '../support/net.ts';

describe('the data directory', () => {
  test('CASELINE_DATA_DIR, else $XDG_DATA_HOME/caseline, else ~/.local/share/caseline', () => {
    assert.equal(dataDirectory({ CASELINE_DATA_DIR: '/srv/caseline', XDG_DATA_HOME: '/x' }), '/srv/caseline');
    assert.equal(
      dataDirectory({ XDG_DATA_HOME: '/home/amina/.data', HOME: '/home/amina' }),
      '/home/amina/.data/caseline',
    );
    assert.equal(dataDirectory({ HOME: '/home/amina' }), '/home/amina/.local/share/caseline');
    // The XDG specification ignores a relative XDG_DATA_HOME.
    assert.equal(
      dataDirectory({ XDG_DATA_HOME: 'data', HOME: '/home/amina' }),
      '/home/amina/.local/share/caseline',
    );
    assert.equal(dataDirectory({ CASELINE_DATA_DIR: 'here' }), join(process.cwd(), 'here'));
    // Without a usable HOME, the home of the user's account, never the current folder.
    assert.equal(dataDirectory({ HOME: '' }), join(userInfo().homedir, '.local/share/caseline'));
  });

  test('without DATABASE_URL the database is caseline.db in it', () => {
    const config = readConfig({ CASELINE_DATA_DIR: '/srv/caseline' });
    assert.equal(config.dataDir, '/srv/caseline');
    assert.equal(config.databaseUrl, 'sqlite:/srv/caseline/caseline.db');
    assert.equal(
      readConfig({ CASELINE_DATA_DIR: '/srv/caseline', DATABASE_URL: 'sqlite:/tmp/x.db' }).databaseUrl,
      'sqlite:/tmp/x.db',
    );
  });
});

describe('a server and commands started from different folders', () => {
  const data = tempDataDir();
  const folders = [
    mkdtempSync(join(tmpdir(), 'caseline-cwd-')),
    mkdtempSync(join(tmpdir(), 'caseline-cwd-')),
  ];
  after(() => {
    data.remove();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });
  const env = { CASELINE_DATA_DIR: data.dir };
  let adminKey = '';

  test('the first start generates the admin key, keeps it (0600) and prints it once', async () => {
    const port = await closedPort();
    const server = await startServer(port, { env, cwd: folders[0] });
    try {
      const printed = /generated the admin API key[^\n]*\n\n {4}(cl_\S+)\n/.exec(server.output());
      assert.ok(printed, `the key is printed:\n${server.output()}`);
      adminKey = printed[1] ?? '';
      const file = join(data.dir, 'admin-key');
      assert.equal(readFileSync(file, 'utf8').trim(), adminKey);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.ok(existsSync(join(data.dir, 'caseline.db')), 'the database is in the data directory');
      assert.ok(!existsSync(join(folders[0] ?? '', 'data')), 'nothing is created in the current folder');
      assert.match(
        server.output(),
        new RegExp(`"data":"${data.dir}"`),
        'the data directory is printed at start',
      );
      const call = async (method: string, path: string, body: object) => {
        const response = await fetch(`${server.url}/api/v1${path}`, {
          method,
          headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        await response.arrayBuffer();
        return response;
      };
      assert.equal(
        (await call('PUT', '/projects/clinic', { time_zone: 'Africa/Nairobi', default_country: 'KE' }))
          .status < 300,
        true,
      );
      assert.equal(
        (await call('PUT', '/projects/clinic/gateways/sms', { type: 'test', default: true })).status < 300,
        true,
      );
      const nowhere = await closedPort();
      assert.equal(
        (
          await call('PUT', '/projects/clinic/gateways/aggregator', {
            type: 'http',
            config: { url: `http://127.0.0.1:${nowhere}/send` },
          })
        ).status < 300,
        true,
      );
      assert.equal(
        (
          await call('PUT', '/projects/clinic/cases/c1', {
            type: 'patient',
            properties: { contact_phone_number: '0712 345 678' },
          })
        ).status < 300,
        true,
      );
    } finally {
      await server.stop();
    }
  });

  test('a later start does not print the key again, and the kept key still works', async () => {
    const port = await closedPort();
    const server = await startServer(port, { env, cwd: folders[1] });
    try {
      assert.doesNotMatch(server.output(), /cl_[A-Za-z0-9_-]{20,}/, 'the key is not shown again');
      const response = await fetch(`${server.url}/api/v1/projects/clinic`, {
        headers: { authorization: `Bearer ${adminKey}` },
      });
      assert.equal(response.status, 200);
      await response.arrayBuffer();
    } finally {
      await server.stop();
    }
  });

  test('a command run from another folder reads the same database', async () => {
    const result = await runCli(['why', 'clinic', 'case:c1'], { env, cwd: folders[1] });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^case c1: /);
  });

  test('caseline doctor names the data directory and a gateway it cannot reach', async () => {
    const result = await runCli(['doctor'], { env, cwd: folders[0] });
    assert.equal(result.code, 1, 'a check failed');
    assert.match(result.stdout, new RegExp(`ok +data directory +${data.dir}`));
    assert.match(result.stdout, new RegExp(`ok +admin key +kept in ${data.dir}/admin-key`));
    assert.match(result.stdout, /ok +migrations +all \d+ applied/);
    assert.match(result.stdout, /ok +gateway sms +test \(project clinic\)/);
    assert.match(
      result.stdout,
      /FAIL +gateway aggregator +http \(project clinic\): cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\) — /,
    );
    assert.match(result.stdout, /1 problem to fix/);
  });
});

describe('caseline --version and doctor on a fresh machine', () => {
  test('--version prints the package version, compiled or not', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    for (const compiled of [false, true]) {
      const result = await runCli(['--version'], { compiled });
      assert.equal(result.code, 0);
      assert.equal(result.stdout, `caseline ${version}\n`);
    }
  });

  test('doctor on an empty data directory finds nothing wrong and says what comes next', async () => {
    const data = tempDataDir();
    try {
      const result = await runCli(['doctor'], { env: { CASELINE_DATA_DIR: join(data.dir, 'new') } });
      assert.equal(result.code, 0, result.stdout);
      assert.match(
        result.stdout,
        /ok +database +sqlite:.*\/new\/caseline\.db \(a new SQLite database, created at the first start\)/,
      );
      assert.match(result.stdout, /-- +admin key +none yet: the first start generates one/);
      assert.ok(!existsSync(join(data.dir, 'new', 'caseline.db')), 'doctor creates nothing');
    } finally {
      data.remove();
    }
  });
});
