#!/usr/bin/env bash
# sops engine benchmark with the AOT CLI and the demo age key (issue #3 item 7, docs/sops.md "Benchmark"):
#  1. encrypt and decrypt a generated YAML with KEYS leaf values (default 100,000): wall, user+sys CPU, values/s,
#     peak RSS (/usr/bin/time -v) and RSS relative to the file sizes (target: >= 100k values/s, RSS <= 4x file);
#  2. a JSON object with 50,000 members each way (target: about a second; sops' JSON writer is quadratic);
#  3. `secrets decrypt` of the small example Secret (testdata/example) with hyperfine -N (target: <= 15 ms wall),
#     next to `secrets --version` (bare process start-up), then strace/perf counts that do not depend on the load.
# Usage: scripts/bench-sops.sh [KEYS] [RUNS]. Set REBUILD=1 to publish the CLI again first.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
keys=${1:-100000}
runs=${2:-3}
bin=$PWD/artifacts/cli/secrets
if [[ ! -x $bin || ${REBUILD:-0} == 1 ]]; then
  dotnet publish cli/Secrets.Cli -c Release -r linux-x64 -o artifacts/cli -nologo -clp:ErrorsOnly >/dev/null
fi
for tool in hyperfine jq; do command -v "$tool" >/dev/null || { echo "bench-sops: $tool is required" >&2; exit 1; }; done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
key=$PWD/testdata/example/demo-age-key.txt
recipient=$(grep -o 'age1[0-9a-z]*' "$key" | head -1)
export SOPS_AGE_KEY_FILE=$key
echo "machine: $(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# One measured run: prints "wall user sys maxrss_kb" for COMMAND with stdout to OUT.
measure() {
  local out=$1
  shift
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" >"$out"
  cat "$work/time"
}

# Best-of-RUNS (by wall) of encrypt and decrypt of FILE with N values; checks the round trip.
round_trip() {
  local label=$1 file=$2 n=$3 ext=$4
  local plain_size enc_size
  plain_size=$(stat -c %s "$file")
  for direction in encrypt decrypt; do
    local best="" line
    for ((r = 0; r < runs; r++)); do
      if [[ $direction == encrypt ]]; then
        line=$(measure "$work/enc.$ext" "$bin" encrypt --age "$recipient" "$file")
      else
        line=$(measure "$work/dec.$ext" "$bin" decrypt "$work/enc.$ext")
      fi
      if [[ -z $best ]] || awk -v a="${line%% *}" -v b="${best%% *}" 'BEGIN { exit !(a < b) }'; then best=$line; fi
    done
    enc_size=$(stat -c %s "$work/enc.$ext")
    read -r wall user sys rss <<<"$best"
    awk -v l="$label" -v d="$direction" -v n="$n" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v p="$plain_size" -v e="$enc_size" 'BEGIN {
      w = (w < 0.005 ? 0.005 : w); c = u + s; c = (c < 0.005 ? 0.005 : c)
      printf "%-12s %-8s %8.3f s wall %8.3f s cpu (user %.2f sys %.2f)  %9.0f values/s wall %9.0f values/s cpu  peak RSS %6.1f MB = %.2fx plain (%.1f MB), %.2fx encrypted (%.1f MB)\n",
        l, d, w, c, u, s, n / w, n / c, r / 1024, r * 1024 / p, p / 1048576, r * 1024 / e, e / 1048576
    }'
  done
  cmp -s "$file" "$work/dec.$ext" || { echo "bench-sops: $label round trip differs" >&2; exit 1; }
}

echo "== $keys-value YAML (best of $runs runs each; targets: >= 100000 values/s each way, peak RSS <= 4x the file)"
awk -v n="$keys" 'BEGIN { print "group:"; for (i = 0; i < n; i++) printf "    key%06d: value number %d with some text\n", i, i }' >"$work/big.yaml"
round_trip "yaml-$keys" "$work/big.yaml" "$keys" yaml

echo "== JSON object with 50000 members (target: about a second each way)"
awk 'BEGIN { print "{"; for (i = 0; i < 50000; i++) printf "\t\"member%05d\": \"value %d\"%s\n", i, i, (i < 49999 ? "," : ""); print "}" }' >"$work/members.json"
round_trip "json-50000" "$work/members.json" 50000 json

echo "== small Secret (testdata/example/secret.yaml, demo key; target: decrypt <= 15 ms wall)"
(cd testdata/example && "$bin" encrypt secret.yaml) >"$work/secret.enc.yaml"
hyperfine -N --warmup 5 --runs 60 --export-json "$work/small.json" \
  "$bin --version" "$bin decrypt $work/secret.enc.yaml" >/dev/null
jq -r '.results[] | "\(.command | sub(".*/secrets"; "secrets") | sub(" /.*/"; " ")): mean \(.mean * 1000 | . * 10 | round / 10) ms  min \(.min * 1000 | . * 10 | round / 10) ms  median \(.median * 1000 | . * 10 | round / 10) ms  user \(.user * 1000 | . * 10 | round / 10) ms  sys \(.system * 1000 | . * 10 | round / 10) ms"' "$work/small.json"
measure /dev/null "$bin" decrypt "$work/secret.enc.yaml" | awk '{ printf "small decrypt peak RSS %.1f MB\n", $4 / 1024 }'
# Load-independent counts: threads started and thread hand-offs (a small decrypt should start only the runtime's
# finalizer and signal threads, and neither spin nor wait on another thread).
if command -v strace >/dev/null; then
  strace -f -c -o "$work/strace" "$bin" decrypt "$work/secret.enc.yaml" >/dev/null
  awk '$NF ~ /^(clone3|clone|sched_yield|futex|total)$/ { printf "%s %s  ", $NF, $4 } END { print "(strace -f -c of the small decrypt: syscalls)" }' "$work/strace"
fi
if command -v perf >/dev/null; then
  perf stat -x, -r 30 -e task-clock,page-faults,context-switches "$bin" decrypt "$work/secret.enc.yaml" 2>&1 >/dev/null \
    | awk -F, '{ v[NR] = $1 } END { printf "small decrypt (perf stat -r 30): task-clock %.2f ms, %d page faults, %d context switches\n", v[1], v[2], v[3] }'
fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
