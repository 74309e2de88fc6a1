// OpenPARS audit proof, checked in the browser (the audit explorer's entry page; CSP script-src 'self').
// The page shows an entry's exact bytes (#proof-entry), its RFC 9162 inclusion path (#proof-path, one base64 hash per
// item) in the tree of the newest signed checkpoint (#proof-note, the C2SP signed note). This script checks, with
// WebCrypto alone and nothing the server says about the result:
//   1. leaf = SHA-256(0x00 ‖ entry bytes); the path folds it (node = SHA-256(0x01 ‖ left ‖ right)) to a root;
//   2. that root and tree size are the checkpoint's, and the checkpoint's ECDSA P-256 signature (DER in the note,
//      SHA-256 over its first three lines) verifies with the log's public key (fetched from the public
//      /api/v1/audit/public-key, whose key id must be the signature's).
// Only then does #proof-status say "Proven"; any failure says "Not proven" and why.
(function () {
  "use strict";

  function bytesOf(base64) {
    var text = atob(base64);
    var out = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) {
      out[i] = text.charCodeAt(i);
    }
    return out;
  }

  function hex(bytes) {
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function concat(parts) {
    var length = parts.reduce(function (n, p) { return n + p.length; }, 0);
    var out = new Uint8Array(length);
    var at = 0;
    parts.forEach(function (p) { out.set(p, at); at += p.length; });
    return out;
  }

  function same(a, b) {
    if (a.length !== b.length) { return false; }
    for (var i = 0; i < a.length; i++) {
      if (a[i] !== b[i]) { return false; }
    }
    return true;
  }

  function sha256(bytes) {
    return crypto.subtle.digest("SHA-256", bytes).then(function (digest) { return new Uint8Array(digest); });
  }

  function fail(reason) {
    var error = new Error(reason);
    error.proof = true;
    return error;
  }

  // RFC 9162 §2.1.3.2: the root the inclusion path of leaf `index` in a tree of `size` leaves leads to.
  async function rootFromPath(index, size, leaf, path) {
    if (index >= size) { throw fail("the entry is outside the checkpoint's tree"); }
    var fn = index, sn = size - 1, r = leaf;
    for (var i = 0; i < path.length; i++) {
      var p = path[i];
      if (sn === 0) { throw fail("the inclusion path is longer than the tree allows"); }
      if (fn % 2 === 1 || fn === sn) {
        r = await sha256(concat([new Uint8Array([1]), p, r]));
        if (fn % 2 === 0) {
          while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
        }
      } else {
        r = await sha256(concat([new Uint8Array([1]), r, p]));
      }
      fn = Math.floor(fn / 2);
      sn = Math.floor(sn / 2);
    }
    if (sn !== 0) { throw fail("the inclusion path is shorter than the tree needs"); }
    return r;
  }

  // An ASN.1 DER ECDSA-Sig-Value (SEQUENCE { INTEGER r, INTEGER s }) as WebCrypto's 64-byte r ‖ s.
  function rawSignature(der) {
    var at = 0;
    function length() {
      var first = der[at++];
      if (first < 0x80) { return first; }
      var n = first & 0x7f, value = 0;
      for (var i = 0; i < n; i++) { value = value * 256 + der[at++]; }
      return value;
    }
    function integer() {
      if (der[at++] !== 0x02) { throw fail("the signature is not DER"); }
      var n = length();
      var value = der.slice(at, at + n);
      at += n;
      while (value.length > 32 && value[0] === 0) { value = value.slice(1); }
      if (value.length > 32) { throw fail("the signature is not P-256"); }
      var out = new Uint8Array(32);
      out.set(value, 32 - value.length);
      return out;
    }
    if (der[at++] !== 0x30) { throw fail("the signature is not DER"); }
    length();
    var r = integer();
    var s = integer();
    return concat([r, s]);
  }

  function spkiOf(pem) {
    return bytesOf(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""));
  }

  // The checkpoint: origin, size, root from the note's text, and its signature by the key, checked.
  async function checkpoint(note, spki) {
    if (!note.endsWith("\n")) { throw fail("the checkpoint note does not end with a newline"); }
    var split = note.lastIndexOf("\n\n");
    if (split < 0) { throw fail("the checkpoint has no signature"); }
    var body = note.slice(0, split + 1);
    var lines = body.split("\n");
    var size = Number(lines[1]);
    if (!/^\d+$/.test(lines[1]) || !Number.isSafeInteger(size)) { throw fail("the checkpoint's tree size is not a number"); }
    var root = bytesOf(lines[2]);
    var keyId = (await sha256(spki)).slice(0, 4);
    var key = await crypto.subtle.importKey("spki", spki, { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
    var signed = false;
    var signatures = note.slice(split + 2, -1).split("\n");
    for (var i = 0; i < signatures.length; i++) {
      var match = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(signatures[i]);
      if (!match) { throw fail("a signature line of the checkpoint is malformed"); }
      var blob = bytesOf(match[2]);
      if (!same(blob.slice(0, 4), keyId)) { continue; }
      var ok = await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, rawSignature(blob.slice(4)), new TextEncoder().encode(body));
      if (!ok) { throw fail("the checkpoint's signature does not verify with the log's public key"); }
      signed = true;
    }
    if (!signed) { throw fail("the checkpoint carries no signature by the log's public key"); }
    return { origin: lines[0], size: size, root: root, keyId: hex(keyId) };
  }

  async function check(section) {
    if (!window.crypto || !crypto.subtle) {
      throw fail("this browser offers no WebCrypto here (it needs HTTPS or a local address)");
    }
    var entry = new TextEncoder().encode(document.getElementById("proof-entry").textContent);
    var path = Array.prototype.map.call(section.querySelectorAll("#proof-path li code"), function (c) { return bytesOf(c.textContent.trim()); });
    var index = Number(section.dataset.proofIndex);
    var response = await fetch(section.dataset.proofKey, { credentials: "omit", headers: { "Accept": "application/json" } });
    if (!response.ok) { throw fail("the log's public key could not be fetched"); }
    var published = await response.json();
    var signedNote = await checkpoint(document.getElementById("proof-note").textContent, spkiOf(published.publicKeyPem));
    if (published.origin !== signedNote.origin) { throw fail("the checkpoint names another log than the public key's"); }
    var leaf = await sha256(concat([new Uint8Array([0]), entry]));
    var root = await rootFromPath(index, signedNote.size, leaf, path);
    if (!same(root, signedNote.root)) { throw fail("the entry's bytes and its inclusion path do not lead to the signed root"); }
    return "Proven in your browser: entry " + index + " (leaf hash " + hex(leaf).slice(0, 16) + "…) is in the log of "
      + signedNote.size + " entries whose root is signed by key " + signedNote.keyId + ".";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var section = document.querySelector("[data-proof-index]");
    if (!section) { return; }
    var status = document.getElementById("proof-status");
    check(section).then(function (message) {
      status.textContent = message;
      status.dataset.proof = "proven";
    }, function (error) {
      status.textContent = "Not proven: " + (error && error.proof ? error.message : "the proof could not be checked (" + error + ")") + ".";
      status.dataset.proof = "not-proven";
    });
  });
})();
