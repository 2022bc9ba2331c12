// Verifies pretrain4j's sr25519 signatures with an independent implementation, @scure/sr25519.
//   cd <a scratch dir> && npm install @scure/sr25519
//   node lib/crypto/src/test/node/verify_signatures.mjs lib/crypto/src/test/resources/vectors/sr25519-pretrain4j.json
// Exits non-zero if any signature fails to verify, or if a tampered one verifies.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(process.cwd() + '/');
const sr25519 = require('@scure/sr25519');
const hex = (s) => Uint8Array.from(Buffer.from(s, 'hex'));
const file = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const verify = (m, s, k) => {
  try {
    return sr25519.verify(m, s, k);
  } catch (e) {
    return false; // an R that is not a valid ristretto255 encoding
  }
};
let failures = 0;
for (const v of file.vectors) {
  const ok = verify(hex(v.messageHex), hex(v.signature), hex(v.publicKey));
  const tampered = hex(v.signature);
  tampered[10] ^= 1;
  const bad = verify(hex(v.messageHex), tampered, hex(v.publicKey));
  console.log(`${v.key} message of ${v.messageHex.length / 2} bytes: ${ok ? 'verifies' : 'FAILS'}; tampered: ${bad ? 'VERIFIES' : 'rejected'}`);
  if (!ok || bad) failures++;
}
console.log(`${file.vectors.length - failures} of ${file.vectors.length} pretrain4j signatures verified by @scure/sr25519`);
process.exit(failures === 0 ? 0 : 1);
