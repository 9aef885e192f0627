// The API's route table for routes.test.ts, part 1: projects, keys, gateways and prefix mappings; in the order the cases run
// (later ones may use earlier state): each route's success, its field-level 400, and its 404.
import assert from 'node:assert/strict';
import { LONG, type RouteCase } from './route-table-shared.ts';

export const SETUP_CASES: RouteCase[] = [
  {
    route: 'GET /api/v1/projects',
    success: {
      url: '/api/v1/projects',
      status: 200,
      check: (b) => assert.ok(b.projects.some((p: { id: string }) => p.id === 'p1')),
    },
    bad: { url: '/api/v1/projects?limit=0', field: 'limit' },
    notFound: null,
  },
  {
    route: 'PUT /api/v1/projects/:project',
    success: {
      url: '/api/v1/projects/p3',
      body: { time_zone: 'Africa/Nairobi' },
      status: 201,
      check: (b) => assert.equal(b.settings.time_zone, 'Africa/Nairobi'),
    },
    bad: { url: '/api/v1/projects/p3', body: { daily_sms_limit: -1 }, field: 'daily_sms_limit' },
    notFound: null,
  },
  {
    route: 'GET /api/v1/projects/:project',
    success: { url: '/api/v1/projects/p1', as: 'p1', status: 200, check: (b) => assert.equal(b.id, 'p1') },
    bad: { url: `/api/v1/projects/${LONG}`, field: 'project' },
    notFound: { url: '/api/v1/projects/nope' },
  },
  {
    route: 'POST /api/v1/projects/:project/keys',
    success: {
      url: '/api/v1/projects/p3/keys',
      body: { name: 'app' },
      status: 201,
      check: (b) => assert.match(b.key, /^cl_/),
    },
    bad: { url: '/api/v1/projects/p3/keys', body: { name: 5 }, field: 'name' },
    notFound: { url: '/api/v1/projects/nope/keys', body: {} },
  },
  {
    route: 'GET /api/v1/projects/:project/keys',
    success: {
      url: '/api/v1/projects/p3/keys',
      status: 200,
      check: (b) => assert.ok(b.keys.length >= 1 && b.keys.every((k: object) => !('key' in k))),
    },
    bad: { url: `/api/v1/projects/${LONG}/keys`, field: 'project' },
    notFound: { url: '/api/v1/projects/nope/keys' },
  },
  {
    route: 'GET /api/v1/projects/:project/keys/:id',
    success: {
      url: '/api/v1/projects/p3/keys/{p3key}',
      status: 200,
      check: (b) => assert.ok(b.name === 'app' && !('key' in b)),
    },
    bad: { url: `/api/v1/projects/p3/keys/${LONG}`, field: 'id' },
    notFound: { url: '/api/v1/projects/p3/keys/key_nope' },
  },
  {
    route: 'PATCH /api/v1/projects/:project/keys/:id',
    success: {
      url: '/api/v1/projects/p3/keys/{p3key}',
      body: { name: 'renamed' },
      status: 200,
      check: (b) => assert.equal(b.name, 'renamed'),
    },
    bad: { url: '/api/v1/projects/p3/keys/{p3key}', body: { name: '' }, field: 'name' },
    notFound: { url: '/api/v1/projects/p3/keys/key_nope', body: { name: 'x' } },
  },
  {
    route: 'DELETE /api/v1/projects/:project/keys/:id',
    success: { url: '/api/v1/projects/p3/keys/{p3key}', status: 204 },
    bad: { url: `/api/v1/projects/p3/keys/${LONG}`, field: 'id' },
    notFound: { url: '/api/v1/projects/p3/keys/key_nope' },
  },
  {
    route: 'PUT /api/v1/projects/:project/gateways/:id',
    success: {
      url: '/api/v1/projects/p1/gateways/gw-p1b',
      as: 'p1',
      body: { type: 'test', prefixes: ['256'] },
      status: 201,
      check: (b) => assert.equal(b.project, 'p1'),
    },
    bad: {
      url: '/api/v1/projects/p1/gateways/gw-p1b',
      as: 'p1',
      body: { type: 'http', config: { url: 'ftp://x' } },
      field: 'config.url',
    },
    notFound: { url: '/api/v1/projects/nope/gateways/gw9', body: {} },
  },
  {
    route: 'GET /api/v1/projects/:project/gateways',
    success: {
      url: '/api/v1/projects/p1/gateways',
      as: 'p1',
      status: 200,
      check: (b) => assert.deepEqual(b.gateways.map((g: { id: string }) => g.id).sort(), ['gw-p1', 'gw-p1b']),
    },
    bad: { url: `/api/v1/projects/${LONG}/gateways`, field: 'project' },
    notFound: { url: '/api/v1/projects/nope/gateways' },
  },
  {
    route: 'GET /api/v1/projects/:project/gateways/:id',
    success: {
      url: '/api/v1/projects/p1/gateways/gw-p1',
      as: 'p1',
      status: 200,
      check: (b) => assert.equal(b.default, true),
    },
    bad: { url: `/api/v1/projects/p1/gateways/${LONG}`, field: 'id' },
    notFound: { url: '/api/v1/projects/p1/gateways/gw-global' },
  },
  {
    route: 'PATCH /api/v1/projects/:project/gateways/:id',
    success: {
      url: '/api/v1/projects/p1/gateways/gw-p1b',
      as: 'p1',
      body: { rate_limit_per_minute: 30 },
      status: 200,
      check: (b) => assert.deepEqual([b.rate_limit_per_minute, b.prefixes], [30, ['256']]),
    },
    bad: {
      url: '/api/v1/projects/p1/gateways/gw-p1b',
      as: 'p1',
      body: { max_attempts: 0 },
      field: 'max_attempts',
    },
    notFound: { url: '/api/v1/projects/p1/gateways/gw-global', body: {} },
  },
  {
    route: 'GET /api/v1/projects/:project/prefixes',
    success: {
      url: '/api/v1/projects/p1/prefixes',
      as: 'p1',
      status: 200,
      check: (b) =>
        assert.deepEqual(b, {
          prefixes: [{ id: '256', prefix: '256', gateway: 'gw-p1b', project: 'p1' }],
          next_cursor: null,
        }),
    },
    bad: { url: '/api/v1/projects/p1/prefixes?limit=0', as: 'p1', field: 'limit' },
    notFound: { url: '/api/v1/projects/nope/prefixes' },
  },
  {
    route: 'PUT /api/v1/projects/:project/prefixes/:prefix',
    success: {
      url: '/api/v1/projects/p1/prefixes/255',
      as: 'p1',
      body: { gateway: 'gw-p1' },
      status: 201,
      check: (b) => assert.deepEqual([b.id, b.gateway], ['255', 'gw-p1']),
    },
    bad: {
      url: '/api/v1/projects/p1/prefixes/255',
      as: 'p1',
      body: { gateway: 'gw-global' },
      field: 'gateway',
    },
    notFound: { url: '/api/v1/projects/nope/prefixes/255', body: { gateway: 'gw-p1' } },
  },
  {
    route: 'GET /api/v1/projects/:project/prefixes/:prefix',
    success: {
      url: '/api/v1/projects/p1/prefixes/255',
      as: 'p1',
      status: 200,
      check: (b) => assert.equal(b.gateway, 'gw-p1'),
    },
    bad: { url: '/api/v1/projects/p1/prefixes/25a', as: 'p1', field: 'prefix' },
    notFound: { url: '/api/v1/projects/p1/prefixes/999' },
  },
  {
    route: 'PATCH /api/v1/projects/:project/prefixes/:prefix',
    success: {
      url: '/api/v1/projects/p1/prefixes/255',
      as: 'p1',
      body: { gateway: 'gw-p1b' },
      status: 200,
      check: (b) => assert.equal(b.gateway, 'gw-p1b'),
    },
    bad: { url: '/api/v1/projects/p1/prefixes/255', as: 'p1', body: { gateway: 7 }, field: 'gateway' },
    notFound: { url: '/api/v1/projects/p1/prefixes/999', body: { gateway: 'gw-p1' } },
  },
  {
    route: 'DELETE /api/v1/projects/:project/prefixes/:prefix',
    success: { url: '/api/v1/projects/p1/prefixes/255', as: 'p1', status: 204 },
    bad: { url: '/api/v1/projects/p1/prefixes/-1', as: 'p1', field: 'prefix' },
    notFound: { url: '/api/v1/projects/p1/prefixes/999' },
  },
  {
    route: 'DELETE /api/v1/projects/:project/gateways/:id',
    success: { url: '/api/v1/projects/p1/gateways/gw-p1b', as: 'p1', status: 204 },
    bad: { url: `/api/v1/projects/p1/gateways/${LONG}`, field: 'id' },
    notFound: { url: '/api/v1/projects/p1/gateways/gw-none' },
  },
  {
    route: 'PUT /api/v1/gateways/:id',
    success: {
      url: '/api/v1/gateways/gw-global2',
      body: { type: 'test', prefixes: ['1'] },
      status: 201,
      check: (b) => assert.equal(b.project, null),
    },
    bad: { url: '/api/v1/gateways/gw-global2', body: { prefixes: ['12a'] }, field: 'prefixes[0]' },
    notFound: null,
  },
  {
    route: 'PATCH /api/v1/gateways/:id',
    success: {
      url: '/api/v1/gateways/gw-global2',
      body: { default_country: 'ke' },
      status: 200,
      check: (b) => assert.deepEqual([b.default_country, b.prefixes], ['KE', ['1']]),
    },
    bad: { url: '/api/v1/gateways/gw-global2', body: { default_country: 'Kenya' }, field: 'default_country' },
    notFound: { url: '/api/v1/gateways/nope', body: {} },
  },
  {
    route: 'GET /api/v1/prefixes',
    success: {
      url: '/api/v1/prefixes',
      status: 200,
      check: (b) =>
        assert.deepEqual(b.prefixes, [{ id: '1', prefix: '1', gateway: 'gw-global2', project: null }]),
    },
    bad: { url: '/api/v1/prefixes?cursor=', field: 'cursor' },
    notFound: null,
  },
  {
    route: 'PUT /api/v1/prefixes/:prefix',
    success: { url: '/api/v1/prefixes/44', body: { gateway: 'gw-global2' }, status: 201 },
    bad: { url: '/api/v1/prefixes/44', body: { gateway: 'gw-p1' }, field: 'gateway' },
    notFound: null,
  },
  {
    route: 'GET /api/v1/prefixes/:prefix',
    success: { url: '/api/v1/prefixes/44', status: 200, check: (b) => assert.equal(b.gateway, 'gw-global2') },
    bad: { url: `/api/v1/prefixes/${'4'.repeat(16)}`, field: 'prefix' },
    notFound: { url: '/api/v1/prefixes/999' },
  },
  {
    route: 'PATCH /api/v1/prefixes/:prefix',
    success: {
      url: '/api/v1/prefixes/44',
      body: { gateway: 'gw-global' },
      status: 200,
      check: (b) => assert.equal(b.gateway, 'gw-global'),
    },
    bad: { url: '/api/v1/prefixes/44', body: { gateway: 'gw-global', extra: 1 }, field: 'body' },
    notFound: { url: '/api/v1/prefixes/999', body: { gateway: 'gw-global' } },
  },
  {
    route: 'DELETE /api/v1/prefixes/:prefix',
    success: { url: '/api/v1/prefixes/44', status: 204 },
    bad: { url: '/api/v1/prefixes/4x', field: 'prefix' },
    notFound: { url: '/api/v1/prefixes/999' },
  },
  {
    route: 'GET /api/v1/gateways',
    success: {
      url: '/api/v1/gateways',
      status: 200,
      check: (b) => assert.ok(b.gateways.some((g: { id: string }) => g.id === 'gw-global')),
    },
    bad: { url: '/api/v1/gateways?x=1', field: 'querystring' },
    notFound: null,
  },
  {
    route: 'GET /api/v1/gateways/:id',
    success: { url: '/api/v1/gateways/gw-p1', status: 200, check: (b) => assert.equal(b.project, 'p1') },
    bad: { url: `/api/v1/gateways/${LONG}`, field: 'id' },
    notFound: { url: '/api/v1/gateways/nope' },
  },
  {
    route: 'DELETE /api/v1/gateways/:id',
    success: { url: '/api/v1/gateways/gw-global2', status: 204 },
    bad: { url: `/api/v1/gateways/${LONG}`, field: 'id' },
    notFound: { url: '/api/v1/gateways/gw-none' },
  },
];
