// SPEC 5 step 1 as pure rules: which projects may use a gateway, the owner an inbound SMS sees,
// and the country that reads a national sender number.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mayUseGateway, scopedOwner, senderCountry } from '../../src/domain/inbound-scope.ts';

const own = { owner: 'a', sharedWith: ['c'] };
const global = { owner: null, sharedWith: [], defaultCountry: 'KE' };

describe('inbound scope (SPEC 5 step 1)', () => {
  const cases = [
    { label: "a project's gateway serves its project", gateway: own, project: 'a', expect: true },
    { label: 'and the projects it is shared with', gateway: own, project: 'c', expect: true },
    { label: 'but no other project', gateway: own, project: 'b', expect: false },
    { label: 'a global gateway serves every project', gateway: global, project: 'b', expect: true },
    { label: 'a gateway that is gone serves nobody', gateway: null, project: 'a', expect: false },
  ];
  for (const c of cases) test(c.label, () => assert.equal(mayUseGateway(c.gateway, c.project), c.expect));

  test('an owner in a project the gateway serves is the owner', () => {
    const entry = { projectId: 'c', id: 1 };
    assert.deepEqual(scopedOwner(entry, own), { owner: entry, foreign: false });
  });
  test('an owner anywhere else makes the number unknown here, and foreign', () => {
    assert.deepEqual(scopedOwner({ projectId: 'b' }, own), { owner: null, foreign: true });
  });
  test('no owner: unknown, not foreign', () => {
    assert.deepEqual(scopedOwner(null, own), { owner: null, foreign: false });
  });
  test("national numbers: the gateway's project's country, or a global gateway's own", () => {
    assert.equal(senderCountry(own, 'TZ'), 'TZ');
    assert.equal(senderCountry(own, null), null);
    assert.equal(senderCountry(global, 'TZ'), 'KE');
    assert.equal(senderCountry({ owner: null, sharedWith: [] }, 'TZ'), null);
  });
});
