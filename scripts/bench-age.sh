#!/usr/bin/env bash
# age encrypt/decrypt throughput of `secrets age` (Native AOT) against the reference `age`, same input, same machine.
#   scripts/bench-age.sh [MIB]        (default 256 MiB; uses artifacts/cli/secrets or SECRETS_BIN if set)
# Output goes to /dev/null (the CPU figure, age.md §14) and to a file on disk; best of 3 runs each. Prints figures
# only: the machine is shared, so tests never assert on them.
set -euo pipefail
cd "$(dirname "$0")/.."
mib=${1:-256}
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

now() { date +%s.%N; }
# best TIME of 3 runs of a command line (eval'd)
best() {
  local best_s=""
  for _ in 1 2 3; do
    local t0 t1 s
    t0=$(now); eval "$1" >/dev/null; t1=$(now)
    s=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best_s" ] || [ "$(echo "$s < $best_s" | bc -l)" = 1 ]; then best_s=$s; fi
  done
  echo "$best_s"
}
row() { printf '%-34s %8.3f s %9.0f MB/s\n' "$1" "$2" "$(echo "$mib * 1048576 / $2 / 1000000" | bc -l)"; }

echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), shared with other jobs"
echo "input: $mib MiB of random bytes, one X25519 recipient, best of 3; age $(age --version)"
row "age encrypt > /dev/null" "$(best "age -r $recipient $work/plain > /dev/null")"
row "secrets age encrypt > /dev/null" "$(best "$bin age encrypt -r $recipient $work/plain > /dev/null")"
row "age decrypt > /dev/null" "$(best "age -d -i $work/key.txt $work/ref.age > /dev/null")"
row "secrets age decrypt > /dev/null" "$(best "$bin age decrypt -i $work/key.txt $work/ours.age > /dev/null")"
row "age encrypt -o file" "$(best "age -r $recipient -o $work/out1.age $work/plain")"
row "secrets age encrypt -o file" "$(best "$bin age encrypt -r $recipient -o $work/out2.age $work/plain")"
row "age decrypt -o file" "$(best "age -d -i $work/key.txt -o $work/out1 $work/ref.age")"
row "secrets age decrypt -o file" "$(best "$bin age decrypt -i $work/key.txt -o $work/out2 $work/ours.age")"
echo "small file (5 bytes), best of 3, whole process:"
printf hello > "$work/small"
ms() { printf '%-34s %8.1f ms\n' "$1" "$(echo "$2 * 1000" | bc -l)"; }
ms "age encrypt (startup)" "$(best "age -r $recipient $work/small > /dev/null")"
ms "secrets age encrypt (startup)" "$(best "$bin age encrypt -r $recipient $work/small > /dev/null")"
