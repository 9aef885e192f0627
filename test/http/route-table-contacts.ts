// The API's route table for routes.test.ts, part 2: contacts, messages, events, the registry, CommCare; in the order the cases run
// (later ones may use earlier state): each route's success, its field-level 400, and its 404.
import assert from 'node:assert/strict';
import { KE, LONG, type RouteCase } from './route-table-shared.ts';

export const CONTACT_CASES: RouteCase[] = [
  {
    route: 'PUT /api/v1/projects/:project/cases/:id',
    success: {
      url: '/api/v1/projects/p1/cases/c2',
      as: 'p1',
      body: { name: 'Baraka', properties: { contact_phone_number: '+254712345679' } },
      status: 201,
      check: (b) => assert.equal(b.status, 'created'),
    },
    bad: { url: '/api/v1/projects/p1/cases/c2', as: 'p1', body: { closed: 'yes' }, field: 'closed' },
    notFound: { url: '/api/v1/projects/nope/cases/c2', body: {} },
  },
  {
    route: 'GET /api/v1/projects/:project/cases',
    success: {
      url: '/api/v1/projects/p1/cases?limit=1',
      as: 'p1',
      status: 200,
      check: (b) => assert.equal(b.cases.length, 1),
    },
    bad: { url: '/api/v1/projects/p1/cases?limit=abc', as: 'p1', field: 'limit' },
    notFound: { url: '/api/v1/projects/nope/cases' },
  },
  {
    route: 'GET /api/v1/projects/:project/cases/:id',
    success: {
      url: '/api/v1/projects/p1/cases/c1',
      as: 'p1',
      status: 200,
      check: (b) => assert.equal(b.properties.contact_phone_number, KE),
    },
    bad: { url: `/api/v1/projects/p1/cases/${LONG}`, as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/cases/nope' },
  },
  {
    route: 'DELETE /api/v1/projects/:project/cases/:id',
    success: {
      url: '/api/v1/projects/p1/cases/c2',
      as: 'p1',
      status: 200,
      check: (b) => assert.equal(b.case.deleted, true),
    },
    bad: { url: `/api/v1/projects/p1/cases/${LONG}`, as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/cases/nope' },
  },
  {
    route: 'POST /api/v1/projects/:project/cases/batch',
    success: {
      url: '/api/v1/projects/p1/cases/batch',
      as: 'p1',
      body: { cases: [{ id: 'b1' }, { id: 'b2', type: 7 }] },
      status: 200,
      check: (b) => assert.deepEqual(b.counts, { created: 1, updated: 0, ignored: 0, errors: 1 }),
    },
    bad: { url: '/api/v1/projects/p1/cases/batch', as: 'p1', body: { cases: 'b1' }, field: 'cases' },
    notFound: { url: '/api/v1/projects/nope/cases/batch', body: { cases: [] } },
  },
  {
    route: 'PUT /api/v1/projects/:project/mobile-workers/:id',
    success: {
      url: '/api/v1/projects/p1/mobile-workers/w2',
      as: 'p1',
      body: { name: 'Wanjiru', phone_numbers: ['+254712345670'] },
      status: 201,
    },
    bad: {
      url: '/api/v1/projects/p1/mobile-workers/w2',
      as: 'p1',
      body: { phone_numbers: '+254712345670' },
      field: 'phone_numbers',
    },
    notFound: { url: '/api/v1/projects/nope/mobile-workers/w2', body: {} },
  },
  {
    route: 'GET /api/v1/projects/:project/mobile-workers',
    success: {
      url: '/api/v1/projects/p1/mobile-workers',
      as: 'p1',
      status: 200,
      check: (b) =>
        assert.deepEqual(
          b.mobile_workers.map((w: { id: string }) => w.id),
          ['w1', 'w2'],
        ),
    },
    bad: { url: '/api/v1/projects/p1/mobile-workers?limit=501', as: 'p1', field: 'limit' },
    notFound: { url: '/api/v1/projects/nope/mobile-workers' },
  },
  {
    route: 'GET /api/v1/projects/:project/mobile-workers/:id',
    success: {
      url: '/api/v1/projects/p1/mobile-workers/w1',
      as: 'p1',
      status: 200,
      check: (b) => assert.equal(b.name, 'Otieno'),
    },
    bad: { url: `/api/v1/projects/p1/mobile-workers/${LONG}`, as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/mobile-workers/nope' },
  },
  {
    route: 'PATCH /api/v1/projects/:project/mobile-workers/:id',
    success: {
      url: '/api/v1/projects/p1/mobile-workers/w2',
      as: 'p1',
      body: { language: 'sw' },
      status: 200,
      check: (b) => assert.deepEqual([b.language, b.name], ['sw', 'Wanjiru']),
    },
    bad: { url: '/api/v1/projects/p1/mobile-workers/w2', as: 'p1', body: { active: 'yes' }, field: 'active' },
    notFound: { url: '/api/v1/projects/p1/mobile-workers/nope', body: {} },
  },
  {
    route: 'PATCH /api/v1/projects/:project/mobile-workers/:id/phone-numbers/:number',
    success: {
      url: `/api/v1/projects/p1/mobile-workers/w2/phone-numbers/${encodeURIComponent('+254712345670')}`,
      as: 'p1',
      body: { number: '+254712345671' },
      status: 200,
      check: (b) => assert.deepEqual(b.phone_numbers, ['+254712345671']),
    },
    bad: {
      url: '/api/v1/projects/p1/mobile-workers/w2/phone-numbers/254712345671',
      as: 'p1',
      body: { number: 5 },
      field: 'number',
    },
    notFound: {
      url: '/api/v1/projects/p1/mobile-workers/w2/phone-numbers/254700000000',
      body: { number: '+254712345672' },
    },
  },
  {
    route: 'DELETE /api/v1/projects/:project/mobile-workers/:id/phone-numbers/:number',
    success: { url: '/api/v1/projects/p1/mobile-workers/w2/phone-numbers/0712345671', as: 'p1', status: 204 },
    bad: {
      url: `/api/v1/projects/p1/mobile-workers/w2/phone-numbers/${'1'.repeat(201)}`,
      as: 'p1',
      field: 'number',
    },
    notFound: { url: '/api/v1/projects/p1/mobile-workers/w2/phone-numbers/254700000000' },
  },
  {
    route: 'POST /api/v1/projects/:project/mobile-workers/:id/verifications',
    success: {
      url: '/api/v1/projects/p1/mobile-workers/w1/verifications',
      as: 'p1',
      body: { number: '+254 711 111 111' },
      status: 200,
      check: (b) => assert.equal(b.result, 'WORKFLOW_STARTED'),
    },
    bad: {
      url: '/api/v1/projects/p1/mobile-workers/w1/verifications',
      as: 'p1',
      body: { number: '+254 799 999 999' },
      field: 'number',
    },
    notFound: { url: '/api/v1/projects/p1/mobile-workers/nope/verifications', body: { number: KE } },
  },
  {
    route: 'POST /api/v1/projects/:project/messages',
    success: {
      url: '/api/v1/projects/p1/messages',
      as: 'p1',
      body: { to: { case: 'c1' }, text: 'Hello' },
      status: 202,
      check: (b) => assert.equal(b.sub_events[0].error, null),
    },
    bad: {
      url: '/api/v1/projects/p1/messages',
      as: 'p1',
      body: { to: { patient: 'c1' }, text: 'Hello' },
      field: 'to',
    },
    notFound: { url: '/api/v1/projects/nope/messages', body: { to: { case: 'c1' }, text: 'x' } },
  },
  {
    route: 'GET /api/v1/projects/:project/messages',
    success: {
      url: `/api/v1/projects/p1/messages?contact=case:c1&number=${encodeURIComponent(KE)}`,
      as: 'p1',
      status: 200,
      check: (b) =>
        assert.ok(
          b.messages.length >= 1 && b.messages.every((m: { phone: string }) => m.phone === '254712345678'),
        ),
    },
    bad: { url: '/api/v1/projects/p1/messages?status=lost', as: 'p1', field: 'status' },
    notFound: { url: '/api/v1/projects/nope/messages' },
  },
  {
    route: 'GET /api/v1/projects/:project/messages/:id',
    success: {
      url: '/api/v1/projects/p1/messages/{message}',
      as: 'p1',
      status: 200,
      check: (b) => assert.equal(b.event.sub_events.length, 1),
    },
    bad: { url: '/api/v1/projects/p1/messages/abc', as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/messages/999999' },
  },
  {
    route: 'PATCH /api/v1/projects/:project/messages/:id',
    success: {
      url: '/api/v1/projects/p1/messages/{message}',
      as: 'p1',
      body: { text: 'First, again', at: '2026-01-06T08:00:00Z' },
      status: 200,
      check: (b) =>
        assert.deepEqual(
          [b.text, b.due_at, b.status],
          ['First, again', '2026-01-06T08:00:00.000Z', 'queued'],
        ),
    },
    bad: { url: '/api/v1/projects/p1/messages/{message}', as: 'p1', body: { at: 'tomorrow' }, field: 'at' },
    notFound: { url: '/api/v1/projects/p1/messages/999999', body: { text: 'x' } },
  },
  {
    route: 'POST /api/v1/projects/:project/messages/:id/replies',
    success: {
      url: '/api/v1/projects/p1/messages/{inbound}/replies',
      as: 'p1',
      body: { text: 'Thank you' },
      status: 202,
      check: (b) => assert.ok(Number.isInteger(b.message_id)),
    },
    bad: {
      url: '/api/v1/projects/p1/messages/{inbound}/replies',
      as: 'p1',
      body: { text: 5 },
      field: 'text',
    },
    notFound: { url: '/api/v1/projects/p1/messages/{message}/replies', body: { text: 'x' } },
  },
  {
    route: 'DELETE /api/v1/projects/:project/messages/:id',
    success: { url: '/api/v1/projects/p1/messages/{message}', as: 'p1', status: 204 },
    bad: { url: '/api/v1/projects/p1/messages/0', as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/messages/999999' },
  },
  {
    route: 'GET /api/v1/messages',
    success: {
      url: '/api/v1/messages?direction=in&project=none',
      status: 200,
      check: (b) =>
        assert.deepEqual(
          b.messages.map((m: { text: string }) => m.text),
          ['who is this?'],
        ),
    },
    bad: { url: '/api/v1/messages?direction=sideways', field: 'direction' },
    notFound: null,
  },
  {
    route: 'POST /api/v1/messages/:id/replies',
    success: { url: '/api/v1/messages/{orphan}/replies', body: { text: 'A clinic.' }, status: 202 },
    bad: { url: '/api/v1/messages/{orphan}/replies', body: {}, field: 'text' },
    notFound: { url: '/api/v1/messages/{inbound}/replies', body: { text: 'x' } },
  },
  {
    route: 'GET /api/v1/projects/:project/events',
    success: {
      url: '/api/v1/projects/p1/events?source=api',
      as: 'p1',
      status: 200,
      check: (b) => assert.ok(b.events.length >= 1),
    },
    bad: { url: '/api/v1/projects/p1/events?from=yesterday', as: 'p1', field: 'from' },
    notFound: { url: '/api/v1/projects/nope/events' },
  },
  {
    route: 'GET /api/v1/projects/:project/events/:id',
    success: {
      url: '/api/v1/projects/p1/events/{event}',
      as: 'p1',
      status: 200,
      check: (b) => assert.equal(b.sub_events[0].recipient.id, 'c1'),
    },
    bad: { url: '/api/v1/projects/p1/events/0', as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/events/999999' },
  },
  {
    route: 'GET /api/v1/projects/:project/contacts/:kind/:id/why',
    success: {
      url: '/api/v1/projects/p1/contacts/case/c1/why',
      as: 'p1',
      status: 200,
      check: (b) => assert.equal(b.phone_status, 'ONE_WAY'),
    },
    bad: { url: '/api/v1/projects/p1/contacts/patient/c1/why', as: 'p1', field: 'kind' },
    notFound: { url: '/api/v1/projects/p1/contacts/mobile_worker/nope/why' },
  },
  {
    route: 'GET /api/v1/phone-numbers/:number',
    success: {
      url: `/api/v1/phone-numbers/${encodeURIComponent(KE)}`,
      status: 200,
      check: (b) => assert.equal(b.entries[0].contact.id, 'c1'),
    },
    bad: { url: '/api/v1/phone-numbers/call-me', field: 'number' },
    notFound: null,
  },
  {
    route: 'PUT /api/v1/opt-outs/:number',
    success: {
      url: `/api/v1/opt-outs/${encodeURIComponent(KE)}`,
      body: { opted_out: true },
      status: 200,
      check: (b) => assert.deepEqual(b, { number: '254712345678', opted_out: true, can_opt_in: true }),
    },
    bad: {
      url: `/api/v1/opt-outs/${encodeURIComponent(KE)}`,
      body: { opted_out: 'yes' },
      field: 'opted_out',
    },
    notFound: null,
  },
  {
    route: 'GET /api/v1/opt-outs/:number',
    success: {
      url: '/api/v1/opt-outs/254712345678',
      status: 200,
      check: (b) => assert.equal(b.opted_out, true),
    },
    bad: { url: '/api/v1/opt-outs/12', field: 'number' },
    notFound: null,
  },
  {
    route: 'GET /api/v1/projects/:project/opt-outs',
    success: {
      url: '/api/v1/projects/p1/opt-outs',
      as: 'p1',
      status: 200,
      check: (b) =>
        assert.deepEqual(
          b.opt_outs.map((o: { number: string }) => o.number),
          ['254712345678'],
        ),
    },
    bad: { url: `/api/v1/projects/${LONG}/opt-outs`, field: 'project' },
    notFound: { url: '/api/v1/projects/nope/opt-outs' },
  },
  {
    route: 'POST /api/v1/projects/:project/commcare/cases',
    success: {
      url: '/api/v1/projects/p1/commcare/cases',
      as: 'p1',
      body: { domain: 'd', case_id: 'cc1', properties: { case_type: 'patient', case_name: 'Z' } },
      status: 200,
    },
    bad: {
      url: '/api/v1/projects/p1/commcare/cases',
      as: 'p1',
      body: { domain: 'd', properties: {} },
      field: 'case_id',
      status: 422,
    },
    notFound: { url: '/api/v1/projects/nope/commcare/cases', body: { case_id: 'x' } },
  },
  {
    route: 'PUT /api/v1/projects/:project/commcare/cases',
    success: {
      url: '/api/v1/projects/p1/commcare/cases',
      as: 'p1',
      body: [{ case_id: 'cc2', properties: { case_type: 'patient' } }],
      status: 200,
    },
    bad: {
      url: '/api/v1/projects/p1/commcare/cases',
      as: 'p1',
      body: { case_id: 'cc2', closed: 'no' },
      field: 'closed',
      status: 422,
    },
    notFound: { url: '/api/v1/projects/nope/commcare/cases', body: { case_id: 'x' } },
  },
  {
    route: 'GET /api/v1/projects/:project/commcare/cases',
    success: { url: '/api/v1/projects/p1/commcare/cases', as: 'p1', status: 200 },
    bad: { url: `/api/v1/projects/${LONG}/commcare/cases`, field: 'project' },
    notFound: { url: '/api/v1/projects/nope/commcare/cases' },
  },
];
