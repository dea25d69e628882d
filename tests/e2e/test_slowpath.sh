#!/usr/bin/env bash
# Slow path and packet-out: a transparenthelloworld with action slowpath hands
# every packet to the daemon, which puts it back into the data path in the
# same direction (Polycube's semantics), in every mode and at every kind of
# attachment point: on a cube port, on a netdev peered with a cube, and on a
# netdev that leads only to the host stack (pass up the stack / out the wire
# without meeting the chain again).
#
#   A --veth-- [t2] sf --[t1]-- ... sf --veth [t3]-- B      (t2, t3 on netdevs)
source "$(dirname "$0")/../lib.sh"

counts() {	# cube: "in/out"
	echo "$(bn_cli "$1" show ingress-pkts)/$(bn_cli "$1" show egress-pkts)"
}

run_mode() {
	local type=$1 n=$2
	local a=${BN_P}a$n b=${BN_P}b$n c=${BN_P}c$n na=${BN_P}A$n nb=${BN_P}B$n nc=${BN_P}C$n

	bn_quiet_host "$na" "$a" 10.72.$n.1/24 02:00:00:00:0$n:01
	bn_quiet_host "$nb" "$b" 10.72.$n.2/24 02:00:00:00:0$n:02
	bn_quiet_host "$nc" "$c" 10.73.$n.1/24 02:00:00:00:0$n:03
	bn_neigh "$na" 10.72.$n.2 02:00:00:00:0$n:02
	bn_neigh "$nb" 10.72.$n.1 02:00:00:00:0$n:01
	if [ "$type" = XDP_DRV ]; then
		ip netns exec "$na" ethtool -K eth0 gro on >/dev/null
		ip netns exec "$nb" ethtool -K eth0 gro on >/dev/null
		ip netns exec "$nc" ethtool -K eth0 gro on >/dev/null
	fi
	check "$type: forwarder A<->B with slow-path cubes on a port and on a netdev" bash -ec "
		P=$BN_BUILD/polycubectl
		\$P simpleforwarder add sf type=$type
		\$P sf ports add p1 peer=$a
		\$P sf ports add p2 peer=$b
		\$P sf actions add p1 action=forward outport=p2
		\$P sf actions add p2 action=forward outport=p1
		\$P transparenthelloworld add t1 type=$type ingress-action=slowpath egress-action=slowpath
		\$P transparenthelloworld add t2 type=$type ingress-action=slowpath egress-action=slowpath
		\$P attach t1 sf:p2
		\$P attach t2 $a"
	check "$type: ping A->B through two slow paths" \
		ip netns exec "$na" ping -c 3 -i 0.2 -W 2 10.72.$n.2
	check_eq "$type: t1 (on sf:p2) handled 3 out, 3 back" "3/3" "$(counts t1)"
	check_eq "$type: t2 (on $a) handled 3 in, 3 back" "3/3" "$(counts t2)"
	check_match "$type: the forwarder saw each packet once" "^3$" \
		"$(bn_cli sf actions p1 show pkts)"

	# a netdev with no cube behind it: to the host stack and out to the wire
	ip addr add 10.73.$n.254/24 dev "$c"
	bn_neigh "$nc" 10.73.$n.254 "$(cat /sys/class/net/$c/address)"
	ip neigh replace 10.73.$n.1 lladdr 02:00:00:00:0$n:03 dev "$c" nud permanent
	check "$type: t3 slowpath on $c, in front of the host stack" bash -ec "
		$BN_BUILD/polycubectl transparenthelloworld add t3 type=$type ingress-action=slowpath egress-action=slowpath
		$BN_BUILD/polycubectl attach t3 $c"
	check "$type: ping the host through t3" ip netns exec "$nc" ping -c 3 -i 0.2 -W 2 10.73.$n.254
	# XDP cubes see the host's replies through their TC program at egress
	check_eq "$type: t3 saw 3 in and 3 out, each once (no loop)" "3/3" "$(counts t3)"
	# two cubes: a re-injected packet goes on through the other one and only
	# then reaches the stack (ingress) or the wire (egress)
	check "$type: t4 after t3 on $c" bash -ec "
		$BN_BUILD/polycubectl transparenthelloworld add t4 type=$type
		$BN_BUILD/polycubectl attach t4 $c after=t3"
	check "$type: ping the host through t3 (slow path) and t4" \
		ip netns exec "$nc" ping -c 3 -i 0.2 -W 2 10.73.$n.254
	check_eq "$type: t4 saw them once each" "3/3" "$(counts t4)"
	check "$type: t3 passes, t4 takes the slow path" bash -ec "
		$BN_BUILD/polycubectl t3 set ingress-action=pass egress-action=pass
		$BN_BUILD/polycubectl t4 set ingress-action=slowpath egress-action=slowpath"
	check "$type: ping the host through t3 and t4 (slow path)" \
		ip netns exec "$nc" ping -c 3 -i 0.2 -W 2 10.73.$n.254
	check_eq "$type: t3 saw all three pings once each" "9/9" "$(counts t3)"
	check "$type: daemon still answers" bn_cli cubes show
	check "$type: delete everything" bash -ec "
		P=$BN_BUILD/polycubectl
		\$P del t1; \$P del t2; \$P del t3; \$P del t4; \$P del sf"
}

bn_daemon_start
run_mode TC 1
run_mode XDP_SKB 2
run_mode XDP_DRV 3
check_fail "no injection failure was logged" grep -q "cannot re-inject" "$T/daemon.log"
bn_finish
