// Test oracle for the mlkem768x25519 primitive: typage (npm age-encryption 0.3.1, tests/peers) run as the peer.
// Usage: node hybrid-oracle.mjs <node_modules dir> <command> [argument]
//   keygen                    -> JSON {identity, recipient} of a fresh hybrid identity
//   recipient <identity>      -> the age1pq1... recipient of an AGE-SECRET-KEY-PQ-1... identity
//   decrypt-header <identity> -> hex file key unwrapped from the age header on stdin (typage checks its MAC)
//   encrypt <recipient>       -> an age file of stdin encrypted to the recipient, on stdout
//   xwing                     -> for each {seed, eseed} (hex) in the JSON array on stdin, @noble/post-quantum's
//                                X-Wing {publicKey, ciphertext, sharedSecret} (hex), as a JSON array
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [nodeModules, command, argument] = process.argv.slice(2);
const age = await import(pathToFileURL(join(nodeModules, "age-encryption", "dist", "index.js")).href);
const stdin = () => new Uint8Array(readFileSync(0));

switch (command) {
    case "keygen": {
        const identity = await age.generateHybridIdentity();
        const recipient = await age.identityToRecipient(identity);
        process.stdout.write(JSON.stringify({ identity, recipient }));
        break;
    }
    case "recipient":
        process.stdout.write(await age.identityToRecipient(argument));
        break;
    case "decrypt-header": {
        const decrypter = new age.Decrypter();
        decrypter.addIdentity(argument);
        const fileKey = await decrypter.decryptHeader(stdin());
        process.stdout.write(Buffer.from(fileKey).toString("hex"));
        break;
    }
    case "encrypt": {
        const encrypter = new age.Encrypter();
        encrypter.addRecipient(argument);
        process.stdout.write(await encrypter.encrypt(stdin()));
        break;
    }
    case "xwing": {
        const { XWing } = await import(pathToFileURL(join(nodeModules, "@noble", "post-quantum", "hybrid.js")).href);
        const hex = (bytes) => Buffer.from(bytes).toString("hex");
        const cases = JSON.parse(Buffer.from(stdin()).toString("utf8")).map(({ seed, eseed }) => {
            const { publicKey } = XWing.keygen(Buffer.from(seed, "hex"));
            const { cipherText, sharedSecret } = XWing.encapsulate(publicKey, Buffer.from(eseed, "hex"));
            return { publicKey: hex(publicKey), ciphertext: hex(cipherText), sharedSecret: hex(sharedSecret) };
        });
        process.stdout.write(JSON.stringify(cases));
        break;
    }
    default:
        throw new Error("unknown command " + command);
}
