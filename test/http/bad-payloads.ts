// Generators of requests that must be refused: for each writing route, bodies that are valid
// except for at least one field (a wrong type, an out-of-range value, a NUL character, an
// unknown field), bodies that are not objects, text that is not JSON, the wrong content type,
// and bad path parameters. Read routes get random parameters and queries.
import fc from 'fast-check';

type Arb = fc.Arbitrary<unknown>;

const word = fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/);
const nonString: Arb = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(word, { maxLength: 2 }),
  fc.dictionary(word, word, { maxKeys: 2 }),
);
const nonBoolean: Arb = fc.oneof(
  fc.integer(),
  word,
  fc.constant(null),
  fc.constant('true'),
  fc.array(fc.boolean(), { maxLength: 2 }),
);
const nonObject: Arb = fc.oneof(
  fc.integer(),
  word,
  fc.boolean(),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
);
const nonArray: Arb = fc.oneof(fc.integer(), word, fc.boolean(), fc.dictionary(word, word, { maxKeys: 2 }));
const nonInteger: Arb = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Number.isInteger(x)),
  word,
  fc.boolean(),
  fc.constant(null),
);
const withNul = fc.tuple(word, word).map(([a, b]) => `${a}\u0000${b}`);
const tooLong = fc.integer({ min: 201, max: 400 }).map((n) => 'x'.repeat(n));
const badId: Arb = fc.oneof(nonString, fc.constant(''), tooLong, withNul);
const badInstant: Arb = fc.oneof(
  nonString,
  word,
  fc.constantFrom(
    '2026-02-30T00:00:00Z',
    '2026-01-05T08:00:00',
    '2026-01-05',
    '05/01/2026 08:00',
    '2026-01-05T25:00:00Z',
    '',
  ),
);
const badNumber: Arb = fc.oneof(
  nonString,
  fc.constantFrom('', 'call me', '+', '12', '0000000000000000000000'),
);

/** Valid values, to fill the rest of a body around a bad field. */
const validText = fc.stringMatching(/^[A-Za-z0-9 ]{0,20}$/);
const validProperties = fc.dictionary(
  fc.stringMatching(/^[a-z_]{1,10}$/),
  fc.oneof(validText, fc.constant(null)),
  { maxKeys: 3 },
);

/** An object valid in `valid` fields and bad in at least one of `bad`, or with an unknown field. */
function badObject(
  valid: Record<string, Arb>,
  bad: Record<string, Arb>,
  required: Record<string, Arb> = {},
): Arb {
  const good = fc
    .tuple(fc.record(required), fc.record(valid, { requiredKeys: [] }))
    .map(([r, v]) => ({ ...v, ...r }));
  const badField = fc
    .constantFrom(...Object.keys(bad))
    .chain((key) => (bad[key] as Arb).map((value) => [key, value] as const));
  const known = new Set([...Object.keys(valid), ...Object.keys(bad), ...Object.keys(required)]);
  const unknownField = fc.tuple(
    fc.stringMatching(/^[a-z_]{1,12}$/).filter((k) => !known.has(k)),
    fc.jsonValue({ maxDepth: 1 }),
  );
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(good, fc.array(badField, { minLength: 1, maxLength: 3 }))
        .map(([g, fields]) => ({ ...g, ...Object.fromEntries(fields) })),
    },
    { weight: 1, arbitrary: fc.tuple(good, unknownField).map(([g, [k, v]]) => ({ ...g, [k]: v })) },
    { weight: 1, arbitrary: nonObject },
  );
}

const caseValid = {
  type: word,
  name: validText,
  owner: word,
  closed: fc.boolean(),
  deleted: fc.boolean(),
  properties: validProperties,
};
const caseBad = {
  type: badId,
  name: fc.oneof(nonString, withNul),
  owner: fc.oneof(nonString, tooLong),
  closed: nonBoolean,
  deleted: nonBoolean,
  properties: fc.oneof(
    nonObject,
    fc.constant({ '': 'x' }),
    fc.dictionary(word, fc.oneof(fc.integer(), fc.boolean(), fc.array(word)), { minKeys: 1, maxKeys: 2 }),
  ),
  server_modified_on: badInstant,
};

const projectBad = {
  time_zone: fc.oneof(nonString, fc.constantFrom('Mars/Base', 'UTC+3', '')),
  default_language: badId,
  language_fallback: fc.oneof(nonString, fc.constantFrom('always', '')),
  shared_numbers: fc.oneof(nonString, fc.constantFrom('two_way', 'BLOCK')),
  restricted_times: fc.oneof(
    nonArray,
    fc.constant([{ day: 7, start: '08:00', end: '17:00' }]),
    fc.constant([{ day: 0, start: '8:00', end: '17:00' }]),
    fc.constant([{ day: 0 }]),
  ),
  daily_sms_limit: fc.oneof(nonInteger, fc.integer({ max: -1 })),
  default_country: fc.oneof(nonString, fc.constantFrom('XX', 'KEN', 'k', '')),
  verification_code: fc.oneof(nonString, fc.constant(''), fc.constant('x'.repeat(21))),
  normalize_text: nonBoolean,
  allow_case_registration: nonBoolean,
  texts: fc.oneof(nonObject, fc.constant({ greeting: { en: 'hi' } }), fc.constant({ opted_out: { en: 5 } })),
};

const gatewayValid = {
  name: word,
  default: fc.boolean(),
  prefixes: fc.array(fc.stringMatching(/^9\d{5}$/), { maxLength: 2 }).map((p) => [...new Set(p)]),
  max_attempts: fc.integer({ min: 1, max: 20 }),
};
const gatewayBad = {
  type: fc.oneof(nonString, fc.constantFrom('carrier_pigeon', 'TEST', '')),
  name: badId,
  default: nonBoolean,
  prefixes: fc.oneof(nonArray, fc.constant(['12a']), fc.constant(['1', '1']), fc.constant([''])),
  shared_with: fc.oneof(nonArray, fc.constant(['no-such-project'])),
  rate_limit_per_minute: fc.oneof(nonInteger, fc.integer({ max: 0 }), fc.integer({ min: 1_000_001 })),
  max_attempts: fc.oneof(nonInteger, fc.integer({ max: 0 }), fc.integer({ min: 21 })),
  retry_minutes: fc.oneof(
    nonString.filter((v) => typeof v !== 'number'),
    fc.double({ max: 0, noNaN: true }),
    fc.integer({ min: 10_081, max: 2 ** 40 }),
  ),
  config: fc.oneof(nonObject, fc.constant({ unknown: 1 })),
  inbound_secret: fc.oneof(nonString, fc.constant('')),
};
/** A config that does not fit its type. */
const gatewayBadConfig: Arb = fc.oneof(
  fc.record({
    type: fc.constant('http'),
    config: fc.oneof(
      fc.constant({}),
      fc.record({ url: fc.oneof(word, fc.constant('ftp://x')) }),
      fc.constant({ url: 'https://x', params: { to: '{phone}' } }),
    ),
  }),
  fc.record({
    type: fc.constant('twilio'),
    config: fc.oneof(
      fc.constant({}),
      fc.record({ account_sid: word, auth_token: word, from: word }),
      fc.constant({ account_sid: `AC${'0'.repeat(32)}`, auth_token: 't' }),
    ),
  }),
);

const sendBad = {
  to: fc.oneof(
    nonObject,
    fc.constant({}),
    fc.record({ case: badId }),
    fc.constant({ case: 'c1', phone: '+254712345678' }),
    fc.constant({ patient: 'c1' }),
    fc.record({ phone: fc.constant('') }),
  ),
  channel: fc.oneof(nonString, fc.constantFrom('fax', 'SMS')),
  text: fc.oneof(nonString, withNul),
  subject: nonString,
  default_language: badId,
  at: badInstant,
};

const scheduleBad: Arb = fc.oneof(
  nonObject,
  fc.constant({ type: 'daily' }),
  fc.constant({ type: 'daily', time: '25:00' }),
  fc.constant({ type: 'hourly', time: '09:00' }),
  fc.constant({ type: 'weekly', days: [], time: '09:00' }),
  fc.constant({ type: 'monthly', days: [29], time: '09:00' }),
  fc.constant({ type: 'daily', time: '09:00', start_date: '2026-02-30' }),
  fc.constant({ type: 'immediate', start_date: '2026-01-05', start_property: 'dob' }),
);
const contentBad: Arb = fc.oneof(
  nonObject,
  fc.constant({}),
  fc.constant({ text: 'a', translations: { en: 'b' } }),
  fc.constant({ text: 'a', channel: 'fax' }),
);
const scheduled = {
  schedule: fc.constant({ type: 'daily', time: '09:00' }),
  content: fc.constant({ text: 'hi' }),
};
const alertBad = {
  case_type: badId,
  criteria: fc.oneof(
    nonArray,
    fc.constant([{ property: 'x', op: 'regex', value: '(' }]),
    fc.constant([{ property: 'x', op: 'equals' }]),
    fc.constant([{ property: 'x', op: 'has_value', value: 'y' }]),
  ),
  match: fc.oneof(nonString, fc.constantFrom('ALL', 'some', '')),
  recipients: fc.oneof(nonArray, fc.constant([]), fc.constant(['case', 'case']), fc.constant(['doctor'])),
  schedule: scheduleBad,
  content: contentBad,
  active: nonBoolean,
};
const broadcastBad = {
  recipients: fc.oneof(
    nonArray,
    fc.constant([]),
    fc.constant([{ case: 'c1', phone: '1' }]),
    fc.constant([{ patient: 'c1' }]),
  ),
  schedule: scheduleBad,
  content: contentBad,
  default_language: fc.oneof(fc.integer(), fc.constant('')),
};
const keywordBad = {
  action: fc.oneof(nonString, fc.constantFrom('forward', '')),
  reply: fc.oneof(nonObject, fc.constant({}), fc.constant({ text: 'a', translations: { en: 'b' } })),
  survey: fc.constant('no-such-survey'),
  notify_text: fc.constant('to the owner'),
  allow: fc.oneof(nonString, fc.constant('everyone')),
  override_open_survey: nonBoolean,
};
const question = { id: 'q', type: 'text', text: { '*': 'Q?' } };
const surveyBad = {
  questions: fc.oneof(
    nonArray,
    fc.constant([]),
    fc.constant([question, question]),
    fc.constant([{ ...question, text: { '*': ' ' } }]),
    fc.constant([{ ...question, type: 'single', choices: [] }]),
    fc.constant([{ ...question, choices: [{ value: 'a', text: { '*': 'A' } }] }]),
    fc.constant([{ ...question, type: 'single', choices: [{ value: 'a b', text: { '*': 'A' } }] }]),
  ),
  expiry_hours: fc.oneof(nonInteger, fc.constantFrom(0, 169)),
  reminder_minutes: fc.oneof(nonArray, fc.constant([0])),
  partial_save: nonBoolean,
};

export interface BadRequest {
  method: string;
  url: string;
  key: 'admin' | 'p1';
  /** A JSON body, or raw text with its content type. */
  body?: unknown;
  raw?: { text: string; type: string };
  /** Only a GET may succeed (it changes nothing); a batch answers 200 with every item refused. */
  kind: 'write' | 'read' | 'batch';
}

const write = (
  method: string,
  url: string,
  body: Arb,
  key: 'admin' | 'p1' = 'p1',
): fc.Arbitrary<BadRequest> =>
  body.map((value) => ({ method, url, key, body: value, kind: 'write' as const }));

/** A path segment that is not a usable id: too long, NUL, or empty-ish. */
const badSegment = fc.oneof(tooLong, withNul, fc.constant(' '.repeat(3))).map((s) => encodeURIComponent(s));

const WRITE_ROUTES: [string, string][] = [
  ['PUT', '/api/v1/projects/p1'],
  ['POST', '/api/v1/projects/p1/keys'],
  ['PUT', '/api/v1/projects/p1/cases/c1'],
  ['POST', '/api/v1/projects/p1/cases/batch'],
  ['PUT', '/api/v1/projects/p1/mobile-workers/w1'],
  ['POST', '/api/v1/projects/p1/mobile-workers/w1/verifications'],
  ['PUT', '/api/v1/projects/p1/gateways/gw-p1'],
  ['PUT', '/api/v1/gateways/gw-global'],
  ['POST', '/api/v1/projects/p1/messages'],
  ['PUT', '/api/v1/opt-outs/254712345678'],
  ['POST', '/api/v1/projects/p1/commcare/cases'],
  ['PUT', '/api/v1/projects/p1/alerts/a1'],
  ['PUT', '/api/v1/projects/p1/broadcasts/b1'],
  ['PUT', '/api/v1/projects/p1/keywords/visit'],
  ['PUT', '/api/v1/projects/p1/surveys/s1'],
];

const READ_ROUTES = [
  '/api/v1/projects/{p}',
  '/api/v1/projects/{p}/cases/{id}',
  '/api/v1/projects/{p}/mobile-workers/{id}',
  '/api/v1/projects/{p}/gateways/{id}',
  '/api/v1/projects/{p}/messages/{id}',
  '/api/v1/projects/{p}/events/{id}',
  '/api/v1/projects/{p}/contacts/case/{id}/why',
  '/api/v1/phone-numbers/{id}',
  '/api/v1/opt-outs/{id}',
  '/api/v1/gateways/{id}',
  '/api/v1/projects/{p}/alerts/{id}',
  '/api/v1/projects/{p}/alerts/{id}/preview',
  '/api/v1/projects/{p}/broadcasts/{id}',
  '/api/v1/projects/{p}/broadcasts/{id}/preview',
  '/api/v1/projects/{p}/keywords/{id}',
  '/api/v1/projects/{p}/surveys/{id}',
];
const LIST_ROUTES = [
  '/api/v1/projects',
  '/api/v1/projects/p1/cases',
  '/api/v1/projects/p1/mobile-workers',
  '/api/v1/projects/p1/messages',
  '/api/v1/projects/p1/events',
  '/api/v1/projects/p1/alerts/a1/preview',
  '/api/v1/projects/p1/broadcasts/b1/preview',
];
const QUERY_KEYS = [
  'limit',
  'cursor',
  'status',
  'contact',
  'number',
  'from',
  'to',
  'error_code',
  'type',
  'open',
  'source',
  'direction',
  'days',
];

export const badRequest: fc.Arbitrary<BadRequest> = fc.oneof(
  write(
    'PUT',
    '/api/v1/projects/p1',
    badObject({ time_zone: fc.constant('Africa/Nairobi'), daily_sms_limit: fc.nat() }, projectBad),
    'admin',
  ),
  write(
    'POST',
    '/api/v1/projects/p1/keys',
    badObject({}, { name: fc.oneof(nonString, fc.constant(''), tooLong) }),
    'admin',
  ),
  write('PUT', '/api/v1/projects/p1/cases/c1', badObject(caseValid, caseBad)),
  fc
    .oneof(
      fc.array(badObject({ ...caseValid, id: word }, { ...caseBad, id: badId }), {
        minLength: 1,
        maxLength: 4,
      }),
      fc.array(fc.record(caseValid, { requiredKeys: [] }), { minLength: 1, maxLength: 3 }),
    )
    .map((cases): BadRequest => ({
      method: 'POST',
      url: '/api/v1/projects/p1/cases/batch',
      key: 'p1',
      body: { cases },
      kind: 'batch',
    })),
  write('POST', '/api/v1/projects/p1/cases/batch', badObject({}, { cases: nonArray })),
  write(
    'PUT',
    '/api/v1/projects/p1/mobile-workers/w1',
    badObject(
      { name: validText, active: fc.boolean() },
      {
        username: badId,
        phone_numbers: fc.oneof(
          nonArray,
          fc.array(fc.oneof(fc.integer(), fc.constant(null)), { minLength: 1, maxLength: 2 }),
        ),
        email: fc.oneof(fc.integer(), fc.boolean(), fc.constant('x'.repeat(321))),
        language: fc.oneof(fc.integer(), fc.constant('')),
        active: nonBoolean,
        username_taken: fc.constant(undefined),
      },
    ).map((body) =>
      typeof body === 'object' && body !== null && 'username_taken' in body ? { username: 'taken' } : body,
    ),
  ),
  write(
    'POST',
    '/api/v1/projects/p1/mobile-workers/w1/verifications',
    badObject({}, { number: badNumber, number_not_his: fc.constant(undefined) }, {}).map((b) =>
      typeof b === 'object' && b !== null && 'number_not_his' in b ? { number: '+254799999999' } : b,
    ),
  ),
  write(
    'PUT',
    '/api/v1/projects/p1/gateways/gw-p1',
    fc.oneof(badObject(gatewayValid, { ...gatewayBad, shared_with: fc.constant(['p2']) }), gatewayBadConfig),
  ),
  write(
    'PUT',
    '/api/v1/gateways/gw-global',
    fc.oneof(
      badObject(gatewayValid, { ...gatewayBad, project: fc.oneof(badId, fc.constant('no-such-project')) }),
      gatewayBadConfig,
    ),
    'admin',
  ),
  write('PUT', '/api/v1/projects/p1/gateways/gw-p1', fc.record({ default: fc.boolean() })).map((r) => ({
    ...r,
    url: '/api/v1/projects/p1/gateways/gw-global',
  })),
  write(
    'POST',
    '/api/v1/projects/p1/messages',
    badObject({ text: validText }, sendBad, { to: fc.constant({ case: 'c1' }) }),
  ),
  write(
    'POST',
    '/api/v1/projects/p1/messages',
    fc.constant({ to: { case: 'c1' }, text: 'a', translations: { en: 'b' } }),
  ),
  write(
    'PUT',
    '/api/v1/opt-outs/254712345678',
    badObject({}, { opted_out: nonBoolean, can_opt_in: nonBoolean }),
    'admin',
  ),
  write('PUT', '/api/v1/opt-outs/254712345678', fc.constant({}), 'admin'),
  write(
    'POST',
    '/api/v1/projects/p1/commcare/cases',
    fc.oneof(
      badObject(
        { domain: word, closed: fc.boolean(), properties: validProperties },
        {
          case_id: badId,
          closed: nonBoolean,
          properties: nonObject,
          server_date_modified: fc.oneof(word, fc.integer()),
          indices: nonObject,
        },
        {},
      ),
      fc.array(badObject({}, { case_id: badId }), { minLength: 1, maxLength: 3 }),
      fc.constant({ domain: 'd', properties: { case_type: 'patient' } }),
    ),
  ),
  write(
    'PUT',
    '/api/v1/projects/p1/alerts/a1',
    badObject({ match: fc.constantFrom('all', 'any'), active: fc.boolean() }, alertBad, {
      case_type: fc.constant('patient'),
      criteria: fc.constant([]),
      ...scheduled,
    }),
  ),
  write(
    'PUT',
    '/api/v1/projects/p1/broadcasts/b1',
    badObject({ default_language: fc.constant('en') }, broadcastBad, {
      recipients: fc.constant([{ case: 'c1' }]),
      ...scheduled,
    }),
  ),
  write(
    'PUT',
    '/api/v1/projects/p1/keywords/visit',
    badObject({ allow: fc.constantFrom('all', 'cases', 'workers') }, keywordBad, {
      reply: fc.constant({ text: 'hi' }),
    }),
  ),
  write(
    'PUT',
    '/api/v1/projects/p1/keywords/visit',
    fc.constant({ action: 'survey', survey: 'no-such-survey' }),
  ),
  write('PUT', '/api/v1/projects/p1/keywords/two%20words', fc.constant({ reply: { text: 'hi' } })),
  write('PUT', '/api/v1/projects/p1/keywords/%23start', fc.constant({ reply: { text: 'hi' } })),
  write(
    'PUT',
    '/api/v1/projects/p1/surveys/s1',
    badObject({ partial_save: fc.boolean() }, surveyBad, { questions: fc.constant([question]) }),
  ),
  // Not JSON, or not JSON at all.
  fc
    .tuple(
      fc.constantFrom(...WRITE_ROUTES),
      fc.oneof(
        fc.constantFrom('{', '{"a":', '[1,', "{'a':1}", '{"__proto__":{"x":1}}', ''),
        fc.string({ maxLength: 30 }).filter((s) => {
          try {
            JSON.parse(s);
            return false;
          } catch {
            return true;
          }
        }),
      ),
    )
    .map(([[method, url], text]): BadRequest => ({
      method,
      url,
      key: url.startsWith('/api/v1/projects/p1/') ? 'p1' : 'admin',
      raw: { text, type: 'application/json' },
      kind: 'write',
    })),
  fc
    .tuple(
      fc.constantFrom(...WRITE_ROUTES),
      fc.constantFrom('text/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'),
    )
    .map(([[method, url], type]): BadRequest => ({
      method,
      url,
      key: url.startsWith('/api/v1/projects/p1/') ? 'p1' : 'admin',
      raw: { text: '<case/>', type },
      kind: 'write',
    })),
  // Bad ids in the path of a write.
  fc
    .tuple(
      fc.constantFrom(
        ...WRITE_ROUTES.filter(([, url]) =>
          /\/(c1|w1|gw-p1|gw-global|254712345678|a1|b1|visit|s1)(\/|$)/.test(url),
        ),
      ),
      badSegment,
    )
    .map(([[method, url], segment]): BadRequest => ({
      method,
      url: url.replace(/(c1|w1|gw-p1|gw-global|254712345678|a1|b1|visit|s1)/, segment),
      key: 'admin',
      body: {},
      kind: 'write',
    })),
  fc
    .constantFrom(
      'DELETE /api/v1/projects/p1/cases/nope',
      'DELETE /api/v1/projects/p1/gateways/nope',
      'DELETE /api/v1/gateways/nope',
      'DELETE /api/v1/projects/p1/keys/nope',
      'DELETE /api/v1/projects/nope/cases/c1',
    )
    .map((line): BadRequest => ({
      method: line.split(' ')[0] ?? 'DELETE',
      url: line.split(' ')[1] ?? '',
      key: 'admin',
      kind: 'write',
    })),
  // Reads with random parameters and queries: they may succeed, never fail inside.
  fc
    .tuple(
      fc.constantFrom(...READ_ROUTES),
      fc.oneof(fc.constant('p1'), fc.string({ maxLength: 12 })),
      fc.oneof(
        fc.string({ maxLength: 30 }),
        badSegment,
        fc.constantFrom('1', '0', '-1', '1e3', '99999999999999999999'),
      ),
    )
    .map(([route, p, id]): BadRequest => ({
      method: 'GET',
      url: route.replace('{p}', encodeURIComponent(p) || 'p1').replace('{id}', encodeURIComponent(id) || 'x'),
      key: 'admin',
      kind: 'read',
    })),
  fc
    .tuple(
      fc.constantFrom(...LIST_ROUTES),
      fc.dictionary(
        fc.constantFrom(...QUERY_KEYS, 'bogus'),
        fc.oneof(
          fc.string({ maxLength: 20 }),
          fc.constantFrom('0', '501', '-1', 'true', 'case:', 'case:c1', '2026-01-05T00:00:00Z'),
        ),
        { maxKeys: 3 },
      ),
    )
    .map(([url, query]): BadRequest => ({
      method: 'GET',
      url: `${url}?${new URLSearchParams(query).toString()}`,
      key: 'admin',
      kind: 'read',
    })),
);
