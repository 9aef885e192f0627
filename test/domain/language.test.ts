import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseTranslation } from '../../src/domain/language.ts';
import type { LanguageChain, LanguageFallback, Translations } from '../../src/domain/language.ts';

const all: Translations = { es: 'Hola', hin: 'Namaste', en: 'Hello', kan: 'Namaskara', '*': 'Hi' };
const chain = (fallback: LanguageFallback): LanguageChain => ({
  contactLanguage: 'es',
  messageDefault: 'hin',
  projectDefault: 'en',
  fallback,
});
const without = (t: Translations, ...languages: string[]): Translations =>
  Object.fromEntries(Object.entries(t).filter(([language]) => !languages.includes(language)));

test('chooseTranslation: each fallback setting cuts the chain', () => {
  // The original's test_sms_language_fallback: remove the languages one by one.
  const cases: {
    label: string;
    fallback: LanguageFallback;
    translations: Translations;
    expect: string | null;
  }[] = [
    { label: 'none: contact', fallback: 'none', translations: all, expect: 'es' },
    {
      label: 'none: nothing past the contact',
      fallback: 'none',
      translations: without(all, 'es'),
      expect: null,
    },
    { label: 'message: contact first', fallback: 'message', translations: all, expect: 'es' },
    {
      label: 'message: then the message default',
      fallback: 'message',
      translations: without(all, 'es'),
      expect: 'hin',
    },
    {
      label: 'message: not the project default',
      fallback: 'message',
      translations: without(all, 'es', 'hin'),
      expect: null,
    },
    {
      label: 'project: the project default',
      fallback: 'project',
      translations: without(all, 'es', 'hin'),
      expect: 'en',
    },
    {
      label: 'project: not the untranslated',
      fallback: 'project',
      translations: without(all, 'es', 'hin', 'en'),
      expect: null,
    },
    { label: 'untranslated: contact first', fallback: 'untranslated', translations: all, expect: 'es' },
    {
      label: 'untranslated: then *',
      fallback: 'untranslated',
      translations: without(all, 'es', 'hin', 'en'),
      expect: '*',
    },
    {
      label: 'untranslated: nothing at all',
      fallback: 'untranslated',
      translations: { kan: 'Namaskara' },
      expect: null,
    },
  ];
  for (const c of cases) {
    const found = chooseTranslation(c.translations, chain(c.fallback));
    assert.equal(found?.language ?? null, c.expect, c.label);
    if (found) assert.equal(found.text, c.translations[found.language], c.label);
  }
});

test('chooseTranslation: blank translations count as missing', () => {
  const cases: { label: string; translations: Translations; expect: string | null }[] = [
    { label: 'blank contact language', translations: { es: '   ', hin: 'Namaste' }, expect: 'Namaste' },
    { label: 'empty message default', translations: { hin: '', en: 'Hello' }, expect: 'Hello' },
    {
      label: 'blank project default',
      translations: { en: ' \n', '*': 'Untranslated' },
      expect: 'Untranslated',
    },
    { label: 'everything blank', translations: { en: ' ', '*': '' }, expect: null },
  ];
  for (const c of cases)
    assert.equal(chooseTranslation(c.translations, chain('untranslated'))?.text ?? null, c.expect, c.label);
});

test('chooseTranslation: missing or blank languages in the chain are skipped', () => {
  const t = { hin: 'Namaste', en: 'Hello', '*': 'Hi' };
  const cases = [
    {
      label: 'no contact language',
      chain: { contactLanguage: null, messageDefault: 'hin', fallback: 'untranslated' },
      expect: 'Namaste',
    },
    {
      label: 'blank contact language',
      chain: { contactLanguage: '  ', messageDefault: 'hin', fallback: 'untranslated' },
      expect: 'Namaste',
    },
    { label: 'nothing set', chain: { fallback: 'untranslated' }, expect: 'Hi' },
    { label: 'nothing set, project stop', chain: { fallback: 'project' }, expect: null },
    {
      label: 'unknown contact language',
      chain: { contactLanguage: 'fra', projectDefault: 'en', fallback: 'project' },
      expect: 'Hello',
    },
  ] as const;
  for (const c of cases) assert.equal(chooseTranslation(t, c.chain)?.text ?? null, c.expect, c.label);
});

test('chooseTranslation: language codes match trimmed and case-insensitively', () => {
  assert.deepEqual(
    chooseTranslation({ EN: 'Hello', '*': 'Hi' }, { contactLanguage: ' en ', fallback: 'none' }),
    {
      language: 'EN',
      text: 'Hello',
    },
  );
  assert.equal(chooseTranslation({ en: 'Hello' }, { contactLanguage: 'eng', fallback: 'none' }), null);
});

test('chooseTranslation: content that is only untranslated is sent whatever the fallback', () => {
  for (const fallback of ['none', 'message', 'project', 'untranslated'] as const) {
    assert.deepEqual(
      chooseTranslation({ '*': 'Hi' }, { contactLanguage: 'es', fallback }),
      { language: '*', text: 'Hi' },
      fallback,
    );
  }
  assert.equal(chooseTranslation({ '*': '  ' }, { contactLanguage: 'es', fallback: 'none' }), null);
});

test('chooseTranslation: a recipient without a language (a bare phone number) skips the contact step only', () => {
  const t = { es: 'Hola', hin: 'Namaste', en: 'Hello', '*': 'Hi' };
  const base = { contactLanguage: null, messageDefault: 'hin', projectDefault: 'en' };
  assert.equal(chooseTranslation(t, { ...base, fallback: 'none' }), null);
  assert.equal(chooseTranslation(t, { ...base, fallback: 'message' })?.text, 'Namaste');
  assert.equal(chooseTranslation({ en: 'Hello', '*': 'Hi' }, { ...base, fallback: 'message' }), null);
  assert.equal(
    chooseTranslation({ en: 'Hello', '*': 'Hi' }, { ...base, fallback: 'project' })?.text,
    'Hello',
  );
  assert.equal(chooseTranslation({ fr: 'Salut', '*': 'Hi' }, { ...base, fallback: 'project' }), null);
  assert.equal(
    chooseTranslation({ fr: 'Salut', '*': 'Hi' }, { ...base, fallback: 'untranslated' })?.text,
    'Hi',
  );
});
