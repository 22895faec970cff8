// The controller host. Reconcilers arrive with the controller issue; for now it serves its probes so the
// image, the Deployment and the Dockerfile can be built and started.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Logging.AddJsonConsole();
var app = builder.Build();
app.MapGet("/healthz", () => Results.Text("ok"));
app.MapGet("/readyz", () => Results.Text("ok"));
await app.RunAsync().ConfigureAwait(false);
