import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  canonicalHost,
  forbiddenAddress,
  forbiddenHost,
  hostOfAddress,
  parseIpv4,
} from '../../src/lib/address-guard.ts';

test('IPv4 literals are read as the system resolver reads them', () => {
  const cases: [string, string | null][] = [
    ['127.0.0.1', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['0x7f.1', '127.0.0.1'],
    ['017700000001', '127.0.0.1'],
    ['0x7f000001', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['10.1.258', '10.1.1.2'],
    ['0177.0.0.01', '127.0.0.1'],
    ['256.0.0.1', null],
    ['1.2.3.4.5', null],
    ['08.0.0.1', null],
    ['example.com', null],
    ['1..2', null],
    ['4294967296', null],
  ];
  for (const [text, dotted] of cases) {
    const value = parseIpv4(text);
    const found = value === null ? null : canonicalHost(text);
    assert.deepEqual(found, dotted === null ? null : { literal: dotted }, text);
  }
});

test('forbidden hosts: every form of a loopback, private, link-local or metadata address, and local names', () => {
  const forbidden: [string, string][] = [
    ['127.0.0.1', 'loopback'],
    ['127.255.3.4', 'loopback'],
    ['2130706433', 'loopback'],
    ['0x7f.1', 'loopback'],
    ['017700000001', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['0', 'unspecified'],
    ['10.0.0.5', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'shared (CGNAT)'],
    ['100.127.255.254', 'shared (CGNAT)'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'cloud metadata'],
    ['0xa9fea9fe', 'cloud metadata'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:169.254.169.254]', 'cloud metadata'],
    ['::ffff:10.0.0.1', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['2002:7f00:1::', 'loopback'],
    ['ff02::1', 'multicast'],
    ['localhost', 'loopback'],
    ['LocalHost.', 'loopback'],
    ['api.localhost', 'loopback'],
    ['metadata.google.internal', 'loopback'],
    ['', 'no host'],
  ];
  for (const [host, reason] of forbidden) assert.equal(forbiddenHost(host), reason, host);
});

test('public addresses and ordinary names pass (names are then resolved)', () => {
  for (const host of [
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '172.15.255.255',
    '100.128.0.1',
    '100.63.255.255',
    '169.253.1.1',
    '11.0.0.1',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
    '2002:0808:0808::1',
    'api.twilio.com',
    'localhost.example.com',
    'example.org',
  ])
    assert.equal(forbiddenHost(host), null, host);
});

test('resolved addresses are checked as connected to', () => {
  assert.equal(forbiddenAddress('127.0.0.1'), 'loopback');
  assert.equal(forbiddenAddress('::1'), 'loopback');
  assert.equal(forbiddenAddress('93.184.216.34'), null);
  assert.equal(forbiddenAddress('not-an-ip'), 'not an IP address');
});

test('the host of an address field: a URL host (normalised by the URL parser) or a bare host', () => {
  assert.equal(hostOfAddress('http://0x7f.1:8080/send'), '127.0.0.1');
  assert.equal(hostOfAddress('https://user:pw@[::1]/x'), '[::1]');
  assert.equal(hostOfAddress('https://api.twilio.com'), 'api.twilio.com');
  assert.equal(hostOfAddress('smsc.example.net'), 'smsc.example.net');
  assert.equal(hostOfAddress(' '), null);
  assert.equal(hostOfAddress('http://'), null);
});
