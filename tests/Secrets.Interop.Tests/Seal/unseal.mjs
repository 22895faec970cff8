// Independent unsealer for the interop tests: decrypts every spec.encryptedData item of the SealedSecret JSON
// on stdin with Node's own crypto (RSA-OAEP SHA-256 with the scope's label, then AES-256-GCM with a zero nonce),
// following sealed-secrets.md §1.5 literally. Usage: node unseal.mjs PRIVATE_KEY.pem < sealed.json
// Prints {"item": "<base64 plaintext>", ...}; exits 1 with a message when an item does not decrypt.
import { readFileSync } from 'node:fs';
import crypto from 'node:crypto';

const key = crypto.createPrivateKey(readFileSync(process.argv[2], 'utf8'));
const sealed = JSON.parse(readFileSync(0, 'utf8'));
const meta = sealed.metadata ?? {};
const annotations = meta.annotations ?? {};
let label;
if (annotations['sealedsecrets.bitnami.com/cluster-wide'] === 'true') {
  label = '';
} else if (annotations['sealedsecrets.bitnami.com/namespace-wide'] === 'true') {
  label = meta.namespace;
} else {
  label = `${meta.namespace}/${meta.name}`;
}

const out = {};
for (const [item, value] of Object.entries(sealed.spec.encryptedData)) {
  const blob = Buffer.from(value, 'base64');
  const rsaLength = blob.readUInt16BE(0);
  const rsaPart = blob.subarray(2, 2 + rsaLength);
  const aesPart = blob.subarray(2 + rsaLength);
  const sessionKey = crypto.privateDecrypt(
    { key, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: Buffer.from(label, 'utf8') },
    rsaPart);
  const decipher = crypto.createDecipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
  decipher.setAuthTag(aesPart.subarray(aesPart.length - 16));
  const plaintext = Buffer.concat([decipher.update(aesPart.subarray(0, aesPart.length - 16)), decipher.final()]);
  out[item] = plaintext.toString('base64');
}
process.stdout.write(JSON.stringify(out));
