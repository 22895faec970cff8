#!/usr/bin/env bash
# Seal/unseal throughput of `secrets` against the machine's RSA-4096 private-operation rate, measured in the same run.
#   scripts/bench-seal.sh [VALUES]        (default 1000 values; uses artifacts/cli/secrets or SECRETS_BIN if set)
# Unsealing is bound by one RSA-4096 private operation per value (sealed-secrets.md §1.5), so its ceiling is what
# `openssl speed rsa4096` reports as sign/s (single process) — and sign/s × cores with `-multi`. openssl divides by
# its CPU time, so the unseal runs are also given per CPU-second (user+sys from /usr/bin/time), the comparison that
# holds on a loaded machine; the wall-time ratio against -multi is only meaningful when the load average is low.
# Prints figures only; the numbers depend on the (shared) machine, so never assert on them in tests.
set -euo pipefail
cd "$(dirname "$0")/.."
values=${1:-1000}
bin=${SECRETS_BIN:-artifacts/cli/secrets}
if [ ! -x "$bin" ]; then
  echo "building the Native AOT CLI into artifacts/cli (set SECRETS_BIN to use another binary)" >&2
  dotnet publish cli/Secrets.Cli -c Release -r linux-x64 -o artifacts/cli -nologo -clp:ErrorsOnly >&2
fi
cores=$(nproc)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# openssl speed prints a header with "sign/s" and a row "rsa 4096 bits …"; take the sign/s column.
sign_rate() {
  openssl speed "$@" rsa4096 2>/dev/null | awk '
    /sign\/s/ { for (i = 1; i <= NF; i++) if ($i == "sign/s") col = i }
    /^rsa 4096 bits/ { sub(/^rsa 4096 bits */, ""); split($0, v, / +/); print v[col] }' | tail -1
}
echo "load: $(uptime)"
echo "machine: $cores cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), shared with other jobs"
single=$(sign_rate -seconds 3)
multi=$(sign_rate -seconds 3 -multi "$cores")
echo "openssl speed rsa4096: ${single} sign/s (1 process), ${multi} sign/s (-multi $cores)"

openssl req -x509 -newkey rsa:4096 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -subj / -days 30 2>/dev/null
{
  printf 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: bench\n  namespace: bench\nstringData:\n'
  for i in $(seq 1 "$values"); do printf '  key%05d: value-%d-%s\n' "$i" "$i" "$(head -c 24 /dev/urandom | base64)"; done
} > "$work/secret.yaml"

best() { sort -n | head -1; }
now() { date +%s.%N; }
seal_times=(); unseal_times=(); unseal_cpus=()
for run in 1 2 3; do
  t0=$(now); "$bin" seal --cert "$work/cert.pem" -f "$work/secret.yaml" -o yaml -w "$work/sealed.yaml"; t1=$(now)
  /usr/bin/time -f '%U %S' -o "$work/cpu" "$bin" unseal -k "$work/key.pem" -f "$work/sealed.yaml" -w "$work/plain.json"; t2=$(now)
  seal_times+=("$(echo "$t1 - $t0" | bc -l)"); unseal_times+=("$(echo "$t2 - $t1" | bc -l)")
  unseal_cpus+=("$(awk '{ print $1 + $2 }' "$work/cpu")")
done
grep -c '"key' "$work/plain.json" >/dev/null
seal_s=$(printf '%s\n' "${seal_times[@]}" | best)
unseal_s=$(printf '%s\n' "${unseal_times[@]}" | best)
seal_rate=$(echo "$values / $seal_s" | bc -l)
unseal_rate=$(echo "$values / $unseal_s" | bc -l)
unseal_cpu=$(printf '%s\n' "${unseal_cpus[@]}" | best)
unseal_cpu_rate=$(echo "$values / $unseal_cpu" | bc -l)
printf 'seal:   %d values in %.3f s (best of 3, whole CLI run) = %.0f values/s\n' "$values" "$seal_s" "$seal_rate"
printf 'unseal: %d values in %.3f s (best of 3, whole CLI run) = %.0f values/s\n' "$values" "$unseal_s" "$unseal_rate"
printf 'unseal / openssl single-process sign/s = %.2f (target >= 0.80)\n' "$(echo "$unseal_rate / $single" | bc -l)"
printf 'unseal / openssl -multi %d sign/s     = %.2f (wall; meaningful when the load average is low)\n' "$cores" "$(echo "$unseal_rate / $multi" | bc -l)"
printf 'unseal CPU: %.3f s user+sys (best of 3) = %.0f values per CPU-second = %.2f x openssl single-process sign/s\n' \
  "$unseal_cpu" "$unseal_cpu_rate" "$(echo "$unseal_cpu_rate / $single" | bc -l)"
echo "load: $(uptime)"
