// What the route table of routes.test.ts is made of: a call, a case per route, and the bodies
// the cases share.
export interface Call {
  url: string;
  body?: unknown;
  /** Which key: admin (default), p1's key, or none. */
  as?: 'admin' | 'p1';
}

export interface RouteCase {
  route: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies of many shapes, checked field by field
  success: Call & { status: number; check?: (body: any) => void };
  bad: Call & { field: string; status?: number };
  /** null: the route answers for anything (a list, an upsert, a number's state). */
  notFound: Call | null;
}

export const LONG = 'x'.repeat(201);
export const KE = '+254712345678';

export const SURVEY = {
  questions: [
    { id: 'visits', type: 'int', text: { '*': 'How many visits this month?' }, save_to: 'visits' },
    {
      id: 'feeling',
      type: 'single',
      text: { '*': 'How do you feel?', sw: 'Unajisikiaje?' },
      choices: [
        { value: 'good', text: { '*': 'Good' } },
        { value: 'bad', text: { '*': 'Bad' } },
      ],
    },
  ],
  expiry_hours: 48,
  reminder_minutes: [60],
};
export const KEYWORD = { action: 'survey', survey: 's1', reply: { text: 'Welcome' }, allow: 'cases' };
export const ALERT = {
  case_type: 'patient',
  criteria: [{ property: 'village', op: 'equals', value: 'Kisumu' }],
  schedule: { type: 'daily', time: '09:00', occurrences: 3 },
  content: { text: 'Hello {case.name}' },
};
export const BROADCAST = {
  recipients: [{ case: 'c1' }],
  schedule: { type: 'daily', time: '09:00', occurrences: 2 },
  content: { text: 'Your visit is this week.' },
};
