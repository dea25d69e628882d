#!/usr/bin/env bash
# Hitless restart: a ping flood across a chain of cubes loses nothing while
# the daemon is killed with SIGKILL and started again; the restarted daemon
# adopts the pinned data plane, its configuration is identical, and it still
# controls what it adopted.
#
#   A --veth-- [th1] hw1 --[th2]-- hw2 --veth-- B      (per cube type)
source "$(dirname "$0")/../lib.sh"

COUNT=2500	# at 2 ms intervals: 5 s, longer than a restart

flood_ok() {	# file: ping summary with COUNT received, 0% loss
	grep -q "$COUNT packets transmitted, $COUNT received, 0% packet loss" "$1"
}

run_mode() {
	local type=$1 n=$2 before after
	local a=${BN_P}a$n b=${BN_P}b$n na=${BN_P}A$n nb=${BN_P}B$n

	bn_netns_add "$na"
	bn_netns_add "$nb"
	bn_veth root "$a" "$na" eth0
	bn_veth root "$b" "$nb" eth0
	bn_host "$na" eth0 10.71.0.1/24
	bn_host "$nb" eth0 10.71.0.2/24
	bn_daemon_start

	check "$type: build the chain" bash -ec "
		P=$BN_BUILD/polycubectl
		\$P helloworld add hw1 type=$type action=forward
		\$P helloworld add hw2 type=$type action=forward
		\$P hw1 ports add p1 peer=$a
		\$P hw1 ports add p2
		\$P hw2 ports add p1
		\$P hw2 ports add p2 peer=$b
		\$P connect hw1:p2 hw2:p1
		\$P transparenthelloworld add th1 type=$type
		\$P transparenthelloworld add th2 type=$type
		\$P attach th1 $a
		\$P attach th2 hw1:p2"
	check "$type: ping through the chain" ip netns exec "$na" ping -c 2 -i 0.2 -W 2 10.71.0.2
	before=$(bn_cli cubes show -json)
	cp "$T/state/config.json" "$T/config.before"

	# -W 5: a reply made late by a busy machine is not a loss
	ip netns exec "$na" ping -q -i 0.002 -c "$COUNT" -W 5 10.71.0.2 >"$T/flood" 2>&1 &
	local fpid=$!
	bn_on_cleanup "kill $fpid"
	# the flood is running when th1 has counted more than the first pings
	poll_until 5 bash -c "[ \$($BN_BUILD/bpfnet th1 show ingress-pkts) -gt 100 ]"
	bn_daemon_kill9
	check "$type: data plane forwards with the daemon dead" \
		ip netns exec "$na" ping -c 1 -W 2 10.71.0.2
	bn_daemon_start
	check "$type: the flood was still running after the restart" kill -0 "$fpid"
	wait "$fpid"
	check "$type: flood of $COUNT pings across kill -9 and restart: 0 loss" flood_ok "$T/flood"
	sed -n '/statistics/,$p' "$T/flood" | sed 's/^/# /'

	after=$(bn_cli cubes show -json)
	check_eq "$type: cubes identical after restart" "$before" "$after"
	check "$type: config.json identical after restart" cmp "$T/config.before" "$T/state/config.json"
	check_match "$type: daemon adopted the pinned data plane" "adopted pinned data plane" \
		"$(cat "$T/daemon.log")"
	check "$type: ping after restart" ip netns exec "$na" ping -c 2 -i 0.2 -W 2 10.71.0.2
	check "$type: restarted daemon controls adopted cubes (drop)" \
		bn_cli th2 set egress-action=drop
	check_fail "$type: traffic dropped by the adopted cube" \
		ip netns exec "$na" ping -c 2 -i 0.2 -W 1 10.71.0.2
	check "$type: and passes again" bn_cli th2 set egress-action=pass
	check "$type: ping again" ip netns exec "$na" ping -c 2 -i 0.2 -W 2 10.71.0.2

	bn_daemon_stop
	rm -rf "$BN_PIN_DIR" "$T/state"
}

run_mode TC 1
run_mode XDP_SKB 2
bn_finish
