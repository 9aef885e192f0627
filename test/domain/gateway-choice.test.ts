import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseGateway } from '../../src/domain/gateway-choice.ts';
import type { GatewayInfo } from '../../src/domain/gateway-choice.ts';

const gw = (id: string, over: Partial<GatewayInfo> = {}): GatewayInfo => ({
  id,
  name: id,
  owner: 'p',
  isDefault: false,
  prefixes: [],
  sharedWith: [],
  ...over,
});

const KE = '254712345678';
const all: GatewayInfo[] = [
  gw('OTHER_DEFAULT', { owner: 'q', isDefault: true, prefixes: ['254'] }),
  gw('OTHER_SHARED', { owner: 'q', name: 'Shared', sharedWith: ['p'], isDefault: true, prefixes: ['2547'] }),
  gw('P_254', { prefixes: ['254'] }),
  gw('P_25471', { prefixes: ['+25471'] }),
  gw('P_DEFAULT', { isDefault: true }),
  gw('G_1', { owner: null, prefixes: ['1'] }),
  gw('G_44', { owner: null, prefixes: ['44', '447'] }),
  gw('G_447700', { owner: null, prefixes: ['447700'] }),
  gw('G_DEFAULT', { owner: null, isDefault: true }),
];
const only = (...ids: string[]): GatewayInfo[] => all.filter((g) => ids.includes(g.id));

test('chooseGateway walks the rules in order', () => {
  const cases = [
    {
      label: 'project longest prefix',
      number: KE,
      gateways: all,
      expect: ['P_25471', 'project prefix 25471'],
    },
    {
      label: 'project shorter prefix',
      number: '254812345678',
      gateways: all,
      expect: ['P_254', 'project prefix 254'],
    },
    {
      label: 'number with +',
      number: '+254712345678',
      gateways: all,
      expect: ['P_25471', 'project prefix 25471'],
    },
    {
      label: 'project default beats a global prefix',
      number: '16175551234',
      gateways: all,
      expect: ['P_DEFAULT', 'project default'],
    },
    {
      label: 'global prefix',
      number: '16175551234',
      gateways: only('G_1', 'G_DEFAULT'),
      expect: ['G_1', 'global prefix 1'],
    },
    {
      label: 'global longest prefix',
      number: '447700900123',
      gateways: only('G_44', 'G_447700', 'G_DEFAULT'),
      expect: ['G_447700', 'global prefix 447700'],
    },
    {
      label: 'global longest prefix of one gateway',
      number: '447912345678',
      gateways: only('G_44', 'G_447700'),
      expect: ['G_44', 'global prefix 447'],
    },
    {
      label: 'global default',
      number: '33612345678',
      gateways: only('G_1', 'G_DEFAULT'),
      expect: ['G_DEFAULT', 'global default'],
    },
    {
      label: 'project prefix that does not match',
      number: '33612345678',
      gateways: only('P_254', 'G_DEFAULT'),
      expect: ['G_DEFAULT', 'global default'],
    },
  ] as const;
  for (const c of cases) {
    const choice = chooseGateway('p', c.number, null, c.gateways);
    assert.ok(choice.ok, c.label);
    assert.deepEqual([choice.gateway.id, choice.rule], c.expect, c.label);
  }
});

test('chooseGateway never uses another project’s gateways unless shared and named', () => {
  const cases = [
    {
      label: 'other project default and prefix ignored',
      gateways: only('OTHER_DEFAULT', 'G_DEFAULT'),
      expect: 'G_DEFAULT',
    },
    {
      label: 'shared default and prefix ignored when not named',
      gateways: only('OTHER_SHARED', 'G_DEFAULT'),
      expect: 'G_DEFAULT',
    },
  ];
  for (const c of cases) {
    const choice = chooseGateway('p', KE, undefined, c.gateways);
    assert.ok(choice.ok, c.label);
    assert.equal(choice.gateway.id, c.expect, c.label);
  }
  const none = chooseGateway('p', KE, '', only('OTHER_DEFAULT', 'OTHER_SHARED'));
  assert.deepEqual(none.ok ? null : none.error, 'NO_SUITABLE_GATEWAY');
});

test('chooseGateway: contact_backend_id picks own, then shared, then global, case-insensitively', () => {
  const sameName: GatewayInfo[] = [
    gw('GLOBAL_X', { owner: null, name: 'X' }),
    gw('SHARED_X', { owner: 'q', name: 'X', sharedWith: ['p'] }),
    gw('OWN_X', { name: 'x' }),
    gw('OTHER_X', { owner: 'r', name: 'X' }),
  ];
  const cases = [
    { label: 'own first', gateways: sameName, name: 'X', expect: 'OWN_X' },
    {
      label: 'then shared',
      gateways: sameName.filter((g) => g.id !== 'OWN_X'),
      name: ' x ',
      expect: 'SHARED_X',
    },
    {
      label: 'then global',
      gateways: sameName.filter((g) => g.id === 'GLOBAL_X' || g.id === 'OTHER_X'),
      name: 'x',
      expect: 'GLOBAL_X',
    },
    { label: 'named beats prefix and default', gateways: all, name: 'g_44', expect: 'G_44' },
    { label: 'shared by name', gateways: all, name: 'SHARED', expect: 'OTHER_SHARED' },
  ];
  for (const c of cases) {
    const choice = chooseGateway('p', KE, c.name, c.gateways);
    assert.ok(choice.ok, c.label);
    assert.deepEqual([choice.gateway.id, choice.rule], [c.expect, 'contact_backend_id'], c.label);
  }
});

test('chooseGateway: a named gateway that cannot be used is GATEWAY_NOT_FOUND, with no fallback', () => {
  const cases = [
    { label: 'no such name', name: 'Nope', gateways: all },
    { label: 'another project’s, not shared', name: 'OTHER_DEFAULT', gateways: all },
    {
      label: 'shared with someone else',
      name: 'S',
      gateways: [gw('S', { owner: 'q', sharedWith: ['r'] }), ...all],
    },
  ];
  for (const c of cases) {
    const choice = chooseGateway('p', KE, c.name, c.gateways);
    assert.equal(choice.ok, false, c.label);
    if (!choice.ok) {
      assert.equal(choice.error, 'GATEWAY_NOT_FOUND', c.label);
      assert.match(choice.reason, new RegExp(`"${c.name}"`), c.label);
    }
  }
});

test('chooseGateway: blank contact_backend_id is no name', () => {
  for (const name of [null, undefined, '', '   ']) {
    const choice = chooseGateway('p', KE, name, all);
    assert.ok(choice.ok, String(name));
    assert.equal(choice.rule, 'project prefix 25471', String(name));
  }
});

test('chooseGateway: nothing applies is NO_SUITABLE_GATEWAY', () => {
  const cases = [
    { label: 'no gateways', gateways: [] },
    { label: 'only non-matching prefixes', gateways: only('G_1', 'P_254') },
  ];
  for (const c of cases) {
    const choice = chooseGateway('p', '33612345678', null, c.gateways);
    assert.equal(choice.ok ? null : choice.error, 'NO_SUITABLE_GATEWAY', c.label);
  }
});
