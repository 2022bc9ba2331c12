// Checks what the subtensor adapter encodes against polkadot-js, an independent implementation:
// SCALE compact integers, storage keys (twox128, Twox64Concat, Blake2_128Concat), SS58 addresses,
// and signed extrinsics (the signing payload polkadot-js builds for the same fields, the sr25519
// signature over it, the extrinsic's layout). Input: a JSON file of cases written by the Java test.
// Prints one line per check group and "crosscheck ok <n>"; exits 1 naming every mismatch.
import fs from 'node:fs';
import { compactToU8a, hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady, decodeAddress, encodeAddress, signatureVerify, xxhashAsU8a } from '@polkadot/util-crypto';
import { TypeRegistry } from '@polkadot/types';

await cryptoWaitReady();
const cases = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const failures = [];
let checks = 0;
const expect = (what, mine, theirs) => {
  checks++;
  if (mine !== theirs) failures.push(`${what}: polkadot-js ${mine}, adapter ${theirs}`);
};

for (const c of cases.compact) {
  expect(`compact(${c.value})`, u8aToHex(compactToU8a(BigInt(c.value))), c.adapter);
}
console.log(`compact: ${cases.compact.length}`);

for (const k of cases.keys) {
  let key = u8aConcat(xxhashAsU8a(k.pallet, 128), xxhashAsU8a(k.item, 128));
  for (const part of k.parts) {
    const raw = hexToU8a(part.key);
    const hashed = part.hasher === 'twox64concat' ? u8aConcat(xxhashAsU8a(raw, 64), raw)
      : part.hasher === 'blake2128concat' ? u8aConcat(blake2AsU8a(raw, 128), raw)
      : raw;
    key = u8aConcat(key, hashed);
  }
  expect(`key ${k.pallet}.${k.item}`, u8aToHex(key), k.adapter);
}
console.log(`storage keys: ${cases.keys.length}`);

for (const a of cases.ss58) {
  expect(`ss58 of ${a.publicKey}`, encodeAddress(hexToU8a(a.publicKey), 42), a.adapter);
  expect(`account of ${a.adapter}`, u8aToHex(decodeAddress(a.adapter)), a.publicKey);
}
console.log(`ss58: ${cases.ss58.length}`);

// transaction extensions without data, as subtensor's runtime declares them
const empty = { extrinsic: {}, payload: {} };
const userExtensions = Object.fromEntries(['SudoTransactionExtension', 'SubtensorTransactionExtension', 'DrandPriority',
  'ChargeTransactionPaymentWrapper'].map((name) => [name, name === 'ChargeTransactionPaymentWrapper'
  ? { extrinsic: { tip: 'Compact<Balance>' }, payload: {} } : empty]));
for (const x of cases.extrinsics) {
  const registry = new TypeRegistry();
  registry.setSignedExtensions(x.extensions, userExtensions);
  const payload = registry.createType('ExtrinsicPayload', {
    method: x.call,
    era: registry.createType('ExtrinsicEra', x.era),
    nonce: x.nonce,
    tip: 0,
    specVersion: x.specVersion,
    transactionVersion: x.transactionVersion,
    genesisHash: x.genesisHash,
    blockHash: x.birthHash,
    mode: 0,
  }, { version: 4 });
  const bytes = payload.toU8a({ method: true });
  expect(`signing payload of ${x.name}`, u8aToHex(bytes), x.payload);
  const signed = bytes.length > 256 ? blake2AsU8a(bytes, 256) : bytes;
  checks++;
  if (!signatureVerify(signed, hexToU8a(x.signature), hexToU8a(x.publicKey)).isValid) {
    failures.push(`signature of ${x.name} does not verify over polkadot-js's payload`);
  }
  // the extrinsic: length, 0x84, MultiAddress::Id, MultiSignature::Sr25519, the extensions' explicit part, the call
  const extra = payload.toU8a({ method: true }).subarray(hexToU8a(x.call).length,
    hexToU8a(x.call).length + hexToU8a(x.extra).length);
  const body = u8aConcat(new Uint8Array([0x84, 0x00]), hexToU8a(x.publicKey), new Uint8Array([0x01]),
    hexToU8a(x.signature), extra, hexToU8a(x.call));
  expect(`extrinsic ${x.name}`, u8aToHex(u8aConcat(compactToU8a(body.length), body)), x.extrinsic);
}
console.log(`extrinsics: ${cases.extrinsics.length}`);

if (failures.length > 0) {
  console.log(`crosscheck FAILED ${failures.length} of ${checks}`);
  failures.forEach((f) => console.log(`  ${f}`));
  process.exit(1);
}
console.log(`crosscheck ok ${checks}`);
