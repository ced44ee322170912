// The shareable link: language, code and stdin as base64url of UTF-8 JSON in the URL fragment
// (#v1.<base64url>). The fragment never reaches the server, so a shared program stays in the link.
(function (global) {
  'use strict';
  var PREFIX = 'v1.';

  function toBase64Url(text) {
    var bytes = new TextEncoder().encode(text);
    var binary = '';
    for (var i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function fromBase64Url(text) {
    var base64 = text.replace(/-/g, '+').replace(/_/g, '/');
    while (base64.length % 4) base64 += '=';
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  }

  /** The fragment (without '#') that restores this program. */
  function encode(program) {
    return PREFIX + toBase64Url(JSON.stringify({
      language: program.language, code: program.code, stdin: program.stdin || ''
    }));
  }

  /** The program in a fragment ('#…' or '…'), or null when it holds none (or a broken one). */
  function decode(fragment) {
    var text = (fragment || '').replace(/^#/, '');
    if (text.indexOf(PREFIX) !== 0) return null;
    try {
      var value = JSON.parse(fromBase64Url(text.slice(PREFIX.length)));
      if (!value || typeof value.code !== 'string' || typeof value.language !== 'string') return null;
      return { language: value.language, code: value.code, stdin: typeof value.stdin === 'string' ? value.stdin : '' };
    } catch (e) {
      return null;
    }
  }

  global.PlaygroundShare = { encode: encode, decode: decode };
})(window);
