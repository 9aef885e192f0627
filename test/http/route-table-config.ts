// The API's route table for routes.test.ts, part 3: surveys, groups, keywords, alerts and broadcasts; in the order the cases run
// (later ones may use earlier state): each route's success, its field-level 400, and its 404.
import assert from 'node:assert/strict';
import { ALERT, BROADCAST, KEYWORD, LONG, SURVEY, type RouteCase } from './route-table-shared.ts';

export const CONFIG_CASES: RouteCase[] = [
  {
    route: 'PUT /api/v1/projects/:project/surveys/:id',
    success: {
      url: '/api/v1/projects/p1/surveys/s1',
      as: 'p1',
      body: SURVEY,
      status: 201,
      check: (b) => assert.deepEqual(b, { id: 's1', project: 'p1', ...SURVEY }),
    },
    bad: {
      url: '/api/v1/projects/p1/surveys/s1',
      as: 'p1',
      body: { ...SURVEY, expiry_hours: 169 },
      field: 'expiry_hours',
    },
    notFound: { url: '/api/v1/projects/nope/surveys/s1', body: SURVEY },
  },
  {
    route: 'GET /api/v1/projects/:project/surveys/:id',
    success: {
      url: '/api/v1/projects/p1/surveys/s1',
      as: 'p1',
      status: 200,
      check: (b) => assert.deepEqual(b, { id: 's1', project: 'p1', ...SURVEY }),
    },
    bad: { url: `/api/v1/projects/p1/surveys/${LONG}`, as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/surveys/nope' },
  },
  {
    route: 'GET /api/v1/projects/:project/surveys/:id/sessions',
    success: {
      url: '/api/v1/projects/p1/surveys/s1/sessions?case=c1',
      as: 'p1',
      status: 200,
      check: (b) => assert.deepEqual(b, { sessions: [], next_cursor: null }),
    },
    bad: { url: '/api/v1/projects/p1/surveys/s1/sessions?cursor=abc', as: 'p1', field: 'cursor' },
    notFound: { url: '/api/v1/projects/p1/surveys/nope/sessions' },
  },
  {
    route: 'GET /api/v1/projects/:project/survey-sessions',
    success: {
      url: '/api/v1/projects/p1/survey-sessions?mobile_worker=w1',
      as: 'p1',
      status: 200,
      check: (b) => assert.deepEqual(b.sessions, []),
    },
    bad: { url: '/api/v1/projects/p1/survey-sessions?limit=501', as: 'p1', field: 'limit' },
    notFound: { url: '/api/v1/projects/p1/survey-sessions?survey=nope' },
  },
  {
    route: 'GET /api/v1/projects/:project/surveys/:id/results.:format',
    success: { url: '/api/v1/projects/p1/surveys/s1/results.csv', as: 'p1', status: 200 },
    bad: { url: '/api/v1/projects/p1/surveys/s1/results.pdf', as: 'p1', field: 'format' },
    notFound: { url: '/api/v1/projects/p1/surveys/nope/results.xlsx' },
  },
  {
    route: 'GET /api/v1/projects/:project/surveys',
    success: {
      url: '/api/v1/projects/p1/surveys?limit=1',
      as: 'p1',
      status: 200,
      check: (b) =>
        assert.deepEqual([b.surveys.map((s: { id: string }) => s.id), b.next_cursor], [['gone'], 'gone']),
    },
    bad: { url: '/api/v1/projects/p1/surveys?limit=0', as: 'p1', field: 'limit' },
    notFound: { url: '/api/v1/projects/nope/surveys' },
  },
  {
    route: 'PATCH /api/v1/projects/:project/surveys/:id',
    success: {
      url: '/api/v1/projects/p1/surveys/s1',
      as: 'p1',
      body: { expiry_hours: 24 },
      status: 200,
      check: (b) => assert.deepEqual(b, { id: 's1', project: 'p1', ...SURVEY, expiry_hours: 24 }),
    },
    bad: {
      url: '/api/v1/projects/p1/surveys/s1',
      as: 'p1',
      body: { expiry_hours: 0 },
      field: 'expiry_hours',
    },
    notFound: { url: '/api/v1/projects/p1/surveys/nope', body: {} },
  },
  {
    route: 'DELETE /api/v1/projects/:project/surveys/:id',
    success: { url: '/api/v1/projects/p1/surveys/gone', as: 'p1', status: 204 },
    bad: { url: `/api/v1/projects/p1/surveys/${LONG}`, as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/surveys/nope' },
  },
  {
    route: 'PUT /api/v1/projects/:project/groups/:id',
    success: {
      url: '/api/v1/projects/p1/groups/team',
      as: 'p1',
      body: { kind: 'mobile_worker', name: 'Team', members: ['w1'] },
      status: 201,
      check: (b) => assert.deepEqual(b.members, ['w1']),
    },
    bad: {
      url: '/api/v1/projects/p1/groups/team',
      as: 'p1',
      body: { kind: 'household', members: [] },
      field: 'kind',
    },
    notFound: { url: '/api/v1/projects/nope/groups/team', body: { kind: 'case', members: [] } },
  },
  {
    route: 'GET /api/v1/projects/:project/groups/:id',
    success: {
      url: '/api/v1/projects/p1/groups/team',
      as: 'p1',
      status: 200,
      check: (b) => assert.equal(b.kind, 'mobile_worker'),
    },
    bad: { url: `/api/v1/projects/p1/groups/${LONG}`, as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/groups/nope' },
  },
  {
    route: 'GET /api/v1/projects/:project/groups',
    success: {
      url: '/api/v1/projects/p1/groups?kind=mobile_worker',
      as: 'p1',
      status: 200,
      check: (b) =>
        assert.deepEqual(b.groups, [
          { id: 'team', project: 'p1', kind: 'mobile_worker', name: 'Team', members: ['w1'] },
        ]),
    },
    bad: { url: '/api/v1/projects/p1/groups?kind=household', as: 'p1', field: 'kind' },
    notFound: { url: '/api/v1/projects/nope/groups' },
  },
  {
    route: 'PATCH /api/v1/projects/:project/groups/:id',
    success: {
      url: '/api/v1/projects/p1/groups/team',
      as: 'p1',
      body: { name: 'Team A' },
      status: 200,
      check: (b) => assert.deepEqual([b.name, b.members], ['Team A', ['w1']]),
    },
    bad: { url: '/api/v1/projects/p1/groups/team', as: 'p1', body: { members: 'w1' }, field: 'members' },
    notFound: { url: '/api/v1/projects/p1/groups/nope', body: {} },
  },
  {
    route: 'DELETE /api/v1/projects/:project/groups/:id',
    success: { url: '/api/v1/projects/p1/groups/team', as: 'p1', status: 204 },
    bad: { url: `/api/v1/projects/p1/groups/${LONG}`, as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/groups/nope' },
  },
  {
    route: 'PUT /api/v1/projects/:project/keywords/:keyword',
    success: {
      url: '/api/v1/projects/p1/keywords/Visit',
      as: 'p1',
      body: KEYWORD,
      status: 201,
      check: (b) => assert.deepEqual(b, { keyword: 'Visit', project: 'p1', ...KEYWORD }),
    },
    bad: {
      url: '/api/v1/projects/p1/keywords/Visit',
      as: 'p1',
      body: { action: 'survey', survey: 'nope' },
      field: 'survey',
    },
    notFound: { url: '/api/v1/projects/nope/keywords/Visit', body: KEYWORD },
  },
  {
    route: 'GET /api/v1/projects/:project/keywords/:keyword',
    success: {
      url: '/api/v1/projects/p1/keywords/VISIT',
      as: 'p1',
      status: 200,
      check: (b) => assert.deepEqual(b, { keyword: 'Visit', project: 'p1', ...KEYWORD }),
    },
    bad: { url: `/api/v1/projects/p1/keywords/${LONG}`, as: 'p1', field: 'keyword' },
    notFound: { url: '/api/v1/projects/p1/keywords/nope' },
  },
  {
    route: 'GET /api/v1/projects/:project/keywords',
    success: {
      url: '/api/v1/projects/p1/keywords',
      as: 'p1',
      status: 200,
      check: (b) =>
        assert.deepEqual(
          b.keywords.map((k: { keyword: string }) => k.keyword),
          ['Visit'],
        ),
    },
    bad: { url: '/api/v1/projects/p1/keywords?limit=x', as: 'p1', field: 'limit' },
    notFound: { url: '/api/v1/projects/nope/keywords' },
  },
  {
    route: 'PATCH /api/v1/projects/:project/keywords/:keyword',
    success: {
      url: '/api/v1/projects/p1/keywords/visit',
      as: 'p1',
      body: { allow: 'all' },
      status: 200,
      check: (b) => assert.deepEqual(b, { keyword: 'Visit', project: 'p1', ...KEYWORD, allow: 'all' }),
    },
    bad: { url: '/api/v1/projects/p1/keywords/visit', as: 'p1', body: { allow: 'everyone' }, field: 'allow' },
    notFound: { url: '/api/v1/projects/p1/keywords/nope', body: {} },
  },
  {
    route: 'DELETE /api/v1/projects/:project/keywords/:keyword',
    success: { url: '/api/v1/projects/p1/keywords/VISIT', as: 'p1', status: 204 },
    bad: { url: `/api/v1/projects/p1/keywords/${LONG}`, as: 'p1', field: 'keyword' },
    notFound: { url: '/api/v1/projects/p1/keywords/nope' },
  },
  {
    route: 'PUT /api/v1/projects/:project/alerts/:id',
    success: {
      url: '/api/v1/projects/p1/alerts/a1',
      as: 'p1',
      body: ALERT,
      status: 201,
      check: (b) => {
        assert.deepEqual(
          { ...b, processing: undefined },
          {
            id: 'a1',
            project: 'p1',
            ...ALERT,
            active: true,
            version: 1,
            processing: undefined,
            instance_count: 0,
            next_due_at: null,
          },
        );
        assert.equal(b.processing.pending, true);
        assert.equal(b.processing.done, 0);
      },
    },
    bad: {
      url: '/api/v1/projects/p1/alerts/a1',
      as: 'p1',
      body: { ...ALERT, criteria: [{ property: 'village', op: 'regex', value: '(' }] },
      field: 'criteria[0].value',
    },
    notFound: { url: '/api/v1/projects/nope/alerts/a1', body: ALERT },
  },
  {
    route: 'GET /api/v1/projects/:project/alerts/:id',
    success: {
      url: '/api/v1/projects/p1/alerts/a1',
      as: 'p1',
      status: 200,
      check: (b) => assert.equal(b.case_type, 'patient'),
    },
    bad: { url: `/api/v1/projects/p1/alerts/${LONG}`, as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/alerts/nope' },
  },
  {
    route: 'GET /api/v1/projects/:project/alerts/:id/preview',
    success: {
      url: '/api/v1/projects/p1/alerts/a1/preview',
      as: 'p1',
      status: 200,
      check: (b) =>
        assert.deepEqual(b, { from: '2026-01-05T08:00:00.000Z', to: '2026-01-12T08:00:00.000Z', lines: [] }),
    },
    bad: { url: '/api/v1/projects/p1/alerts/a1/preview?days=367', as: 'p1', field: 'days' },
    notFound: { url: '/api/v1/projects/p1/alerts/nope/preview' },
  },
  {
    route: 'GET /api/v1/projects/:project/alerts',
    success: {
      url: '/api/v1/projects/p1/alerts?active=true&case_type=patient',
      as: 'p1',
      status: 200,
      check: (b) =>
        assert.deepEqual([b.alerts.map((a: { id: string }) => a.id), b.next_cursor], [['a1'], null]),
    },
    bad: { url: '/api/v1/projects/p1/alerts?active=maybe', as: 'p1', field: 'active' },
    notFound: { url: '/api/v1/projects/nope/alerts' },
  },
  {
    route: 'PATCH /api/v1/projects/:project/alerts/:id',
    success: {
      url: '/api/v1/projects/p1/alerts/a1',
      as: 'p1',
      body: { active: false },
      status: 200,
      check: (b) => assert.deepEqual([b.active, b.version, b.next_due_at], [false, 2, null]),
    },
    bad: { url: '/api/v1/projects/p1/alerts/a1', as: 'p1', body: { active: 'no' }, field: 'active' },
    notFound: { url: '/api/v1/projects/p1/alerts/nope', body: { active: true } },
  },
  {
    route: 'DELETE /api/v1/projects/:project/alerts/:id',
    success: { url: '/api/v1/projects/p1/alerts/a1', as: 'p1', status: 204 },
    bad: { url: `/api/v1/projects/p1/alerts/${LONG}`, as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/alerts/nope' },
  },
  {
    route: 'PUT /api/v1/projects/:project/broadcasts/:id',
    success: {
      url: '/api/v1/projects/p1/broadcasts/b1',
      as: 'p1',
      body: BROADCAST,
      status: 201,
      // 09:00 in Nairobi on 5 January has passed at START (11:00 there): the first event is the 6th.
      check: (b) =>
        assert.deepEqual(b, {
          id: 'b1',
          project: 'p1',
          ...BROADCAST,
          active: true,
          instance_count: 1,
          next_due_at: '2026-01-06T06:00:00.000Z',
        }),
    },
    bad: {
      url: '/api/v1/projects/p1/broadcasts/b1',
      as: 'p1',
      body: { ...BROADCAST, recipients: [] },
      field: 'recipients',
    },
    notFound: { url: '/api/v1/projects/nope/broadcasts/b1', body: BROADCAST },
  },
  {
    route: 'GET /api/v1/projects/:project/broadcasts/:id',
    success: {
      url: '/api/v1/projects/p1/broadcasts/b1',
      as: 'p1',
      status: 200,
      check: (b) => assert.equal(b.instance_count, 1),
    },
    bad: { url: `/api/v1/projects/p1/broadcasts/${LONG}`, as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/broadcasts/nope' },
  },
  {
    route: 'GET /api/v1/projects/:project/broadcasts/:id/preview',
    success: {
      url: '/api/v1/projects/p1/broadcasts/b1/preview?days=30',
      as: 'p1',
      status: 200,
      check: (b) =>
        assert.deepEqual(
          b.lines,
          ['2026-01-06', '2026-01-07'].map((day) => ({
            at: `${day}T06:00:00.000Z`,
            local: `${day} 09:00`,
            zone: 'Africa/Nairobi',
            recipient: 'case:c1',
            text: 'Your visit is this week.',
            error: null,
          })),
        ),
    },
    bad: { url: '/api/v1/projects/p1/broadcasts/b1/preview?days=0', as: 'p1', field: 'days' },
    notFound: { url: '/api/v1/projects/p1/broadcasts/a1/preview' },
  },
  {
    route: 'GET /api/v1/projects/:project/broadcasts',
    success: {
      url: '/api/v1/projects/p1/broadcasts?active=true',
      as: 'p1',
      status: 200,
      check: (b) =>
        assert.deepEqual(
          b.broadcasts.map((x: { id: string; instance_count: number }) => [x.id, x.instance_count]),
          [['b1', 1]],
        ),
    },
    bad: { url: '/api/v1/projects/p1/broadcasts?sort=id', as: 'p1', field: 'querystring' },
    notFound: { url: '/api/v1/projects/nope/broadcasts' },
  },
  {
    route: 'PATCH /api/v1/projects/:project/broadcasts/:id',
    success: {
      url: '/api/v1/projects/p1/broadcasts/b1',
      as: 'p1',
      body: { active: false },
      status: 200,
      check: (b) => assert.deepEqual([b.active, b.instance_count, b.next_due_at], [false, 1, null]),
    },
    bad: {
      url: '/api/v1/projects/p1/broadcasts/b1',
      as: 'p1',
      body: { recipients: [] },
      field: 'recipients',
    },
    notFound: { url: '/api/v1/projects/p1/broadcasts/nope', body: {} },
  },
  {
    route: 'DELETE /api/v1/projects/:project/broadcasts/:id',
    success: { url: '/api/v1/projects/p1/broadcasts/b1', as: 'p1', status: 204 },
    bad: { url: `/api/v1/projects/p1/broadcasts/${LONG}`, as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/broadcasts/nope' },
  },
];
