#!/usr/bin/env bash
# ExternalSecret sync throughput with the fake provider (pure sync logic: fetch, key handling, template, hash, status).
#   scripts/bench-eso.sh [COUNT]     (default 20000 ExternalSecrets)
# Prints figures only; they depend on the (shared) machine, so never assert on them in tests.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run --project bench/Secrets.ExternalSecrets.Bench -c Release -- "${1:-20000}"
