// Requests generated from the routes' own schemas (the fuzz test over every route): each value
// is valid for its schema most of the time and hostile otherwise — a bound's neighbour, 10^12,
// a NUL, a lone surrogate, text past its length, the wrong type, an unknown field — so a request
// is sometimes accepted and often refused for one field deep inside it.
import fc from 'fast-check';
import type { RouteOptions } from 'fastify';

type Arb = fc.Arbitrary<unknown>;
type Schema = Record<string, unknown>;

/** Ids the fuzz test seeds (so generated paths reach real objects) and some it does not. */
export const SEEDED_IDS = ['p1', 'p2', 'c1', 'w1', 'w2', 'a1', 'b1', 's1', 'visit', 'gw-p1', 'gw-global'];
const word = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);
const id: Arb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SEEDED_IDS) },
  { weight: 1, arbitrary: word },
);
const INSTANTS = [
  '2026-01-05T08:00:00Z',
  '2026-03-01T10:30:00+03:00',
  '1900-01-01T00:00:00Z',
  '2200-12-31T23:59:59Z',
];
const DATES = ['2026-01-05', '2026-02-28', '1900-01-01', '2200-12-31'];
const ZONES = ['UTC', 'Africa/Nairobi', 'America/New_York'];
const PHONES = ['+254712345678', '+254711111111', '0712345678', '+12025550123'];

const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

/** Values that break a schema of this kind. */
function hostile(schema: Schema): Arb {
  const type = schema.type;
  const min = num(schema.minimum) ?? num(schema.exclusiveMinimum);
  const max = num(schema.maximum) ?? num(schema.exclusiveMaximum);
  const wrongType: Arb = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.constant('12'),
    fc.constant([]),
    fc.constant({}),
  );
  if (type === 'integer' || type === 'number') {
    const near = [min, max].flatMap((b) => (b === undefined ? [] : [b - 1, b + 1, b - 0.5]));
    return fc.oneof(fc.constantFrom(1e12, -1e12, 2 ** 53, Number.MAX_VALUE, 0.5, -1, ...near), wrongType);
  }
  if (type === 'string') {
    const maxLength = num(schema.maxLength) ?? 10_000;
    return fc.oneof(
      fc.constantFrom('a\u0000b', '\uD800', 'x\uDC00y', '', ' ', '9999-99-99', '0001-01-01T00:00:00Z'),
      fc.constant('x'.repeat(Math.min(maxLength + 1, 10_001))),
      wrongType,
    );
  }
  return wrongType;
}

/** Values valid for the schema as far as JSON Schema says (refinements may still refuse them). */
function valid(schema: Schema, depth: number): Arb {
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const union = (schema.anyOf ?? (schema.type === undefined ? schema.oneOf : undefined)) as
    Schema[] | undefined;
  if (Array.isArray(union) && union.length > 0) return fc.oneof(...union.map((s) => value(s, depth)));
  const description = String(schema.description ?? '');
  switch (schema.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'number': {
      const min = num(schema.minimum) ?? (num(schema.exclusiveMinimum) ?? -1001) + 1;
      const max = num(schema.maximum) ?? (num(schema.exclusiveMaximum) ?? 1001) - 1;
      return fc.oneof(fc.integer({ min: Math.ceil(min), max: Math.floor(max) }), fc.constantFrom(min, max));
    }
    case 'string':
      return validString(schema, description);
    case 'array': {
      const items = (schema.items ?? {}) as Schema;
      const minLength = num(schema.minItems) ?? 0;
      return fc.array(value(items, depth + 1), { minLength, maxLength: Math.max(minLength, 3) });
    }
    case 'object':
      return validObject(schema, depth);
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
}

function validString(schema: Schema, description: string): Arb {
  const pattern = typeof schema.pattern === 'string' ? schema.pattern : undefined;
  if (schema.format === 'date-time' || description.includes('instant')) return fc.constantFrom(...INSTANTS);
  if (description.includes('calendar date')) return fc.constantFrom(...DATES);
  if (description.includes('time zone')) return fc.constantFrom(...ZONES);
  if (description.includes('HH:MM')) return fc.constantFrom('09:00', '23:59', '00:00');
  if (pattern) {
    try {
      return fc.stringMatching(new RegExp(pattern)).filter((s) => s.length <= 200);
    } catch {
      // A pattern fast-check cannot generate from: any short word.
    }
  }
  const minLength = num(schema.minLength) ?? 0;
  return fc.oneof(
    id,
    fc.constantFrom(...PHONES),
    fc.string({ minLength, maxLength: Math.max(minLength, 12) }),
  );
}

function validObject(schema: Schema, depth: number): Arb {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  if (depth > 4) return fc.constant({});
  const required = new Set((schema.required ?? []) as string[]);
  const fields = Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, value(s, depth + 1)]));
  const record = fc.record(fields, { requiredKeys: [...required].filter((k) => k in fields) });
  const patterns = Object.values((schema.patternProperties ?? {}) as Record<string, Schema>);
  const extra =
    patterns[0] !== undefined
      ? fc.dictionary(word, value(patterns[0], depth + 1), { maxKeys: 3 })
      : fc.constant({});
  return fc.tuple(record, extra).map(([r, e]) => ({ ...e, ...r }));
}

/** A value for the schema: valid nine times in ten at each node, hostile otherwise; an object
 *  sometimes carries an unknown field. */
export function value(schema: Schema, depth = 0): Arb {
  const base = valid(schema, depth);
  const withExtra =
    schema.type === 'object' ? base.map((v) => ({ ...(v as object), zz_unknown: 1 })) : hostile(schema);
  return fc.oneof(
    { weight: 18, arbitrary: base },
    { weight: 1, arbitrary: hostile(schema) },
    { weight: 1, arbitrary: withExtra },
  );
}

export interface Route {
  method: string;
  url: string;
  schema: { body?: Schema; querystring?: Schema; params?: Schema };
}

export interface Request {
  route: Route;
  key: 'admin' | 'p1';
  url: string;
  body: unknown;
}

/** The routes worth fuzzing: the API's and the gateway webhooks (not the console's pages). */
export function fuzzable(route: RouteOptions): Route[] {
  if (!route.url.startsWith('/api/v1/') && !route.url.startsWith('/gateways/')) return [];
  if (route.url.endsWith('/openapi.json')) return [];
  const schema = (route.schema ?? {}) as Route['schema'];
  return [route.method]
    .flat()
    .filter((method) => method !== 'HEAD')
    .map((method) => ({ method, url: route.url, schema }));
}

/** The seeded object a path parameter after this segment names (`cases/:id` → c1). */
const SEEDED_BY_SEGMENT: Record<string, string[]> = {
  projects: ['p1', 'p1', 'p2'],
  cases: ['c1'],
  'mobile-workers': ['w1', 'w2'],
  alerts: ['a1'],
  broadcasts: ['b1'],
  surveys: ['s1'],
  keywords: ['visit'],
  gateways: ['gw-p1', 'gw-global'],
};

/** Path parameters no object has, already percent-encoded: NUL, invalid UTF-8 (a lone
 *  surrogate's bytes), a dot segment, a number past 2^53, text past any id's length. */
const HOSTILE_PARAMS = [
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%FF',
  '..',
  '9007199254740993',
  '-1',
  '1e400',
  'x'.repeat(300),
];

/** A path parameter: mostly the seeded object, else a new id, any seeded one or a hostile one. */
function paramValue(segment: string): fc.Arbitrary<string> {
  const seeded = SEEDED_BY_SEGMENT[segment] ?? SEEDED_IDS;
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...seeded).map(encodeURIComponent) },
    { weight: 4, arbitrary: word },
    { weight: 2, arbitrary: id.map((v) => encodeURIComponent(String(v))) },
    { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_PARAMS) },
  );
}

const ANY_BODY: Schema = {
  type: 'object',
  patternProperties: { '^.*$': { anyOf: [{ type: 'string' }, { type: 'integer' }] } },
};

/** One request to one of the routes. */
export function requestTo(routes: readonly Route[]): fc.Arbitrary<Request> {
  return fc.constantFrom(...routes).chain((route) => {
    const params = route.url.match(/:\w+/g) ?? [];
    const segments = route.url.split('/');
    const query = route.schema.querystring ? valid(route.schema.querystring, 0) : fc.constant({});
    const hasBody = route.method !== 'GET' && route.method !== 'DELETE';
    const body = hasBody ? value(route.schema.body ?? ANY_BODY) : fc.constant(undefined);
    return fc
      .record({
        key: fc.constantFrom('admin' as const, 'admin' as const, 'p1' as const),
        params: fc.tuple(...params.map((param) => paramValue(segments[segments.indexOf(param) - 1] ?? ''))),
        query,
        body,
      })
      .map(({ key, params: values, query: q, body: b }) => {
        let url = route.url;
        for (const [i, name] of params.entries()) url = url.replace(name, values[i] ?? '');
        const search = new URLSearchParams();
        for (const [k, v] of Object.entries(q as Record<string, unknown>))
          for (const item of [v].flat()) search.append(k, String(item));
        const text = search.toString();
        return { route, key, url: text ? `${url}?${text}` : url, body: b };
      });
  });
}
