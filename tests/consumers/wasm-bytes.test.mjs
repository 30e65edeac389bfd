// Consumer: the module's bytes as the `inline` and Node entries embed them (wasm-bytes.js, not an
// export of its own: read from the installed package's folder). Whichever way the runtime offers
// to decode the base64 (`Uint8Array.fromBase64`, Node's Buffer, or atob alone), the result is the
// package's .wasm byte for byte, and the native decoder is the one used where there is one. (In
// Chromium, which has `fromBase64`, the Rollup and esbuild apps of bundlers.test.mjs run on it.)
// Run in the fixture app: node --test wasm-bytes.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

// The package's folder, from where Node resolves its entry.
const pkg = new URL('./', import.meta.resolve('wix-headless-auth'));
const { wasmBytes } = await import(new URL('wasm-bytes.js', pkg));
const file = readFileSync(new URL('wix_headless_auth_bg.wasm', pkg));

/** Runs `wasmBytes()` with `Uint8Array.fromBase64` and `globalThis.Buffer` as given (restored after). */
function decodeWith({ fromBase64, buffer }) {
  const had = Object.getOwnPropertyDescriptor(Uint8Array, 'fromBase64');
  const { Buffer } = globalThis;
  try {
    if (fromBase64) Uint8Array.fromBase64 = fromBase64;
    else delete Uint8Array.fromBase64;
    globalThis.Buffer = buffer;
    return wasmBytes();
  } finally {
    if (had) Object.defineProperty(Uint8Array, 'fromBase64', had);
    else delete Uint8Array.fromBase64;
    globalThis.Buffer = Buffer;
  }
}

const same = (bytes) => assert.ok(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).equals(file), 'not the .wasm');

test('with only atob (an older browser), the bytes are the .wasm', () => {
  const bytes = decodeWith({ buffer: undefined });
  assert.ok(bytes instanceof Uint8Array);
  same(bytes);
});

test("with Node's Buffer, the bytes are the .wasm", () => {
  same(decodeWith({ buffer: Buffer }));
});

test('where Uint8Array.fromBase64 exists it decodes, once, and its result is returned as it is', () => {
  const calls = [];
  const decoded = new Uint8Array(Buffer.from(file));
  const fromBase64 = (text) => { calls.push(text); return decoded; };
  assert.equal(decodeWith({ fromBase64, buffer: Buffer }), decoded);
  assert.equal(calls.length, 1);
  same(Buffer.from(calls[0], 'base64'));
});
