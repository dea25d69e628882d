// SPDX-License-Identifier: GPL-2.0
/*
 * Bare port-to-port redirects: the baselines a cube's data path is measured
 * against. No parsing, no lookups beyond the redirect itself.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

/* XDP: slot 0 holds the egress device. */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} tx_port SEC(".maps");

/* TC: egress ifindex, set before load. */
const volatile __u32 out_ifindex;

SEC("xdp")
int xdp_bare(struct xdp_md *ctx)
{
	return bpf_redirect_map(&tx_port, 0, XDP_DROP);
}

SEC("tc")
int tc_bare(struct __sk_buff *skb)
{
	return bpf_redirect(out_ifindex, 0);
}

char LICENSE[] SEC("license") = "GPL";
