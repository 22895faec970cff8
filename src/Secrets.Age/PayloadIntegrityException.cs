using Secrets.Core;

namespace Secrets.Age;

/// <summary>
/// The payload failed to decrypt (age.md §6): a chunk's tag did not verify, or the file is truncated or has trailing
/// data. Plaintext released before the failing chunk was authenticated; anything after it was not.
/// </summary>
public sealed class PayloadIntegrityException(string message) : IntegrityException($"age payload: {message}");
