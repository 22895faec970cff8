using Secrets.Core;

namespace Secrets.Age;

/// <summary>The ASCII armor around an age file is malformed (age.md §7); the armored bytes themselves may be fine.</summary>
public sealed class ArmorFormatException(string message) : InvalidFileException($"invalid age armor: {message}");
