#!/usr/bin/env bash
# Encrypt/decrypt throughput of the AOT CLI on a large YAML file (default 10,000 keys), with an age key.
# Usage: scripts/bench-sops.sh [KEYS]. Prints wall time and values per second for each direction.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
keys=${1:-10000}
bin=artifacts/cli/secrets
if [[ ! -x $bin ]]; then
  dotnet publish cli/Secrets.Cli -c Release -r linux-x64 -o artifacts/cli -nologo -clp:ErrorsOnly >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
recipient=$(grep -o 'age1[0-9a-z]*' testdata/example/demo-age-key.txt | head -1)
awk -v n="$keys" 'BEGIN { print "group:"; for (i = 0; i < n; i++) printf "    key%05d: value number %d with some text\n", i, i }' >"$work/big.yaml"
now() { date +%s.%N; }
t0=$(now)
"$bin" encrypt --age "$recipient" "$work/big.yaml" >"$work/big.enc.yaml"
t1=$(now)
SOPS_AGE_KEY_FILE=testdata/example/demo-age-key.txt "$bin" decrypt "$work/big.enc.yaml" >"$work/big.dec.yaml"
t2=$(now)
cmp -s "$work/big.yaml" "$work/big.dec.yaml" || { echo "round trip differs" >&2; exit 1; }
awk -v n="$keys" -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {
  printf "values: %d (%s bytes plaintext)\n", n, "'"$(stat -c %s "$work/big.yaml")"'"
  printf "encrypt: %.3f s  %.0f values/s\n", b - a, n / (b - a)
  printf "decrypt: %.3f s  %.0f values/s\n", c - b, n / (c - b)
}'
