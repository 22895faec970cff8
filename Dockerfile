# Multi-stage build of the controller image, with the `secrets` CLI included.
# The publish commands are the ones scripts/test.sh runs in CI (Docker cannot run there; that step proves them).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update && apt-get install -y --no-install-recommends clang zlib1g-dev libssl-dev cmake make && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN dotnet publish cli/Secrets.Cli -c Release -r linux-x64 -o /out/cli \
 && dotnet publish controller/Secrets.Controller -c Release -r linux-x64 -o /out/controller

# Both binaries are Native AOT (docs/controller.md "Native AOT"): no .NET runtime in the image, only its native dependencies.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0 AS final
COPY --from=build /out/controller/secrets-controller /app/secrets-controller
COPY --from=build /out/cli/secrets /usr/local/bin/secrets
# Non-root (distroless "nonroot" uid); the Deployment also runs with a read-only root filesystem.
USER 65532:65532
# Workstation GC (compiled into the image too, as the 4 MiB gen0 budget: docs/controller.md "Memory").
ENV ASPNETCORE_URLS=http://+:8080 DOTNET_gcServer=0
EXPOSE 8080
ENTRYPOINT ["/app/secrets-controller"]
