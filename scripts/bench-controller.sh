#!/usr/bin/env bash
# Controller throughput: time to ready at startup and reconciles/s with N SealedSecrets, through the loopback
# FakeKubeApiServer and the real KubernetesClient. Prints figures; nothing is asserted on time.
#   scripts/bench-controller.sh [N=200] [KEY_SIZE=4096] [CONCURRENCY=2]
set -euo pipefail
cd "$(dirname "$0")/.."
export SECRETS_CONTROLLER_BENCH="${1:-200}"
export SECRETS_CONTROLLER_BENCH_KEY_SIZE="${2:-4096}"
export SECRETS_CONTROLLER_BENCH_CONCURRENCY="${3:-2}"
dotnet test tests/Secrets.Controller.Tests -c Release --filter "FullyQualifiedName~ControllerBenchmark" \
  --logger "console;verbosity=detailed" 2>&1 | grep -E "SealedSecrets:|host started|time to ready|spec updates|Passed!|Failed!|error"
