#!/usr/bin/env bash
# Wall time of `updatekeys` and `rotate` over 200 sops files whose data keys are wrapped by a Vault transit key behind the
# loopback fake, with 20 ms added to every transit call: -j 1 (sequential, like sops) against -j 8 and -j 32 (issue #3
# item 6). The CLI runs in process (JIT), so the figures show the effect of the bound, not start-up. Figures only.
#   scripts/bench-sops-multifile.sh
set -euo pipefail
cd "$(dirname "$0")/.."
uptime
SECRETS_BENCH=1 dotnet test tests/Secrets.Cli.Tests -c Release -nologo \
  --filter "FullyQualifiedName~SopsMultiFileTests.Benchmark" --logger "console;verbosity=detailed" 2>&1 \
  | grep -E "files, 20 ms|Passed!|Failed" | sed 's/^ *//'
