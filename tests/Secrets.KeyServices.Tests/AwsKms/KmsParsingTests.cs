using Secrets.Core;
using Secrets.Core.Keys;
using Secrets.KeyServices.AwsKms;

namespace Secrets.KeyServices.Tests.AwsKms;

/// <summary>The textual forms of KMS keys (flags and .sops.yaml, sops.md §7-8); no service involved.</summary>
public sealed class KmsParsingTests
{
    [Theory]
    [InlineData("arn:aws:kms:us-east-1:111122223333:key/1234abcd", "arn:aws:kms:us-east-1:111122223333:key/1234abcd", null, "us-east-1")]
    [InlineData(" arn:aws:kms:eu-central-1:1:alias/sops + arn:aws:iam::1:role/x ", "arn:aws:kms:eu-central-1:1:alias/sops", "arn:aws:iam::1:role/x", "eu-central-1")]
    [InlineData("arn:aws-us-gov:kms:us-gov-west-1:1:key/k+", "arn:aws-us-gov:kms:us-gov-west-1:1:key/k", null, "us-gov-west-1")]
    public void Flag_forms_parse_into_arn_role_and_region(string text, string arn, string? role, string region)
    {
        var key = KmsKeyReference.Parse(text);

        Assert.Equal((arn, role, region), (key.Arn, key.Role, key.Region));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1234abcd")]
    [InlineData("arn:aws:s3:us-east-1:1:key/x")]
    [InlineData("arn:aws:kms:us-east-1:acct:key/x")]
    public void Malformed_arns_are_invalid_keys(string text)
    {
        using var source = new KmsKeySource();

        var error = Assert.ThrowsAny<SecretsException>(() => source.Parse(text));

        Assert.Equal(ErrorKind.InvalidKey, error.Kind);
        Assert.NotEmpty(error.Hints);
    }

    [Fact]
    public void Encryption_context_flags_split_on_commas_and_the_first_colon()
    {
        var context = KmsOptions.ParseEncryptionContext("a:1,url:https://x");

        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["url"] = "https://x" }, context);
        Assert.Null(KmsOptions.ParseEncryptionContext(" "));
        Assert.Equal(ErrorKind.InvalidKey, Assert.ThrowsAny<SecretsException>(() => KmsOptions.ParseEncryptionContext("novalue")).Kind);
    }

    [Fact]
    public void An_entry_without_arn_is_a_malformed_file()
    {
        using var source = new KmsKeySource();

        Assert.Throws<InvalidFileException>(() => source.FromEntry(new MasterKeyEntry("kms", new Dictionary<string, string> { ["enc"] = "x" })));
    }
}
