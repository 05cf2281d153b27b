#!/usr/bin/env bash
# Builds (first run on a machine) or finds (every later run) the Go-built tools the tests use:
# kube-apiserver/kubectl/etcd, helm, and the kstatus checker. One after the other, before vitest
# starts, so two cores are not shared between parallel Go builds and no test hook waits minutes.
set -euo pipefail
cd "$(dirname "$0")"
for tool in build-control-plane.sh build-helm.sh build-kstatus-check.sh; do
  bash "$tool" >/dev/null
done
echo "test tools ready (cached under ${CDO_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cloud-data-operator})"
