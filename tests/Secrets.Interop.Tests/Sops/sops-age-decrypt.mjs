// Decrypts a sops file from stdin with the npm package sops-age (an independent implementation) and prints the
// result as JSON. Arguments: <peers folder> <file type: yaml|json|env>. The age identity comes in SOPS_AGE_KEY.
import path from "node:path";
import { pathToFileURL } from "node:url";

const [peers, fileType] = process.argv.slice(2);
const { decryptSops } = await import(pathToFileURL(path.join(peers, "node_modules", "sops-age", "dist", "index.js")).href);
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const decrypted = await decryptSops(Buffer.concat(chunks).toString("utf8"), { secretKey: process.env.SOPS_AGE_KEY, fileType });
process.stdout.write(JSON.stringify(decrypted));
