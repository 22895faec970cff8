using System.Runtime.InteropServices;
using Secrets.Cli;

using var cancellation = new CancellationTokenSource();

// Ctrl-C cancels the running command, which then cleans up (no half-written -o file). A signal registration rather
// than Console.CancelKeyPress, which initializes the whole terminal layer (terminfo) at start-up.
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal =>
{
    signal.Cancel = true;
    cancellation.Cancel();
});

return await Cli.RunAsync(args, CliContext.FromProcess(), cancellation.Token).ConfigureAwait(false);
