#!/usr/bin/env bash
# The main job on the built-in example (README "On a fresh machine"): encrypt the Kubernetes Secret in
# testdata/example with the DEMO age key and the .sops.yaml there (encrypted_regex ^(data|stringData)$), show the
# encrypted file, decrypt it back and compare with the original. Uses the Native AOT CLI (artifacts/cli/secrets).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
bin=artifacts/cli/secrets
if [[ ! -x $bin ]]; then
  if command -v clang >/dev/null; then
    echo "building the AOT CLI into artifacts/cli (first run only)..." >&2
    dotnet publish cli/Secrets.Cli -c Release -r linux-x64 -o artifacts/cli -nologo -clp:ErrorsOnly >/dev/null
  else
    # Native AOT needs clang (scripts/test.sh installs it); a fresh machine without it gets the JIT build.
    bin=artifacts/example-cli/secrets
    echo "clang not found: building the (non-AOT) CLI into artifacts/example-cli..." >&2
    dotnet publish cli/Secrets.Cli -c Release -p:PublishAot=false -o artifacts/example-cli -nologo -clp:ErrorsOnly >/dev/null
  fi
fi
bin=$PWD/$bin

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd testdata/example
# .sops.yaml is found from the current folder upwards, like sops.
"$bin" encrypt secret.yaml >"$work/secret.enc.yaml"
echo "== encrypted with the demo age key (testdata/example/.sops.yaml):"
cat "$work/secret.enc.yaml"
echo "== filestatus: $("$bin" filestatus "$work/secret.enc.yaml")"
SOPS_AGE_KEY_FILE=demo-age-key.txt "$bin" decrypt --input-type yaml "$work/secret.enc.yaml" >"$work/secret.dec.yaml"
SOPS_AGE_KEY_FILE=demo-age-key.txt "$bin" decrypt --extract '["stringData"]["password"]' "$work/secret.enc.yaml" >"$work/password"
echo "== extracted stringData.password: $(cat "$work/password")"
if diff -u secret.yaml "$work/secret.dec.yaml"; then
  echo "== OK: decrypted file is identical to testdata/example/secret.yaml"
else
  echo "== FAIL: decrypted file differs from the original" >&2
  exit 1
fi
