// The OpenAPI document is valid OpenAPI 3.0 (swagger-parser, as API tools read it), names its
// server, gives every operation an operationId and a tag, documents the webhooks, /healthz and
// /metrics, and leaves out the console's HTML pages; /docs carries caseline's name.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import { operationId } from '../../src/http/openapi.ts';
import { openApi, PUBLIC_URL, type TestApi } from './support.ts';

type Operation = { operationId?: string; tags?: string[]; responses?: object };
type Document = {
  openapi: string;
  servers?: { url: string }[];
  tags?: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
};

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

describe('the OpenAPI document', () => {
  let api: TestApi;
  let document: Document;
  before(async () => {
    api = await openApi('sqlite', {}, { metrics: true });
    const response = await api.call('GET', '/api/v1/openapi.json', { key: null });
    assert.equal(response.statusCode, 200);
    document = response.json() as Document;
  });
  after(() => api.close());

  const operations = () =>
    Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.has(method))
        .map(([method, operation]) => ({ path, method, operation })),
    );

  test('validates as OpenAPI 3.0', async () => {
    assert.match(document.openapi, /^3\.0\./);
    // swagger-parser dereferences in place: give it a copy.
    await SwaggerParser.validate(structuredClone(document) as never);
  });

  test('uses no JSON Schema keyword OpenAPI 3.0 lacks', () => {
    const text = JSON.stringify(document);
    for (const keyword of ['errorMessage', 'propertyNames', 'const', '$schema', 'unevaluatedProperties'])
      assert.ok(!text.includes(`"${keyword}":`), `no ${keyword}`);
    assert.ok(!/"exclusiveM(in|ax)imum":\d/.test(text), 'exclusiveMinimum/Maximum are booleans in 3.0');
  });

  test('names the server by CASELINE_PUBLIC_URL', () => {
    assert.deepEqual(
      document.servers?.map((server) => server.url),
      [PUBLIC_URL],
    );
  });

  test('every operation has a unique operationId and a declared tag', () => {
    const declared = new Set(document.tags?.map((tag) => tag.name));
    const ids = new Set<string>();
    for (const { path, method, operation } of operations()) {
      assert.match(operation.operationId ?? '', /^[a-z][A-Za-z]+$/, `${method} ${path}`);
      assert.ok(!ids.has(operation.operationId ?? ''), `${operation.operationId} is unique`);
      ids.add(operation.operationId ?? '');
      assert.ok((operation.tags ?? []).length > 0, `${method} ${path} has a tag`);
      for (const tag of operation.tags ?? []) assert.ok(declared.has(tag), `tag ${tag} is declared`);
    }
    assert.ok(ids.size >= 50, `${ids.size} operations`);
  });

  test('documents the webhooks, /healthz and /metrics, and they exist', () => {
    for (const [path, method] of [
      ['/gateways/{id}/inbound', 'post'],
      ['/gateways/{id}/twilio/inbound', 'post'],
      ['/gateways/{id}/twilio/status', 'post'],
      ['/healthz', 'get'],
      ['/metrics', 'get'],
    ] as const) {
      const operation = document.paths[path]?.[method];
      assert.ok(operation, `${method} ${path} is documented`);
      assert.ok(
        api.app.hasRoute({ method: method.toUpperCase() as 'GET', url: path.replace('{id}', ':id') }),
        `${method} ${path} is a route`,
      );
    }
    // Every webhook route the server has is documented.
    const webhooks = [
      ...api.app.printRoutes({ commonPrefix: false }).matchAll(/── (gateways\/:id\/\S+) \(/g),
    ];
    assert.ok(webhooks.length >= 3, 'the webhook routes are found');
    for (const [, route] of webhooks)
      assert.ok(document.paths[`/${route?.replace(':id', '{id}')}`], `${route} is documented`);
  });

  test('lists the API and the documented routes only, not the console pages', () => {
    for (const path of Object.keys(document.paths))
      assert.match(path, /^(\/api\/v1\/|\/gateways\/\{id\}\/|\/healthz$|\/metrics$)/, path);
    assert.ok(!document.paths['/sign-in'] && !document.paths['/p/{project}/messages']);
  });

  test('operation ids read as what they do', () => {
    assert.equal(operationId('GET', '/api/v1/projects'), 'listProjects');
    assert.equal(operationId('GET', '/api/v1/projects/:project/cases/:id'), 'getProjectCase');
    assert.equal(operationId('POST', '/api/v1/projects/:project/keys'), 'createProjectKey');
    assert.equal(operationId('GET', '/api/v1/projects/:project/mobile-workers'), 'listProjectMobileWorkers');
    assert.equal(operationId('DELETE', '/api/v1/gateways/:id'), 'deleteGateway');
  });

  test('/docs is caseline’s', async () => {
    const page = await api.call('GET', '/docs/', { key: null });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<title>caseline API<\/title>/);
    assert.doesNotMatch(page.body, /<title>Swagger UI<\/title>/);
    const initializer = await api.call('GET', '/docs/static/swagger-initializer.js', { key: null });
    const logo = /data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)/.exec(initializer.body)?.[1];
    assert.ok(logo, 'the top bar shows our logo');
    assert.match(Buffer.from(logo, 'base64').toString('utf8'), />caseline<\/text>/);
    const css = await api.call('GET', '/docs/static/theme/caseline.css', { key: null });
    assert.equal(css.statusCode, 200);
  });
});
