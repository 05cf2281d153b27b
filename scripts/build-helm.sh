#!/usr/bin/env bash
# Builds the helm CLI from Go modules (like build-control-plane.sh does for kube-apiserver) and
# caches it outside the checkout, keyed by version. Only the first run on a machine builds.
# Used by the tests of deploy/helm/ (`helm template` rendered and applied to the real control plane).
#
# Usage: scripts/build-helm.sh        build if missing, print HELM=<path> and HELM_VERSION=<version>
# Env:   CDO_HELM_VERSION (default below), CDO_CACHE_DIR
set -euo pipefail

HELM_VERSION="${CDO_HELM_VERSION:-v4.3.1}"   # newest helm release on the module proxy
CACHE_DIR="${CDO_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cloud-data-operator}"

log() { printf '[helm] %s\n' "$*" >&2; }

if ! command -v go >/dev/null 2>&1; then
  echo "[helm] Go is not installed; it is needed once to build helm (Go 1.26 or newer)." >&2
  exit 3
fi

export GOFLAGS="-buildvcs=false -mod=mod"
export CGO_ENABLED=0

major="${HELM_VERSION%%.*}"               # v3 or v4: the module path carries the major version
module="helm.sh/helm/$major"
dir="$CACHE_DIR/helm-$HELM_VERSION"

build() {
  local work
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' RETURN
  log "building helm $HELM_VERSION from Go modules (first run only, ~2-4 min)"
  cd "$work"
  # A private build cache: the shared one may be trimmed or cleaned by another build meanwhile
  # (seen here as "could not import fmt … no such file"), and this build runs once per machine.
  export GOCACHE="$work/gocache"
  go mod init cdo.local/helm-build >/dev/null 2>&1
  go get -tool "$module/cmd/helm@$HELM_VERSION"
  mkdir -p "$dir.tmp"
  go build -trimpath -ldflags "-s -w -X $module/internal/version.version=$HELM_VERSION" \
    -o "$dir.tmp/helm" "$module/cmd/helm"
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
}

mkdir -p "$CACHE_DIR"
exec 9>"$CACHE_DIR/.helm-build.lock"
flock 9
[ -x "$dir/helm" ] || (build)

printf 'HELM=%s\nHELM_VERSION=%s\n' "$dir/helm" "$HELM_VERSION"
