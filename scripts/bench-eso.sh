#!/usr/bin/env bash
# ExternalSecrets benchmarks (issue 8 items 6-7).
# 1. The controller as its own process (Native AOT, --enable-external-secrets, default settings) against the loopback FakeKubeApiServer
#    with N ExternalSecrets reading a FakeVault KV v2 that delays every KV request by LATENCY_MS: time to the first full
#    sync, time-to-Ready of a new ExternalSecret created halfway through that sync and after it, Vault requests per
#    ExternalSecret, peak RSS (VmHWM) and CPU time of the controller. Targets: new ExternalSecret Ready within 15 s while
#    10k others exist; peak RSS <= 150 MB at 10k.
# 2. Pure sync throughput in-process with the fake provider (extract + data + template), single task and one per core.
# Prints figures with the load average; nothing is asserted on time.
#   scripts/bench-eso.sh [COUNTS=1000,10000] [CONCURRENCY=4] [LATENCY_MS=20] [SYNC_COUNT=20000]
set -euo pipefail
cd "$(dirname "$0")/.."
export SECRETS_ESO_BENCH="${1:-1000,10000}"
export SECRETS_ESO_BENCH_CONCURRENCY="${2:-4}"
export SECRETS_ESO_BENCH_LATENCY_MS="${3:-20}"
echo "nproc $(nproc); load average $(cut -d' ' -f1-3 /proc/loadavg)"
# The Dockerfile's publish command (Native AOT), as scripts/bench-controller.sh.
dotnet publish controller/Secrets.Controller -c Release -r linux-x64 -o artifacts/bench-controller -nologo -clp:ErrorsOnly >/dev/null
export SECRETS_CONTROLLER_BENCH_DLL="$PWD/artifacts/bench-controller/secrets-controller"
dotnet test tests/Secrets.Controller.Tests -c Release --filter "FullyQualifiedName~ExternalSecretsBenchmark" \
  --logger "console;verbosity=detailed" 2>&1 | grep -E "setup|first full sync|new ExternalSecret|controller N=|Passed!|Failed!|error|Exception" || true
echo "in-process sync throughput (fake provider):"
dotnet run --project bench/Secrets.ExternalSecrets.Bench -c Release -- "${4:-20000}"
echo "load average after $(cut -d' ' -f1-3 /proc/loadavg)"
