#!/usr/bin/env bash
# Controller benchmarks (issue 6 item 11), one run printing everything needed to judge the targets:
#  - cold unsealing of COLD SealedSecrets as values/s (wall and per CPU-second) next to `openssl speed rsa<KEY_SIZE>`
#    measured in the same run (-multi nproc is the machine's RSA limit);
#  - create-to-Secret latency p50/p99 on the warm controller;
#  - a restart with N synced SealedSecrets plus 3N unrelated Secrets: time to all-synced, RSA operations (must be 0),
#    controller CPU time and peak RSS, with a timeline of the start-up milestones. SealedSecrets beyond the cold phase are
#    seeded directly in the synced state the controller writes (Secret with its unseal stamp, Synced status).
# The controller runs as its own process, published as the Dockerfile publishes it (Native AOT), against the loopback
# FakeKubeApiServer. Nothing is asserted on time.
#   scripts/bench-controller.sh [N=10000] [KEY_SIZE=4096] [CONCURRENCY=4] [COLD=min(N,1000)]
set -euo pipefail
cd "$(dirname "$0")/.."
export SECRETS_CONTROLLER_BENCH="${1:-10000}"
export SECRETS_CONTROLLER_BENCH_KEY_SIZE="${2:-4096}"
export SECRETS_CONTROLLER_BENCH_CONCURRENCY="${3:-4}"
export SECRETS_CONTROLLER_BENCH_COLD="${4:-$(( SECRETS_CONTROLLER_BENCH < 1000 ? SECRETS_CONTROLLER_BENCH : 1000 ))}"
echo "nproc $(nproc); load average $(cut -d' ' -f1-3 /proc/loadavg)"
if command -v openssl >/dev/null; then
  echo "openssl speed rsa${SECRETS_CONTROLLER_BENCH_KEY_SIZE} (private ops = sign/s; -multi $(nproc) is the machine's RSA limit):"
  openssl speed -seconds 3 -multi "$(nproc)" "rsa${SECRETS_CONTROLLER_BENCH_KEY_SIZE}" 2>/dev/null | grep -E "sign/s|^rsa" || true
fi
# The Dockerfile's publish command (Native AOT comes from the csproj when a runtime identifier is given).
dotnet publish controller/Secrets.Controller -c Release -r linux-x64 -o artifacts/bench-controller -nologo -clp:ErrorsOnly >/dev/null
export SECRETS_CONTROLLER_BENCH_DLL="$PWD/artifacts/bench-controller/secrets-controller"
dotnet build tests/Secrets.Controller.Tests -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet test tests/Secrets.Controller.Tests -c Release --no-build --filter "FullyQualifiedName~ControllerBenchmark" \
  --logger "console;verbosity=detailed" 2>&1 | grep -E "setup:|cold:|latency|restart|hold|Passed!|Failed!|error|Exception" || true
echo "load average after $(cut -d' ' -f1-3 /proc/loadavg)"
