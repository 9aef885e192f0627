// expect_case and expect_survey: what a case holds and how a contact's survey session ended,
// read through the same repositories the API uses.
import type { ScenarioEngine } from './engine.ts';
import type { StepBody } from './scenario.ts';
import { Mismatch } from './steps.ts';

const show = (value: unknown): string => JSON.stringify(value);

export async function expectCase(engine: ScenarioEngine, body: StepBody<'expect_case'>): Promise<void> {
  const record = await engine.deps.store.cases.get(body.project, body.case);
  if (!record) throw new Mismatch(`no case '${body.case}' in project '${body.project}'`);
  const differences: string[] = [];
  for (const [name, expected] of Object.entries(body.properties)) {
    const actual = Object.hasOwn(record.properties, name) ? (record.properties[name] ?? null) : null;
    if (actual !== expected) differences.push(`${name}: expected ${show(expected)}, found ${show(actual)}`);
  }
  if (differences.length > 0) throw new Mismatch(differences.join('; '));
}

export async function expectSurvey(engine: ScenarioEngine, body: StepBody<'expect_survey'>): Promise<void> {
  const contact =
    body.case !== undefined
      ? { kind: 'case' as const, id: body.case }
      : { kind: 'mobile_worker' as const, id: body.mobile_worker ?? '' };
  const session = await engine.deps.store.sessions.latest(body.project, contact, body.survey);
  const status = session?.status ?? null;
  if (status !== body.status)
    throw new Mismatch(
      `survey '${body.survey}' of ${contact.kind} '${contact.id}': expected status ${show(body.status)}, found ${show(status)}`,
    );
  if (body.answers === undefined || !session) return;
  const actual = session.state.answers;
  const keys = [...new Set([...Object.keys(body.answers), ...Object.keys(actual)])].sort();
  const differences = keys.flatMap((key) => {
    const [expected, found] = [body.answers?.[key] ?? null, actual[key] ?? null];
    return expected === found ? [] : [`${key}: expected ${show(expected)}, found ${show(found)}`];
  });
  if (differences.length > 0) throw new Mismatch(`answers differ: ${differences.join('; ')}`);
}
