// Seals values with the npm package @linode/kubeseal-encrypt (tests/peers) through its public API
// encryptSecretItem(publicKeyPem, namespace, value), which always uses the namespace as OAEP label
// (namespace-wide scope, sealed-secrets.md §8). Usage:
//   node kubeseal-encrypt.mjs PEERS_DIR PUBLIC_KEY.pem NAMESPACE < {"item": "value", ...}
// Prints {"item": "<sealed base64>", ...}.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.argv[2], 'package.json'));
const { encryptSecretItem } = require('@linode/kubeseal-encrypt');
const pem = readFileSync(process.argv[3], 'utf8');
const namespace = process.argv[4];
const values = JSON.parse(readFileSync(0, 'utf8'));
const out = {};
for (const [item, value] of Object.entries(values)) {
  out[item] = await encryptSecretItem(pem, namespace, value);
}
process.stdout.write(JSON.stringify(out));
