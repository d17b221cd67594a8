#!/usr/bin/env bash
# Records what real `kubectl kustomize` (kubectl 1.32, kustomize v5.5) prints, as the golden
# files src/kustomize/kustomize.test.ts compares kustomizeBuild with, object for object and
# in order. The test never runs kubectl; only this script does.
#
#   cases/<case>/                    -> golden/<case>.yaml
#   remote-cases/<case>/local        -> golden/remote-<case>.yaml (REMOTE: a git repo of ../remote)
#   helm-cases/<case>/               -> golden/helm-<case>.yaml (needs `helm` on PATH)
#   <fleet-examples>/<dir>           -> golden/fleet-<dir with / as ->.yaml, for every
#                                       kustomization there that needs no helm chart
#
# The helm-kustomize examples are left out: their kustomizations patch the output of a helm
# chart, and without it `kubectl kustomize` fails ("no matches for Id ...").
#
# Usage (re-runnable; overwrites the golden folder):
#   packages/engine/test/kustomize/record-golden.sh
#   FLEET_EXAMPLES=/path/to/fleet-examples packages/engine/test/kustomize/record-golden.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../../.." && pwd)
fleet=${FLEET_EXAMPLES:-$(cd "$repo/../shared/fixtures/fleet-examples" && pwd)}
golden="$here/golden"

fleet_dirs=(
  single-cluster/kustomize
  single-cluster/kustomize/base
  single-cluster/kustomize/overlays/dev
  multi-cluster/kustomize/base
  multi-cluster/kustomize/overlays/dev
  multi-cluster/kustomize/overlays/test
  multi-cluster/kustomize/overlays/prod
)

# Inputs first, so that kubectl reads them exactly as they are committed.
(cd "$repo" && npx prettier --log-level warn --write "$here/cases" "$here/remote-cases")

rm -rf "$golden"
mkdir -p "$golden"

for dir in "$here"/cases/*/; do
  name=$(basename "$dir")
  kubectl kustomize "$dir" 2>/dev/null >"$golden/$name.yaml"
  echo "recorded $name"
done

for dir in "${fleet_dirs[@]}"; do
  name="fleet-${dir//\//-}"
  kubectl kustomize "$fleet/$dir" 2>/dev/null >"$golden/$name.yaml"
  echo "recorded $name"
done

# remote-cases/<case>/local names a remote git base as REMOTE: the script commits
# remote-cases/<case>/remote to a bare repository tagged v1 and lets kubectl clone it over
# file:// (the unit test hands the engine the same files as an already fetched remote).
for dir in "$here"/remote-cases/*/; do
  name=$(basename "$dir")
  tmp=$(mktemp -d)
  cp -r "$dir/remote" "$tmp/src"
  (cd "$tmp/src" && git init -q -b main && git add . &&
    git -c user.name=record -c user.email=record@flotilla.invalid commit -qm v1 &&
    git tag v1 && git clone -q --bare . "$tmp/remote.git")
  cp -r "$dir/local" "$tmp/local"
  sed -i "s#REMOTE#file://$tmp/remote.git#g" "$tmp/local/kustomization.yaml"
  kubectl kustomize "$tmp/local" 2>/dev/null >"$golden/remote-$name.yaml"
  rm -rf "$tmp"
  echo "recorded remote-$name"
done

# helm-cases/<case> use helmCharts: kubectl inflates them with the `helm` on PATH (Helm v3.17.1,
# as the Helm fixtures; see ../shared/fixtures/helm/SOURCE.md for where that binary comes from).
for dir in "$here"/helm-cases/*/; do
  name=$(basename "$dir")
  kubectl kustomize --enable-helm "$dir" 2>/dev/null >"$golden/helm-$name.yaml"
  echo "recorded helm-$name"
done

# One YAML style for the golden files (.prettierignore leaves them out); it changes no value.
(cd "$repo" && npx prettier --log-level warn --ignore-path /dev/null --write "$golden")
