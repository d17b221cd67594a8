#!/usr/bin/env bash
# Records what real `kubectl kustomize` (kubectl 1.32, kustomize v5.5) prints, as the golden
# files src/kustomize/kustomize.test.ts compares kustomizeBuild with, object for object and
# in order. The test never runs kubectl; only this script does.
#
#   cases/<case>/                    -> golden/<case>.yaml
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
(cd "$repo" && npx prettier --log-level warn --write "$here/cases")

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

# One YAML style for the golden files (.prettierignore leaves them out); it changes no value.
(cd "$repo" && npx prettier --log-level warn --ignore-path /dev/null --write "$golden")
