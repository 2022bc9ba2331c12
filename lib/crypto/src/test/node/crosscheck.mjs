// Decrypts timelocked commits written by pretrain4j with an independent implementation, the way
// subtensor's `tle` does (COMMIT_REVEAL.md 3.3), and checks the pairing against a second library.
//   node crosscheck.mjs cases.json      (cases: [{round, signature, commit}], hex strings)
// prints one JSON line per case: {plaintext} or {error}; then {"pairingAgrees": bool, "ms": {...}}.
import { bls12_381 } from '@noble/curves/bls12-381';
import mcl from 'mcl-wasm';
import { createHash, createDecipheriv, createCipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

const P = bls12_381.fields.Fp.ORDER;
const R = bls12_381.fields.Fr.ORDER;
const hex = (b) => Buffer.from(b).toString('hex');
const sha256 = (...parts) => { const h = createHash('sha256'); parts.forEach((p) => h.update(p)); return h.digest(); };
const xor = (a, b) => Buffer.from(a.map((x, i) => x ^ b[i]));

// the twelve base-field coordinates in tower order c0.c0.c0, c0.c0.c1, c0.c1.c0, ... c1.c2.c1
const coords = (gt) => [gt.c0, gt.c1].flatMap((f6) => [f6.c0, f6.c1, f6.c2]).flatMap((f2) => [f2.c0, f2.c1]);
// arkworks: each coordinate 48 bytes little-endian
function gtBytes(gt) {
  const out = Buffer.alloc(576);
  coords(gt).forEach((c, i) => { let v = c; for (let j = 0; j < 48; j++) { out[i * 48 + j] = Number(v & 0xffn); v >>= 8n; } });
  return out;
}

function readVec(buf, at, max, what) {
  if (at + 8 > buf.length) throw new Error(`${what} is cut off`);
  const n = Number(buf.readBigUInt64LE(at));
  if (n > max || at + 8 + n > buf.length) throw new Error(`${what} claims ${n} bytes`);
  return [buf.subarray(at + 8, at + 8 + n), at + 8 + n];
}

function decrypt(commit, signature) {
  const U = bls12_381.G2.ProjectivePoint.fromHex(hex(commit.subarray(0, 96)));
  let at = 96, V, W, body, tag;
  [V, at] = readVec(commit, at, 32, 'V');
  [W, at] = readVec(commit, at, 32, 'W');
  [body, at] = readVec(commit, at, commit.length, 'body');
  [tag, at] = readVec(commit, at, 8, 'scheme');
  if (tag.toString('latin1') !== 'AES_GCM_' || at !== commit.length) throw new Error('bad scheme tag or trailing bytes');
  let sealed, nonce, b = 0;
  [sealed, b] = readVec(body, b, body.length, 'sealed');
  [nonce, b] = readVec(body, b, 12, 'nonce');
  const sig = bls12_381.G1.ProjectivePoint.fromHex(hex(signature));
  const gt = bls12_381.pairing(sig, U);
  const sigma = xor(V, sha256(gtBytes(gt)));
  const esk = xor(W, sha256(sigma));
  const r = BigInt('0x' + hex(sha256(sigma, esk))) % R;
  if (!bls12_381.G2.ProjectivePoint.BASE.multiply(r).equals(U)) throw new Error('U != r*G2');
  const d = createDecipheriv('aes-256-gcm', esk, nonce);
  d.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]);
}

// The same work as pretrain4j's timelocked commit, for the benchmark: hash the round, r·G2, r·PK, one pairing, AES-GCM.
const QUICKNET_KEY = '83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a';
const DST = 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_';
function encryptOnce(plaintext, round) {
  const roundBytes = Buffer.alloc(8); roundBytes.writeBigUInt64BE(BigInt(round));
  const q = bls12_381.G1.hashToCurve(sha256(roundBytes), { DST });
  const esk = randomBytes(32), sigma = randomBytes(32), nonce = randomBytes(12);
  const r = BigInt('0x' + hex(sha256(sigma, esk))) % R;
  const u = bls12_381.G2.ProjectivePoint.BASE.multiply(r);
  const pk = bls12_381.G2.ProjectivePoint.fromHex(QUICKNET_KEY).multiply(r);
  const v = xor(sigma, sha256(gtBytes(bls12_381.pairing(q, pk))));
  const c = createCipheriv('aes-256-gcm', esk, nonce);
  return [u.toRawBytes(true), v, c.update(plaintext), c.final(), c.getAuthTag()];
}

const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'));
for (const c of cases) {
  try {
    console.log(JSON.stringify({ plaintext: hex(decrypt(Buffer.from(c.commit, 'hex'), Buffer.from(c.signature, 'hex'))) }));
  } catch (e) {
    console.log(JSON.stringify({ error: String(e.message || e) }));
  }
}

// mcl-wasm: e(g1, g2) must equal noble's, coordinate by coordinate
await mcl.init(mcl.BLS12_381);
mcl.setETHserialization(true);
const g1 = bls12_381.G1.ProjectivePoint.BASE, g2 = bls12_381.G2.ProjectivePoint.BASE;
const mg1 = mcl.deserializeHexStrToG1(hex(g1.toRawBytes(true)));
const mg2 = mcl.deserializeHexStrToG2(hex(g2.toRawBytes(true)));
const mclCoords = mcl.pairing(mg1, mg2).getStr(16).trim().split(/\s+/).map((s) => BigInt('0x' + s));
const nobleCoords = coords(bls12_381.pairing(g1, g2));
const pairingAgrees = mclCoords.length === 12 && mclCoords.every((v, i) => v === nobleCoords[i]);

const iterations = Number(process.env.CROSSCHECK_ITERATIONS || 0);
const ms = {};
if (iterations > 0) {
  const payload = Buffer.alloc(51, 7);
  const time = (f) => { f(); const t = process.hrtime.bigint(); for (let i = 0; i < iterations; i++) f(); return Number(process.hrtime.bigint() - t) / 1e6 / iterations; };
  ms.nobleCommit = time(() => encryptOnce(payload, 1000));
  ms.noblePairing = time(() => bls12_381.pairing(g1, g2));
  ms.mclPairing = time(() => mcl.pairing(mg1, mg2));
}
console.log(JSON.stringify({ pairingAgrees, ms }));
