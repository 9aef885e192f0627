// The console's builders as pure functions (issue 15): every schedule shape of SPEC 4.1 from
// its inputs, back and forth; texts per language; the criteria and recipients of a form.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { scheduleBody, scheduleFromForm, scheduleState } from '../../src/console/builders/schedule.ts';
import { bodyOf, formState } from '../../src/console/builders/schedule-forms.ts';
import {
  readTranslations,
  textOrTranslations,
  translationsView,
} from '../../src/console/builders/translations.ts';

/** A form as posted: the inputs a schedule of the type shows, with these values. */
const form = (values: Record<string, string | string[]>) => ({
  'schedule.time_mode': 'time',
  'schedule.start_mode': 'created',
  'schedule.event_rows': '0',
  ...values,
});

describe('the schedule builder (SPEC 4.1)', () => {
  const cases: { label: string; post: Record<string, string | string[]>; alert?: boolean; body: unknown }[] =
    [
      {
        label: 'immediate after a delay',
        post: form({ 'schedule.type': 'immediate', 'schedule.delay_minutes': '30' }),
        body: { type: 'immediate', delay_minutes: 30 },
      },
      {
        label: 'daily every 2 days at a time, 5 occurrences',
        post: form({
          'schedule.type': 'daily',
          'schedule.every': '2',
          'schedule.time': '09:00',
          'schedule.occurrences': '5',
        }),
        body: { type: 'daily', every: 2, time: '09:00', occurrences: 5 },
      },
      {
        label: 'weekly on days, every 2 weeks, at a random time in a window',
        post: form({
          'schedule.type': 'weekly',
          'schedule.days': ['mon', 'thu'],
          'schedule.every': '2',
          'schedule.time_mode': 'window',
          'schedule.time_window.start': '08:00',
          'schedule.time_window.end': '10:00',
        }),
        body: {
          type: 'weekly',
          every: 2,
          days: ['mon', 'thu'],
          time_window: { start: '08:00', end: '10:00' },
        },
      },
      {
        label: 'monthly on the 1st, the 15th and the last days, at a time from a case property',
        alert: true,
        post: form({
          'schedule.type': 'monthly',
          'schedule.month_days': ['1', '15', '-1'],
          'schedule.time_mode': 'property',
          'schedule.time_property': 'visit_time',
        }),
        body: { type: 'monthly', days: [1, 15, -1], time_property: 'visit_time' },
      },
      {
        label: 'from a case date property, 7 days before, stopping and restarting on properties',
        alert: true,
        post: form({
          'schedule.type': 'daily',
          'schedule.time': '07:30',
          'schedule.start_mode': 'property',
          'schedule.start_property': 'edd',
          'schedule.start_offset_days': '-7',
          'schedule.stop_property': 'delivered_on',
          'schedule.restart_property': 'visit',
        }),
        body: {
          type: 'daily',
          time: '07:30',
          start_property: 'edd',
          start_offset_days: -7,
          stop_property: 'delivered_on',
          restart_property: 'visit',
        },
      },
      {
        label: 'a fixed start date (a broadcast has no case-property fields)',
        post: form({
          'schedule.type': 'daily',
          'schedule.time': '07:30',
          'schedule.start_mode': 'date',
          'schedule.start_date': '2026-02-01',
          'schedule.stop_property': 'ignored',
        }),
        body: { type: 'daily', time: '07:30', start_date: '2026-02-01' },
      },
      {
        label: 'custom daily events, each with its own text, every 14 days, 2 repetitions',
        post: form({
          'schedule.type': 'custom_daily',
          'schedule.every': '14',
          'schedule.occurrences': '2',
          'schedule.event_rows': '2',
          'schedule.events[0].day': '1',
          'schedule.events[0].time': '09:00',
          'schedule.events[0].content.translations.*': 'Welcome',
          'schedule.events[1].day': '3',
          'schedule.events[1].time': '18:00',
          'schedule.events[1].content.translations.en': 'Day three',
          'schedule.events[1].content.translations.sw': 'Siku ya tatu',
        }),
        body: {
          type: 'custom_daily',
          every: 14,
          occurrences: 2,
          events: [
            { day: 1, time: '09:00', content: { text: 'Welcome' } },
            { day: 3, time: '18:00', content: { translations: { en: 'Day three', sw: 'Siku ya tatu' } } },
          ],
        },
      },
      {
        label: 'custom immediate events (no start or stop; an alert may restart them)',
        alert: true,
        post: form({
          'schedule.type': 'custom_immediate',
          'schedule.start_mode': 'property',
          'schedule.start_property': 'ignored',
          'schedule.stop_property': 'ignored',
          'schedule.restart_property': 'referred_on',
          'schedule.event_rows': '2',
          'schedule.events[0].delay_minutes': '0',
          'schedule.events[0].content.translations.*': 'Now',
          'schedule.events[1].delay_minutes': '60',
          'schedule.events[1].content.translations.*': 'An hour later',
        }),
        body: {
          type: 'custom_immediate',
          events: [
            { delay_minutes: 0, content: { text: 'Now' } },
            { delay_minutes: 60, content: { text: 'An hour later' } },
          ],
          restart_property: 'referred_on',
        },
      },
      {
        label: 'custom daily events sending a survey and an e-mail (each event a whole content)',
        post: form({
          'schedule.type': 'custom_daily',
          'schedule.event_rows': '2',
          'schedule.events[0].day': '1',
          'schedule.events[0].time': '10:00',
          'schedule.events[0].content.channel': 'sms',
          'schedule.events[0].content.survey': 'checkup',
          'schedule.events[1].day': '2',
          'schedule.events[1].time': '10:00',
          'schedule.events[1].content.channel': 'email',
          'schedule.events[1].content.subject': 'Your visit',
          'schedule.events[1].content.translations.en': 'How did it go?',
        }),
        body: {
          type: 'custom_daily',
          events: [
            { day: 1, time: '10:00', content: { survey: 'checkup' } },
            {
              day: 2,
              time: '10:00',
              content: { channel: 'email', subject: 'Your visit', translations: { en: 'How did it go?' } },
            },
          ],
        },
      },
    ];
  for (const c of cases) {
    test(`${c.label}: inputs to body and back`, () => {
      const state = scheduleFromForm(c.post);
      const body = scheduleBody(state, c.alert ?? false);
      assert.deepEqual(body, c.body);
      // A stored schedule shows in the same inputs, and gives the same body again.
      assert.deepEqual(scheduleBody(scheduleState(body), c.alert ?? false), c.body);
    });
  }

  test('month days stored as the old words show as -1, -2, -3 and are written as those numbers', () => {
    const state = scheduleState({
      type: 'monthly',
      days: [2, 'last', 'second_last', 'third_last'],
      time: '09:00',
    });
    assert.deepEqual(state.monthDays, ['2', '-1', '-2', '-3']);
    assert.deepEqual(scheduleBody(state, false).days, [2, -1, -2, -3]);
  });

  test('a number typed wrong stays text, so the schema names the field', () => {
    const body = scheduleBody(
      scheduleFromForm(form({ 'schedule.type': 'daily', 'schedule.time': '09:00', 'schedule.every': 'two' })),
      false,
    );
    assert.equal(body.every, 'two');
  });
});

describe('texts per language', () => {
  test('one field per project language, the untranslated text first, and spare rows', () => {
    const view = translationsView('content.translations', ['en', 'sw'], { fr: 'Bonjour' });
    assert.deepEqual(
      view.fields.map((f) => [f.name, f.id, f.label, f.value]),
      [
        ['content.translations.*', 'content.translations.untranslated', 'Text (any language)', ''],
        ['content.translations.en', 'content.translations.en', 'In en', ''],
        ['content.translations.sw', 'content.translations.sw', 'In sw', ''],
        ['content.translations.fr', 'content.translations.fr', 'In fr', 'Bonjour'],
      ],
    );
    assert.equal(view.spare.length, 2);
  });
  test('read back, blanks left out, spare rows added; one untranslated text is a plain text', () => {
    const texts = readTranslations(
      {
        'c.t.*': 'Hello',
        'c.t.en': ' ',
        'c.t.sw': 'Habari',
        'c.t.other[0].lang': 'fr',
        'c.t.other[0].text': 'Bonjour',
        'c.t.other[1].lang': 'de',
        'c.t.other[1].text': '',
      },
      'c.t',
    );
    assert.deepEqual(texts, { '*': 'Hello', sw: 'Habari', fr: 'Bonjour' });
    assert.deepEqual(textOrTranslations({ '*': 'Hi' }), { text: 'Hi' });
    assert.deepEqual(textOrTranslations(texts), { translations: texts });
    assert.deepEqual(textOrTranslations({}), {});
  });
});

describe('the alert and broadcast forms', () => {
  test('blank criteria rows and recipients are left out, each kept row remembered for errors', () => {
    const alert = formState('alert', 'a', null);
    alert.criteria = [
      { property: '', op: 'equals', value: '' },
      { property: 'status', op: 'has_value', value: 'ignored' },
      { property: 'age', op: 'regex', value: '^1' },
    ];
    alert.content.texts = { '*': 'Hi' };
    const built = bodyOf(alert);
    assert.deepEqual(built.body.criteria, [
      { property: 'status', op: 'has_value' },
      { property: 'age', op: 'regex', value: '^1' },
    ]);
    assert.deepEqual(built.criteriaRows, [1, 2]);
    const broadcast = formState('broadcast', 'b', null);
    broadcast.recipients = [
      { kind: 'group', id: 'mothers' },
      { kind: 'case', id: ' ' },
      { kind: 'phone', id: '+254700000000' },
    ];
    broadcast.content = { channel: 'email', subject: 'News', texts: {}, survey: 's1' };
    const b = bodyOf(broadcast);
    assert.deepEqual(b.body.recipients, [{ group: 'mothers' }, { phone: '+254700000000' }]);
    assert.deepEqual(b.recipientRows, [0, 2]);
    assert.deepEqual(b.body.content, { channel: 'email', subject: 'News', survey: 's1' });
  });
});
