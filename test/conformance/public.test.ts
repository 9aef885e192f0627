// The public scenarios on both databases. Each passes, except those whose capability is not
// built yet: they must fail saying so ("not implemented: ..."), never pass by ignoring a step.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { runScenario, scenarioFiles } from '../../src/conformance/runner.ts';
import { parseScenario } from '../../src/conformance/scenario.ts';
import { DATABASES, POSTGRES_URL } from '../support/databases.ts';

const folder = new URL('../../../shared/conformance/public/', import.meta.url).pathname;

/** Scenario file → the capability it is still waiting for. */
const NOT_BUILT: Record<string, string> = {
  '10-opt-out-and-in.json': 'not implemented: expect_opt_out',
};

for (const database of DATABASES) {
  describe(`public scenarios on ${database}`, () => {
    for (const file of scenarioFiles([folder])) {
      const name = file.slice(file.lastIndexOf('/') + 1);
      test(name, async () => {
        const parsed = parseScenario(readFileSync(file, 'utf8'));
        assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
        const failure = await runScenario(parsed.scenario, database === 'postgres' ? { database: POSTGRES_URL } : {});
        const waiting = NOT_BUILT[name];
        if (waiting === undefined) assert.equal(failure, null);
        else assert.match(failure ?? 'passed', new RegExp(waiting.replace(/\./g, '\\.')));
      });
    }
  });
}
