namespace Secrets.Age;

/// <summary>
/// Optional ability of a recipient: labels that restrict which recipients may share a file (age-plugin.md
/// "labels"). Recipients can be mixed only when their label sets are equal: scrypt carries a unique random label
/// (it must be alone, age.md §5) and the hybrid type carries <c>postquantum</c> (age.md §10).
/// </summary>
public interface ILabeledRecipient
{
    IReadOnlySet<string> Labels { get; }
}
