/* global document */
// The compose form's live counter: characters, encoding and SMS segments as the operator types.
// It mirrors countSegments in src/domain/text.ts (GSM 03.38 basic and extension tables, parts of
// 153/67, a two-unit character never split); the server's count after "Preview" is the truth.
(function () {
  'use strict';
  var GSM_BASIC =
    '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
  var GSM_EXTENDED = '^{}\\[]~|€\f';
  var LIMITS = { 'GSM-7': { single: 160, part: 153 }, 'UCS-2': { single: 70, part: 67 } };

  // cleanText: typographic quotes, dashes and the ellipsis become ASCII (project setting normalize_text).
  function cleanText(text) {
    return text
      .replace(/[\u2018\u2019]/g, "'")
      .replace(/[\u201C\u201D]/g, '"')
      .replace(/[\u2013\u2014]/g, '-')
      .replace(/\u2026/g, '...');
  }

  function countSegments(text) {
    var chars = Array.from(text);
    var gsm = chars.every(function (c) {
      return GSM_BASIC.indexOf(c) >= 0 || GSM_EXTENDED.indexOf(c) >= 0;
    });
    var encoding = gsm ? 'GSM-7' : 'UCS-2';
    var sizes = chars.map(function (c) {
      return gsm ? (GSM_EXTENDED.indexOf(c) >= 0 ? 2 : 1) : c.length;
    });
    var units = sizes.reduce(function (a, b) {
      return a + b;
    }, 0);
    var limit = LIMITS[encoding];
    if (units <= limit.single) return { encoding: encoding, units: units, segments: 1 };
    var segments = 1;
    var used = 0;
    sizes.forEach(function (size) {
      if (used + size > limit.part) {
        segments += 1;
        used = 0;
      }
      used += size;
    });
    return { encoding: encoding, units: units, segments: segments };
  }

  function start() {
    var text = document.getElementById('text');
    var channel = document.getElementById('channel');
    var counter = document.getElementById('counter');
    if (!text || !counter) return;
    function update() {
      var characters = Array.from(text.value).length;
      if (channel && channel.value !== 'sms') {
        counter.textContent = characters + ' characters (e-mail: no segments)';
        return;
      }
      var count = countSegments(
        counter.getAttribute('data-normalize') === '1' ? cleanText(text.value) : text.value,
      );
      counter.textContent =
        characters +
        ' characters, ' +
        count.encoding +
        ', ' +
        count.segments +
        (count.segments === 1 ? ' segment' : ' segments');
    }
    text.addEventListener('input', update);
    if (channel) channel.addEventListener('change', update);
    update();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
