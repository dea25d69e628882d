// SPDX-License-Identifier: GPL-2.0
/*
 * XDP live-frames traffic generator for `make bench`.
 *
 * Run with BPF_PROG_TEST_RUN and BPF_F_TEST_XDP_LIVE_FRAMES: the kernel hands
 * the program one page per frame, recycled without re-initialisation, and
 * forwarders downstream may rewrite headers in place. So the program writes
 * the whole 60-byte UDP/IPv4 frame on every run, then redirects it out of
 * the generator's veth.
 *
 * Every field comes from a `const volatile` global set by pktgen before load.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define FRAME_LEN	60	/* 64-byte frame on the wire, less the FCS */
#define IP_LEN		(FRAME_LEN - sizeof(struct ethhdr))
#define UDP_LEN		(IP_LEN - sizeof(struct iphdr))

const volatile __u32 ifindex;		/* out: the generator's veth */
const volatile __u8 src_mac[ETH_ALEN];
const volatile __u8 dst_mac[ETH_ALEN];
const volatile __be32 src_ip;
const volatile __be32 dst_ip;
const volatile __be16 src_port;
const volatile __be16 dst_port;

static __always_inline __u16 ip_csum(const struct iphdr *ip)
{
	const __u16 *w = (const __u16 *)ip;
	__u32 sum = 0;

#pragma unroll
	for (int i = 0; i < (int)(sizeof(*ip) / 2); i++)
		sum += w[i];
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

SEC("xdp")
int xdp_gen(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	struct udphdr *udp = (void *)ip + sizeof(*ip);

	if (data + FRAME_LEN > data_end)
		return XDP_ABORTED;

	for (int i = 0; i < ETH_ALEN; i++) {
		eth->h_dest[i] = dst_mac[i];
		eth->h_source[i] = src_mac[i];
	}
	eth->h_proto = bpf_htons(ETH_P_IP);

	ip->version = 4;
	ip->ihl = 5;
	ip->tos = 0;
	ip->tot_len = bpf_htons(IP_LEN);
	ip->id = 0;
	ip->frag_off = 0;
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->check = 0;
	ip->saddr = src_ip;
	ip->daddr = dst_ip;
	ip->check = ip_csum(ip);

	udp->source = src_port;
	udp->dest = dst_port;
	udp->len = bpf_htons(UDP_LEN);
	udp->check = 0;		/* optional for UDP over IPv4 */

	return bpf_redirect(ifindex, 0);
}

char LICENSE[] SEC("license") = "GPL";
