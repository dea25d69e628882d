#!/usr/bin/env bash
# End to end: the cube types TC, XDP_SKB and XDP_DRV. A fresh simpleforwarder
# per type forwards A<->B: exact per-port counters, the hook the netdev gets
# (tcx / xdpgeneric / native xdp, always the framework's entry program),
# TC and XDP ports do not mix, transparent cubes must match the port's type.
# Then helloworld action=slowpath and data-path log lines at loglevel TRACE.
#
#   host A (ns) eth0 ==veth== $VA -- sf:p1 sf sf:p2 -- $VB ==veth== eth0 host B (ns)
#
# Exact counts need quiet links: static neighbours (no ARP), IPv6 off.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

A=${BN_P}A B=${BN_P}B		# host namespaces
VA=${BN_P}a VB=${BN_P}b		# root-side veth ends: the cubes' netdevs
IPA=10.72.0.1 IPB=10.72.0.2
MACA=02:72:00:00:00:01 MACB=02:72:00:00:00:02

bn_quiet_host "$A" "$VA" "$IPA/24" "$MACA"
bn_quiet_host "$B" "$VB" "$IPB/24" "$MACB"
bn_neigh "$A" "$IPB" "$MACB"
bn_neigh "$B" "$IPA" "$MACA"

bn_daemon_start

core_id() { bpftool -j prog show pinned "$BN_PIN_DIR/core/$1" | jq -r .id; }
# id of the XDP program bpftool net reports on netdev $1, mode $2 (generic|driver)
xdp_id() { bpftool net show dev "$1" | sed -n "s/^$1([0-9]*) $2 id \([0-9]*\)\$/\1/p"; }

ping_ok() { ip netns exec "$1" ping -q -c "${3:-4}" -i 0.2 -W 1 -s "${4:-56}" "$2"; }
ping_fail() { ! ip netns exec "$1" ping -q -c 2 -i 0.2 -W 1 "$2"; }
pkts() { bn_cli sf actions "$1" show pkts; }
bytes() { bn_cli sf actions "$1" show bytes; }
counters() { echo "p1 $(pkts p1)/$(bytes p1) p2 $(pkts p2)/$(bytes p2)"; }

no_xdp() { ! ip link show dev "$1" | grep -q 'xdp'; }
no_tcx() { [ "$(bn_tcx "$1")" = $'ingress:\negress:' ]; }
unhooked_both() { no_xdp "$VA" && no_tcx "$VA" && no_xdp "$VB" && no_tcx "$VB"; }

# ---- one simpleforwarder per type ------------------------------------------------

for mode in TC XDP_SKB XDP_DRV; do
	bn_note "---- type=$mode"
	if [ "$mode" = XDP_DRV ]; then
		# native XDP redirect into a veth needs NAPI on the receiving peer
		for ns in "$A" "$B"; do
			ip netns exec "$ns" ethtool -K eth0 gro on >/dev/null || bn_bail "$ns: gro on"
		done
	fi
	check "$mode: simpleforwarder add sf type=$mode" bn_cli simpleforwarder add sf type="$mode"
	check_eq "$mode: sf show type" "$mode" "$(bn_cli sf show type)"
	check "$mode: sf ports add p1 peer=$VA" bn_cli sf ports add p1 peer="$VA"
	check "$mode: sf ports add p2 peer=$VB" bn_cli sf ports add p2 peer="$VB"
	check "$mode: sf actions add p1 action=FORWARD outport=p2" \
		bn_cli sf actions add p1 action=FORWARD outport=p2
	check "$mode: sf actions add p2 action=FORWARD outport=p1" \
		bn_cli sf actions add p2 action=FORWARD outport=p1
	check_eq "$mode: both ports UP" "UP UP" \
		"$(bn_cli sf ports p1 show status) $(bn_cli sf ports p2 show status)"
	check_eq "$mode: counters start at 0" "p1 0/0 p2 0/0" "$(counters)"

	# the hook on the netdevs
	for dev in "$VA" "$VB"; do
		link=$(ip link show dev "$dev")
		case $mode in
		TC)
			check "$mode: no XDP on $dev" no_xdp "$dev"
			check_eq "$mode: the tcx ingress program of $dev is the framework's" \
				"ingress: $(core_id bn_tc_ingress_entry)" "$(bn_tcx "$dev" | sed -n 1p)"
			;;
		XDP_SKB)
			check_match "$mode: ip link shows xdpgeneric on $dev" ' xdpgeneric ' "$link"
			check_eq "$mode: the generic XDP program of $dev is the framework's" \
				"$(core_id bn_xdp_entry)" "$(xdp_id "$dev" generic)"
			check "$mode: no tcx on $dev" no_tcx "$dev"
			;;
		XDP_DRV)
			check_match "$mode: ip link shows native xdp on $dev" ' xdp qdisc ' "$link"
			check_eq "$mode: the native XDP program of $dev is the framework's" \
				"$(core_id bn_xdp_entry)" "$(xdp_id "$dev" driver)"
			check "$mode: no tcx on $dev" no_tcx "$dev"
			;;
		esac
	done

	check "$mode: 4 pings A->B (-s 56)" ping_ok "$A" "$IPB" 4 56
	check_eq "$mode: sf actions p1 show pkts: 4 echo requests" 4 "$(pkts p1)"
	check_eq "$mode: sf actions p1 show bytes: 4 x 98" 392 "$(bytes p1)"
	check_eq "$mode: p2 counted the 4 replies" "4/392" "$(pkts p2)/$(bytes p2)"
	check "$mode: 2 pings B->A (-s 200)" ping_ok "$B" "$IPA" 2 200
	check_eq "$mode: counters after 2 more echoes of 242 bytes" "p1 6/876 p2 6/876" "$(counters)"

	if [ "$mode" = TC ]; then
		check "$mode: transparenthelloworld add thx type=XDP_SKB" \
			bn_cli transparenthelloworld add thx type=XDP_SKB
		check_fail "$mode: attaching an XDP_SKB transparent cube to a TC port fails" \
			bn_cli attach thx sf:p1
		check_fail "$mode: ... and to the TC-hooked netdev $VA" bn_cli attach thx "$VA"
		check_eq "$mode: thx stays unattached" "" "$(bn_cli thx show parent)"
		check "$mode: delete thx" bn_cli del thx
	else
		# TC and XDP ports do not mix
		check "$mode: helloworld hwtc (TC) with port p1" \
			sh -c "'$BN_BUILD/bpfnet' helloworld add hwtc && '$BN_BUILD/bpfnet' hwtc ports add p1"
		check "$mode: sf ports add p3" bn_cli sf ports add p3
		check_fail "$mode: connect hwtc:p1 sf:p3 (TC to XDP) fails" bn_cli connect hwtc:p1 sf:p3
		if [ "$mode" = XDP_SKB ]; then
			bn_cli connect hwtc:p1 sf:p3 >/dev/null 2>&1
			check_eq "$mode: ... with exit status 1 (issue #2: every error exits 1)" 1 "$?"
		fi
		check_fail "$mode: sf ports p3 set peer=hwtc:p1 fails" bn_cli sf ports p3 set peer=hwtc:p1
		check_fail "$mode: hwtc ports p1 set peer=sf:p3 fails" bn_cli hwtc ports p1 set peer=sf:p3
		check_eq "$mode: both ends stay unpeered and DOWN" "[]DOWN []DOWN" \
			"[$(bn_cli sf ports p3 show peer)]$(bn_cli sf ports p3 show status) [$(bn_cli hwtc ports p1 show peer)]$(bn_cli hwtc ports p1 show status)"
		check "$mode: delete hwtc, sf ports del p3" \
			sh -c "'$BN_BUILD/bpfnet' del hwtc && '$BN_BUILD/bpfnet' sf ports del p3"

		# transparent cubes must match the port's type
		check "$mode: transparenthelloworld add thx type=$mode" \
			bn_cli transparenthelloworld add thx type="$mode"
		check "$mode: attach thx sf:p1" bn_cli attach thx sf:p1
		check "$mode: transparenthelloworld add thn type=$mode" \
			bn_cli transparenthelloworld add thn type="$mode"
		check "$mode: attach thn $VB (XDP netdev)" bn_cli attach thn "$VB"
		check "$mode: ping A->B through thx, sf, thn" ping_ok "$A" "$IPB" 4 56
		check_eq "$mode: thx and thn saw 4 in / 4 out each" "4/4 4/4" \
			"$(bn_cli thx show ingress-pkts)/$(bn_cli thx show egress-pkts) $(bn_cli thn show ingress-pkts)/$(bn_cli thn show egress-pkts)"
		check_eq "$mode: sf counted them too" "p1 10/1268 p2 10/1268" "$(counters)"
		check "$mode: thx set ingress-action=drop" bn_cli thx set ingress-action=drop
		check "$mode: thx ingress=drop: ping A->B fails" ping_fail "$A" "$IPB"
		check_eq "$mode: thx dropped the requests before sf saw them" 10 "$(pkts p1)"
		check "$mode: detach thx, delete thx and thn" \
			sh -c "'$BN_BUILD/bpfnet' detach thx sf:p1 && '$BN_BUILD/bpfnet' del thx && '$BN_BUILD/bpfnet' del thn"
		check "$mode: ping A->B after the transparent cubes are gone" ping_ok "$A" "$IPB" 2

		check "$mode: transparenthelloworld add thtc (TC)" bn_cli transparenthelloworld add thtc
		check_fail "$mode: attaching a TC transparent cube to an XDP port fails" \
			bn_cli attach thtc sf:p2
		check_fail "$mode: ... and to the XDP-hooked netdev $VA" bn_cli attach thtc "$VA"
		check_eq "$mode: thtc stays unattached" "" "$(bn_cli thtc show parent)"
		check "$mode: delete thtc" bn_cli del thtc
	fi

	check "$mode: delete sf" bn_cli del sf
	check "$mode: $VA and $VB unhooked after deleting sf (no XDP, no tcx)" \
		poll_until 5 unhooked_both
	if [ "$mode" = XDP_DRV ]; then
		for ns in "$A" "$B"; do
			ip netns exec "$ns" ethtool -K eth0 gro off >/dev/null
		done
	fi
done

# ---- helloworld: slow path and data-path log -----------------------------------

LOG=$T/daemon.log
check "helloworld add hw action=slowpath" bn_cli helloworld add hw action=slowpath
check "hw ports add p1 peer=$VA, p2 peer=$VB" \
	sh -c "'$BN_BUILD/bpfnet' hw ports add p1 peer='$VA' && '$BN_BUILD/bpfnet' hw ports add p2 peer='$VB'"
check "slowpath: ping A->B fails" ping_fail "$A" "$IPB"
check "slowpath: the daemon logs the packets it got on the slow path" poll_until 5 \
	grep -qE '^\[[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}\.[0-9]{3}\] \[Helloworld\] \[hw\] \[info\] .*slow path' "$LOG"
check_match "slowpath log line names the input port and the size" \
	'packet received from port p1 \(98 bytes\) on the slow path' "$(grep '\[hw\]' "$LOG")"
check_fail "at loglevel INFO no data-path trace lines" grep -q '\[hw\] \[trace\]' "$LOG"

check "hw set loglevel=TRACE" bn_cli hw set loglevel=TRACE
check_eq "hw show loglevel" TRACE "$(bn_cli hw show loglevel)"
check "TRACE: ping A->B still fails" ping_fail "$A" "$IPB"
check "TRACE: the log shows '[INGRESS] Receiving packet from port' lines" poll_until 5 \
	grep -qE '^\[[0-9-]{10} [0-9:.]{12}\] \[Helloworld\] \[hw\] \[trace\] \[INGRESS\] Receiving packet from port 0$' "$LOG"
check "TRACE: ... and 'Sending packet to slow path'" poll_until 5 \
	grep -qE '\[Helloworld\] \[hw\] \[trace\] Sending packet to slow path$' "$LOG"
check "hw set action=forward" bn_cli hw set action=forward
check "forward: ping A->B works" ping_ok "$A" "$IPB" 2
check "TRACE: the log shows 'Forwarding packet' and packets from port 1" poll_until 5 \
	sh -c "grep -q '\[hw\] \[trace\] Forwarding packet\$' '$LOG' && grep -q '\[hw\] \[trace\] \[INGRESS\] Receiving packet from port 1\$' '$LOG'"
check "delete hw" bn_cli del hw

bn_finish
