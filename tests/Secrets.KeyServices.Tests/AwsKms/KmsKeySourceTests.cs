using Secrets.Core;
using Secrets.Core.Keys;
using Secrets.KeyServices.AwsKms;
using Secrets.TestSupport;
using Secrets.TestSupport.Fakes.Aws;

namespace Secrets.KeyServices.Tests.AwsKms;

/// <summary>KMS master keys through the real AWS SDK against FakeAws, configured only by standard variables.</summary>
[Collection(nameof(ProcessEnvironment))]
public sealed class KmsKeySourceTests
{
    [Fact]
    public async Task A_data_key_round_trips_with_sops_metadata()
    {
        await using var session = await KmsSession.StartAsync();
        var key = session.Aws.CreateKey();
        using var source = KmsSession.Source();
        var dataKey = DataKeys.New();

        var entry = await source.Parse(key.Arn).WrapAsync(dataKey, CancellationToken.None);
        var recovered = await source.TryUnwrapAsync(entry, CancellationToken.None);

        Assert.Equal(dataKey, recovered);
        Assert.Equal("kms", entry.Type);
        Assert.Equal(["arn", "created_at", "enc", "aws_profile"], entry.Fields.Keys);
        Assert.Equal(key.Arn, entry["arn"]);
        Assert.Equal("", entry["aws_profile"]);
        Assert.Matches(DataKeys.CreatedAtPattern, entry["created_at"]);
        Assert.NotEmpty(Convert.FromBase64String(entry.Enc!));
        Assert.Null(entry.Context);
    }

    [Fact]
    public async Task The_encryption_context_is_bound_and_a_different_one_fails_clearly()
    {
        await using var session = await KmsSession.StartAsync();
        var key = session.Aws.CreateKey();
        var context = KmsOptions.ParseEncryptionContext("app:web,env:prod");
        using var source = KmsSession.Source(new KmsOptions { EncryptionContext = context });
        var dataKey = DataKeys.New();

        var entry = await source.Parse(key.Arn).WrapAsync(dataKey, CancellationToken.None);
        var tampered = entry with { Context = new Dictionary<string, string> { ["app"] = "web", ["env"] = "dev" } };
        var error = await Assert.ThrowsAsync<KeyProviderException>(async () => await source.TryUnwrapAsync(tampered, CancellationToken.None));

        Assert.Equal(context, entry.Context);
        Assert.Equal(dataKey, await source.TryUnwrapAsync(entry, CancellationToken.None));
        Assert.Contains("InvalidCiphertextException", error.Message, StringComparison.Ordinal);
        Assert.Contains("encryption context", error.Message, StringComparison.Ordinal);
        Assert.Contains(key.Arn, error.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorKind.KeyProvider, error.Kind);
    }

    [Fact]
    public async Task A_role_is_assumed_through_sts_and_its_session_signs_kms_calls()
    {
        await using var session = await KmsSession.StartAsync();
        var key = session.Aws.CreateKey();
        const string role = "arn:aws:iam::111122223333:role/sops-decrypt";
        using var source = KmsSession.Source();
        var dataKey = DataKeys.New();

        var entry = await source.Parse($"{key.Arn}+{role}").WrapAsync(dataKey, CancellationToken.None);
        var recovered = await source.TryUnwrapAsync(entry, CancellationToken.None);

        var assumed = Assert.Single(session.Aws.AssumedRoles);
        Assert.Equal(role, assumed.RoleArn);
        Assert.StartsWith("sops@", assumed.SessionName, StringComparison.Ordinal);
        Assert.Equal(KmsSession.AccessKeyId, assumed.CallerAccessKeyId);
        Assert.All(session.Aws.Requests.Where(r => r.Target.StartsWith("TrentService.", StringComparison.Ordinal)), r => Assert.Equal(assumed.AccessKeyId, r.AccessKeyId));
        Assert.Equal(["arn", "role", "created_at", "enc", "aws_profile"], entry.Fields.Keys);
        Assert.Equal(role, entry["role"]);
        Assert.Equal(dataKey, recovered);
    }

    [Fact]
    public async Task A_refused_role_is_a_clear_error()
    {
        await using var session = await KmsSession.StartAsync();
        var key = session.Aws.CreateKey();
        const string role = "arn:aws:iam::111122223333:role/not-trusted";
        session.Aws.DenyAssumeRole(role);
        using var source = KmsSession.Source();

        var error = await Assert.ThrowsAsync<KeyProviderException>(async () => await source.Parse($"{key.Arn}+{role}").WrapAsync(DataKeys.New(), CancellationToken.None));

        Assert.Contains("denied (403 AccessDenied)", error.Message, StringComparison.Ordinal);
        Assert.Contains(role, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_named_profile_supplies_the_credentials_and_is_recorded()
    {
        using var dir = new TempDirectory();
        var credentials = dir.File("credentials");
        await File.WriteAllTextAsync(credentials, "[ci]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n");
        await File.WriteAllTextAsync(dir.File("config"), "[profile ci]\nregion = us-east-1\n");
        await using var session = await KmsSession.StartAsync(extra: new Dictionary<string, string?>
        {
            ["AWS_SHARED_CREDENTIALS_FILE"] = credentials,
            ["AWS_CONFIG_FILE"] = dir.File("config"),
        });
        var key = session.Aws.CreateKey();
        using var source = KmsSession.Source(new KmsOptions { AwsProfile = "ci" });

        var entry = await source.Parse(key.Arn).WrapAsync(DataKeys.New(), CancellationToken.None);

        Assert.Equal("ci", entry["aws_profile"]);
        Assert.Equal("AKIDPROFILE", session.Aws.Requests.Single(r => r.Operation == "Encrypt").AccessKeyId);
        using var unknown = KmsSession.Source(new KmsOptions { AwsProfile = "missing" });
        var error = await Assert.ThrowsAsync<KeyProviderException>(async () => await unknown.Parse(key.Arn).WrapAsync(DataKeys.New(), CancellationToken.None));
        Assert.Contains("profile \"missing\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_region_comes_from_the_arn_not_the_environment()
    {
        await using var session = await KmsSession.StartAsync(new FakeAwsOptions { Region = "eu-west-2" });
        var key = session.Aws.CreateKey();
        using var source = KmsSession.Source();

        await source.Parse(key.Arn).WrapAsync(DataKeys.New(), CancellationToken.None);

        Assert.Equal("eu-west-2", session.Aws.Requests.Single().SigningRegion);
    }

    [Fact]
    public async Task Throttling_is_retried_by_the_sdk_and_persistent_throttling_is_reported()
    {
        await using var session = await KmsSession.StartAsync();
        var key = session.Aws.CreateKey();
        using var source = KmsSession.Source();
        var entry = await source.Parse(key.Arn).WrapAsync(DataKeys.New(), CancellationToken.None);

        session.Aws.Faults.FailNext(1, AwsFault.Throttling, r => r.Operation == "Decrypt");
        var recovered = await source.TryUnwrapAsync(entry, CancellationToken.None);
        session.Aws.Faults.FailNext(10, AwsFault.Throttling, r => r.Operation == "Decrypt");
        var error = await Assert.ThrowsAsync<KeyProviderException>(async () => await source.TryUnwrapAsync(entry, CancellationToken.None));

        Assert.NotNull(recovered);
        Assert.Contains("throttled (429 ThrottlingException)", error.Message, StringComparison.Ordinal);
        Assert.Equal(2 + 3, session.Aws.Requests.Count(r => r.Operation == "Decrypt"));
    }

    [Fact]
    public async Task Access_denied_and_disabled_keys_are_reported_with_the_key()
    {
        await using var session = await KmsSession.StartAsync();
        var key = session.Aws.CreateKey();
        using var source = KmsSession.Source();
        var entry = await source.Parse(key.Arn).WrapAsync(DataKeys.New(), CancellationToken.None);

        session.Aws.SetKeyAccessDenied(key, true);
        var denied = await Assert.ThrowsAsync<KeyProviderException>(async () => await source.TryUnwrapAsync(entry, CancellationToken.None));
        session.Aws.SetKeyAccessDenied(key, false);
        session.Aws.SetKeyEnabled(key, false);
        var disabled = await Assert.ThrowsAsync<KeyProviderException>(async () => await source.TryUnwrapAsync(entry, CancellationToken.None));

        Assert.Contains("decrypt denied (403 AccessDeniedException)", denied.Message, StringComparison.Ordinal);
        Assert.Contains(key.Arn, denied.Message, StringComparison.Ordinal);
        Assert.Contains("disabled", disabled.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_connection_refused()
    {
        await using var session = await KmsSession.StartAsync(extra: new Dictionary<string, string?>
        {
            ["AWS_ENDPOINT_URL_KMS"] = "http://127.0.0.1:1/",
            ["AWS_MAX_ATTEMPTS"] = "1",
        });
        using var source = KmsSession.Source();

        var error = await Assert.ThrowsAsync<KeyProviderException>(async () =>
            await source.Parse("arn:aws:kms:us-east-1:111122223333:key/none").WrapAsync(DataKeys.New(), CancellationToken.None));

        Assert.Contains("connection refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stored_entries_keep_created_at_and_context_when_rewrapped()
    {
        await using var session = await KmsSession.StartAsync();
        var key = session.Aws.CreateKey();
        using var source = KmsSession.Source();
        var stored = new MasterKeyEntry("kms",
            new Dictionary<string, string> { ["arn"] = key.Arn, ["created_at"] = "2020-01-02T03:04:05Z", ["enc"] = "x", ["aws_profile"] = "" },
            new Dictionary<string, string> { ["k"] = "v" });

        var rewrapped = await source.FromEntry(stored).WrapAsync(DataKeys.New(), CancellationToken.None);

        Assert.Equal("2020-01-02T03:04:05Z", rewrapped["created_at"]);
        Assert.Equal("v", rewrapped.Context!["k"]);
    }
}
