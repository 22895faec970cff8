using System.Threading.Channels;

namespace Secrets.Age.Payload;

/// <summary>
/// The three stages of payload processing, overlapped: the caller reads batch n+1 while the thread pool seals or
/// opens batches n-k..n (each on its own core) and a consumer writes their results strictly in order. At most
/// <see cref="Window"/> batches wait between the stages, which bounds memory whatever the file size.
/// </summary>
internal sealed class BatchPipeline<TResult> : IAsyncDisposable
{
    // Enough batches in flight to keep every core busy while one is read and one is written.
    public static readonly int Window = Math.Clamp(Environment.ProcessorCount, 2, 8) + 1;

    private readonly Channel<Task<TResult>> _queue = Channel.CreateBounded<Task<TResult>>(
        new BoundedChannelOptions(Window) { SingleReader = true, SingleWriter = true });

    private readonly CancellationTokenSource _stop;
    private readonly Task _consumer;

    /// <param name="consume">Handles results in order; returns false once the stream is complete.</param>
    /// <param name="cancellationToken">Stops every stage.</param>
    public BatchPipeline(Func<TResult, CancellationToken, ValueTask<bool>> consume, CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _consumer = ConsumeAsync(consume);
    }

    /// <summary>Starts <paramref name="work"/> on the thread pool; false when the consumer has stopped (done or failed).</summary>
    public async ValueTask<bool> PostAsync(Func<TResult> work)
    {
        if (_consumer.IsCompleted)
        {
            return false;
        }

        var task = Task.Run(work, _stop.Token);
        try
        {
            await _queue.Writer.WriteAsync(task, _stop.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (_consumer.IsCompleted)
        {
            await Settle(task).ConfigureAwait(false);
            return false;
        }
        catch (ChannelClosedException)
        {
            await Settle(task).ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>No more batches: waits for the consumer and surfaces its failure, if any.</summary>
    public Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        return _consumer;
    }

    public async ValueTask DisposeAsync()
    {
        // Work still queued uses the stream's buffers and ciphers: it must finish before they are released.
        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await Settle(_consumer).ConfigureAwait(false);
        while (_queue.Reader.TryRead(out var task))
        {
            await Settle(task).ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private static async Task Settle(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Already reported through the consumer, or the pipeline is being torn down after a failure.
        }
    }

    private async Task ConsumeAsync(Func<TResult, CancellationToken, ValueTask<bool>> consume)
    {
        await Task.Yield();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                while (_queue.Reader.TryRead(out var task))
                {
                    if (!await consume(await task.ConfigureAwait(false), _stop.Token).ConfigureAwait(false))
                    {
                        return;
                    }
                }
            }
        }
        finally
        {
            // Unblocks a producer waiting for room in the queue.
            _queue.Writer.TryComplete();
        }
    }
}
