using Secrets.Controller.Framework;
using Secrets.Controller.Hosting;
using Secrets.Core;

// Composition root: flags and environment → options → host (docs/controller.md).
ControllerJsonContext.InstallForNativeAot();
ControllerOptions options;
try
{
    options = OptionsParser.Parse(args, Environment.GetEnvironmentVariable);
}
catch (SecretsException e)
{
    await Console.Error.WriteLineAsync($"secrets-controller: error: {e.Message}").ConfigureAwait(false);
    return 2;
}

var app = ControllerHost.Build(options, builder => { SealedSecretsFeature.Add(builder); SopsSecretsFeature.Add(builder); }, SealedSecretsFeature.Map);
await app.RunAsync().ConfigureAwait(false);
return 0;
