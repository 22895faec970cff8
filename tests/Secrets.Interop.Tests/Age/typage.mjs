// Interop peer: typage (npm age-encryption 0.3.1 in tests/peers). Data on stdin, result on stdout.
// Usage: node typage.mjs <node_modules dir> <command> [argument]
//   keygen | keygen-pq              -> JSON {identity, recipient}
//   encrypt <recipient> [armor]     -> age file of stdin (armored when the third argument is "armor")
//   encrypt-passphrase <passphrase> -> age file of stdin, scrypt work factor 10
//   decrypt <identity>              -> plaintext of the age file on stdin (armor detected)
//   decrypt-passphrase <passphrase> -> plaintext of the passphrase-encrypted age file on stdin
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [nodeModules, command, argument, option] = process.argv.slice(2);
const age = await import(pathToFileURL(join(nodeModules, "age-encryption", "dist", "index.js")).href);
const input = new Uint8Array(readFileSync(0));
const unarmor = (bytes) => {
    const text = new TextDecoder().decode(bytes.subarray(0, 64));
    return text.trimStart().startsWith("-----BEGIN") ? age.armor.decode(new TextDecoder().decode(bytes)) : bytes;
};
const write = (data) => process.stdout.write(typeof data === "string" ? data : Buffer.from(data));

switch (command) {
    case "keygen":
    case "keygen-pq": {
        const identity = command === "keygen" ? await age.generateX25519Identity() : await age.generateHybridIdentity();
        write(JSON.stringify({ identity, recipient: await age.identityToRecipient(identity) }));
        break;
    }
    case "encrypt": {
        const encrypter = new age.Encrypter();
        encrypter.addRecipient(argument);
        const file = await encrypter.encrypt(input);
        write(option === "armor" ? age.armor.encode(file) : file);
        break;
    }
    case "encrypt-passphrase": {
        const encrypter = new age.Encrypter();
        encrypter.setPassphrase(argument);
        encrypter.setScryptWorkFactor(10);
        write(await encrypter.encrypt(input));
        break;
    }
    case "decrypt":
    case "decrypt-passphrase": {
        const decrypter = new age.Decrypter();
        if (command === "decrypt") {
            decrypter.addIdentity(argument);
        } else {
            decrypter.addPassphrase(argument);
        }
        write(await decrypter.decrypt(unarmor(input)));
        break;
    }
    default:
        throw new Error(`unknown command ${command}`);
}
