#!/bin/bash
# The seed setup's own steps for N apps in pairs, as its netns@/wg@ units and shell script run them one app
# after the other: ip netns add, wg genkey/pubkey, wireguard-go, wg set, ip link set netns, ip addr, ip route.
# Kept next to the datapath benchmark as its baseline; the benchmark times `up` and `down`.
#
#   seed-way.sh up   PREFIX COUNT CLUSTER PORT_BASE   e.g. up sb1a 10 fd42:1:2 47000
#   seed-way.sh down PREFIX COUNT
# App i lives in namespace PREFIX$i, WireGuard link wg-PREFIX$i, address CLUSTER:(i/2+1)::(i%2+1)/64; apps
# 2k and 2k+1 are each other's only peer, over loopback.
set -euo pipefail

action=$1 prefix=$2 count=$3

up() {
  local cluster=$1 port_base=$2 keys
  umask 077
  keys=$(mktemp -d)
  trap 'rm -rf "$keys"' RETURN
  for ((i = 0; i < count; i++)); do
    wg genkey >"$keys/$i.key"
    wg pubkey <"$keys/$i.key" >"$keys/$i.pub"
  done
  for ((i = 0; i < count; i++)); do
    local ns=$prefix$i dev=wg-$prefix$i peer=$((i ^ 1))
    local subnet=$((i / 2 + 1))
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip netns exec "$ns" sysctl -qw net.ipv4.ip_unprivileged_port_start=0
    wireguard-go "$dev" >/dev/null 2>&1
    wg set "$dev" private-key "$keys/$i.key" listen-port $((port_base + i)) \
      peer "$(cat "$keys/$peer.pub")" endpoint "[::1]:$((port_base + peer))" \
      allowed-ips "$cluster:$(printf %x $subnet)::$((peer % 2 + 1))/128"
    ip link set "$dev" netns "$ns"
    ip -n "$ns" addr add "$cluster:$(printf %x $subnet)::$((i % 2 + 1))/64" dev "$dev" nodad
    ip -n "$ns" link set "$dev" up
    ip -n "$ns" route add "$cluster::/48" dev "$dev"
  done
}

down() {
  for ((i = 0; i < count; i++)); do
    ip -n "$prefix$i" link del "wg-$prefix$i"
    ip netns del "$prefix$i"
  done
}

case $action in
  up) up "$4" "$5" ;;
  down) down ;;
  *) echo "usage: $0 up PREFIX COUNT CLUSTER PORT_BASE | down PREFIX COUNT" >&2; exit 2 ;;
esac
