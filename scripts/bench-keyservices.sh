#!/usr/bin/env bash
# Wrap/unwrap ops/s of the cloud key sources (AWS KMS, Azure Key Vault, Vault transit) against their loopback fakes,
# through the real SDKs: sequential and 8 concurrent callers. Prints figures only (shared machine: never assert them).
#   scripts/bench-keyservices.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SECRETS_BENCH=1 dotnet test tests/Secrets.KeyServices.Tests -c Release -nologo \
  --filter "FullyQualifiedName~KeyServiceBenchmarks" --logger "console;verbosity=detailed" 2>&1 \
  | grep -E "ops/s|Passed!|Failed" | sed 's/^ *//'
