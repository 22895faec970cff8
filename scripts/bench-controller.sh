#!/usr/bin/env bash
# Controller benchmarks (issue 6 item 11): cold unsealing of N SealedSecrets as values/s next to `openssl speed rsa4096`
# measured in the same run, create-to-Secret latency p50/p99, and a restart with N synced SealedSecrets plus 3N unrelated
# Secrets (time to all-synced, peak RSS of the controller process). The controller runs as its own process against the
# loopback FakeKubeApiServer. Prints figures with the load average; nothing is asserted on time.
#   scripts/bench-controller.sh [N=10000] [KEY_SIZE=4096] [CONCURRENCY=4]
set -euo pipefail
cd "$(dirname "$0")/.."
export SECRETS_CONTROLLER_BENCH="${1:-10000}"
export SECRETS_CONTROLLER_BENCH_KEY_SIZE="${2:-4096}"
export SECRETS_CONTROLLER_BENCH_CONCURRENCY="${3:-4}"
echo "nproc $(nproc); load average $(cut -d' ' -f1-3 /proc/loadavg)"
if command -v openssl >/dev/null; then
  echo "openssl speed rsa${SECRETS_CONTROLLER_BENCH_KEY_SIZE} (private ops = sign/s; -multi $(nproc) is the machine's RSA limit):"
  openssl speed -seconds 3 -multi "$(nproc)" "rsa${SECRETS_CONTROLLER_BENCH_KEY_SIZE}" 2>/dev/null | grep -E "sign/s|^rsa" || true
fi
dotnet build controller/Secrets.Controller -c Release -v q >/dev/null
dotnet test tests/Secrets.Controller.Tests -c Release --filter "FullyQualifiedName~ControllerBenchmark" \
  --logger "console;verbosity=detailed" 2>&1 | grep -E "setup:|cold:|latency|restart:|Passed!|Failed!|error" || true
echo "load average after $(cut -d' ' -f1-3 /proc/loadavg)"
