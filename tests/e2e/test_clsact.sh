#!/usr/bin/env bash
# TC mode with clsact hooks (bpfnetd --tc-hook clsact; also what kernels
# without TCX get): direct-action bpf filters on clsact qdiscs, traffic and
# counters, a transparent cube on the egress side, kill -9 + restart with a
# flood, a qdisc that was there before is left alone, switching to TCX, and
# nothing left behind.
#
#   A --veth-- sf (TC) --veth-- B        C: a netdev with a clsact qdisc of its own
source "$(dirname "$0")/../lib.sh"

A=${BN_P}A B=${BN_P}B C=${BN_P}C a=${BN_P}a b=${BN_P}b c=${BN_P}c

our_filter() {	# dev dir: our direct-action filter is there
	tc filter show dev "$1" "$2" | grep -q "bn_tc_$2.*direct-action"
}
has_clsact() { tc qdisc show dev "$1" | grep -q clsact; }
no_tcx_pins() { [ -z "$(ls -A "$BN_PIN_DIR/links" 2>/dev/null | grep tc)" ]; }
p1_pkts() { bn_cli sf actions p1 show pkts; }

bn_quiet_host "$A" "$a" 10.74.0.1/24 02:00:00:00:74:01
bn_quiet_host "$B" "$b" 10.74.0.2/24 02:00:00:00:74:02
bn_neigh "$A" 10.74.0.2 02:00:00:00:74:02
bn_neigh "$B" 10.74.0.1 02:00:00:00:74:01
bn_netns_add "$C"
bn_veth root "$c" "$C" eth0
tc qdisc add dev "$c" clsact	# somebody else's

bn_daemon_start --tc-hook clsact
check "simpleforwarder A<->B" bash -ec "
	P=$BN_BUILD/polycubectl
	\$P simpleforwarder add sf
	\$P sf ports add p1 peer=$a
	\$P sf ports add p2 peer=$b
	\$P sf ports add p3 peer=$c
	\$P sf actions add p1 action=forward outport=p2
	\$P sf actions add p2 action=forward outport=p1"
check "clsact qdisc on $a" has_clsact "$a"
check "our direct-action filter at $a ingress" our_filter "$a" ingress
check "no TCX link pinned" no_tcx_pins
check "ping A->B" ip netns exec "$A" ping -c 4 -i 0.2 -W 2 10.74.0.2
check_eq "sf counted the 4 requests" 4 "$(p1_pkts)"

check "transparent cube on $b" bash -ec "
	$BN_BUILD/polycubectl transparenthelloworld add th
	$BN_BUILD/polycubectl attach th $b"
check "our filter at $b egress" our_filter "$b" egress
check "ping A->B through th" ip netns exec "$A" ping -c 3 -i 0.2 -W 2 10.74.0.2
check_eq "th saw 3 leaving and 3 coming back" "3/3" \
	"$(bn_cli th show egress-pkts)/$(bn_cli th show ingress-pkts)"

ip netns exec "$A" ping -q -i 0.002 -c 2000 -W 5 10.74.0.2 >"$T/flood" 2>&1 &
FLOOD=$!
bn_on_cleanup "kill $FLOOD"
poll_until 5 bash -c "[ \$($BN_BUILD/bpfnet sf actions p1 show pkts) -gt 100 ]"
bn_daemon_kill9
check "filters stay while the daemon is dead" our_filter "$a" ingress
bn_daemon_start --tc-hook clsact
check "the flood was still running after the restart" kill -0 "$FLOOD"
wait "$FLOOD"
check "flood of 2000 across kill -9 and restart: 0 loss" \
	grep -q "2000 packets transmitted, 2000 received, 0% packet loss" "$T/flood"

check "delete th" bn_cli del th
check "$b egress filter gone with th" bash -c "! tc filter show dev $b egress | grep -q bn_tc"
check "sf ports del p3" bn_cli sf ports del p3
check "our filter left $c" bash -c "! tc filter show dev $c ingress | grep -q bn_tc"
check "the clsact qdisc we did not make stays on $c" has_clsact "$c"

bn_daemon_stop
bn_daemon_start
check "restarted with TCX hooks: links pinned" bash -c "ls $BN_PIN_DIR/links | grep -q tcin"
check "clsact filters removed" bash -c "! tc filter show dev $a ingress | grep -q bn_tc"
check "the clsact qdisc we made is gone from $a" bash -c "! tc qdisc show dev $a | grep -q clsact"
check "ping A->B over TCX" ip netns exec "$A" ping -c 2 -i 0.2 -W 2 10.74.0.2

bn_daemon_stop
bn_daemon_start --tc-hook clsact
check "back to clsact" our_filter "$a" ingress
check "delete sf" bn_cli del sf
check "no filter, no qdisc of ours left on $a and $b" bash -c "
	! tc qdisc show dev $a | grep -q clsact && ! tc qdisc show dev $b | grep -q clsact"
check "no TCX link pinned" no_tcx_pins
bn_finish
