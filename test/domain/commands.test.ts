import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstWord, parseCommand, parseJoin, restAfterFirstWord } from '../../src/domain/commands.ts';
import type { Command, Join } from '../../src/domain/commands.ts';

test('parseCommand: table', () => {
  const cases: { text: string; expect: Command | null }[] = [
    { text: '#START REG', expect: { kind: 'start', keyword: 'REG', text: 'REG' } },
    { text: '  #start reg  ', expect: { kind: 'start', keyword: 'REG', text: 'reg' } },
    { text: '#Start\treg  EXT-12 now', expect: { kind: 'start', keyword: 'REG', text: 'reg  EXT-12 now' } },
    { text: '#START', expect: { kind: 'unknown', command: '#START' } },
    { text: '#start   ', expect: { kind: 'unknown', command: '#start' } },
    { text: '#STOP', expect: { kind: 'stop' } },
    { text: ' #stop ', expect: { kind: 'stop' } },
    { text: '#Stop now please', expect: { kind: 'stop' } },
    { text: '#CURRENT', expect: { kind: 'current' } },
    { text: '\n#current\n', expect: { kind: 'current' } },
    { text: '#FOO bar', expect: { kind: 'unknown', command: '#FOO' } },
    { text: '#stopp', expect: { kind: 'unknown', command: '#stopp' } },
    { text: '#', expect: { kind: 'unknown', command: '#' } },
    { text: '# START REG', expect: { kind: 'unknown', command: '#' } },
    { text: 'START REG', expect: null },
    { text: 'hello #STOP', expect: null },
    { text: '', expect: null },
    { text: '   ', expect: null },
  ];
  for (const { text, expect } of cases) {
    assert.deepEqual(parseCommand(text), expect, JSON.stringify(text));
  }
});

test('firstWord and restAfterFirstWord', () => {
  const cases: { text: string; first: string; rest: string }[] = [
    { text: 'info', first: 'INFO', rest: '' },
    { text: '  Info   about  this ', first: 'INFO', rest: 'about  this' },
    { text: 'reg\tEXT-1\nnow', first: 'REG', rest: 'EXT-1\nnow' },
    { text: '', first: '', rest: '' },
    { text: '   ', first: '', rest: '' },
    { text: 'ñame ok', first: 'ÑAME', rest: 'ok' },
  ];
  for (const { text, first, rest } of cases) {
    assert.equal(firstWord(text), first, JSON.stringify(text));
    assert.equal(restAfterFirstWord(text), rest, JSON.stringify(text));
  }
});

test('parseJoin: table', () => {
  const cases: { text: string; expect: Join | null }[] = [
    { text: 'JOIN clinic', expect: { project: 'clinic', worker: false } },
    { text: '  join Clinic-A  ', expect: { project: 'Clinic-A', worker: false } },
    { text: 'Join clinic please', expect: { project: 'clinic', worker: false } },
    { text: 'JOIN clinic WORKER', expect: { project: 'clinic', worker: true, username: null } },
    { text: 'join clinic worker', expect: { project: 'clinic', worker: true, username: null } },
    { text: 'join clinic Worker Amina.K', expect: { project: 'clinic', worker: true, username: 'Amina.K' } },
    {
      text: 'JOIN\tclinic\nWORKER  amina extra',
      expect: { project: 'clinic', worker: true, username: 'amina' },
    },
    { text: 'JOIN', expect: null },
    { text: 'JOIN   ', expect: null },
    { text: 'JOINclinic', expect: null },
    { text: 'please JOIN clinic', expect: null },
    { text: 'WORKER clinic', expect: null },
    { text: '', expect: null },
  ];
  for (const { text, expect } of cases) {
    assert.deepEqual(parseJoin(text), expect, JSON.stringify(text));
  }
});
