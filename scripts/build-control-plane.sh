#!/usr/bin/env bash
# Builds the local control plane binaries (kube-apiserver, kube-controller-manager, kubectl, etcd)
# from Go modules and caches them outside the checkout, keyed by version. Only the first run on a
# machine builds; a cache that lacks one binary (e.g. made before kube-controller-manager was
# added) gets that binary alone.
#
# Why from source: no Docker engine runs on our machines (so no kind) and only package registries
# are reachable (so no dl.k8s.io tarballs). The Go module proxy is reachable, and k8s.io/kubernetes
# builds from it once its ./staging replace block is pointed at the published v0.Y.Z modules.
#
# Usage: scripts/build-control-plane.sh            build if missing, print the bin directory
# Env:   CDO_KUBE_VERSION (default below), CDO_ETCD_VERSION, CDO_CACHE_DIR
set -euo pipefail

KUBE_VERSION="${CDO_KUBE_VERSION:-v1.37.2}"   # newest k8s.io/kubernetes release on the module proxy
ETCD_VERSION="${CDO_ETCD_VERSION:-v3.6.16}"   # newest etcd 3.6.x on the module proxy
CACHE_DIR="${CDO_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cloud-data-operator/control-plane}"

log() { printf '[control-plane] %s\n' "$*" >&2; }

if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<MSG
[control-plane] Go is not installed, and it is needed once to build kube-apiserver and etcd.
[control-plane] Install Go 1.26 or newer (Debian: 'apt-get install golang-go' if recent enough, or
[control-plane] the official tarball from go.dev/dl), make sure 'go' is on PATH, and run again.
MSG
  exit 3
fi

export GOFLAGS="-buildvcs=false -mod=mod"
export CGO_ENABLED=0

kube_dir="$CACHE_DIR/kubernetes-$KUBE_VERSION"
etcd_dir="$CACHE_DIR/etcd-$ETCD_VERSION"

# kube-controller-manager is started only by tests that need one of its controllers (the tenant
# roles test runs `--controllers=clusterrole-aggregation`); it shares nearly all packages with
# kube-apiserver, so it adds little to the first build.
KUBE_TOOLS=(kube-apiserver kube-controller-manager kubectl)

# Builds the given k8s.io/kubernetes/cmd/<name> binaries into $kube_dir, leaving the others there.
build_kube() {
  local work mod minor stage
  local -a pkgs=()
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' RETURN
  for t in "$@"; do pkgs+=("k8s.io/kubernetes/cmd/$t"); done
  log "building $* $KUBE_VERSION from Go modules (first run only, ~10-15 min for all three)"
  cd "$work"
  go mod init cdo.local/kube-build >/dev/null 2>&1
  mod="$(go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",/\1/p')"
  # Staging modules are published as v0.<minor>.<patch> for a v1.<minor>.<patch> release.
  stage="v0.${KUBE_VERSION#v1.}"
  go mod edit -go="$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$mod")"
  for m in $(awk '/=> \.\/staging\//{print $1}' "$mod"); do
    go mod edit -replace="$m=$m@$stage"
  done
  go get "k8s.io/kubernetes@$KUBE_VERSION" >/dev/null 2>&1 || go get "k8s.io/kubernetes@$KUBE_VERSION"
  go get -tool "${pkgs[@]}"
  minor="${KUBE_VERSION#v1.}"; minor="${minor%%.*}"
  local ld="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    ld+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  done
  rm -rf "$kube_dir.tmp" && mkdir -p "$kube_dir.tmp"
  go build -trimpath -ldflags "$ld" -o "$kube_dir.tmp/" "${pkgs[@]}"
  # Each binary lands whole or not at all, so an interrupted build never leaves a half-written one.
  mkdir -p "$kube_dir"
  for t in "$@"; do mv -f "$kube_dir.tmp/$t" "$kube_dir/$t"; done
  rm -rf "$kube_dir.tmp"
}

build_etcd() {
  local work
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' RETURN
  log "building etcd $ETCD_VERSION from Go modules (first run only, ~2 min)"
  cd "$work"
  go mod init cdo.local/etcd-build >/dev/null 2>&1
  go get -tool "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
  mkdir -p "$etcd_dir.tmp"
  go build -trimpath -ldflags "-s -w" -o "$etcd_dir.tmp/etcd" go.etcd.io/etcd/server/v3
  rm -rf "$etcd_dir" && mv "$etcd_dir.tmp" "$etcd_dir"
}

# Builds run one after the other: two cores and kube-apiserver's link step already use both.
# A lock keeps two concurrent callers (e.g. a test run and the demo) from building twice.
mkdir -p "$CACHE_DIR"
exec 9>"$CACHE_DIR/.build.lock"
flock 9
[ -x "$etcd_dir/etcd" ] || (build_etcd)
missing=()
for t in "${KUBE_TOOLS[@]}"; do [ -x "$kube_dir/$t" ] || missing+=("$t"); done
[ "${#missing[@]}" -eq 0 ] || (build_kube "${missing[@]}")

printf 'KUBE_BIN_DIR=%s\nETCD_BIN_DIR=%s\nKUBE_VERSION=%s\nETCD_VERSION=%s\n' \
  "$kube_dir" "$etcd_dir" "$KUBE_VERSION" "$ETCD_VERSION"
