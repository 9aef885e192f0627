import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_OPT_IN,
  DEFAULT_OPT_OUT,
  PASS_THROUGH_OPT_IN,
  classifyOptKeyword,
  firstOptIn,
  firstOptOut,
} from '../../src/domain/opt-keywords.ts';
import type { OptKeyword, OptKeywordLists } from '../../src/domain/opt-keywords.ts';

test('the default lists are the SPEC 5 words', () => {
  assert.deepEqual(DEFAULT_OPT_OUT, ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']);
  assert.deepEqual(DEFAULT_OPT_IN, ['START', 'UNSTOP']);
  assert.deepEqual(PASS_THROUGH_OPT_IN, ['YES']);
});

const spellings = (word: string): string[] => [
  word,
  word.toLowerCase(),
  word[0] + word.slice(1).toLowerCase(),
  `  ${word.toLowerCase()} `,
  `\t${word}\n`,
];

test('every default word, in any case and with surrounding spaces', () => {
  const expected: [readonly string[], OptKeyword][] = [
    [DEFAULT_OPT_OUT, 'opt_out'],
    [DEFAULT_OPT_IN, 'opt_in'],
    [PASS_THROUGH_OPT_IN, 'pass_through'],
  ];
  for (const [words, kind] of expected) {
    for (const word of words) {
      for (const text of spellings(word)) {
        assert.equal(classifyOptKeyword(text, {}), kind, JSON.stringify(text));
        assert.equal(classifyOptKeyword(text, { optOut: null, optIn: null }), kind, JSON.stringify(text));
      }
    }
  }
});

test('classifyOptKeyword: table', () => {
  const cases: { label: string; text: string; lists?: OptKeywordLists; expect: OptKeyword | null }[] = [
    { label: 'a sentence with stop is not a keyword', text: 'stop please', expect: null },
    { label: 'two opt words are not one', text: 'STOP STOP', expect: null },
    { label: 'punctuation counts', text: 'STOP!', expect: null },
    { label: 'blank', text: '   ', expect: null },
    { label: 'empty', text: '', expect: null },
    { label: 'other text', text: 'hello', expect: null },
    { label: 'yes with more words is not pass-through', text: 'yes please', expect: null },
    {
      label: "a gateway's own opt-out list replaces the default: STOP no longer opts out",
      text: 'STOP',
      lists: { optOut: ['ARRET'] },
      expect: null,
    },
    {
      label: "the gateway's own word opts out",
      text: ' arret ',
      lists: { optOut: ['ARRET'] },
      expect: 'opt_out',
    },
    {
      label: 'an own opt-out list keeps the default opt-in list',
      text: 'unstop',
      lists: { optOut: ['ARRET'] },
      expect: 'opt_in',
    },
    {
      label: 'an own opt-in list replaces the default: START is nothing',
      text: 'START',
      lists: { optIn: ['DEMARRER'] },
      expect: null,
    },
    { label: 'own opt-in word', text: 'Demarrer', lists: { optIn: ['DEMARRER'] }, expect: 'opt_in' },
    {
      label: 'own list words match case-insensitively',
      text: 'ARRET',
      lists: { optOut: [' arret '] },
      expect: 'opt_out',
    },
    {
      label: 'own lists keep the pass-through word',
      text: 'yes',
      lists: { optOut: ['ARRET'], optIn: ['OUI'] },
      expect: 'pass_through',
    },
    {
      label: 'YES in an own opt-in list is a confirmed opt-in',
      text: 'YES',
      lists: { optIn: ['YES'] },
      expect: 'opt_in',
    },
    {
      label: 'opt-out wins over opt-in for a word in both',
      text: 'GO',
      lists: { optOut: ['GO'], optIn: ['GO'] },
      expect: 'opt_out',
    },
    { label: 'an empty own list keeps the default', text: 'STOP', lists: { optOut: [] }, expect: 'opt_out' },
    {
      label: 'a list of blanks keeps the default',
      text: 'QUIT',
      lists: { optOut: ['  '] },
      expect: 'opt_out',
    },
  ];
  for (const { label, text, lists, expect } of cases) {
    assert.equal(classifyOptKeyword(text, lists ?? {}), expect, label);
  }
});

test('firstOptIn and firstOptOut name the first word of the effective list', () => {
  const cases: { label: string; lists: OptKeywordLists; optIn: string; optOut: string }[] = [
    { label: 'defaults', lists: {}, optIn: 'START', optOut: 'STOP' },
    { label: 'nulls', lists: { optIn: null, optOut: null }, optIn: 'START', optOut: 'STOP' },
    {
      label: 'own lists',
      lists: { optIn: ['OUI', 'DEMARRER'], optOut: ['ARRET'] },
      optIn: 'OUI',
      optOut: 'ARRET',
    },
    {
      label: 'own words trimmed, blanks skipped',
      lists: { optIn: [' ', ' Go '], optOut: [] },
      optIn: 'Go',
      optOut: 'STOP',
    },
  ];
  for (const { label, lists, optIn, optOut } of cases) {
    assert.equal(firstOptIn(lists), optIn, label);
    assert.equal(firstOptOut(lists), optOut, label);
  }
});
