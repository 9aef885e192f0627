// The console's builders make exactly the shapes of SPEC 4.1, 5.1 and 5.2 (and FORMAT.md), on
// both databases: each object is made by posting its form as a browser would (CSRF token and
// all), read back through the API, then its edit page is read as a browser would submit it —
// it must carry every value posted — and saved unchanged, which must change nothing: not the
// API's answer (its version included), not a row of the database.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DATABASES } from '../support/databases.ts';
import { openApi, snapshot, type TestApi } from '../http/support.ts';
import { apiOk, signedIn, type Visitor } from './support.ts';
import { asForm, assertRefilled, submitted, type Submitted } from './form-fill.ts';

interface Case {
  label: string;
  /** `alerts`, `broadcasts`, `surveys`, `keywords`. */
  plural: string;
  id: string;
  form: Submitted;
  /** What the API answers, without the fields every object of the kind has. */
  expected: Record<string, unknown>;
}

/** The fields of an API answer that are not the definition. */
const META = ['id', 'keyword', 'project', 'version', 'processing', 'instance_count', 'next_due_at'];
const definitionOf = (view: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(view).filter(([key]) => !META.includes(key)));

const alert = (id: string, fields: Submitted): Submitted => ({
  is_new: '1',
  id,
  case_type: 'pregnancy',
  match: 'all',
  criteria_rows: '1',
  'criteria[0].property': 'status',
  'criteria[0].op': 'equals',
  'criteria[0].value': 'active',
  recipients: ['case', 'owner'],
  default_language: 'en',
  active: 'on',
  ...fields,
});
const ALERT = {
  case_type: 'pregnancy',
  criteria: [{ property: 'status', op: 'equals', value: 'active' }],
  match: 'all',
  recipients: ['case', 'owner'],
  default_language: 'en',
  active: true,
};

const CASES: Case[] = [
  {
    label: 'an alert with a custom daily schedule: three events with their own texts, every, occurrences',
    plural: 'alerts',
    id: 'anc-sequence',
    form: alert('anc-sequence', {
      'schedule.type': 'custom_daily',
      'schedule.every': '14',
      'schedule.start_mode': 'property',
      'schedule.start_property': 'lmp',
      'schedule.start_offset_days': '-2',
      'schedule.stop_property': 'delivered_on',
      'schedule.restart_property': 'visit',
      'schedule.occurrences': '3',
      'schedule.event_rows': '3',
      'schedule.events[0].day': '1',
      'schedule.events[0].time': '09:00',
      'schedule.events[0].content.translations.*': 'Welcome, {case.name}',
      'schedule.events[1].day': '3',
      'schedule.events[1].time': '18:30',
      'schedule.events[1].content.translations.en': 'Day three',
      'schedule.events[1].content.translations.sw': 'Siku ya tatu',
      'schedule.events[2].day': '14',
      'schedule.events[2].time': '07:15',
      'schedule.events[2].content.translations.*': 'Two weeks',
    }),
    expected: {
      ...ALERT,
      schedule: {
        type: 'custom_daily',
        every: 14,
        occurrences: 3,
        events: [
          { day: 1, time: '09:00', content: { text: 'Welcome, {case.name}' } },
          { day: 3, time: '18:30', content: { translations: { en: 'Day three', sw: 'Siku ya tatu' } } },
          { day: 14, time: '07:15', content: { text: 'Two weeks' } },
        ],
        start_property: 'lmp',
        start_offset_days: -2,
        stop_property: 'delivered_on',
        restart_property: 'visit',
      },
    },
  },
  {
    label: 'an alert with a custom immediate schedule restarted by a case property',
    plural: 'alerts',
    id: 'referral',
    form: alert('referral', {
      'schedule.type': 'custom_immediate',
      'schedule.restart_property': 'referred_on',
      'schedule.event_rows': '2',
      'schedule.events[0].delay_minutes': '0',
      'schedule.events[0].content.translations.*': 'You were referred',
      'schedule.events[1].delay_minutes': '1440',
      'schedule.events[1].content.translations.*': 'Did you go?',
    }),
    expected: {
      ...ALERT,
      schedule: {
        type: 'custom_immediate',
        events: [
          { delay_minutes: 0, content: { text: 'You were referred' } },
          { delay_minutes: 1440, content: { text: 'Did you go?' } },
        ],
        restart_property: 'referred_on',
      },
    },
  },
  {
    label: 'a broadcast with a custom immediate schedule',
    plural: 'broadcasts',
    id: 'welcome-chain',
    form: {
      is_new: '1',
      id: 'welcome-chain',
      recipient_rows: '2',
      'recipients[0].kind': 'case',
      'recipients[0].id': 'p1',
      'recipients[1].kind': 'phone',
      'recipients[1].id': '+254733000111',
      'schedule.type': 'custom_immediate',
      'schedule.event_rows': '3',
      'schedule.events[0].delay_minutes': '0',
      'schedule.events[0].content.translations.*': 'Welcome',
      'schedule.events[1].delay_minutes': '90',
      'schedule.events[1].content.translations.en': 'Your first tip',
      'schedule.events[1].content.translations.sw': 'Ushauri wako wa kwanza',
      'schedule.events[2].delay_minutes': '2880',
      'schedule.events[2].content.translations.*': 'Two days on',
      active: 'on',
    },
    expected: {
      recipients: [{ case: 'p1' }, { phone: '+254733000111' }],
      schedule: {
        type: 'custom_immediate',
        events: [
          { delay_minutes: 0, content: { text: 'Welcome' } },
          {
            delay_minutes: 90,
            content: { translations: { en: 'Your first tip', sw: 'Ushauri wako wa kwanza' } },
          },
          { delay_minutes: 2880, content: { text: 'Two days on' } },
        ],
      },
      active: true,
    },
  },
  {
    label: 'a broadcast every 2 weeks on Monday and Thursday from a date, in two languages',
    plural: 'broadcasts',
    id: 'fortnightly',
    form: {
      is_new: '1',
      id: 'fortnightly',
      recipient_rows: '1',
      'recipients[0].kind': 'case',
      'recipients[0].id': 'p1',
      'schedule.type': 'weekly',
      'schedule.every': '2',
      'schedule.days': ['mon', 'thu'],
      'schedule.time_mode': 'window',
      'schedule.time_window.start': '08:00',
      'schedule.time_window.end': '10:30',
      'schedule.start_mode': 'date',
      'schedule.start_date': '2026-02-02',
      'schedule.occurrences': '6',
      'content.channel': 'sms',
      'content.translations.en': 'Group meeting today',
      'content.translations.sw': 'Mkutano wa kikundi leo',
      active: 'on',
    },
    expected: {
      recipients: [{ case: 'p1' }],
      schedule: {
        type: 'weekly',
        every: 2,
        days: ['mon', 'thu'],
        time_window: { start: '08:00', end: '10:30' },
        occurrences: 6,
        start_date: '2026-02-02',
      },
      content: { translations: { en: 'Group meeting today', sw: 'Mkutano wa kikundi leo' } },
      active: true,
    },
  },
  {
    label: 'an alert on days 1, 15 and the last of every 3rd month',
    plural: 'alerts',
    id: 'quarterly',
    form: alert('quarterly', {
      'schedule.type': 'monthly',
      'schedule.every': '3',
      'schedule.month_days': ['1', '15', '-1'],
      'schedule.time_mode': 'time',
      'schedule.time': '08:15',
      'schedule.start_mode': 'created',
      'schedule.occurrences': '12',
      'content.channel': 'sms',
      'content.translations.*': 'Check-in: {case.name}',
    }),
    expected: {
      ...ALERT,
      schedule: { type: 'monthly', every: 3, days: [1, 15, -1], time: '08:15', occurrences: 12 },
      content: { text: 'Check-in: {case.name}' },
    },
  },
  {
    label: 'a survey with a show_if `in` a list, translated texts, a choice without a text and a label',
    plural: 'surveys',
    id: 'visit',
    form: {
      is_new: '1',
      id: 'visit',
      question_rows: '3',
      'questions[0].id': 'went',
      'questions[0].type': 'single',
      'questions[0].text.en': 'Did you go to the clinic?',
      'questions[0].text.sw': 'Ulienda kliniki?',
      'questions[0].required': 'on',
      'questions[0].choice_rows': '3',
      'questions[0].choices[0].value': 'yes',
      'questions[0].choices[0].text.*': 'Yes',
      'questions[0].choices[1].value': 'no',
      'questions[0].choices[1].text.en': 'No',
      'questions[0].choices[1].text.sw': 'Hapana',
      'questions[0].choices[2].value': 'later',
      'questions[1].id': 'why',
      'questions[1].type': 'text',
      'questions[1].text.*': 'Why not?',
      'questions[1].save_to': 'missed_reason',
      'questions[1].show_if.question': 'went',
      'questions[1].show_if.op': 'in',
      'questions[1].show_if.value': 'no, later',
      'questions[2].id': 'thanks',
      'questions[2].type': 'label',
      'questions[2].text.*': 'Thank you',
      'questions[2].show_if.question': 'went',
      'questions[2].show_if.op': 'not_equals',
      'questions[2].show_if.value': 'later',
      expiry_hours: '48',
      reminder_minutes: '30, 60',
      partial_save: 'on',
      default_language: 'en',
    },
    expected: {
      questions: [
        {
          id: 'went',
          type: 'single',
          translations: { en: 'Did you go to the clinic?', sw: 'Ulienda kliniki?' },
          choices: [
            { value: 'yes', text: 'Yes' },
            { value: 'no', translations: { en: 'No', sw: 'Hapana' } },
            { value: 'later' },
          ],
        },
        {
          id: 'why',
          type: 'text',
          text: 'Why not?',
          required: false,
          save_to: 'missed_reason',
          show_if: { question: 'went', op: 'in', value: ['no', 'later'] },
        },
        {
          id: 'thanks',
          type: 'label',
          text: 'Thank you',
          show_if: { question: 'went', op: 'not_equals', value: 'later' },
        },
      ],
      expiry_hours: 48,
      reminder_minutes: [30, 60],
      partial_save: true,
      default_language: 'en',
    },
  },
  {
    label: "an alert to the case's parent and children whose events start a survey and send an e-mail",
    plural: 'alerts',
    id: 'family',
    form: alert('family', {
      recipients: ['parent', 'children'],
      'schedule.type': 'custom_daily',
      'schedule.start_mode': 'date',
      'schedule.start_date': '2026-03-01',
      'schedule.event_rows': '2',
      'schedule.events[0].day': '1',
      'schedule.events[0].time': '10:00',
      'schedule.events[0].content.channel': 'sms',
      'schedule.events[0].content.survey': 'visit',
      'schedule.events[1].day': '2',
      'schedule.events[1].time': '10:00',
      'schedule.events[1].content.channel': 'email',
      'schedule.events[1].content.subject': 'Your visit',
      'schedule.events[1].content.translations.*': 'How did it go?',
    }),
    expected: {
      ...ALERT,
      recipients: ['parent', 'children'],
      schedule: {
        type: 'custom_daily',
        events: [
          { day: 1, time: '10:00', content: { survey: 'visit' } },
          {
            day: 2,
            time: '10:00',
            content: { channel: 'email', subject: 'Your visit', text: 'How did it go?' },
          },
        ],
        start_date: '2026-03-01',
      },
    },
  },
  {
    label: 'a structured keyword with typed fields, one optional, and a delimiter',
    plural: 'keywords',
    id: 'WEIGHT',
    form: {
      is_new: '1',
      keyword: 'WEIGHT',
      action: 'structured',
      'reply.*': 'Thanks, {case.name}: {case.weight} kg',
      field_rows: '3',
      'fields[0].property': 'weight',
      'fields[0].type': 'decimal',
      'fields[0].required': 'on',
      'fields[1].property': 'weighed_on',
      'fields[1].type': 'date',
      'fields[2].property': 'visits',
      'fields[2].type': 'int',
      'fields[2].required': 'on',
      delimiter: ',',
      allow: 'cases',
      override_open_survey: 'on',
    },
    expected: {
      action: 'structured',
      reply: { text: 'Thanks, {case.name}: {case.weight} kg' },
      fields: [
        { property: 'weight', type: 'decimal' },
        { property: 'weighed_on', type: 'date', required: false },
        { property: 'visits', type: 'int' },
      ],
      delimiter: ',',
      allow: 'cases',
      override_open_survey: true,
    },
  },
];

for (const name of DATABASES) {
  describe(`the console's builders make the SPEC's shapes and re-fill them, on ${name}`, () => {
    let api: TestApi;
    let v: Visitor;

    before(async () => {
      api = await openApi(name);
      const ok = (method: string, url: string, body?: unknown) => apiOk(api, method, url, body);
      await ok('PUT', '/api/v1/projects/clinic', {
        default_country: 'KE',
        time_zone: 'Africa/Nairobi',
        default_language: 'en',
        languages: ['sw'],
      });
      await ok('PUT', '/api/v1/projects/clinic/gateways/sms', { type: 'test', default: true });
      await ok('PUT', '/api/v1/projects/clinic/cases/p1', {
        type: 'pregnancy',
        name: 'Amina',
        properties: { status: 'active', contact_phone_number: '0712345678' },
      });
      v = await signedIn(api, await api.projectKey('clinic'));
    });
    after(() => api.close());

    for (const c of CASES) {
      test(c.label, async () => {
        const list = `/p/clinic/${c.plural}`;
        const blank = await v.get(`${list}/new`);
        assert.equal(blank.statusCode, 200, blank.body);
        const saved = await v.post(list, { ...c.form, op: 'save' });
        assert.equal(saved.statusCode, 303, saved.body.slice(0, 3000));
        const url = `/api/v1/projects/clinic/${c.plural}/${c.id}`;
        const stored = (await api.ok('GET', url)) as Record<string, unknown>;
        assert.deepEqual(definitionOf(stored), c.expected);

        const edit = await v.get(`${list}/${c.id}/edit`);
        assert.equal(edit.statusCode, 200, edit.body);
        const shown = asForm(submitted(edit.body, list));
        assertRefilled(shown, c.form, ['is_new']);
        assert.equal(shown.is_new, '0');

        const before = await snapshot(api.t.db);
        const again = await v.post(list, { ...shown, op: 'save' });
        assert.equal(again.statusCode, 303, again.body.slice(0, 3000));
        assert.deepEqual(await api.ok('GET', url), stored);
        assert.deepEqual(await snapshot(api.t.db), before);
      });
    }

    test('month days stored with the old words re-fill as -1 and -2 and are saved as the numbers', async () => {
      const url = '/api/v1/projects/clinic/alerts/old-words';
      await api.ok('PUT', url, {
        case_type: 'pregnancy',
        criteria: [],
        schedule: { type: 'monthly', days: [5, 'last', 'second_last'], time: '09:00' },
        content: { text: 'Monthly' },
      });
      const edit = await v.get('/p/clinic/alerts/old-words/edit');
      const shown = asForm(submitted(edit.body, '/p/clinic/alerts'));
      assert.deepEqual(shown['schedule.month_days'], ['5', '-1', '-2']);
      assert.equal((await v.post('/p/clinic/alerts', { ...shown, op: 'save' })).statusCode, 303);
      const saved = (await api.ok('GET', url)) as { schedule: { days: unknown } };
      assert.deepEqual(saved.schedule.days, [5, -1, -2]);
    });
  });
}
