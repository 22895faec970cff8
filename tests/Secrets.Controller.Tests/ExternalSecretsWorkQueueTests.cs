using Secrets.Controller.Framework;

namespace Secrets.Controller.Tests;

/// <summary>The work queue's urgent lane (issue #8 item 6): a watched change is handed out before queued refreshes, once.</summary>
public sealed class ExternalSecretsWorkQueueTests
{
    private static readonly ObjectKey A = new("apps", "a");
    private static readonly ObjectKey B = new("apps", "b");
    private static readonly ObjectKey C = new("apps", "c");

    [Fact]
    public async Task An_urgent_key_jumps_the_queue_and_a_promoted_key_is_handed_out_once()
    {
        using var queue = new WorkQueue();
        queue.Add(A);
        queue.Add(B);
        queue.Add(C);
        queue.Add(C, urgent: true);
        queue.Add(C, urgent: true);

        var taken = new List<ObjectKey>();
        for (var i = 0; i < 3; i++)
        {
            var key = await queue.TakeAsync(CancellationToken.None);
            taken.Add(key);
            queue.Done(key);
        }

        Assert.Equal([C, A, B], taken);
        using var nothing = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.TakeAsync(nothing.Token));
    }

    [Fact]
    public async Task A_key_added_while_processing_comes_back_once_after_done()
    {
        using var queue = new WorkQueue();
        queue.Add(A);
        var key = await queue.TakeAsync(CancellationToken.None);
        queue.Add(A, urgent: true);
        queue.Add(B);
        queue.Done(key);

        Assert.Equal(B, await queue.TakeAsync(CancellationToken.None));
        Assert.Equal(A, await queue.TakeAsync(CancellationToken.None));
        using var nothing = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.TakeAsync(nothing.Token));
    }
}
