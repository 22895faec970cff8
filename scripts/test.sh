#!/usr/bin/env bash
# Runs every test on a fresh machine: installs the real peers the interop tests use (age, gnupg, node packages)
# and the Native AOT toolchain, checks formatting, builds with warnings as errors, publishes the AOT CLI
# (failing on any trim/AOT warning), runs all test projects and ends with the line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Tests only ever talk to loopback fakes: never let an SDK probe cloud metadata endpoints.
export AWS_EC2_METADATA_DISABLED=true

step() { printf '\n==> %s\n' "$*"; }

step "installing peers and toolchain"
missing=()
command -v age >/dev/null || missing+=(age)
command -v gpg >/dev/null || missing+=(gnupg)
command -v clang >/dev/null || missing+=(clang)
command -v script >/dev/null || missing+=(bsdutils)
command -v ssh-keygen >/dev/null || missing+=(openssh-client)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
dpkg -s zlib1g-dev >/dev/null 2>&1 || missing+=(zlib1g-dev)
dpkg -s libssl-dev >/dev/null 2>&1 && command -v cmake >/dev/null || missing+=(libssl-dev cmake make)  # static OpenSSL in the CLI
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
(cd tests/peers && npm ci --no-audit --no-fund --loglevel=error)

step "checking formatting"
dotnet format whitespace Secrets.sln --verify-no-changes

step "building (warnings are errors)"
dotnet build Secrets.sln -c Release -nologo -clp:ErrorsOnly

# Publishes PROJECT as Native AOT into OUT; any trim/AOT warning fails the run.
publish_aot() {
  local project=$1 out=$2 log
  log=$(mktemp)
  if ! dotnet publish "$project" -c Release -r linux-x64 -o "$out" -nologo >"$log" 2>&1; then
    cat "$log"; rm -f "$log"; exit 1
  fi
  if grep -E 'warning (IL|AOT)[0-9]+' "$log"; then
    echo "error: the AOT publish of $project produced trim/AOT warnings"; rm -f "$log"; exit 1
  fi
  rm -f "$log"
}

step "publishing the CLI and the controller as Native AOT (no trim/AOT warnings allowed)"
publish_aot cli/Secrets.Cli artifacts/cli
artifacts/cli/secrets --version
# The same command the Dockerfile uses for the controller image (docs/controller.md "Native AOT").
publish_aot controller/Secrets.Controller artifacts/controller
export SECRETS_AOT_BINARY="$root/artifacts/cli/secrets"

step "running tests"
results="$root/artifacts/test-results"
rm -rf "$results"
set +e
dotnet test Secrets.sln -c Release --no-build --logger "trx" --results-directory "$results" \
  --blame-hang-timeout 10m -- RunConfiguration.CollectSourceInformation=false
test_status=$?
set -e

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  total=$(get total); executed=$(get executed); p=$(get passed); f=$(get failed)
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + total - executed))
done
if [ "$test_status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
