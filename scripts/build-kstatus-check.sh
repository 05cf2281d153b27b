#!/usr/bin/env bash
# Builds test/gitops/kstatus (a tiny Go program around sigs.k8s.io/cli-utils/pkg/kstatus/status,
# the status library Flux's health checks come from) and caches the binary outside the checkout,
# keyed by the cli-utils version in its go.mod. Only the first run on a machine builds.
#
# Usage: scripts/build-kstatus-check.sh     build if missing, print the binary's path
# Env:   CDO_CACHE_DIR (default ~/.cache/cloud-data-operator)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/test/gitops/kstatus"
CACHE_DIR="${CDO_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cloud-data-operator}"

log() { printf '[kstatus-check] %s\n' "$*" >&2; }

if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<MSG
[kstatus-check] Go is not installed, and it is needed once to build the kstatus checker
[kstatus-check] (test/gitops/kstatus). Install Go 1.26 or newer (Debian: 'apt-get install golang-go'
[kstatus-check] if recent enough, or the official tarball from go.dev/dl), put 'go' on PATH, run again.
MSG
  exit 3
fi

version="$(awk '$1 == "sigs.k8s.io/cli-utils" { print $2; exit }' "$src/go.mod")"
if [ -z "$version" ]; then
  log "cannot find the sigs.k8s.io/cli-utils requirement in $src/go.mod"
  exit 2
fi

export GOFLAGS="-buildvcs=false -mod=mod"
export CGO_ENABLED=0

dir="$CACHE_DIR/kstatus-$version"
bin="$dir/kstatus-check"
# The directory is keyed by the library version; a stamp of the program's sources catches an edit.
stamp="$(cat "$src/main.go" "$src/go.mod" "$src/go.sum" | sha256sum | cut -d' ' -f1)"

# A lock keeps concurrent callers (parallel test files) from building twice.
mkdir -p "$CACHE_DIR"
exec 9>"$CACHE_DIR/.kstatus-build.lock"
flock 9
if [ ! -x "$bin" ] || [ "$(cat "$dir/.source-sha256" 2>/dev/null)" != "$stamp" ]; then
  log "building kstatus-check with sigs.k8s.io/cli-utils $version (first run only, about a minute)"
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
  (cd "$src" && go build -trimpath -ldflags "-s -w" -o "$dir.tmp/kstatus-check" .)
  printf '%s\n' "$stamp" >"$dir.tmp/.source-sha256"
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
fi
printf '%s\n' "$bin"
