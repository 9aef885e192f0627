// The public scenarios on both databases: every one passes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { runScenario, scenarioFiles } from '../../src/conformance/runner.ts';
import { parseScenario } from '../../src/conformance/scenario.ts';
import { DATABASES, POSTGRES_URL } from '../support/databases.ts';

const folder = new URL('../../../shared/conformance/public/', import.meta.url).pathname;

for (const database of DATABASES) {
  describe(`public scenarios on ${database}`, () => {
    for (const file of scenarioFiles([folder])) {
      const name = file.slice(file.lastIndexOf('/') + 1);
      test(name, async () => {
        const parsed = parseScenario(readFileSync(file, 'utf8'));
        assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
        const failure = await runScenario(
          parsed.scenario,
          database === 'postgres' ? { database: POSTGRES_URL } : {},
        );
        assert.equal(failure, null);
      });
    }
  });
}
