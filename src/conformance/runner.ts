// `caseline conformance`: runs scenario files (FORMAT.md) and prints one line each, then
// `<N> passed, <M> failed`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputError } from '../lib/input.ts';
import { createScenarioEngine } from './engine.ts';
import { checkExpectation, SentLog } from './expectations.ts';
import { parseScenario, type Scenario } from './scenario.ts';
import { Mismatch, runAction } from './steps.ts';

export interface ConformanceOptions {
  /** postgres://... runs each scenario in a fresh schema there; absent: in-memory SQLite. */
  database?: string;
}

/** The scenario files named: files as given, folders' *.json in file-name order. */
export function scenarioFiles(paths: readonly string[]): string[] {
  return paths.flatMap((path) =>
    statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((f) => f.endsWith('.json'))
          .sort()
          .map((f) => join(path, f))
      : [path],
  );
}

/** Runs one scenario; null when it passed, else the failure after `FAIL <file>: `. */
export async function runScenario(
  scenario: Scenario,
  options: ConformanceOptions = {},
): Promise<string | null> {
  const engine = await createScenarioEngine(Date.parse(scenario.start), options.database);
  const sent = new SentLog(engine);
  try {
    for (const [index, step] of scenario.steps.entries()) {
      const where = `step ${index + 1} (${step.kind})`;
      try {
        if (!(await runAction(engine, step))) await checkExpectation(engine, step, sent);
        await engine.settle(engine.clock.now());
      } catch (error) {
        if (error instanceof Mismatch) return `${where}: ${error.message}`;
        if (error instanceof InputError) return `${where}: ${error.describe()}`;
        return `${where}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
      }
    }
    return null;
  } finally {
    await engine.close();
  }
}

export async function runConformance(
  paths: readonly string[],
  options: ConformanceOptions,
  print: (line: string) => void,
): Promise<{ passed: number; failed: number }> {
  let passed = 0;
  let failed = 0;
  for (const file of scenarioFiles(paths)) {
    let failure: string | null;
    try {
      const parsed = parseScenario(readFileSync(file, 'utf8'));
      failure = parsed.ok ? await runScenario(parsed.scenario, options) : parsed.error;
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    if (failure === null) {
      passed++;
      print(`ok ${basename(file)}`);
    } else {
      failed++;
      print(`FAIL ${basename(file)}: ${failure}`);
    }
  }
  print(`${passed} passed, ${failed} failed`);
  return { passed, failed };
}
