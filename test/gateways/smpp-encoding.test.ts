// SMPP encoding and receipts, pure: parts are as many as the segments the message records,
// never split an escape sequence or a surrogate pair, and decode back to the text; receipts
// are read from their TLVs or their text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { countSegments } from '../../src/domain/text.ts';
import { concatenation, decodeSmpp, encodeForSmpp } from '../../src/gateways/smpp/encoding.ts';
import { isDeliveryReceipt, parseReceipt } from '../../src/gateways/smpp/receipts.ts';
import { describeStatus, outcomeOfStatus } from '../../src/gateways/smpp/status.ts';

const decodeParts = (text: string) => {
  const encoded = encodeForSmpp(text, 42);
  return encoded.parts.map((part) => {
    const body = encoded.udh ? part.subarray((part[0] ?? 0) + 1) : part;
    return decodeSmpp(body, encoded.dataCoding);
  });
};

test('parts: as many as countSegments, each decoding to its piece of the text', () => {
  const gsm = fc.stringMatching(/^[A-Za-z0-9 .,{}€[\]^~|\\]{0,500}$/);
  const other = fc.string({ unit: fc.constantFrom('a', 'जी', '😀', 'ü', ' ', '€'), maxLength: 300 });
  fc.assert(
    fc.property(fc.oneof(gsm, other), (text) => {
      const encoded = encodeForSmpp(text, 7);
      assert.equal(encoded.parts.length, countSegments(text).segments);
      assert.equal(encoded.dataCoding, countSegments(text).encoding === 'GSM-7' ? 0 : 8);
      assert.equal(decodeParts(text).join(''), text);
      if (encoded.udh) {
        encoded.parts.forEach((part, i) => {
          assert.deepEqual(concatenation(part), {
            reference: 7,
            total: encoded.parts.length,
            sequence: i + 1,
          });
          const limit = encoded.dataCoding === 0 ? 153 : 134;
          assert.ok(part.length - 6 <= limit, `part ${i + 1} is ${part.length - 6} bytes`);
        });
      }
    }),
  );
});

test('an escape sequence or a surrogate pair on a part boundary moves to the next part', () => {
  const gsm = `${'a'.repeat(152)}€${'b'.repeat(10)}`;
  assert.deepEqual(decodeParts(gsm), ['a'.repeat(152), `€${'b'.repeat(10)}`]);
  const ucs = `${'x'.repeat(66)}😀${'y'.repeat(10)}`;
  assert.deepEqual(decodeParts(ucs), ['x'.repeat(66), `😀${'y'.repeat(10)}`]);
});

test('a 16-bit concatenation header is read too', () => {
  assert.deepEqual(concatenation(Buffer.from([6, 8, 4, 1, 2, 3, 1])), {
    reference: 258,
    total: 3,
    sequence: 1,
  });
  assert.equal(concatenation(Buffer.from([3, 0x24, 1, 1])), null);
});

test('receipts: from the TLVs or the text; states to delivered, error or nothing', () => {
  assert.ok(isDeliveryReceipt(0x04));
  assert.ok(!isDeliveryReceipt(0x00));
  assert.ok(!isDeliveryReceipt(0x40));
  const text =
    'id:0A1B sub:001 dlvrd:001 submit date:2601050800 done date:2601050801 stat:DELIVRD err:000 text:hi';
  assert.deepEqual(parseReceipt(text, {}), { id: '0A1B', stat: 'DELIVRD', err: '000', result: 'delivered' });
  assert.equal(parseReceipt(text, { receiptedId: 'X9', messageState: 5 })?.result, 'error');
  assert.equal(parseReceipt(text, { receiptedId: 'X9', messageState: 5 })?.id, 'X9');
  assert.equal(parseReceipt('id:1 stat:ENROUTE', {})?.result, null);
  assert.equal(parseReceipt('id:1 stat:REJECTD err:0B', {})?.result, 'error');
  assert.equal(parseReceipt('no id here', {}), null);
});

test('command_status: throttling and system errors are retried, a bad destination is the number, the rest rejected', () => {
  assert.equal(outcomeOfStatus(0x58), 'throttled');
  assert.equal(outcomeOfStatus(0x14), 'temporary');
  assert.equal(outcomeOfStatus(0x08), 'temporary');
  assert.equal(outcomeOfStatus(0x0b), 'invalid_destination');
  assert.equal(outcomeOfStatus(0x45), 'rejected');
  assert.equal(describeStatus(0x0e), '0x0000000E ESME_RINVPASWD (invalid password)');
});
