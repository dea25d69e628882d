#!/usr/bin/env bash
# End to end: deleting everything through the CLI leaves nothing behind.
# Builds one of every kind of object, shows traffic flows, deletes it all and
# then checks pins, netdev hooks (XDP, tcx, tc), the framework maps and the
# loaded programs. Also: a netdev deleted under a port, and re-creating a
# cube with the name of one just deleted.
#
#   TC:      A eth0 == $VA [th1] -- hw1:p1 hw1 hw1:p2 [th2] -- hw2:p1 hw2 hw2:p2 -- $VB == eth0 B
#   XDP_SKB: C eth0 == $VC -- sx:p1 [thx] sx sx:p2 -- hx:p1 hx hx:p2 -- $VD [thn] == eth0 D
#   TC transparent cube alone on a netdev: $VE [th3] == eth1 C (to C's stack)
#
# Which programs are ours: those using our core's maps (prog arrays, event
# ring, iface table), so other daemons running at the same time don't count.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

A=${BN_P}A B=${BN_P}B C=${BN_P}C D=${BN_P}D
VA=${BN_P}a VB=${BN_P}b VC=${BN_P}c VD=${BN_P}d VE=${BN_P}e VF=${BN_P}f
NETDEVS="$VA $VB $VC $VD $VE"

for ns in "$A" "$B" "$C" "$D"; do
	bn_netns_add "$ns"
done
bn_veth "$A" eth0 root "$VA"
bn_veth "$B" eth0 root "$VB"
bn_veth "$C" eth0 root "$VC"
bn_veth "$D" eth0 root "$VD"
bn_veth "$C" eth1 root "$VE"
bn_veth "$D" eth1 root "$VF"
bn_host "$A" eth0 10.73.0.1/24
bn_host "$B" eth0 10.73.0.2/24
bn_host "$C" eth0 10.73.1.1/24
bn_host "$D" eth0 10.73.1.2/24

bn_daemon_start


CORE_MAPS=$(for m in bn_xdp_progs bn_tc_progs bn_events bn_ifaces; do
	bpftool -j map show pinned "$BN_PIN_DIR/core/$m" | jq .id
done | paste -sd,)
[[ $CORE_MAPS =~ ^[0-9]+,[0-9]+,[0-9]+,[0-9]+$ ]] || bn_bail "ids of the core maps: '$CORE_MAPS'"
# our_progs: "ID NAME" of every loaded program using one of our core maps
our_progs() {
	bpftool -j prog show | jq -r --argjson m "[$CORE_MAPS]" \
		'.[] | select(([.map_ids[]?] - $m) != [.map_ids[]?]) | "\(.id) \(.name)"'
}
# prog_names: "count name" per name, one line each, sorted
prog_names() { our_progs | awk '{ print $2 }' | sort | uniq -c | awk '{ print $1, $2 }' | paste -sd' '; }
dir_empty() { [ -d "$1" ] && [ -z "$(ls -A "$1")" ]; }
map_len() { bpftool -j map dump pinned "$BN_PIN_DIR/core/$1" | jq length; }

BEFORE_NAMES=$(prog_names)
check_eq "before any cube: only the core's entry programs are ours" \
	"1 bn_tc_egress_entry 1 bn_tc_ingress_entry 1 bn_tc_inject 1 bn_xdp_entry 1 bn_xdp_inject" \
	"$BEFORE_NAMES"
BEFORE_IDS=$(our_progs | awk '{ print $1 }' | sort -n)
declare -A QDISC_BEFORE
for dev in $NETDEVS $VF; do
	QDISC_BEFORE[$dev]=$(tc qdisc show dev "$dev")
done

# ---- build one of everything -------------------------------------------------------

build() {
	local c
	c() { check "$*" bn_cli "$@"; }
	# TC
	c helloworld add hw1 action=forward
	c helloworld add hw2 action=forward
	c hw1 ports add p1 peer="$VA"
	c hw1 ports add p2
	c hw2 ports add p1
	c hw2 ports add p2 peer="$VB"
	c connect hw1:p2 hw2:p1
	c transparenthelloworld add th1
	c transparenthelloworld add th2
	c transparenthelloworld add th3
	c attach th1 "$VA"
	c attach th2 hw1:p2
	c attach th3 "$VE"
	# XDP_SKB
	c simpleforwarder add sx type=XDP_SKB
	c helloworld add hx type=XDP_SKB action=forward
	c sx ports add p1 peer="$VC"
	c sx ports add p2
	c hx ports add p1
	c hx ports add p2 peer="$VD"
	c connect sx:p2 hx:p1
	c sx actions add p1 action=forward outport=p2
	c sx actions add p2 action=forward outport=p1
	c transparenthelloworld add thx type=XDP_SKB
	c transparenthelloworld add thn type=XDP_SKB
	c attach thx sx:p1
	c attach thn "$VD"
	unset -f c
}
build

ping_ok() { ip netns exec "$1" ping -q -c 2 -i 0.2 -W 1 "$2"; }
check "TC chain: ping A->B" ping_ok "$A" 10.73.0.2
check "XDP_SKB chain: ping C->D" ping_ok "$C" 10.73.1.2
# The root namespace gets no IPv4 address (tests run side by side): ping
# $VE's IPv6 link-local address instead, once DAD is over on both ends.
ll_addr() {	# NS IF: the non-tentative fe80:: address
	bn_ip "$1" -6 addr show dev "$2" scope link |
		sed -n 's/.*inet6 \(fe80::[0-9a-f:]*\)\/64 scope link *$/\1/p'
}
ll_ready() { [ -n "$(ll_addr root "$VE")" ] && [ -n "$(ll_addr "$C" eth1)" ]; }
check "IPv6 link-local addresses on $VE and its peer" poll_until 10 ll_ready
check "ping C->root over $VE (th3, to the stack)" \
	ip netns exec "$C" ping -6 -q -c 2 -i 0.2 -W 1 "$(ll_addr root "$VE")%eth1"
check "th3 saw the pings both ways (>= 2 in, >= 2 out)" \
	test "$(bn_cli th3 show ingress-pkts)" -ge 2 -a "$(bn_cli th3 show egress-pkts)" -ge 2

# Everything is really there: so the checks below can see it.
check_eq "pinned: one dir per cube" "hw1 hw2 hx sx th1 th2 th3 thn thx" \
	"$(cd "$BN_PIN_DIR/cubes" && printf '%s\n' * | sort | paste -sd' ')"
check "pinned links exist" test -n "$(ls -A "$BN_PIN_DIR/links")"
check_match "$VC has generic XDP" ' xdpgeneric ' "$(ip link show dev "$VC")"
check_match "$VD has generic XDP" ' xdpgeneric ' "$(ip link show dev "$VD")"
check_match "$VA has tcx ingress and egress" $'^ingress: [0-9]+\negress: [0-9]+$' "$(bn_tcx "$VA")"
check_match "$VE has tcx ingress and egress" $'^ingress: [0-9]+\negress: [0-9]+$' "$(bn_tcx "$VE")"
check_match "$VB has tcx ingress" $'^ingress: [0-9]+\n' "$(bn_tcx "$VB")"
# new_progs: "ID NAME" of our programs that were not there before the cubes
new_progs() { our_progs | awk 'NR == FNR { old[$1]; next } !($1 in old)' <(echo "$BEFORE_IDS") -; }
CUBE_PROGS=$(new_progs)
bn_note "programs of the cubes: $(paste -sd' ' <<<"$CUBE_PROGS")"
# remember_progs: add the programs of the cubes that exist now
remember_progs() { CUBE_PROGS=$( (echo "$CUBE_PROGS"; new_progs) | sort -u); }
check_eq "the cubes' programs by name" \
	"3 bn_tc_egress 3 bn_tc_ingress 2 bn_tc_rx 2 bn_tc_stack_egress 2 bn_xdp_egress 2 bn_xdp_ingress 2 bn_xdp_rx" \
	"$(echo "$CUBE_PROGS" | awk '{ print $2 }' | sort | uniq -c | awk '{ print $1, $2 }' | paste -sd' ')"

# ---- delete everything -------------------------------------------------------------

check "delete th1 (attached to netdev $VA)" bn_cli del th1
check "delete th3 (alone on netdev $VE)" bn_cli del th3
check "delete th2 (attached to port hw1:p2)" bn_cli del th2
check "delete thn (attached to XDP netdev $VD)" bn_cli del thn
# Deleting a cube whose port is connected to another cube fails (see
# test_chain step 5), so unlink the cube-to-cube links first.
check "disconnect hw1:p2 hw2:p1" bn_cli disconnect hw1:p2 hw2:p1
check "disconnect sx:p2 hx:p1" bn_cli disconnect sx:p2 hx:p1
check "delete sx (thx still attached to sx:p1)" bn_cli del sx
check_eq "deleting sx reset the parent of thx" "" "$(bn_cli thx show parent)"
check "delete thx" bn_cli del thx
for c in hw1 hw2 hx; do
	check "delete $c" bn_cli del "$c"
done
check_eq "no cubes left (cubes show -json)" "{}" "$(bn_cli cubes show -json | jq -c .)"

no_xdp() { ! ip link show dev "$1" | grep -q xdp; }
no_tcx() { [ "$(bn_tcx "$1")" = $'ingress:\negress:' ]; }
progs_gone() {
	local id
	for id in $(echo "$CUBE_PROGS" | awk '{ print $1 }'); do
		! bpftool prog show id "$id" >/dev/null 2>&1 || return 1
	done
}
names_as_before() { [ "$(prog_names)" = "$BEFORE_NAMES" ]; }

# verify WHEN: nothing of the cubes is left anywhere
verify() {
	local dev
	check "$1: $BN_PIN_DIR/cubes is empty" dir_empty "$BN_PIN_DIR/cubes"
	check "$1: $BN_PIN_DIR/links is empty" dir_empty "$BN_PIN_DIR/links"
	for dev in $NETDEVS; do
		check "$1: no XDP on $dev (ip link)" poll_until 5 no_xdp "$dev"
		check "$1: no tcx programs on $dev" poll_until 5 no_tcx "$dev"
		check_eq "$1: bpftool net show dev $dev lists nothing" \
			"xdp: tc: flow_dissector:" "$(bpftool net show dev "$dev" | grep -v '^$' | paste -sd' ')"
		check_eq "$1: tc qdiscs of $dev as before (no clsact)" "${QDISC_BEFORE[$dev]}" \
			"$(tc qdisc show dev "$dev")"
	done
	check_eq "$1: framework program arrays and iface table are empty" "0 0 0" \
		"$(map_len bn_xdp_progs) $(map_len bn_tc_progs) $(map_len bn_ifaces)"
	check "$1: every program of the cubes is unloaded" poll_until 5 progs_gone
	poll_until 5 names_as_before
	check_eq "$1: our programs by name are those from before the cubes" \
		"$BEFORE_NAMES" "$(prog_names)"
}
verify "after deleting everything"

# ---- a netdev deleted under a port ------------------------------------------------------

check "helloworld add hwd, port p1 peer=$VF" \
	sh -c "'$BN_BUILD/bpfnet' helloworld add hwd && '$BN_BUILD/bpfnet' hwd ports add p1 peer='$VF'"
check_eq "hwd:p1 is UP" UP "$(bn_cli hwd ports p1 show status)"
check "transparenthelloworld add th9, attach th9 $VF" \
	sh -c "'$BN_BUILD/bpfnet' transparenthelloworld add th9 && '$BN_BUILD/bpfnet' attach th9 '$VF'"
check_match "$VF is hooked (tcx ingress and egress)" $'^ingress: [0-9]+\negress: [0-9]+$' "$(bn_tcx "$VF")"
remember_progs
check "ip link del $VF" ip link del "$VF"
check "the daemon keeps running" sh -c "kill -0 $BN_DAEMON_PID && '$BN_BUILD/bpfnet' cubes show >/dev/null"
check_eq "hwd:p1 is DOWN after its netdev went away" DOWN "$(bn_cli hwd ports p1 show status)"
peer_cleared() { [ -z "$(bn_cli hwd ports p1 show peer)" ]; }
check "hwd:p1 peer is cleared (POLYCUBE.md 2.6 and 5.5, Polycube test105)" poll_until 5 peer_cleared
th9_detached() { [ -z "$(bn_cli th9 show parent)" ]; }
check "th9 (attached to $VF) is detached" poll_until 5 th9_detached
check "hwd show still works" bn_cli hwd show
check "delete th9" bn_cli del th9
check "other cubes can still be changed: helloworld add hwe" bn_cli helloworld add hwe
check "delete hwe" bn_cli del hwe
check "delete hwd" bn_cli del hwd
check "no pinned link left for the deleted netdev" dir_empty "$BN_PIN_DIR/links"
check_eq "iface table is empty" 0 "$(map_len bn_ifaces)"

# ---- same name right after deleting -------------------------------------------------------

for round in 1 2; do
	check "round $round: helloworld add hw1 action=forward, p1 peer=$VA, p2 peer=$VB" \
		sh -c "'$BN_BUILD/bpfnet' helloworld add hw1 action=forward &&
			'$BN_BUILD/bpfnet' hw1 ports add p1 peer='$VA' &&
			'$BN_BUILD/bpfnet' hw1 ports add p2 peer='$VB'"
	check "round $round: transparenthelloworld add th1, attach th1 $VA" \
		sh -c "'$BN_BUILD/bpfnet' transparenthelloworld add th1 && '$BN_BUILD/bpfnet' attach th1 '$VA'"
	check "round $round: ping A->B" ping_ok "$A" 10.73.0.2
	check "round $round: th1 counts (>= 2 in, >= 2 out)" \
		test "$(bn_cli th1 show ingress-pkts)" -ge 2 -a "$(bn_cli th1 show egress-pkts)" -ge 2
	remember_progs
	check "round $round: delete th1 and hw1" \
		sh -c "'$BN_BUILD/bpfnet' del th1 && '$BN_BUILD/bpfnet' del hw1"
	check "round $round: ping A->B fails" sh -c "! ip netns exec '$A' ping -q -c 2 -i 0.2 -W 1 10.73.0.2"
done

check "simpleforwarder add sx type=XDP_SKB, p1 peer=$VC" \
	sh -c "'$BN_BUILD/bpfnet' simpleforwarder add sx type=XDP_SKB && '$BN_BUILD/bpfnet' sx ports add p1 peer='$VC'"
check_match "$VC has generic XDP" ' xdpgeneric ' "$(ip link show dev "$VC")"
remember_progs
check "delete sx" bn_cli del sx
check "re-create sx as TC, p1 peer=$VC" \
	sh -c "'$BN_BUILD/bpfnet' simpleforwarder add sx && '$BN_BUILD/bpfnet' sx ports add p1 peer='$VC'"
check_eq "sx is TC now" TC "$(bn_cli sx show type)"
check "$VC lost its XDP program" poll_until 5 no_xdp "$VC"
check_match "$VC has tcx ingress" '^ingress: [0-9]+' "$(bn_tcx "$VC")"
remember_progs
check "delete sx" bn_cli del sx

verify "at the end"

bn_finish
