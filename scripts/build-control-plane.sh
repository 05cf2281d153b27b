#!/usr/bin/env bash
# Builds the local control plane binaries (kube-apiserver, kube-controller-manager, kubectl, etcd)
# from Go modules and
# caches them outside the checkout, keyed by version. Only the first run on a machine builds.
#
# Why from source: no Docker engine runs on our machines (so no kind) and only package registries
# are reachable (so no dl.k8s.io tarballs). The Go module proxy is reachable, and k8s.io/kubernetes
# builds from it once its ./staging replace block is pointed at the published v0.Y.Z modules.
#
# Usage: scripts/build-control-plane.sh            build if missing, print the bin directory
# Env:   CDO_KUBE_VERSION (default below), CDO_ETCD_VERSION, CDO_CACHE_DIR,
#        CDO_BUILD_HEARTBEAT (seconds between "… so far" lines of a long step, default 60)
set -euo pipefail

KUBE_VERSION="${CDO_KUBE_VERSION:-v1.37.2}"   # newest k8s.io/kubernetes release on the module proxy
ETCD_VERSION="${CDO_ETCD_VERSION:-v3.6.16}"   # newest etcd 3.6.x on the module proxy
CACHE_DIR="${CDO_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cloud-data-operator/control-plane}"
MIN_GO=1.26.0                                 # the go line of both versions' go.mod

# Usual duration of each step of a cold build on 2 idle cores. Measured with empty Go module and
# build caches (CDO_CACHE_DIR, GOMODCACHE and GOCACHE pointed at empty directories, under nice -n 10):
# 34m19s of wall time on 2 cores that other work kept busy (load average 12-18), for 12m12s of CPU
# (user 600 s, system 132 s); per step 15 s and 24 s for the module downloads (network-bound),
# 3m10s for etcd, 29m12s for kube-apiserver, 1m18s for kubectl. On idle cores the compile steps
# take their share of that CPU spread over two cores, plus the single-threaded link: about 8 min in
# all for those three. kube-controller-manager, added later, shares nearly all its packages with
# kube-apiserver: built alone on top of that build's cache it took 2m50s of CPU (5m08s wall on the
# same busy machine), so about 2 more minutes on idle cores. README.md, README.ko.md, docs/development.md and
# the demo quote EST_TOTAL (a test checks).
EST_ETCD_MODULES="15 s"
EST_ETCD="1 min"
EST_KUBE_MODULES="30 s"
EST_KUBE_APISERVER="6 min"
EST_KUBE_CONTROLLER_MANAGER="2 min"
EST_KUBECTL="30 s"
EST_ETCD_TOTAL="about 1 min"
EST_KUBE_TOTAL="about 9 min"
EST_TOTAL="about 10 min"

log() { printf '[control-plane] %s\n' "$*" >&2; }

# Progress of a cold build, on stderr (stdout carries the result for binaries.ts): which step, its
# usual time, a line a minute while it runs, and how long it took. A cache hit prints one line.
# The estimates are what a cold build took on 2 cores with empty Go caches (docs/development.md).
now() { printf '%(%s)T' -1; }
dur() { local s=$1; if ((s >= 60)); then printf '%dm%02ds' $((s / 60)) $((s % 60)); else printf '%ds' "$s"; fi; }
HEARTBEAT="${CDO_BUILD_HEARTBEAT:-60}"
# Sets $cpu to the CPU seconds (user + system) of the children this shell has waited for: with the
# wall time it tells a slow machine from a busy one. `times` runs in this shell (a command
# substitution would ask a fresh subshell, whose children have used nothing yet).
cpu=0
times_file=""
child_cpu() {
  times >"$times_file"
  read -r cpu < <(awk 'NR == 2 { split($1, u, "m"); split($2, s, "m"); printf "%d\n", u[1] * 60 + u[2] + s[1] * 60 + s[2] + 0.5 }' "$times_file")
}
build_start=$(now)
step_no=0
steps=0
# step <label> <usual time> <command...>: runs the command as one numbered step. In the background
# then waited for, so that `set -e` still holds inside it (it would not in `cmd || rc=$?`).
step() {
  local label="$1" usual="$2" t pid last cpu0 rc=0
  shift 2
  step_no=$((step_no + 1))
  log "[$step_no/$steps] $label (usually $usual)"
  t=$(now)
  last=$t
  child_cpu
  cpu0=$cpu
  "$@" &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 0.5
    if (($(now) - last >= HEARTBEAT)); then
      last=$(now)
      log "[$step_no/$steps] $label: $(dur $((last - t))) so far"
    fi
  done
  wait "$pid" || rc=$?
  if ((rc != 0)); then
    log "[$step_no/$steps] $label failed after $(dur $(($(now) - t))) (exit code $rc)"
    return "$rc"
  fi
  child_cpu
  log "[$step_no/$steps] $label: done in $(dur $(($(now) - t))), CPU $(dur $((cpu - cpu0))) (build so far $(dur $(($(now) - build_start))))"
}

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
# roles test runs the ClusterRole aggregation controller alone). A cache that lacks one of these
# gets only that one built: the others stay.
KUBE_TOOLS=(kube-apiserver kube-controller-manager kubectl)
est_of() {
  case "$1" in
    kube-apiserver) echo "$EST_KUBE_APISERVER" ;;
    kube-controller-manager) echo "$EST_KUBE_CONTROLLER_MANAGER" ;;
    *) echo "$EST_KUBECTL" ;;
  esac
}

# Runs a go command whose hundreds of "go: downloading …" lines are noise unless it fails.
quiet() {
  "$@" 2>"$work/go.log" || {
    cat "$work/go.log" >&2
    return 1
  }
}

# Each build runs in its own temporary module; its steps share it through $work.
kube_modules() {
  cd "$work"
  go mod init cdo.local/kube-build >/dev/null 2>&1
  mod="$(go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",/\1/p')"
  # Staging modules are published as v0.<minor>.<patch> for a v1.<minor>.<patch> release.
  local stage="v0.${KUBE_VERSION#v1.}"
  go mod edit -go="$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$mod")"
  for m in $(awk '/=> \.\/staging\//{print $1}' "$mod"); do
    go mod edit -replace="$m=$m@$stage"
  done
  go get "k8s.io/kubernetes@$KUBE_VERSION" >/dev/null 2>&1 || go get "k8s.io/kubernetes@$KUBE_VERSION"
  local -a pkgs=()
  for t in "$@"; do pkgs+=("k8s.io/kubernetes/cmd/$t"); done
  quiet go get -tool "${pkgs[@]}"
}

kube_binary() {
  local name="$1" minor ld="-s -w"
  cd "$work"
  minor="${KUBE_VERSION#v1.}"
  minor="${minor%%.*}"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    ld+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  done
  mkdir -p "$kube_dir.tmp"
  go build -trimpath -ldflags "$ld" -o "$kube_dir.tmp/$name" "k8s.io/kubernetes/cmd/$name"
}

# build_kube <binary...>: the given k8s.io/kubernetes/cmd binaries into $kube_dir, leaving the others.
build_kube() {
  work="$(mktemp -d)"
  trap 'rm -rf "$work" "$kube_dir.tmp"' EXIT # runs in its own subshell: also on Ctrl-C
  rm -rf "$kube_dir.tmp"
  step "kubernetes $KUBE_VERSION: download Go modules" "$EST_KUBE_MODULES" kube_modules "$@"
  for t in "$@"; do
    step "$t $KUBE_VERSION: compile and link" "$(est_of "$t")" kube_binary "$t"
  done
  # Each binary lands whole or not at all, so an interrupted build never leaves a half-written one.
  mkdir -p "$kube_dir"
  for t in "$@"; do mv -f "$kube_dir.tmp/$t" "$kube_dir/$t"; done
}

etcd_modules() {
  cd "$work"
  go mod init cdo.local/etcd-build >/dev/null 2>&1
  quiet go get -tool "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
}

etcd_binary() {
  cd "$work"
  mkdir -p "$etcd_dir.tmp"
  go build -trimpath -ldflags "-s -w" -o "$etcd_dir.tmp/etcd" go.etcd.io/etcd/server/v3
}

build_etcd() {
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT # runs in its own subshell: also on Ctrl-C
  step "etcd $ETCD_VERSION: download Go modules" "$EST_ETCD_MODULES" etcd_modules
  step "etcd $ETCD_VERSION: compile and link" "$EST_ETCD" etcd_binary
  rm -rf "$etcd_dir" && mv "$etcd_dir.tmp" "$etcd_dir"
}

# Builds run one after the other: two cores and kube-apiserver's link step already use both.
# A lock keeps two concurrent callers (e.g. a test run and the demo) from building twice.
mkdir -p "$CACHE_DIR"
exec 9>"$CACHE_DIR/.build.lock"
if ! flock -n 9; then
  log "another build of the control plane is running (lock $CACHE_DIR/.build.lock); waiting for it"
  flock 9
fi
need_etcd=0
[ -x "$etcd_dir/etcd" ] || need_etcd=1
missing=()
for t in "${KUBE_TOOLS[@]}"; do [ -x "$kube_dir/$t" ] || missing+=("$t"); done
need_kube=$((${#missing[@]} > 0 ? 1 : 0))

if ((need_etcd + need_kube == 0)); then
  log "${KUBE_TOOLS[*]} $KUBE_VERSION, etcd $ETCD_VERSION: cached in $CACHE_DIR"
else
  steps=$((need_etcd * 2 + need_kube * (1 + ${#missing[@]})))
  total=$EST_TOTAL
  ((need_kube)) || total=$EST_ETCD_TOTAL
  ((need_etcd)) || total=$EST_KUBE_TOTAL
  # Only kube-controller-manager missing (a cache from before it was added): its own time.
  if [ "${missing[*]}" = kube-controller-manager ] && ((need_etcd == 0)); then total="about $EST_KUBE_CONTROLLER_MANAGER"; fi
  times_file="$(mktemp)"
  trap 'rm -f "$times_file"' EXIT
  log "building the local control plane from Go modules into $CACHE_DIR (first run on this machine only)"
  log "$steps steps, $total in all on 2 idle cores (longer while other work shares them); later runs start from the cache"
  # Go older than what kubernetes and etcd declare fetches that toolchain first (GOTOOLCHAIN=auto).
  have="$(go env GOVERSION)"
  if [ "$(printf '%s\n%s\n' "go$MIN_GO" "$have" | sort -V | head -n1)" != "go$MIN_GO" ]; then
    log "$have is older than go$MIN_GO: the first step also downloads the go$MIN_GO toolchain (about 1 min)"
  fi
  # In subshells (their traps and cd stay inside), so the step count carries over by hand.
  ((need_etcd == 0)) || (build_etcd)
  step_no=$((need_etcd * 2))
  ((need_kube == 0)) || (build_kube "${missing[@]}")
  child_cpu
  log "control plane built in $(dur $(($(now) - build_start))), CPU $(dur "$cpu")"
fi

printf 'KUBE_BIN_DIR=%s\nETCD_BIN_DIR=%s\nKUBE_VERSION=%s\nETCD_VERSION=%s\n' \
  "$kube_dir" "$etcd_dir" "$KUBE_VERSION" "$ETCD_VERSION"
