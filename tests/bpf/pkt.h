/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A tiny packet builder for the data-plane tests: Ethernet/IPv4/UDP and
 * Ethernet/IPv4/ICMP echo frames with correct checksums.
 */
#ifndef BPFNET_TEST_PKT_H
#define BPFNET_TEST_PKT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <linux/icmp.h>

#define PKT_L2 sizeof(struct ethhdr)
#define PKT_L3 (PKT_L2 + sizeof(struct iphdr))
#define PKT_L4 (PKT_L3 + sizeof(struct udphdr))

static const uint8_t pkt_src_mac[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t pkt_dst_mac[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
#define PKT_SRC_IP 0x0a000001u	/* 10.0.0.1 */
#define PKT_DST_IP 0x0a000002u	/* 10.0.0.2 */

/* Ones'-complement sum of 16-bit big-endian words, not yet folded. */
static inline uint32_t pkt_sum(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;

	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

/* Folded and complemented, in network byte order. */
static inline uint16_t pkt_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static inline void pkt_l2l3(uint8_t *buf, size_t total, uint8_t proto)
{
	struct ethhdr *eth = (struct ethhdr *)buf;
	struct iphdr *ip = (struct iphdr *)(buf + PKT_L2);

	memcpy(eth->h_dest, pkt_dst_mac, ETH_ALEN);
	memcpy(eth->h_source, pkt_src_mac, ETH_ALEN);
	eth->h_proto = htons(ETH_P_IP);

	memset(ip, 0, sizeof(*ip));
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons((uint16_t)(total - PKT_L2));
	ip->id = htons(0x1234);
	ip->frag_off = htons(0x4000);	/* DF */
	ip->ttl = 64;
	ip->protocol = proto;
	ip->saddr = htonl(PKT_SRC_IP);
	ip->daddr = htonl(PKT_DST_IP);
	ip->check = pkt_fold(pkt_sum(0, ip, sizeof(*ip)));
}

static inline void pkt_payload(uint8_t *p, size_t len, uint8_t seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(seed + i);
}

/* Ethernet/IPv4/UDP frame of `total` bytes (>= 42) into buf; returns total. */
static inline size_t pkt_udp(uint8_t *buf, size_t total, uint16_t sport, uint16_t dport)
{
	struct iphdr *ip = (struct iphdr *)(buf + PKT_L2);
	struct udphdr *udp = (struct udphdr *)(buf + PKT_L3);
	size_t ulen = total - PKT_L3;
	uint32_t sum;

	pkt_l2l3(buf, total, IPPROTO_UDP);
	udp->source = htons(sport);
	udp->dest = htons(dport);
	udp->len = htons((uint16_t)ulen);
	udp->check = 0;
	pkt_payload(buf + PKT_L4, total - PKT_L4, 0xa0);
	/* pseudo header: saddr, daddr, zero+proto, udp length */
	sum = pkt_sum(0, &ip->saddr, 8);
	sum += IPPROTO_UDP + (uint32_t)ulen;
	sum = pkt_sum(sum, udp, ulen);
	udp->check = pkt_fold(sum);
	if (!udp->check)
		udp->check = 0xffff;
	return total;
}

/* Ethernet/IPv4/ICMP echo request of `total` bytes (>= 42); returns total. */
static inline size_t pkt_icmp(uint8_t *buf, size_t total, uint16_t id, uint16_t seq)
{
	struct icmphdr *icmp = (struct icmphdr *)(buf + PKT_L3);
	size_t ilen = total - PKT_L3;

	pkt_l2l3(buf, total, IPPROTO_ICMP);
	icmp->type = ICMP_ECHO;
	icmp->code = 0;
	icmp->checksum = 0;
	icmp->un.echo.id = htons(id);
	icmp->un.echo.sequence = htons(seq);
	pkt_payload(buf + PKT_L3 + sizeof(*icmp), ilen - sizeof(*icmp), 0x10);
	icmp->checksum = pkt_fold(pkt_sum(0, icmp, ilen));
	return total;
}

/* 1 if the IPv4 header and the L4 checksum of a frame built above verify. */
static inline int pkt_csum_ok(const uint8_t *buf, size_t total)
{
	const struct iphdr *ip = (const struct iphdr *)(buf + PKT_L2);
	size_t l4len = total - PKT_L3;
	uint32_t sum;

	if (pkt_fold(pkt_sum(0, ip, sizeof(*ip))) != 0)
		return 0;
	if (ip->protocol == IPPROTO_ICMP)
		return pkt_fold(pkt_sum(0, buf + PKT_L3, l4len)) == 0;
	sum = pkt_sum(0, &ip->saddr, 8);
	sum += ip->protocol + (uint32_t)l4len;
	sum = pkt_sum(sum, buf + PKT_L3, l4len);
	return pkt_fold(sum) == 0;
}

#endif
