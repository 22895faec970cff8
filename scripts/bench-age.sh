#!/usr/bin/env bash
# age encrypt/decrypt throughput of `secrets age` (Native AOT) against the reference `age`, same input, same machine.
#   scripts/bench-age.sh [MIB] [RUNS]   (default 1024 MiB as issue #2 asks, best of 3; uses artifacts/cli/secrets or
#                                        SECRETS_BIN if set)
# Runs of ours and age are interleaved (age, ours, age, ours, ...) so both see the same machine load; the best run
# of each is reported with the ratio ours/age (> 1 means we are faster for throughput, < 1 faster for wall time).
# Output goes to /dev/null (the CPU figure, age.md §14) and to a file on disk. Prints figures only: the machine is
# shared, so tests never assert on them. Tiny-file wall time uses hyperfine when installed, else best of 20.
set -euo pipefail
cd "$(dirname "$0")/.."
mib=${1:-1024}
runs=${2:-3}
bin=${SECRETS_BIN:-artifacts/cli/secrets}
if [ ! -x "$bin" ]; then
  echo "building the Native AOT CLI into artifacts/cli (set SECRETS_BIN to use another binary)" >&2
  dotnet publish cli/Secrets.Cli -c Release -r linux-x64 -o artifacts/cli -nologo -clp:ErrorsOnly >&2
fi
command -v age >/dev/null || { echo "age is not installed (apt-get install -y age)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

head -c "$((mib * 1024 * 1024))" /dev/urandom > "$work/plain"
"$bin" age keygen -o "$work/key.txt" 2>/dev/null
recipient=$("$bin" age keygen -y "$work/key.txt")
age -r "$recipient" -o "$work/ref.age" "$work/plain"
"$bin" age encrypt -r "$recipient" -o "$work/ours.age" "$work/plain"
cmp <("$bin" age decrypt -i "$work/key.txt" "$work/ref.age") "$work/plain"
cmp <(age -d -i "$work/key.txt" "$work/ours.age") "$work/plain"

min() { if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc -l)" = 1 ]; then echo "$2"; else echo "$1"; fi; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
# measure COMMAND: prints "wall cpu" (seconds; cpu = user + sys of the process and its threads).
measure() { /usr/bin/time -f '%e %U %S' -o "$work/time" bash -c "$1" >/dev/null; awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$work/time"; }

# compare TITLE AGE_COMMAND OUR_COMMAND: interleaved runs, best wall of each with its CPU time, throughput and ratio.
compare() {
  local a="" o="" ac="" oc="" i m
  for ((i = 0; i < runs; i++)); do
    m=$(measure "$2"); if [ "$(min "$a" "${m% *}")" != "$a" ]; then a=${m% *}; ac=${m#* }; fi
    m=$(measure "$3"); if [ "$(min "$o" "${m% *}")" != "$o" ]; then o=${m% *}; oc=${m#* }; fi
  done
  local amb omb
  amb=$(echo "$mib * 1048576 / $a / 1000000" | bc -l)
  omb=$(echo "$mib * 1048576 / $o / 1000000" | bc -l)
  printf '%-20s age %6.2f s %5.0f MB/s cpu %5.2f s | secrets %6.2f s %5.0f MB/s cpu %5.2f s (%3.0f%%) | ours/age %4.2fx | load %s\n' \
    "$1" "$a" "$amb" "$ac" "$o" "$omb" "$oc" "$(echo "100 * $oc / $o" | bc -l)" "$(echo "$omb / $amb" | bc -l)" "$(load)"
}

echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), load $(load)"
echo "input: $mib MiB of random bytes, one X25519 recipient, best of $runs interleaved runs; age $(age --version)"
compare "encrypt > /dev/null" "age -r $recipient $work/plain > /dev/null" "$bin age encrypt -r $recipient $work/plain > /dev/null"
compare "decrypt > /dev/null" "age -d -i $work/key.txt $work/ref.age > /dev/null" "$bin age decrypt -i $work/key.txt $work/ours.age > /dev/null"
compare "encrypt -o file" "age -r $recipient -o $work/out1.age $work/plain" "$bin age encrypt -r $recipient -o $work/out2.age $work/plain"
compare "decrypt -o file" "age -d -i $work/key.txt -o $work/out1 $work/ref.age" "$bin age decrypt -i $work/key.txt -o $work/out2 $work/ours.age"
rm -f "$work"/out*

printf hello > "$work/small"
age -r "$recipient" -o "$work/small.age" "$work/small"
echo "small file (5 bytes), whole process (target: secrets age decrypt within 1.5x of age -d), load $(load):"
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 3 --runs 40 --style basic \
    -n "age -d" "age -d -i $work/key.txt $work/small.age" \
    -n "secrets age decrypt" "$bin age decrypt -i $work/key.txt $work/small.age" \
    -n "age -e" "age -r $recipient $work/small" \
    -n "secrets age encrypt" "$bin age encrypt -r $recipient $work/small" \
    -n "secrets --version" "$bin --version" 2>&1 | grep -E '^(Benchmark|  Time|  Range|    )' || true
else
  a="" o=""
  for _ in $(seq 20); do
    a=$(min "$a" "$(measure "age -d -i $work/key.txt $work/small.age" | cut -d' ' -f1)")
    o=$(min "$o" "$(measure "$bin age decrypt -i $work/key.txt $work/small.age" | cut -d' ' -f1)")
  done
  printf 'decrypt: age %.0f ms | secrets %.0f ms | ours/age %.2fx (best wall of 20; < 1.5 is the target)\n' \
    "$(echo "$a * 1000" | bc -l)" "$(echo "$o * 1000" | bc -l)" "$(echo "$o / $a" | bc -l)"
fi
if command -v perf >/dev/null && perf stat -r 1 true >/dev/null 2>&1; then
  # CPU time and page faults hardly depend on the load, unlike wall time.
  for c in "age -d -i $work/key.txt $work/small.age" "$bin age decrypt -i $work/key.txt $work/small.age"; do
    printf '%-28s %s\n' "${c%% -i*}" "$(perf stat -r 30 $c 2>&1 >/dev/null | awk '/task-clock/ { t = $1 } /page-faults/ { f = $1 } /elapsed/ { e = $1 * 1000 } END { printf "cpu %.1f ms, %s page faults, wall %.1f ms (mean of 30)", t, f, e }')"
  done
fi
echo "load after: $(load)"
