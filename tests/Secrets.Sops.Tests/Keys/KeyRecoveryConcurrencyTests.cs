using Secrets.Age;
using Secrets.Core;
using Secrets.Core.Keys;
using Secrets.Sops.Engine;
using Secrets.Sops.Keys;
using Secrets.Sops.Keys.Age;
using Secrets.Sops.Stores;

namespace Secrets.Sops.Tests.Keys;

/// <summary>
/// Issue #3 item 6: the keys of a group overlap, so a key service that never answers does not stall a decrypt (sops
/// tries keys one after another and waits for each), and a key that answers first in the order is the only one asked.
/// </summary>
public sealed class KeyRecoveryConcurrencyTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);
    private static readonly X25519Identity Alice = X25519Identity.Generate();

    [Fact]
    public async Task A_dead_key_first_in_the_order_does_not_hold_back_a_working_key()
    {
        var dead = new UnansweringKeySource();
        var file = await EncryptForAsync(dead);
        var recovery = new DataKeyRecovery(Registry(dead), DataKeyRecovery.ParseOrder("kms,age"))
        {
            HedgeDelay = TimeSpan.FromMilliseconds(50),
            KeyTimeout = TimeSpan.FromHours(1),
        };

        // Without overlapping keys this would wait for the dead key's hour-long timeout and hit the deadline.
        var dataKey = await recovery.RecoverAsync(file.Metadata, CancellationToken.None).WaitAsync(Deadline);

        Assert.Equal(32, dataKey.Length);
        Assert.Equal(1, dead.Calls);
        await dead.Cancelled.Task.WaitAsync(Deadline);
    }

    [Fact]
    public async Task A_key_that_never_answers_is_given_up_after_its_timeout_and_reported()
    {
        var dead = new UnansweringKeySource();
        var file = await EncryptForAsync(dead);
        var recovery = new DataKeyRecovery(new MasterKeyRegistry([dead, new AgeKeySource([])]))
        {
            HedgeDelay = TimeSpan.FromMilliseconds(10),
            KeyTimeout = TimeSpan.FromMilliseconds(200),
        };

        var failure = await Assert.ThrowsAsync<NoMatchingKeyException>(() => recovery.RecoverAsync(file.Metadata, CancellationToken.None).WaitAsync(Deadline));

        Assert.Contains(failure.Attempts, a => a.StartsWith("kms arn:aws:kms:eu-west-1:000000000000:key/dead: no answer within 0.2 s", StringComparison.Ordinal));
        Assert.Contains(failure.Attempts, a => a.StartsWith("age ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_key_that_answers_first_in_the_order_is_the_only_key_asked()
    {
        var dead = new UnansweringKeySource();
        var file = await EncryptForAsync(dead);
        var recovery = new DataKeyRecovery(Registry(dead)) { HedgeDelay = TimeSpan.FromHours(1) };

        var dataKey = await recovery.RecoverAsync(file.Metadata, CancellationToken.None).WaitAsync(Deadline);

        Assert.Equal(32, dataKey.Length);
        Assert.Equal(0, dead.Calls);
    }

    [Fact]
    public async Task A_working_local_key_is_asked_on_the_calling_thread()
    {
        var dead = new UnansweringKeySource();
        var file = await EncryptForAsync(dead);
        var recovery = new DataKeyRecovery(Registry(dead));

        // Issue #3 item 7: an age key first in the order answers inline, so the recovery has finished when the call
        // returns: no thread-pool hand-off, hedge timer or timeout timer (a small decrypt stays on the main thread).
        var recovering = recovery.RecoverAsync(file.Metadata, CancellationToken.None);

        Assert.True(recovering.IsCompletedSuccessfully);
        Assert.Equal(32, (await recovering).Length);
        Assert.Equal(0, dead.Calls);
    }

    [Fact]
    public async Task Key_sources_given_as_factories_are_created_only_for_the_key_types_a_file_holds()
    {
        var file = await SopsEngine.EncryptAsync(
            new YamlStore().LoadPlain("k: v\n"u8),
            new EncryptionRequest { KeyGroups = [[new AgeKeySource([]).Parse(Alice.Recipient.ToString()!)]] },
            CancellationToken.None);
        var registry = new MasterKeyRegistry(
        [
            ("age", () => new AgeKeySource([Alice])),
            ("kms", () => throw new InvalidOperationException("a cloud key source was set up for an age-only file")),
        ]);

        var dataKey = await new DataKeyRecovery(registry).RecoverAsync(file.Metadata, CancellationToken.None);

        Assert.Equal(32, dataKey.Length);
        Assert.True(registry.IsCreated("age"));
        Assert.False(registry.IsCreated("kms"));
    }

    private static MasterKeyRegistry Registry(UnansweringKeySource dead) => new([dead, new AgeKeySource([Alice])]);

    private static Task<SopsFile> EncryptForAsync(UnansweringKeySource dead) =>
        SopsEngine.EncryptAsync(
            new YamlStore().LoadPlain("k: v\n"u8),
            new EncryptionRequest { KeyGroups = [[UnansweringKeySource.Key, new AgeKeySource([]).Parse(Alice.Recipient.ToString()!)]] },
            CancellationToken.None);

    /// <summary>A key service that accepts wrapping but never answers an unwrap until it is cancelled.</summary>
    private sealed class UnansweringKeySource : IMasterKeySource
    {
        private int _calls;

        public string Type => "kms";

        public int Calls => Volatile.Read(ref _calls);

        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static IMasterKey Key => new DeadKey();

        public IMasterKey Parse(string value) => new DeadKey();

        public IMasterKey FromEntry(MasterKeyEntry entry) => new DeadKey();

        public async ValueTask<byte[]?> TryUnwrapAsync(MasterKeyEntry entry, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return null;
            }
            catch (OperationCanceledException)
            {
                Cancelled.TrySetResult();
                throw;
            }
        }

        private sealed class DeadKey : IMasterKey
        {
            public string Type => "kms";

            public string Id => "arn:aws:kms:eu-west-1:000000000000:key/dead";

            public ValueTask<MasterKeyEntry> WrapAsync(ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken) =>
                ValueTask.FromResult(new MasterKeyEntry("kms", new Dictionary<string, string>(StringComparer.Ordinal) { ["arn"] = Id, ["enc"] = "AQID" }));
        }
    }
}
