#!/usr/bin/env bash
# mutation.sh runs gremlins (mutation testing) on the code that decides what
# is valid: validation, checks, overlap, allocation, money and estimates.
# Each mutant — a negated condition, a bound moved by one, an arithmetic
# operator swapped — must make a test fail; efficacy is the share that do.
#
#   scripts/mutation.sh                  every package below
#   scripts/mutation.sh netplan cost     only these
#
# It is not part of .ci/run (a full run takes tens of minutes on two cores);
# run it on the packages a change touches. It fails when a package's
# efficacy is under THRESHOLD (default 90). Install gremlins first:
#
#   go install github.com/go-gremlins/gremlins/cmd/gremlins@v0.6.0
#
# Surviving mutants that no input can tell apart from the original
# (equivalent mutants) are listed in a comment next to the code.
set -euo pipefail
cd "$(dirname "$0")/.."
threshold=${THRESHOLD:-90}

# The files under test, per package; every other file is excluded.
declare -A files=(
  [cost]="compare.go currency.go estimate.go explorer.go money.go price.go scenario.go server.go"
  [netplan]="overlap.go alloc.go validate.go"
  [nodeconfig]="validate.go"
  [dnsplan]="validate.go domain.go"
  [containerdconf]="check.go"
  [firewall]="rule.go"
  [netpath]="mtu.go baseline.go"
)
order=(cost netplan nodeconfig dnsplan containerdconf firewall netpath)
if [ $# -gt 0 ]; then order=("$@"); fi

command -v gremlins >/dev/null || {
  echo "gremlins not found: go install github.com/go-gremlins/gremlins/cmd/gremlins@v0.6.0" >&2
  exit 2
}

failed=()
for pkg in "${order[@]}"; do
  [ -n "${files[$pkg]:-}" ] || { echo "unknown package $pkg" >&2; exit 2; }
  keep=" ${files[$pkg]} "
  exclude=()
  for f in "$pkg"/*.go; do
    base=${f##*/}
    case "$base" in *_test.go) continue ;; esac
    case "$keep" in *" $base "*) continue ;; esac
    exclude+=(-E "(^|/)${base//./\\.}\$")
  done
  echo "== $pkg (${files[$pkg]})"
  # gremlins times each mutant's test run by its coverage run: -count=1
  # keeps that from being a cached result, and --timeout-coefficient
  # leaves room for a loaded two-core machine.
  if ! GOFLAGS=-count=1 gremlins unleash --workers 2 --timeout-coefficient 5 -S lt \
    --threshold-efficacy "$threshold" "${exclude[@]}" "./$pkg"; then
    failed+=("$pkg")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "efficacy under ${threshold}%: ${failed[*]}" >&2
  exit 1
fi
