#!/usr/bin/env bash
# The main job on the built-in example in testdata/example: builds the CLI and runs it on the example.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build cli/Secrets.Cli -c Release -nologo -clp:ErrorsOnly -o artifacts/example-cli >/dev/null
secrets() { dotnet artifacts/example-cli/secrets.dll "$@"; }
secrets --version
