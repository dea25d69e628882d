#!/usr/bin/env bash
# A small real topology with traffic through it:
#
#   netns bnd-a (10.77.0.1) --veth-- [ fw: transparenthelloworld ]
#       -- sf (simpleforwarder, TC) -- veth-- netns bnd-b (10.77.0.2)
#
# Everything runs on a private daemon (own socket, pin dir, state dir) and is
# removed at the end, also on failure.
set -euo pipefail
cd "$(dirname "$0")/.."

B=build
T=$(mktemp -d /tmp/bpfnet-demo.XXXXXX)
PIN=/sys/fs/bpf/bpfnet-demo-$$
NA=bnd-a-$$ NB=bnd-b-$$
DPID=

cleanup() {
	[ -n "$DPID" ] && kill "$DPID" 2>/dev/null && wait "$DPID" 2>/dev/null
	ip netns del "$NA" 2>/dev/null || true
	ip netns del "$NB" 2>/dev/null || true
	ip link del bnda$$ 2>/dev/null || true
	ip link del bndb$$ 2>/dev/null || true
	rm -rf "$PIN" "$T"
}
trap cleanup EXIT

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }
export BPFNET_SOCKET=$T/sock

"$B/bpfnetd" --socket "$T/sock" --pin-dir "$PIN" --state-dir "$T/state" >"$T/daemon.log" 2>&1 &
DPID=$!
for _ in $(seq 100); do "$B/bpfnet" cubes >/dev/null 2>&1 && break; sleep 0.05; done

ip netns add "$NA"; ip netns add "$NB"
ip link add bnda$$ type veth peer name eth0 netns "$NA"
ip link add bndb$$ type veth peer name eth0 netns "$NB"
ip link set bnda$$ up; ip link set bndb$$ up
ip -n "$NA" addr add 10.77.0.1/24 dev eth0; ip -n "$NA" link set eth0 up
ip -n "$NB" addr add 10.77.0.2/24 dev eth0; ip -n "$NB" link set eth0 up

step "$B/polycubectl" simpleforwarder add sf
step "$B/polycubectl" sf ports add p1 peer=bnda$$
step "$B/polycubectl" sf ports add p2 peer=bndb$$
step "$B/polycubectl" sf actions add p1 action=FORWARD outport=p2
step "$B/polycubectl" sf actions add p2 action=FORWARD outport=p1
step "$B/polycubectl" transparenthelloworld add fw
step "$B/polycubectl" attach fw sf:p1
step ip netns exec "$NA" ping -c 3 -i 0.2 10.77.0.2
step "$B/polycubectl" sf show
step "$B/polycubectl" fw show
step "$B/polycubectl" fw set ingress-action=DROP
if ip netns exec "$NA" ping -c 2 -i 0.2 -W 1 10.77.0.2 >/dev/null; then
	echo "demo: traffic passed a dropping cube" >&2
	exit 1
fi
echo "(ping blocked by fw, as configured)"
step "$B/polycubectl" topology
echo
echo "demo: OK"
