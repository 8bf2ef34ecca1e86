#!/usr/bin/env bash
# The README's first command: the seed's receiver/sender demo on this machine, end to end.
#   sudo scripts/demo.sh [--keep]
# Installs what is missing from Debian's packages (wireguard-go, iproute2, ping, nc, libnftables), builds
# `wgisolate`, brings the three apps of examples/receiver-sender up with a throwaway state directory, shows the
# sender reaching the receiver over WireGuard and the outsider refused, then takes everything down again
# (unless --keep, which leaves the apps running and prints how to remove them).
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $(id -u) -eq 0 ]] || { echo "run as root: this creates network namespaces and WireGuard links" >&2; exit 1; }
keep=${1:-}

needs=(wireguard-go:wireguard-go ip:iproute2 ping:iputils-ping nc:netcat-openbsd /usr/lib/x86_64-linux-gnu/libnftables.so.1:libnftables1)
missing=()
for entry in "${needs[@]}"; do
  what=${entry%%:*}; pkg=${entry#*:}
  if [[ $what == /* ]]; then [[ -e $what ]] || missing+=("$pkg"); else command -v "$what" >/dev/null || missing+=("$pkg"); fi
done
if ((${#missing[@]})); then
  echo "== installing ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "== building wgisolate"
dotnet build src/NodeAgent/Agent -c Release -o .build/wgisolate -v q -nologo >/dev/null
wgisolate=.build/wgisolate/wgisolate
state=$(mktemp -d /tmp/wgisolate-demo-XXXXXX)
if [[ $keep != --keep ]]; then
  trap 'echo "== down"; $wgisolate down --state "$state"; rm -rf "$state"' EXIT
fi

echo "== up"
$wgisolate up --once --manifests examples/receiver-sender --state "$state" --endpoint-address ::1
receiver=$($wgisolate status --state "$state" | awk '$1 == "demo/receiver" { split($4, a, "/"); print a[1] }')

echo "== sender -> receiver ($receiver): ping over WireGuard"
ip netns exec sender ping -6 -c 2 -W 2 "$receiver"

echo "== sender -> receiver: echo hello | nc"
ip netns exec receiver timeout 5 nc -6 -l 1234 & listener=$!
sleep 0.3
echo "hello from sender" | ip netns exec sender nc -N -w 2 "$receiver" 1234
wait $listener

echo "== outsider -> receiver: refused (the receiver does not list the outsider back)"
if ip netns exec outsider ping -6 -c 1 -W 2 "$receiver" >/dev/null; then
  echo "the outsider reached the receiver: isolation is broken" >&2; exit 1
fi
echo "no reply, as it should be"

echo "== each app sees only lo and its WireGuard link"
for app in receiver sender outsider; do echo "$app: $(ip -n $app -br link | awk '{print $1}' | sed 's/@.*//' | tr '\n' ' ')"; done

echo "== status"
$wgisolate status --state "$state"
if [[ $keep == --keep ]]; then echo "kept running; remove with: $wgisolate down --state $state"; fi
