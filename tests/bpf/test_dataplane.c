// SPDX-License-Identifier: Apache-2.0
/*
 * Data-plane unit tests: the real compiled programs (core entries, cubes)
 * run with BPF_PROG_TEST_RUN on packets built here, with maps filled from
 * user space; verdicts, output bytes, counters and ring-buffer events are
 * checked. Needs root (CAP_BPF + CAP_NET_ADMIN); no bpffs, no pinning.
 *
 * XDP metadata (struct bn_md: the input port, and the injection tag that
 * lets a re-injected frame by a generic XDP hook) lives in the per-CPU
 * array bn_xdp_md_slot, not in the packet. The process is pinned to one CPU
 * (test_cpu) so that BPF_PROG_TEST_RUN runs the programs there: the tests
 * write test_cpu's element (port and tag), give every other CPU's element
 * the port MD_POISON and the tag "lo's next frame passes" (ARMED_TAG(lo)),
 * and read test_cpu's element back after the run (every other CPU's must be
 * unchanged: a run on test_cpu neither sees nor touches them).
 */
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <unistd.h>
#include <net/if.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cmocka.h>

#include "bpfnet_shared.h"
#include "../../src/cubes/simpleforwarder/simpleforwarder.h"
#include "../../src/cubes/helloworld/helloworld.h"
#include "../../src/cubes/transparenthelloworld/transparenthelloworld.h"
#include "core.skel.h"
#include "simpleforwarder.skel.h"
#include "helloworld.skel.h"
#include "transparenthelloworld.skel.h"
#include "pkt.h"

/* Log levels as the data path sees them (enum bn_log_level of log.h). */
#define LL_TRACE 0
#define LL_INFO	 2

#define SF_ID  3
#define THW_ID 5
#define HW_ID  9
#define THW_XDP_ID 6	/* the transparenthelloworld as an XDP cube: its stack-egress TC slot */
#define SF_CFG_ID 7	/* cube id of the stand-alone simpleforwarder */
#define SLOT(id, s) ((__u32)(id) * BN_SLOTS_PER_CUBE + (s))

#define MAX_EV 16
#define OUT_MAX 2048

struct evlog {
	int n;
	size_t size[MAX_EV];
	struct bn_event ev[MAX_EV];
};

struct fx {
	struct core_bpf *core;
	struct simpleforwarder_bpf *sf;
	struct transparenthelloworld_bpf *thw;
	struct helloworld_bpf *hw;
	struct ring_buffer *rb;
	struct evlog log;
	int lo;			/* ifindex of lo */
	int md_fd;		/* bn_xdp_md_slot the XDP runs write and read */
};

struct run {
	__u32 retval;
	__u32 out_len;		/* bytes in out (XDP: metadata area included) */
	__u32 data_off;		/* XDP: where the packet starts in out (= metadata area length) */
	__u32 md_port;		/* XDP: md.port in test_cpu's slot after the run */
	__u32 md_inject;	/* XDP: md.inject in test_cpu's slot after the run */
	__u8 out[OUT_MAX];
	struct __sk_buff skb;	/* TC: ctx_out */
};

static uint8_t udp64[64], icmp98[98], udp300[300];

/* The CPU the process is pinned to (and BPF_PROG_TEST_RUN runs on), and
 * the number of elements of a per-CPU map value. */
static int test_cpu = -1, ncpus;

/* What the slots of the other CPUs hold, and test_cpu's before a run from
 * the wire: not a port of any cube (> BN_MAX_PORTS). */
#define MD_POISON 0xdeadbeefu

/* Injection tags (md.inject): armed, "the generic hook of ifx lets the next
 * frame by"; and unarmed, as an injection into ifx's generic hook leaves
 * it when its chain does not end in PASS. */
#define ARMED_TAG(ifx) ((__u32)bn_inject_tag(ifx, BN_INJ_GENERIC) | BN_INJ_ARMED)
#define STALE_TAG(ifx) ((__u32)bn_inject_tag(ifx, BN_INJ_GENERIC))

/* A per-CPU value crosses the syscall rounded up to 8 bytes per CPU: an
 * array of struct bn_md is that layout only if it is a multiple of 8. */
_Static_assert(sizeof(struct bn_md) % 8 == 0, "struct bn_md: per-CPU stride");

/* ------------------------------------------------------------ helpers --- */

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN || getenv("BN_TEST_VERBOSE"))
		return vfprintf(stderr, fmt, ap);
	return 0;
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct evlog *l = ctx;

	if (l->n < MAX_EV) {
		memset(&l->ev[l->n], 0, sizeof(l->ev[l->n]));
		memcpy(&l->ev[l->n], data, size < sizeof(struct bn_event) ? size : sizeof(struct bn_event));
		l->size[l->n] = size;
	}
	l->n++;
	return 0;
}

/* Events submitted since the last call. */
static int drain(struct fx *f)
{
	memset(&f->log, 0, sizeof(f->log));
	assert_true(ring_buffer__consume(f->rb) >= 0);
	return f->log.n;
}

static void set_hop(int map_fd, __u32 idx, __u32 kind, __u32 slot, __u32 ifindex, __u32 port)
{
	struct bn_hop h = { .kind = kind, .slot = slot, .ifindex = ifindex, .port = port };

	assert_int_equal(bpf_map_update_elem(map_fd, &idx, &h, BPF_ANY), 0);
}

static void set_iface(struct fx *f, __u32 ifindex, struct bn_hop ingress, struct bn_hop egress)
{
	struct bn_iface i = { .ingress = ingress, .egress = egress };

	assert_int_equal(bpf_map_update_elem(bpf_map__fd(f->core->maps.bn_ifaces), &ifindex, &i, BPF_ANY), 0);
}

static void set_cfg(struct bpf_map *m, __u32 id, __u32 loglevel)
{
	struct bn_cube_cfg c = { .id = id, .loglevel = loglevel };
	__u32 zero = 0;

	assert_int_equal(bpf_map_update_elem(bpf_map__fd(m), &zero, &c, BPF_ANY), 0);
}

static void sf_action(struct fx *f, __u32 port, __u32 action, __u32 outport)
{
	struct sf_action a = { .action = action, .outport = outport };

	assert_int_equal(bpf_map_update_elem(bpf_map__fd(f->sf->maps.sf_actions), &port, &a, BPF_ANY), 0);
}

static void sf_counter(struct fx *f, __u32 port, __u64 *pkts, __u64 *bytes)
{
	int n = libbpf_num_possible_cpus();
	struct sf_stats *v;

	assert_true(n > 0);
	v = calloc(n, sizeof(*v));
	assert_non_null(v);
	assert_int_equal(bpf_map_lookup_elem(bpf_map__fd(f->sf->maps.sf_stats), &port, v), 0);
	*pkts = *bytes = 0;
	for (int i = 0; i < n; i++) {
		*pkts += v[i].pkts;
		*bytes += v[i].bytes;
	}
	free(v);
}

static void assert_sf_counter(struct fx *f, __u32 port, __u64 pkts, __u64 bytes)
{
	__u64 p, b;

	sf_counter(f, port, &p, &b);
	assert_int_equal(p, pkts);
	assert_int_equal(b, bytes);
}

static __u64 thw_count(struct fx *f, int dir)
{
	int n = libbpf_num_possible_cpus();
	struct thw_stats *v;
	__u32 zero = 0;
	__u64 sum = 0;

	assert_true(n > 0);
	v = calloc(n, sizeof(*v));
	assert_non_null(v);
	assert_int_equal(bpf_map_lookup_elem(bpf_map__fd(f->thw->maps.thw_stats), &zero, v), 0);
	for (int i = 0; i < n; i++)
		sum += v[i].pkts[dir];
	free(v);
	return sum;
}

static void thw_action(struct fx *f, __u32 ingress, __u32 egress)
{
	struct thw_cfg c = { .action = { ingress, egress } };
	__u32 zero = 0;

	assert_int_equal(bpf_map_update_elem(bpf_map__fd(f->thw->maps.thw_cfg), &zero, &c, BPF_ANY), 0);
}

static void hw_config(struct fx *f, __u32 action, __u32 nports, __u32 p0, __u32 p1)
{
	struct hw_cfg c = { .action = action, .nports = nports, .port = { p0, p1 } };
	__u32 zero = 0;

	assert_int_equal(bpf_map_update_elem(bpf_map__fd(f->hw->maps.hw_cfg), &zero, &c, BPF_ANY), 0);
}

/* Writes the per-CPU slot: md = { port, inject } on test_cpu; every other
 * CPU's element { MD_POISON, ARMED_TAG(lo) }. */
static void md_slot_set(struct fx *f, __u32 port, __u32 inject)
{
	struct bn_md *v = calloc(ncpus, sizeof(*v));
	__u32 zero = 0;

	assert_non_null(v);
	for (int i = 0; i < ncpus; i++)
		v[i] = (struct bn_md){ .port = MD_POISON, .inject = ARMED_TAG(f->lo) };
	v[test_cpu] = (struct bn_md){ .port = port, .inject = inject };
	assert_int_equal(bpf_map_update_elem(f->md_fd, &zero, v, BPF_ANY), 0);
	free(v);
}

/* test_cpu's slot; the programs ran on test_cpu only, so the other CPUs'
 * elements are as md_slot_set() left them. */
static struct bn_md md_slot_read(struct fx *f)
{
	struct bn_md *v = calloc(ncpus, sizeof(*v)), mine;
	__u32 zero = 0;

	assert_non_null(v);
	assert_int_equal(bpf_map_lookup_elem(f->md_fd, &zero, v), 0);
	for (int i = 0; i < ncpus; i++) {
		if (i == test_cpu)
			continue;
		assert_int_equal(v[i].port, MD_POISON);
		assert_int_equal(v[i].inject, ARMED_TAG(f->lo));
	}
	mine = v[test_cpu];
	free(v);
	return mine;
}

/* XDP test run; meta_len bytes of meta in the packet's metadata area (0:
 * none, as the framework's frames come), ifindex 0: the test framework's
 * default device (lo). */
static __u32 xdp_run(struct fx *f, struct bpf_program *prog, __u32 ifindex, const void *meta,
		     __u32 meta_len, const void *pkt, __u32 len, struct run *r)
{
	__u8 in[OUT_MAX];
	struct xdp_md ctx_in = { .data = meta_len, .data_end = meta_len + len,
				 .ingress_ifindex = ifindex };
	struct xdp_md ctx_out = {};
	struct bn_md md;
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = in, .data_size_in = meta_len + len,
		    .data_out = r->out, .data_size_out = sizeof(r->out), .ctx_in = &ctx_in,
		    .ctx_size_in = sizeof(ctx_in), .ctx_out = &ctx_out, .ctx_size_out = sizeof(ctx_out));

	assert_true(meta_len + len <= sizeof(in));
	if (meta_len)
		memcpy(in, meta, meta_len);
	memcpy(in + meta_len, pkt, len);
	assert_int_equal(sched_getcpu(), test_cpu);
	assert_int_equal(bpf_prog_test_run_opts(bpf_program__fd(prog), &o), 0);
	r->retval = o.retval;
	r->out_len = o.data_size_out;
	r->data_off = ctx_out.data;
	md = md_slot_read(f);
	r->md_port = md.port;
	r->md_inject = md.inject;
	return r->retval;
}

/* XDP program entered inside the chain of an injection: md = { port, tag }
 * in the per-CPU slot. */
static __u32 xdp_tag_run(struct fx *f, struct bpf_program *prog, __u32 port, __u32 tag, const void *pkt,
			 __u32 len, struct run *r)
{
	md_slot_set(f, port, tag);
	return xdp_run(f, prog, 0, NULL, 0, pkt, len, r);
}

/* XDP program entered inside the chain of a frame from the wire: md.port =
 * port, no tag (the entry cleared it); no program of a cube makes one up. */
static __u32 xdp_md_run(struct fx *f, struct bpf_program *prog, __u32 port, const void *pkt, __u32 len,
			struct run *r)
{
	xdp_tag_run(f, prog, port, 0, pkt, len, r);
	assert_int_equal(r->md_inject, 0);
	return r->retval;
}

/* XDP program as the driver runs it: packet from ifindex (0: the test
 * framework's default, lo), the slot holding nothing meaningful: no port,
 * and the unarmed tag for lo an injection whose chain did not end in PASS
 * leaves behind (an entry that did not clear it would arm it at a PASS). */
static __u32 xdp_wire_run(struct fx *f, struct bpf_program *prog, __u32 ifindex, const void *pkt,
			  __u32 len, struct run *r)
{
	md_slot_set(f, MD_POISON, STALE_TAG(f->lo));
	return xdp_run(f, prog, ifindex, NULL, 0, pkt, len, r);
}

/* TC program: skb->cb[0] = port, skb->cb[1] = cb1 (what the caller left
 * there: an injection tag, or garbage), skb->mark = mark; ifindex 0 leaves
 * the test framework's device (lo). */
static __u32 tc_cb_run(struct bpf_program *prog, __u32 port, __u32 cb1, __u32 ifindex, __u32 mark,
		       const void *pkt, __u32 len, struct run *r)
{
	struct __sk_buff ctx_in = { .ifindex = ifindex, .mark = mark };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = len, .data_out = r->out,
		    .data_size_out = sizeof(r->out), .ctx_in = &ctx_in, .ctx_size_in = sizeof(ctx_in),
		    .ctx_out = &r->skb, .ctx_size_out = sizeof(r->skb));

	ctx_in.cb[0] = port;
	ctx_in.cb[1] = cb1;
	memset(&r->skb, 0, sizeof(r->skb));
	assert_int_equal(bpf_prog_test_run_opts(bpf_program__fd(prog), &o), 0);
	r->retval = o.retval;
	r->out_len = o.data_size_out;
	r->data_off = 0;
	return r->retval;
}

static __u32 tc_mark_run(struct bpf_program *prog, __u32 port, __u32 ifindex, __u32 mark,
			 const void *pkt, __u32 len, struct run *r)
{
	return tc_cb_run(prog, port, 0, ifindex, mark, pkt, len, r);
}

static __u32 tc_run(struct bpf_program *prog, __u32 port, __u32 ifindex, const void *pkt, __u32 len,
		    struct run *r)
{
	return tc_mark_run(prog, port, ifindex, 0, pkt, len, r);
}

/* The packet came out unchanged, byte for byte: nothing in front of it
 * (XDP: no metadata area), nothing added or removed. */
static void assert_out_pkt(const struct run *r, const void *pkt, __u32 len)
{
	assert_int_equal(r->data_off, 0);
	assert_int_equal(r->out_len, len);
	assert_memory_equal(r->out, pkt, len);
}

static void assert_slowpath_ev(const struct evlog *l, int i, __u32 cube, __u32 port, const void *pkt,
			       __u32 len)
{
	const struct bn_event *e = &l->ev[i];
	__u32 cap = len < BN_EV_PKT_MAX ? len : BN_EV_PKT_MAX;

	assert_int_equal(l->size[i], sizeof(struct bn_event));
	assert_int_equal(e->kind, BN_EV_SLOWPATH);
	assert_int_equal(e->cube, cube);
	assert_int_equal(e->port, port);
	assert_int_equal(e->code, 0);
	assert_int_equal(e->pkt_len, len);
	assert_int_equal(e->cap_len, cap);
	assert_memory_equal(e->pkt, pkt, cap);
}

static void assert_log_ev(const struct evlog *l, int i, __u32 cube, __u32 level, __u32 code, __u32 arg)
{
	const struct bn_event *e = &l->ev[i];

	assert_int_equal(l->size[i], offsetof(struct bn_event, pkt));
	assert_int_equal(e->kind, BN_EV_LOG);
	assert_int_equal(e->cube, cube);
	assert_int_equal(e->level, level);
	assert_int_equal(e->code, code);
	assert_int_equal(e->arg, arg);
	assert_int_equal(e->cap_len, 0);
}

/* ----------------------------------------------------------- fixtures --- */

static int new_fx(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->lo = if_nametoindex("lo");
	*state = f;
	return f->lo > 0 ? 0 : -1;
}

static int open_rb(struct fx *f, struct bpf_map *events)
{
	f->rb = ring_buffer__new(bpf_map__fd(events), on_event, &f->log, NULL);
	return f->rb ? 0 : -1;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	if (!f)
		return 0;
	ring_buffer__free(f->rb);
	helloworld_bpf__destroy(f->hw);
	transparenthelloworld_bpf__destroy(f->thw);
	simpleforwarder_bpf__destroy(f->sf);
	core_bpf__destroy(f->core);
	free(f);
	*state = NULL;
	return 0;
}

/* A simpleforwarder on its own: its own program arrays and ring. */
static int setup_sf(void **state)
{
	struct fx *f;

	if (new_fx(state))
		return -1;
	f = *state;
	f->sf = simpleforwarder_bpf__open_and_load();
	if (!f->sf)
		return -1;
	f->md_fd = bpf_map__fd(f->sf->maps.bn_xdp_md_slot);
	set_cfg(f->sf->maps.bn_cfg, SF_CFG_ID, LL_INFO);
	return open_rb(f, f->sf->maps.bn_events);
}

static int setup_hw(void **state)
{
	struct fx *f;

	if (new_fx(state))
		return -1;
	f = *state;
	f->hw = helloworld_bpf__open_and_load();
	if (!f->hw)
		return -1;
	f->md_fd = bpf_map__fd(f->hw->maps.bn_xdp_md_slot);
	set_cfg(f->hw->maps.bn_cfg, HW_ID, LL_INFO);
	return open_rb(f, f->hw->maps.bn_events);
}

/* What the framework does: cubes reuse the core's program arrays, ring and
 * XDP metadata slot. */
#define REUSE_SHARED(skel, core)                                                             \
	(bpf_map__reuse_fd((skel)->maps.bn_xdp_progs, bpf_map__fd((core)->maps.bn_xdp_progs)) ||     \
	 bpf_map__reuse_fd((skel)->maps.bn_tc_progs, bpf_map__fd((core)->maps.bn_tc_progs)) ||       \
	 bpf_map__reuse_fd((skel)->maps.bn_events, bpf_map__fd((core)->maps.bn_events)) ||           \
	 bpf_map__reuse_fd((skel)->maps.bn_xdp_md_slot, bpf_map__fd((core)->maps.bn_xdp_md_slot)))

static int set_slot(int progs_fd, __u32 slot, struct bpf_program *p)
{
	int fd = bpf_program__fd(p);

	return bpf_map_update_elem(progs_fd, &slot, &fd, BPF_ANY);
}

/* core + simpleforwarder (id SF_ID) + transparenthelloworld (id THW_ID). */
static int setup_chain(void **state)
{
	struct fx *f;
	int xp, tp;

	if (new_fx(state))
		return -1;
	f = *state;
	f->core = core_bpf__open_and_load();
	if (!f->core)
		return -1;
	f->sf = simpleforwarder_bpf__open();
	f->thw = transparenthelloworld_bpf__open();
	if (!f->sf || !f->thw)
		return -1;
	if (REUSE_SHARED(f->sf, f->core) || REUSE_SHARED(f->thw, f->core))
		return -1;
	if (simpleforwarder_bpf__load(f->sf) || transparenthelloworld_bpf__load(f->thw))
		return -1;
	xp = bpf_map__fd(f->core->maps.bn_xdp_progs);
	tp = bpf_map__fd(f->core->maps.bn_tc_progs);
	if (set_slot(xp, SLOT(SF_ID, BN_SLOT_RX), f->sf->progs.bn_xdp_rx) ||
	    set_slot(tp, SLOT(SF_ID, BN_SLOT_RX), f->sf->progs.bn_tc_rx) ||
	    set_slot(xp, SLOT(THW_ID, BN_SLOT_INGRESS), f->thw->progs.bn_xdp_ingress) ||
	    set_slot(xp, SLOT(THW_ID, BN_SLOT_EGRESS), f->thw->progs.bn_xdp_egress) ||
	    set_slot(tp, SLOT(THW_ID, BN_SLOT_INGRESS), f->thw->progs.bn_tc_ingress) ||
	    set_slot(tp, SLOT(THW_ID, BN_SLOT_EGRESS), f->thw->progs.bn_tc_egress))
		return -1;
	f->md_fd = bpf_map__fd(f->core->maps.bn_xdp_md_slot);
	set_cfg(f->sf->maps.bn_cfg, SF_ID, LL_INFO);
	set_cfg(f->thw->maps.bn_cfg, THW_ID, LL_INFO);
	return open_rb(f, f->core->maps.bn_events);
}

static const struct bn_hop HOP_NONE = { .kind = BN_HOP_DROP };

static struct bn_hop hop(__u32 kind, __u32 slot, __u32 ifindex, __u32 port)
{
	return (struct bn_hop){ .kind = kind, .slot = slot, .ifindex = ifindex, .port = port };
}

/* ------------------------------------------------------ packet builder --- */

static void test_pkt_builder(void **state)
{
	const struct iphdr *ip = (const struct iphdr *)(udp64 + PKT_L2);
	uint8_t bad[sizeof(udp64)];

	assert_true(pkt_csum_ok(udp64, sizeof(udp64)));
	assert_true(pkt_csum_ok(icmp98, sizeof(icmp98)));
	assert_true(pkt_csum_ok(udp300, sizeof(udp300)));
	assert_int_equal(ntohs(ip->tot_len), 50);
	assert_int_equal(ntohs(((const struct udphdr *)(udp64 + PKT_L3))->len), 30);
	memcpy(bad, udp64, sizeof(bad));
	bad[sizeof(bad) - 1] ^= 0x01;
	assert_false(pkt_csum_ok(bad, sizeof(bad)));
}

/* ------------------------------------------------ simpleforwarder XDP --- */

static void test_sf_xdp_forward_netdev(void **state)
{
	struct fx *f = *state;
	int ports = bpf_map__fd(f->sf->maps.bn_ports);
	struct run r;

	sf_action(f, 0, SF_FORWARD, 1);
	set_hop(ports, 1, BN_HOP_NETDEV, 0, f->lo, 0);

	assert_int_equal(xdp_md_run(f, f->sf->progs.bn_xdp_rx, 0, udp64, sizeof(udp64), &r), XDP_REDIRECT);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.md_port, 0);
	assert_sf_counter(f, 0, 1, sizeof(udp64));
	assert_sf_counter(f, 1, 0, 0);

	assert_int_equal(xdp_md_run(f, f->sf->progs.bn_xdp_rx, 0, icmp98, sizeof(icmp98), &r), XDP_REDIRECT);
	assert_out_pkt(&r, icmp98, sizeof(icmp98));
	assert_sf_counter(f, 0, 2, sizeof(udp64) + sizeof(icmp98));
	assert_int_equal(drain(f), 0);
}

static void test_sf_xdp_no_action_drops(void **state)
{
	struct fx *f = *state;
	int ports = bpf_map__fd(f->sf->maps.bn_ports);
	struct run r;

	/* port 1 has a way out but no action of its own */
	sf_action(f, 0, SF_FORWARD, 1);
	set_hop(ports, 0, BN_HOP_NETDEV, 0, f->lo, 0);
	set_hop(ports, 1, BN_HOP_NETDEV, 0, f->lo, 0);
	assert_int_equal(xdp_md_run(f, f->sf->progs.bn_xdp_rx, 1, udp64, sizeof(udp64), &r), XDP_DROP);
	/* an input port beyond the cube's ports */
	assert_int_equal(xdp_md_run(f, f->sf->progs.bn_xdp_rx, BN_MAX_PORTS, udp64, sizeof(udp64), &r),
			 XDP_DROP);
	assert_sf_counter(f, 0, 0, 0);
	assert_int_equal(drain(f), 0);
}

static void test_sf_xdp_drop_action(void **state)
{
	struct fx *f = *state;
	struct run r;

	sf_action(f, 0, SF_DROP, 0);
	set_hop(bpf_map__fd(f->sf->maps.bn_ports), 0, BN_HOP_NETDEV, 0, f->lo, 0);
	assert_int_equal(xdp_md_run(f, f->sf->progs.bn_xdp_rx, 0, udp64, sizeof(udp64), &r), XDP_DROP);
	assert_sf_counter(f, 0, 1, sizeof(udp64));
	assert_int_equal(drain(f), 0);
}

static void test_sf_xdp_slowpath(void **state)
{
	struct fx *f = *state;
	struct run r;

	sf_action(f, 2, SF_SLOWPATH, 0);
	assert_int_equal(drain(f), 0);

	assert_int_equal(xdp_md_run(f, f->sf->progs.bn_xdp_rx, 2, udp64, sizeof(udp64), &r), XDP_DROP);
	assert_int_equal(drain(f), 1);
	assert_slowpath_ev(&f->log, 0, SF_CFG_ID, 2, udp64, sizeof(udp64));

	assert_int_equal(xdp_md_run(f, f->sf->progs.bn_xdp_rx, 2, icmp98, sizeof(icmp98), &r), XDP_DROP);
	assert_int_equal(drain(f), 1);
	assert_slowpath_ev(&f->log, 0, SF_CFG_ID, 2, icmp98, sizeof(icmp98));

	/* longer than BN_EV_PKT_MAX: the first bytes, the whole length */
	assert_int_equal(xdp_md_run(f, f->sf->progs.bn_xdp_rx, 2, udp300, sizeof(udp300), &r), XDP_DROP);
	assert_int_equal(drain(f), 1);
	assert_slowpath_ev(&f->log, 0, SF_CFG_ID, 2, udp300, sizeof(udp300));

	assert_sf_counter(f, 2, 3, sizeof(udp64) + sizeof(icmp98) + sizeof(udp300));
}

static void test_sf_xdp_hop_pass(void **state)
{
	struct fx *f = *state;
	struct run r;

	sf_action(f, 0, SF_FORWARD, 1);
	set_hop(bpf_map__fd(f->sf->maps.bn_ports), 1, BN_HOP_PASS, 0, 0, 0);
	assert_int_equal(xdp_md_run(f, f->sf->progs.bn_xdp_rx, 0, udp64, sizeof(udp64), &r), XDP_PASS);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_sf_counter(f, 0, 1, sizeof(udp64));

	/* inside an injection's chain: the PASS hop arms a tag that has
	 * BN_INJ_GENERIC, and leaves any other as it is */
	assert_int_equal(xdp_tag_run(f, f->sf->progs.bn_xdp_rx, 0, STALE_TAG(f->lo), udp64, sizeof(udp64), &r),
			 XDP_PASS);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.md_inject, ARMED_TAG(f->lo));
	assert_int_equal(xdp_tag_run(f, f->sf->progs.bn_xdp_rx, 0, bn_inject_tag(f->lo, BN_INJ_WIRE | BN_INJ_GENERIC),
				     udp64, sizeof(udp64), &r), XDP_PASS);
	assert_int_equal(r.md_inject, bn_inject_tag(f->lo, BN_INJ_WIRE | BN_INJ_GENERIC) | BN_INJ_ARMED);
	assert_int_equal(xdp_tag_run(f, f->sf->progs.bn_xdp_rx, 0, ARMED_TAG(f->lo), udp64, sizeof(udp64), &r),
			 XDP_PASS);
	assert_int_equal(r.md_inject, ARMED_TAG(f->lo));
	assert_int_equal(xdp_tag_run(f, f->sf->progs.bn_xdp_rx, 0, bn_inject_tag(f->lo, 0), udp64, sizeof(udp64),
				     &r), XDP_PASS);
	assert_int_equal(r.md_inject, bn_inject_tag(f->lo, 0));
	assert_int_equal(xdp_tag_run(f, f->sf->progs.bn_xdp_rx, 0, bn_inject_tag(f->lo, BN_INJ_WIRE), udp64,
				     sizeof(udp64), &r), XDP_PASS);
	assert_int_equal(r.md_inject, bn_inject_tag(f->lo, BN_INJ_WIRE));
	assert_int_equal(r.md_port, 0);
	assert_sf_counter(f, 0, 6, 6 * sizeof(udp64));
}

static void test_sf_xdp_hop_drop(void **state)
{
	struct fx *f = *state;
	int ports = bpf_map__fd(f->sf->maps.bn_ports);
	struct run r;

	/* explicit DROP hop */
	sf_action(f, 0, SF_FORWARD, 1);
	set_hop(ports, 1, BN_HOP_DROP, 0, f->lo, 0);
	assert_int_equal(xdp_md_run(f, f->sf->progs.bn_xdp_rx, 0, udp64, sizeof(udp64), &r), XDP_DROP);
	/* never-written hop (all zero = DROP) */
	sf_action(f, 0, SF_FORWARD, 5);
	assert_int_equal(xdp_md_run(f, f->sf->progs.bn_xdp_rx, 0, udp64, sizeof(udp64), &r), XDP_DROP);
	/* out port beyond the ports map */
	sf_action(f, 0, SF_FORWARD, BN_MAX_PORTS + 3);
	assert_int_equal(xdp_md_run(f, f->sf->progs.bn_xdp_rx, 0, udp64, sizeof(udp64), &r), XDP_DROP);
	/* unknown hop kind */
	sf_action(f, 0, SF_FORWARD, 1);
	set_hop(ports, 1, 42, 0, f->lo, 0);
	assert_int_equal(xdp_md_run(f, f->sf->progs.bn_xdp_rx, 0, udp64, sizeof(udp64), &r), XDP_DROP);
	assert_sf_counter(f, 0, 4, 4 * sizeof(udp64));

	/* inside an injection's chain: a hop that is not PASS, or no hop at
	 * all (the cube's own drop), arms nothing */
	assert_int_equal(xdp_tag_run(f, f->sf->progs.bn_xdp_rx, 0, STALE_TAG(f->lo), udp64, sizeof(udp64), &r),
			 XDP_DROP);
	assert_int_equal(r.md_inject, STALE_TAG(f->lo));
	set_hop(ports, 1, BN_HOP_DROP, 0, f->lo, 0);
	assert_int_equal(xdp_tag_run(f, f->sf->progs.bn_xdp_rx, 0, STALE_TAG(f->lo), udp64, sizeof(udp64), &r),
			 XDP_DROP);
	assert_int_equal(r.md_inject, STALE_TAG(f->lo));
	set_hop(ports, 1, BN_HOP_NETDEV, 0, f->lo, 0);
	assert_int_equal(xdp_tag_run(f, f->sf->progs.bn_xdp_rx, 0, STALE_TAG(f->lo), udp64, sizeof(udp64), &r),
			 XDP_REDIRECT);
	assert_int_equal(r.md_inject, STALE_TAG(f->lo));
	sf_action(f, 0, SF_DROP, 1);
	assert_int_equal(xdp_tag_run(f, f->sf->progs.bn_xdp_rx, 0, STALE_TAG(f->lo), udp64, sizeof(udp64), &r),
			 XDP_DROP);
	assert_int_equal(r.md_inject, STALE_TAG(f->lo));
	assert_sf_counter(f, 0, 8, 8 * sizeof(udp64));
}

/* The port comes from the per-CPU slot, never from the packet: a frame
 * without any headroom for metadata is forwarded byte for byte (no 8 bytes
 * of struct bn_md in front of it), and a metadata area the frame happens to
 * carry is neither read nor touched. */
static void test_sf_xdp_port_not_in_packet(void **state)
{
	struct fx *f = *state;
	int ports = bpf_map__fd(f->sf->maps.bn_ports);
	struct bn_md stale = { .port = 4, .inject = ARMED_TAG(f->lo) };
	struct run r;

	sf_action(f, 0, SF_FORWARD, 1);
	sf_action(f, 4, SF_DROP, 0);
	set_hop(ports, 1, BN_HOP_NETDEV, 0, f->lo, 0);

	/* as a driver hands it over: no metadata area at all */
	assert_int_equal(xdp_md_run(f, f->sf->progs.bn_xdp_rx, 0, udp300, sizeof(udp300), &r),
			 XDP_REDIRECT);
	assert_int_equal(r.data_off, 0);
	assert_int_equal(r.out_len, sizeof(udp300));
	assert_memory_equal(r.out, udp300, sizeof(udp300));

	/* a metadata area saying port 4 (drop); the slot says port 0 */
	md_slot_set(f, 0, 0);
	assert_int_equal(xdp_run(f, f->sf->progs.bn_xdp_rx, 0, &stale, sizeof(stale), udp64,
				 sizeof(udp64), &r), XDP_REDIRECT);
	assert_int_equal(r.data_off, sizeof(stale));
	assert_int_equal(r.out_len, sizeof(stale) + sizeof(udp64));
	assert_memory_equal(r.out, &stale, sizeof(stale));
	assert_memory_equal(r.out + sizeof(stale), udp64, sizeof(udp64));
	assert_int_equal(r.md_port, 0);

	assert_sf_counter(f, 0, 2, sizeof(udp300) + sizeof(udp64));
	assert_sf_counter(f, 4, 0, 0);
	assert_int_equal(drain(f), 0);
}

/* A PROG hop rewrites md.port and tail-calls: here into the cube itself
 * (its own program array), port 0 -> hop PROG(port 4) -> port 5 -> lo. */
static void test_sf_xdp_prog_hop_sets_port(void **state)
{
	struct fx *f = *state;
	int ports = bpf_map__fd(f->sf->maps.bn_ports);
	struct run r;

	assert_int_equal(set_slot(bpf_map__fd(f->sf->maps.bn_xdp_progs), SLOT(SF_CFG_ID, BN_SLOT_RX),
				  f->sf->progs.bn_xdp_rx), 0);
	sf_action(f, 0, SF_FORWARD, 1);
	set_hop(ports, 1, BN_HOP_PROG, SLOT(SF_CFG_ID, BN_SLOT_RX), 0, 4);
	sf_action(f, 4, SF_FORWARD, 5);
	set_hop(ports, 5, BN_HOP_NETDEV, 0, f->lo, 0);

	assert_int_equal(xdp_md_run(f, f->sf->progs.bn_xdp_rx, 0, udp64, sizeof(udp64), &r), XDP_REDIRECT);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.md_port, 4);
	assert_sf_counter(f, 0, 1, sizeof(udp64));
	assert_sf_counter(f, 4, 1, sizeof(udp64));
	assert_sf_counter(f, 1, 0, 0);
}

/* ------------------------------------------------- simpleforwarder TC --- */

static void test_sf_tc_forward_netdev(void **state)
{
	struct fx *f = *state;
	struct run r;

	sf_action(f, 0, SF_FORWARD, 1);
	set_hop(bpf_map__fd(f->sf->maps.bn_ports), 1, BN_HOP_NETDEV, 0, f->lo, 0);
	assert_int_equal(tc_run(f->sf->progs.bn_tc_rx, 0, 0, udp64, sizeof(udp64), &r), TC_ACT_REDIRECT);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_sf_counter(f, 0, 1, sizeof(udp64));
	assert_int_equal(tc_run(f->sf->progs.bn_tc_rx, 0, 0, icmp98, sizeof(icmp98), &r), TC_ACT_REDIRECT);
	assert_out_pkt(&r, icmp98, sizeof(icmp98));
	assert_sf_counter(f, 0, 2, sizeof(udp64) + sizeof(icmp98));
	assert_sf_counter(f, 1, 0, 0);
}

static void test_sf_tc_verdicts(void **state)
{
	struct fx *f = *state;
	int ports = bpf_map__fd(f->sf->maps.bn_ports);
	struct run r;

	set_hop(ports, 1, BN_HOP_PASS, 0, 0, 0);
	set_hop(ports, 2, BN_HOP_DROP, 0, 0, 0);
	sf_action(f, 0, SF_FORWARD, 1);
	sf_action(f, 1, SF_FORWARD, 2);
	sf_action(f, 3, SF_DROP, 1);
	assert_int_equal(tc_run(f->sf->progs.bn_tc_rx, 0, 0, udp64, sizeof(udp64), &r), TC_ACT_OK);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(tc_run(f->sf->progs.bn_tc_rx, 1, 0, udp64, sizeof(udp64), &r), TC_ACT_SHOT);
	assert_int_equal(tc_run(f->sf->progs.bn_tc_rx, 2, 0, udp64, sizeof(udp64), &r), TC_ACT_SHOT);
	assert_int_equal(tc_run(f->sf->progs.bn_tc_rx, 3, 0, udp64, sizeof(udp64), &r), TC_ACT_SHOT);
	assert_int_equal(tc_run(f->sf->progs.bn_tc_rx, BN_MAX_PORTS, 0, udp64, sizeof(udp64), &r),
			 TC_ACT_SHOT);
	assert_sf_counter(f, 0, 1, sizeof(udp64));
	assert_sf_counter(f, 1, 1, sizeof(udp64));
	assert_sf_counter(f, 3, 1, sizeof(udp64));
	assert_int_equal(drain(f), 0);
}

static void test_sf_tc_slowpath(void **state)
{
	struct fx *f = *state;
	struct run r;

	sf_action(f, 2, SF_SLOWPATH, 0);
	assert_int_equal(tc_run(f->sf->progs.bn_tc_rx, 2, 0, icmp98, sizeof(icmp98), &r), TC_ACT_SHOT);
	assert_int_equal(drain(f), 1);
	assert_slowpath_ev(&f->log, 0, SF_CFG_ID, 2, icmp98, sizeof(icmp98));
	assert_int_equal(tc_run(f->sf->progs.bn_tc_rx, 2, 0, udp300, sizeof(udp300), &r), TC_ACT_SHOT);
	assert_int_equal(drain(f), 1);
	assert_slowpath_ev(&f->log, 0, SF_CFG_ID, 2, udp300, sizeof(udp300));
}

/* TC PROG hop: skb->cb[0] carries the port into the next program. */
static void test_sf_tc_prog_hop_sets_port(void **state)
{
	struct fx *f = *state;
	int ports = bpf_map__fd(f->sf->maps.bn_ports);
	struct run r;

	assert_int_equal(set_slot(bpf_map__fd(f->sf->maps.bn_tc_progs), SLOT(SF_CFG_ID, BN_SLOT_RX),
				  f->sf->progs.bn_tc_rx), 0);
	sf_action(f, 0, SF_FORWARD, 1);
	set_hop(ports, 1, BN_HOP_PROG, SLOT(SF_CFG_ID, BN_SLOT_RX), 0, 4);
	sf_action(f, 4, SF_FORWARD, 5);
	set_hop(ports, 5, BN_HOP_NETDEV, 0, f->lo, 0);

	assert_int_equal(tc_run(f->sf->progs.bn_tc_rx, 0, 0, udp64, sizeof(udp64), &r), TC_ACT_REDIRECT);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.skb.cb[0], 4);
	assert_sf_counter(f, 0, 1, sizeof(udp64));
	assert_sf_counter(f, 4, 1, sizeof(udp64));
}

/* ------------------------------------------------ core entry chaining --- */

static __u32 map_id(const struct bpf_map *m)
{
	struct bpf_map_info i = {};
	__u32 len = sizeof(i);

	assert_int_equal(bpf_obj_get_info_by_fd(bpf_map__fd(m), &i, &len), 0);
	assert_int_not_equal(i.id, 0);
	return i.id;
}

static void test_chain_maps_shared(void **state)
{
	struct fx *f = *state;
	__u32 id;

	id = map_id(f->core->maps.bn_xdp_progs);
	assert_int_equal(map_id(f->sf->maps.bn_xdp_progs), id);
	assert_int_equal(map_id(f->thw->maps.bn_xdp_progs), id);
	id = map_id(f->core->maps.bn_tc_progs);
	assert_int_equal(map_id(f->sf->maps.bn_tc_progs), id);
	assert_int_equal(map_id(f->thw->maps.bn_tc_progs), id);
	id = map_id(f->core->maps.bn_events);
	assert_int_equal(map_id(f->sf->maps.bn_events), id);
	assert_int_equal(map_id(f->thw->maps.bn_events), id);
	id = map_id(f->core->maps.bn_xdp_md_slot);
	assert_int_equal(map_id(f->sf->maps.bn_xdp_md_slot), id);
	assert_int_equal(map_id(f->thw->maps.bn_xdp_md_slot), id);
	/* the per-cube maps stay per cube */
	assert_int_not_equal(map_id(f->sf->maps.bn_ports), map_id(f->thw->maps.bn_ports));
}

/* The entry, the transparent cube and the cube read and write one slot: the
 * port of each PROG hop is what the next program gets. With a slot of its
 * own, the sf would see port 0 (drop) or MD_POISON (drop) instead of 6. */
static void test_chain_md_slot_shared(void **state)
{
	struct fx *f = *state;
	int sf_ports = bpf_map__fd(f->sf->maps.bn_ports);
	struct run r;

	sf_action(f, 0, SF_DROP, 0);
	sf_action(f, 6, SF_FORWARD, 1);
	sf_action(f, 7, SF_FORWARD, 2);
	set_hop(sf_ports, 1, BN_HOP_NETDEV, 0, f->lo, 0);
	set_hop(sf_ports, 2, BN_HOP_PASS, 0, 0, 0);
	thw_action(f, THW_PASS, THW_PASS);
	/* entry (port 7 for the tcube, which ignores it) -> thw -> sf port 6 */
	set_hop(bpf_map__fd(f->thw->maps.bn_ports), BN_DIR_INGRESS, BN_HOP_PROG,
		SLOT(SF_ID, BN_SLOT_RX), 0, 6);
	set_iface(f, f->lo, hop(BN_HOP_PROG, SLOT(THW_ID, BN_SLOT_INGRESS), 0, 7), HOP_NONE);

	assert_int_equal(xdp_wire_run(f, f->core->progs.bn_xdp_entry, f->lo, udp64, sizeof(udp64), &r),
			 XDP_REDIRECT);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.md_port, 6);
	assert_int_equal(r.md_inject, 0);
	assert_int_equal(thw_count(f, BN_DIR_INGRESS), 1);
	assert_sf_counter(f, 6, 1, sizeof(udp64));
	assert_sf_counter(f, 7, 0, 0);
	assert_sf_counter(f, 0, 0, 0);

	/* entry straight into the sf, port 7 */
	set_iface(f, f->lo, hop(BN_HOP_PROG, SLOT(SF_ID, BN_SLOT_RX), 0, 7), HOP_NONE);
	assert_int_equal(xdp_wire_run(f, f->core->progs.bn_xdp_entry, f->lo, icmp98, sizeof(icmp98), &r),
			 XDP_PASS);
	assert_out_pkt(&r, icmp98, sizeof(icmp98));
	assert_int_equal(r.md_port, 7);
	assert_int_equal(r.md_inject, 0);	/* cleared by the entry, not armed by the PASS */
	assert_sf_counter(f, 7, 1, sizeof(icmp98));

	/* written through the core's map, read by the sf's program */
	assert_int_equal(xdp_md_run(f, f->sf->progs.bn_xdp_rx, 6, udp64, sizeof(udp64), &r), XDP_REDIRECT);
	assert_sf_counter(f, 6, 2, 2 * sizeof(udp64));
	assert_sf_counter(f, 0, 0, 0);
	assert_int_equal(drain(f), 0);
}

static void test_core_xdp_entry_to_sf(void **state)
{
	struct fx *f = *state;
	struct run r;

	sf_action(f, 0, SF_FORWARD, 1);
	set_hop(bpf_map__fd(f->sf->maps.bn_ports), 1, BN_HOP_NETDEV, 0, f->lo, 0);
	set_iface(f, f->lo, hop(BN_HOP_PROG, SLOT(SF_ID, BN_SLOT_RX), 0, 0), HOP_NONE);

	assert_int_equal(xdp_wire_run(f, f->core->progs.bn_xdp_entry, f->lo, udp64, sizeof(udp64), &r),
			 XDP_REDIRECT);
	/* the entry wrote md.port (the slot was poisoned), cleared md.inject;
	 * no bytes added */
	assert_int_equal(r.md_port, 0);
	assert_int_equal(r.md_inject, 0);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_sf_counter(f, 0, 1, sizeof(udp64));

	/* the port of the hop reaches the cube */
	sf_action(f, 6, SF_FORWARD, 1);
	set_iface(f, f->lo, hop(BN_HOP_PROG, SLOT(SF_ID, BN_SLOT_RX), 0, 6), HOP_NONE);
	assert_int_equal(xdp_wire_run(f, f->core->progs.bn_xdp_entry, f->lo, icmp98, sizeof(icmp98), &r),
			 XDP_REDIRECT);
	assert_int_equal(r.md_port, 6);
	assert_out_pkt(&r, icmp98, sizeof(icmp98));
	assert_sf_counter(f, 6, 1, sizeof(icmp98));
	assert_sf_counter(f, 0, 1, sizeof(udp64));
}

static void test_core_tc_entry_to_sf(void **state)
{
	struct fx *f = *state;
	int ports = bpf_map__fd(f->sf->maps.bn_ports);
	struct run r;

	/* a TC test run has skb->dev = lo unless ctx.ifindex names another */
	sf_action(f, 0, SF_FORWARD, 1);
	sf_action(f, 3, SF_FORWARD, 2);
	set_hop(ports, 1, BN_HOP_NETDEV, 0, f->lo, 0);
	set_hop(ports, 2, BN_HOP_PASS, 0, 0, 0);
	set_iface(f, f->lo, hop(BN_HOP_PROG, SLOT(SF_ID, BN_SLOT_RX), 0, 0),
		  hop(BN_HOP_PROG, SLOT(SF_ID, BN_SLOT_RX), 0, 3));

	assert_int_equal(tc_run(f->core->progs.bn_tc_ingress_entry, 0, 0, udp64, sizeof(udp64), &r),
			 TC_ACT_REDIRECT);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.skb.cb[0], 0);
	assert_int_equal(r.skb.ifindex, f->lo);
	assert_sf_counter(f, 0, 1, sizeof(udp64));

	/* same with the ifindex given explicitly */
	assert_int_equal(tc_run(f->core->progs.bn_tc_ingress_entry, 0, f->lo, udp64, sizeof(udp64), &r),
			 TC_ACT_REDIRECT);
	assert_sf_counter(f, 0, 2, 2 * sizeof(udp64));

	/* egress entry: its own hop (port 3), cb[0] set by the entry even if
	 * the skb came with garbage there */
	assert_int_equal(tc_run(f->core->progs.bn_tc_egress_entry, 77, 0, icmp98, sizeof(icmp98), &r),
			 TC_ACT_OK);
	assert_int_equal(r.skb.cb[0], 3);
	assert_out_pkt(&r, icmp98, sizeof(icmp98));
	assert_sf_counter(f, 3, 1, sizeof(icmp98));
	assert_sf_counter(f, 77, 0, 0);
}

static void test_core_unknown_ifindex(void **state)
{
	struct fx *f = *state;
	struct run r;

	sf_action(f, 0, SF_FORWARD, 1);
	set_hop(bpf_map__fd(f->sf->maps.bn_ports), 1, BN_HOP_NETDEV, 0, f->lo, 0);
	/* nothing for lo */
	assert_int_equal(xdp_wire_run(f, f->core->progs.bn_xdp_entry, f->lo, udp64, sizeof(udp64), &r), XDP_PASS);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(tc_run(f->core->progs.bn_tc_ingress_entry, 0, 0, udp64, sizeof(udp64), &r), TC_ACT_OK);
	assert_int_equal(tc_run(f->core->progs.bn_tc_egress_entry, 0, 0, udp64, sizeof(udp64), &r), TC_ACT_OK);
	/* something for another ifindex only */
	set_iface(f, f->lo + 1000, hop(BN_HOP_PROG, SLOT(SF_ID, BN_SLOT_RX), 0, 0),
		  hop(BN_HOP_PROG, SLOT(SF_ID, BN_SLOT_RX), 0, 0));
	assert_int_equal(xdp_wire_run(f, f->core->progs.bn_xdp_entry, f->lo, udp64, sizeof(udp64), &r), XDP_PASS);
	assert_int_equal(xdp_wire_run(f, f->core->progs.bn_xdp_entry, 0, udp64, sizeof(udp64), &r), XDP_PASS);
	assert_int_equal(tc_run(f->core->progs.bn_tc_ingress_entry, 0, 0, udp64, sizeof(udp64), &r), TC_ACT_OK);
	assert_int_equal(tc_run(f->core->progs.bn_tc_egress_entry, 0, 0, udp64, sizeof(udp64), &r), TC_ACT_OK);
	assert_sf_counter(f, 0, 0, 0);
}

static void test_core_empty_slot(void **state)
{
	struct fx *f = *state;
	__u32 empty = SLOT(SF_ID + 1, BN_SLOT_RX);
	struct run r;

	sf_action(f, 0, SF_FORWARD, 1);
	set_hop(bpf_map__fd(f->sf->maps.bn_ports), 1, BN_HOP_NETDEV, 0, f->lo, 0);
	set_iface(f, f->lo, hop(BN_HOP_PROG, empty, 0, 0), hop(BN_HOP_PROG, empty, 0, 0));
	assert_int_equal(xdp_wire_run(f, f->core->progs.bn_xdp_entry, f->lo, udp64, sizeof(udp64), &r), XDP_DROP);
	assert_int_equal(tc_run(f->core->progs.bn_tc_ingress_entry, 0, 0, udp64, sizeof(udp64), &r), TC_ACT_SHOT);
	assert_int_equal(tc_run(f->core->progs.bn_tc_egress_entry, 0, 0, udp64, sizeof(udp64), &r), TC_ACT_SHOT);
	/* a slot past the array */
	set_iface(f, f->lo, hop(BN_HOP_PROG, BN_PROG_SLOTS + 1, 0, 0), HOP_NONE);
	assert_int_equal(xdp_wire_run(f, f->core->progs.bn_xdp_entry, f->lo, udp64, sizeof(udp64), &r), XDP_DROP);
	assert_int_equal(tc_run(f->core->progs.bn_tc_ingress_entry, 0, 0, udp64, sizeof(udp64), &r), TC_ACT_SHOT);
	/* the slot filled in the other mode's array only: still empty here */
	assert_int_equal(bpf_map_delete_elem(bpf_map__fd(f->core->maps.bn_tc_progs),
					     &(__u32){ SLOT(SF_ID, BN_SLOT_RX) }), 0);
	set_iface(f, f->lo, hop(BN_HOP_PROG, SLOT(SF_ID, BN_SLOT_RX), 0, 0), HOP_NONE);
	assert_int_equal(tc_run(f->core->progs.bn_tc_ingress_entry, 0, 0, udp64, sizeof(udp64), &r), TC_ACT_SHOT);
	assert_sf_counter(f, 0, 0, 0);
	/* the XDP one is still there */
	assert_int_equal(xdp_wire_run(f, f->core->progs.bn_xdp_entry, f->lo, udp64, sizeof(udp64), &r), XDP_REDIRECT);
	assert_sf_counter(f, 0, 1, sizeof(udp64));
}

static void test_core_entry_direct_hops(void **state)
{
	struct fx *f = *state;
	struct run r;

	set_iface(f, f->lo, hop(BN_HOP_NETDEV, 0, f->lo, 0), hop(BN_HOP_PASS, 0, 0, 0));
	assert_int_equal(xdp_wire_run(f, f->core->progs.bn_xdp_entry, f->lo, udp64, sizeof(udp64), &r), XDP_REDIRECT);
	assert_int_equal(tc_run(f->core->progs.bn_tc_ingress_entry, 0, 0, udp64, sizeof(udp64), &r), TC_ACT_REDIRECT);
	assert_int_equal(tc_run(f->core->progs.bn_tc_egress_entry, 0, 0, udp64, sizeof(udp64), &r), TC_ACT_OK);
	set_iface(f, f->lo, hop(BN_HOP_PASS, 0, 0, 0), HOP_NONE);
	assert_int_equal(xdp_wire_run(f, f->core->progs.bn_xdp_entry, f->lo, udp64, sizeof(udp64), &r), XDP_PASS);
	assert_int_equal(r.md_inject, 0);
	assert_int_equal(tc_run(f->core->progs.bn_tc_ingress_entry, 0, 0, udp64, sizeof(udp64), &r), TC_ACT_OK);
	assert_int_equal(tc_run(f->core->progs.bn_tc_egress_entry, 0, 0, udp64, sizeof(udp64), &r), TC_ACT_SHOT);
	set_iface(f, f->lo, HOP_NONE, HOP_NONE);
	assert_int_equal(xdp_wire_run(f, f->core->progs.bn_xdp_entry, f->lo, udp64, sizeof(udp64), &r), XDP_DROP);
	assert_int_equal(tc_run(f->core->progs.bn_tc_ingress_entry, 0, 0, udp64, sizeof(udp64), &r), TC_ACT_SHOT);
}

/* ------------------------------------------------- packet-out (inject) --- */

static struct bn_inject inj_of(struct bn_hop h, __u32 pass_ifindex, __u32 flags)
{
	return (struct bn_inject){ .hop = h, .pass_ifindex = pass_ifindex, .flags = flags };
}

/* bn_xdp_inject as inject_xdp runs it: the struct bn_inject in the frame's
 * metadata area, the packet after it; ifindex: the run's ingress_ifindex
 * (0: lo). The per-CPU slots hold what the caller wrote. The program strips
 * the metadata (bpf_xdp_adjust_meta): what it hands on is the packet alone,
 * checked with assert_out_pkt(). */
static __u32 xdp_inject_run(struct fx *f, const struct bn_inject *inj, __u32 ifindex, const void *pkt,
			    __u32 len, struct run *r)
{
	return xdp_run(f, f->core->progs.bn_xdp_inject, ifindex, inj, sizeof(*inj), pkt, len, r);
}

static void set_inject(struct fx *f, __u32 slot, struct bn_inject inj)
{
	assert_int_equal(bpf_map_update_elem(bpf_map__fd(f->core->maps.bn_inject), &slot, &inj, BPF_ANY), 0);
}

/* lo's ingress leads to sf port 0, its egress to sf port 3; both forward
 * out of port 1 (lo). */
static void inject_chain(struct fx *f)
{
	sf_action(f, 0, SF_FORWARD, 1);
	sf_action(f, 3, SF_FORWARD, 1);
	set_hop(bpf_map__fd(f->sf->maps.bn_ports), 1, BN_HOP_NETDEV, 0, f->lo, 0);
	set_iface(f, f->lo, hop(BN_HOP_PROG, SLOT(SF_ID, BN_SLOT_RX), 0, 0),
		  hop(BN_HOP_PROG, SLOT(SF_ID, BN_SLOT_RX), 0, 3));
}

/* bn_xdp_entry of a netdev it knows reads and clears md.inject for every
 * frame: a tag that is not armed (an injection whose chain did not end in
 * PASS), or armed for another netdev, or garbage, is cleared and the chain
 * runs; a tag armed for this netdev lets exactly one frame by, chain not
 * run, md.port untouched. */
static void test_core_xdp_entry_tags(void **state)
{
	struct fx *f = *state;
	const __u32 run[] = {
		0,
		bn_inject_tag(f->lo, 0),
		STALE_TAG(f->lo),
		bn_inject_tag(f->lo, BN_INJ_WIRE),
		bn_inject_tag(f->lo, BN_INJ_WIRE | BN_INJ_GENERIC),
		ARMED_TAG(f->lo + 1),
		ARMED_TAG(f->lo + 1000),
		ARMED_TAG(0),
		bn_inject_tag(f->lo + 1000, BN_INJ_WIRE | BN_INJ_GENERIC) | BN_INJ_ARMED,
		MD_POISON,
		0xffffffff,
	};
	__u64 n = 0;
	struct run r;

	inject_chain(f);
	for (size_t i = 0; i < sizeof(run) / sizeof(run[0]); i++) {
		md_slot_set(f, MD_POISON, run[i]);
		assert_int_equal(xdp_run(f, f->core->progs.bn_xdp_entry, f->lo, NULL, 0, udp64, sizeof(udp64),
					 &r), XDP_REDIRECT);
		assert_out_pkt(&r, udp64, sizeof(udp64));
		assert_int_equal(r.md_port, 0);
		assert_int_equal(r.md_inject, 0);
		n++;
		assert_sf_counter(f, 0, n, n * sizeof(udp64));
	}

	/* armed for lo: that frame by, untouched; exactly once */
	md_slot_set(f, 9, ARMED_TAG(f->lo));
	assert_int_equal(xdp_run(f, f->core->progs.bn_xdp_entry, f->lo, NULL, 0, icmp98, sizeof(icmp98), &r),
			 XDP_PASS);
	assert_out_pkt(&r, icmp98, sizeof(icmp98));
	assert_int_equal(r.md_port, 9);
	assert_int_equal(r.md_inject, 0);
	assert_sf_counter(f, 0, n, n * sizeof(udp64));
	assert_int_equal(xdp_run(f, f->core->progs.bn_xdp_entry, f->lo, NULL, 0, icmp98, sizeof(icmp98), &r),
			 XDP_REDIRECT);
	assert_int_equal(r.md_port, 0);
	assert_int_equal(r.md_inject, 0);
	assert_sf_counter(f, 0, n + 1, n * sizeof(udp64) + sizeof(icmp98));

	/* a chain of lo's own ending in PASS, the stale tag for lo there: it is
	 * cleared before the chain runs, so that PASS arms nothing, and the
	 * next frame runs the chain too */
	thw_action(f, THW_PASS, THW_PASS);
	set_hop(bpf_map__fd(f->thw->maps.bn_ports), BN_NEXT_INGRESS, BN_HOP_PASS, 0, 0, 0);
	set_iface(f, f->lo, hop(BN_HOP_PROG, SLOT(THW_ID, BN_SLOT_INGRESS), 0, 0), HOP_NONE);
	assert_int_equal(xdp_wire_run(f, f->core->progs.bn_xdp_entry, f->lo, udp64, sizeof(udp64), &r),
			 XDP_PASS);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.md_inject, 0);
	assert_int_equal(thw_count(f, BN_DIR_INGRESS), 1);
	assert_int_equal(xdp_run(f, f->core->progs.bn_xdp_entry, f->lo, NULL, 0, udp64, sizeof(udp64), &r),
			 XDP_PASS);
	assert_int_equal(r.md_inject, 0);
	assert_int_equal(thw_count(f, BN_DIR_INGRESS), 2);
	/* the entry's own PASS hop likewise */
	set_iface(f, f->lo, hop(BN_HOP_PASS, 0, 0, 0), HOP_NONE);
	assert_int_equal(xdp_wire_run(f, f->core->progs.bn_xdp_entry, f->lo, udp64, sizeof(udp64), &r),
			 XDP_PASS);
	assert_int_equal(r.md_inject, 0);
	assert_int_equal(r.md_port, MD_POISON);
	assert_int_equal(drain(f), 0);
}

/* PROG hop: md.port from the hop, tail call through the core's program
 * array into the sf, which counts the packet without the metadata. md.inject
 * is pass_ifindex's tag (0 without one) over whatever the slot held, armed
 * by none of these chains: they end in a redirect or a drop. */
static void test_inject_xdp_prog_hop(void **state)
{
	struct fx *f = *state;
	struct bn_inject inj = inj_of(hop(BN_HOP_PROG, SLOT(SF_ID, BN_SLOT_RX), 0, 6), 0, 0);
	struct run r;

	sf_action(f, 0, SF_DROP, 0);
	sf_action(f, 6, SF_FORWARD, 1);
	set_hop(bpf_map__fd(f->sf->maps.bn_ports), 1, BN_HOP_NETDEV, 0, f->lo, 0);

	md_slot_set(f, MD_POISON, ARMED_TAG(f->lo));
	assert_int_equal(xdp_inject_run(f, &inj, 0, udp64, sizeof(udp64), &r), XDP_REDIRECT);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.md_port, 6);
	assert_int_equal(r.md_inject, 0);
	assert_sf_counter(f, 6, 1, sizeof(udp64));
	assert_sf_counter(f, 0, 0, 0);

	/* the port of the hop, whatever the slot held (port 0 drops): the
	 * chain ends in a drop, the tag is not armed, BN_INJ_GENERIC or not */
	inj = inj_of(hop(BN_HOP_PROG, SLOT(SF_ID, BN_SLOT_RX), 0, 0), f->lo, BN_INJ_GENERIC);
	md_slot_set(f, 6, ARMED_TAG(f->lo + 1000));
	assert_int_equal(xdp_inject_run(f, &inj, f->lo, icmp98, sizeof(icmp98), &r), XDP_DROP);
	assert_int_equal(r.md_port, 0);
	assert_int_equal(r.md_inject, STALE_TAG(f->lo));
	assert_sf_counter(f, 0, 1, sizeof(icmp98));
	assert_sf_counter(f, 6, 1, sizeof(udp64));

	/* the chain ends in a redirect (sf port 6 -> lo): not armed either */
	inj = inj_of(hop(BN_HOP_PROG, SLOT(SF_ID, BN_SLOT_RX), 0, 6), f->lo, BN_INJ_GENERIC);
	md_slot_set(f, MD_POISON, 0);
	assert_int_equal(xdp_inject_run(f, &inj, f->lo, udp64, sizeof(udp64), &r), XDP_REDIRECT);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.md_port, 6);
	assert_int_equal(r.md_inject, STALE_TAG(f->lo));
	assert_sf_counter(f, 6, 2, 2 * sizeof(udp64));

	/* the flags as given (a native hook, the wire), an armed tag replaced */
	inj = inj_of(hop(BN_HOP_PROG, SLOT(SF_ID, BN_SLOT_RX), 0, 6), f->lo, BN_INJ_WIRE);
	md_slot_set(f, MD_POISON, ARMED_TAG(f->lo));
	assert_int_equal(xdp_inject_run(f, &inj, f->lo, udp64, sizeof(udp64), &r), XDP_REDIRECT);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.md_port, 6);
	assert_int_equal(r.md_inject, bn_inject_tag(f->lo, BN_INJ_WIRE));
	inj.flags = 0;
	md_slot_set(f, MD_POISON, ARMED_TAG(f->lo));
	assert_int_equal(xdp_inject_run(f, &inj, f->lo, udp64, sizeof(udp64), &r), XDP_REDIRECT);
	assert_int_equal(r.md_inject, bn_inject_tag(f->lo, 0));
	assert_sf_counter(f, 6, 4, 4 * sizeof(udp64));

	/* an empty slot of the program array: drop, nothing armed */
	inj = inj_of(hop(BN_HOP_PROG, SLOT(SF_ID + 1, BN_SLOT_RX), 0, 6), 0, 0);
	md_slot_set(f, MD_POISON, ARMED_TAG(f->lo));
	assert_int_equal(xdp_inject_run(f, &inj, 0, udp64, sizeof(udp64), &r), XDP_DROP);
	assert_int_equal(r.md_inject, 0);
	inj = inj_of(hop(BN_HOP_PROG, SLOT(SF_ID + 1, BN_SLOT_RX), 0, 6), f->lo, BN_INJ_GENERIC);
	assert_int_equal(xdp_inject_run(f, &inj, f->lo, udp64, sizeof(udp64), &r), XDP_DROP);
	assert_int_equal(r.md_inject, STALE_TAG(f->lo));
	assert_sf_counter(f, 6, 4, 4 * sizeof(udp64));
	assert_int_equal(drain(f), 0);
}

/* NETDEV hop: redirected as it is (the packet alone, byte for byte); the
 * chain and md.port untouched; the tag (if any) not armed: the frame does
 * not go up a stack. */
static void test_inject_xdp_netdev_hop(void **state)
{
	struct fx *f = *state;
	struct bn_inject inj = inj_of(hop(BN_HOP_NETDEV, 0, f->lo, 0), 0, 0);
	struct run r;

	inject_chain(f);
	md_slot_set(f, MD_POISON, ARMED_TAG(f->lo));
	assert_int_equal(xdp_inject_run(f, &inj, 0, udp300, sizeof(udp300), &r), XDP_REDIRECT);
	assert_out_pkt(&r, udp300, sizeof(udp300));
	assert_int_equal(r.md_port, MD_POISON);
	assert_int_equal(r.md_inject, 0);

	inj = inj_of(hop(BN_HOP_NETDEV, 0, f->lo, 0), f->lo, BN_INJ_GENERIC);
	md_slot_set(f, MD_POISON, ARMED_TAG(f->lo));
	assert_int_equal(xdp_inject_run(f, &inj, f->lo, udp64, sizeof(udp64), &r), XDP_REDIRECT);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.md_port, MD_POISON);
	assert_int_equal(r.md_inject, STALE_TAG(f->lo));

	/* a DROP hop, an unknown kind */
	inj.hop = HOP_NONE;
	md_slot_set(f, MD_POISON, ARMED_TAG(f->lo));
	assert_int_equal(xdp_inject_run(f, &inj, f->lo, udp64, sizeof(udp64), &r), XDP_DROP);
	assert_int_equal(r.md_inject, STALE_TAG(f->lo));
	inj.hop = hop(42, SLOT(SF_ID, BN_SLOT_RX), f->lo, 0);
	md_slot_set(f, MD_POISON, ARMED_TAG(f->lo));
	assert_int_equal(xdp_inject_run(f, &inj, f->lo, udp64, sizeof(udp64), &r), XDP_DROP);
	assert_int_equal(r.md_port, MD_POISON);
	assert_int_equal(r.md_inject, STALE_TAG(f->lo));
	assert_sf_counter(f, 0, 0, 0);
	assert_sf_counter(f, 3, 0, 0);

	/* lo's hook then: the stale tag cleared, lo's chain run */
	assert_int_equal(xdp_run(f, f->core->progs.bn_xdp_entry, f->lo, NULL, 0, udp64, sizeof(udp64), &r),
			 XDP_REDIRECT);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.md_port, 0);
	assert_int_equal(r.md_inject, 0);
	assert_sf_counter(f, 0, 1, sizeof(udp64));
}

/* Without a whole struct bn_inject in front of the packet: drop, the slot
 * neither read nor written (no tag, even though the flags, if there, would
 * give one). */
static void test_inject_xdp_short_metadata(void **state)
{
	struct fx *f = *state;
	struct bn_inject inj = inj_of(hop(BN_HOP_PROG, SLOT(SF_ID, BN_SLOT_RX), 0, 0), f->lo, BN_INJ_GENERIC);
	struct run r;

	inject_chain(f);
	md_slot_set(f, MD_POISON, ARMED_TAG(f->lo + 1000));
	assert_int_equal(xdp_run(f, f->core->progs.bn_xdp_inject, 0, NULL, 0, udp64, sizeof(udp64), &r),
			 XDP_DROP);
	assert_int_equal(xdp_run(f, f->core->progs.bn_xdp_inject, 0, &inj, sizeof(inj.hop), udp64,
				 sizeof(udp64), &r), XDP_DROP);
	assert_int_equal(xdp_run(f, f->core->progs.bn_xdp_inject, 0, &inj, sizeof(inj) - sizeof(inj.flags),
				 udp64, sizeof(udp64), &r), XDP_DROP);
	assert_int_equal(r.md_port, MD_POISON);
	assert_int_equal(r.md_inject, ARMED_TAG(f->lo + 1000));
	assert_sf_counter(f, 0, 0, 0);
}

/* PASS into a netdev with a generic XDP hook: the frame goes up lo's stack
 * on this CPU, meets bn_xdp_entry there and must pass it once. */
static void test_inject_xdp_pass_generic(void **state)
{
	struct fx *f = *state;
	struct bn_inject inj = inj_of(hop(BN_HOP_PASS, 0, 0, 0), f->lo, BN_INJ_GENERIC);
	struct run r;

	inject_chain(f);
	md_slot_set(f, 9, 0);
	assert_int_equal(xdp_inject_run(f, &inj, f->lo, icmp98, sizeof(icmp98), &r), XDP_PASS);
	assert_out_pkt(&r, icmp98, sizeof(icmp98));
	assert_int_equal(r.md_port, 9);
	assert_int_equal(r.md_inject, ARMED_TAG(f->lo));
	assert_sf_counter(f, 0, 0, 0);

	/* lo's hook: passes without running the chain, clears the tag */
	assert_int_equal(xdp_run(f, f->core->progs.bn_xdp_entry, f->lo, NULL, 0, icmp98, sizeof(icmp98), &r),
			 XDP_PASS);
	assert_out_pkt(&r, icmp98, sizeof(icmp98));
	assert_int_equal(r.md_port, 9);
	assert_int_equal(r.md_inject, 0);
	assert_sf_counter(f, 0, 0, 0);

	/* once: the next frame runs the chain */
	assert_int_equal(xdp_run(f, f->core->progs.bn_xdp_entry, f->lo, NULL, 0, udp64, sizeof(udp64), &r),
			 XDP_REDIRECT);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.md_port, 0);
	assert_int_equal(r.md_inject, 0);
	assert_sf_counter(f, 0, 1, sizeof(udp64));

	/* the tag names pass_ifindex (not the run's ingress_ifindex); armed
	 * for another netdev, it lets no frame of lo by, and lo's hook clears it */
	inj.pass_ifindex = f->lo + 1000;
	md_slot_set(f, MD_POISON, 0);
	assert_int_equal(xdp_inject_run(f, &inj, f->lo, udp64, sizeof(udp64), &r), XDP_PASS);
	assert_int_equal(r.md_inject, ARMED_TAG(f->lo + 1000));
	assert_int_equal(xdp_run(f, f->core->progs.bn_xdp_entry, f->lo, NULL, 0, udp64, sizeof(udp64), &r),
			 XDP_REDIRECT);
	assert_int_equal(r.md_port, 0);
	assert_int_equal(r.md_inject, 0);
	assert_sf_counter(f, 0, 2, 2 * sizeof(udp64));
	assert_int_equal(drain(f), 0);
}

/* PASS without BN_INJ_GENERIC (a native hook does not see the frame
 * again): the tag is not armed, and lo's hook runs its chain. */
static void test_inject_xdp_pass_plain(void **state)
{
	struct fx *f = *state;
	struct bn_inject inj = inj_of(hop(BN_HOP_PASS, 0, 0, 0), f->lo, 0);
	struct run r;

	inject_chain(f);
	md_slot_set(f, 9, 0);
	assert_int_equal(xdp_inject_run(f, &inj, f->lo, udp64, sizeof(udp64), &r), XDP_PASS);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.md_port, 9);
	assert_int_equal(r.md_inject, bn_inject_tag(f->lo, 0));

	/* whatever the slot held before (an armed tag for lo included) */
	md_slot_set(f, 9, ARMED_TAG(f->lo));
	assert_int_equal(xdp_inject_run(f, &inj, f->lo, udp64, sizeof(udp64), &r), XDP_PASS);
	assert_int_equal(r.md_inject, bn_inject_tag(f->lo, 0));
	inj.flags = BN_INJ_WIRE;
	md_slot_set(f, 9, ARMED_TAG(f->lo));
	assert_int_equal(xdp_inject_run(f, &inj, f->lo, udp64, sizeof(udp64), &r), XDP_PASS);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.md_inject, bn_inject_tag(f->lo, BN_INJ_WIRE));
	assert_int_equal(r.md_port, 9);
	/* no pass_ifindex: no tag at all */
	inj = inj_of(hop(BN_HOP_PASS, 0, 0, 0), 0, BN_INJ_GENERIC);
	md_slot_set(f, 9, ARMED_TAG(f->lo));
	assert_int_equal(xdp_inject_run(f, &inj, 0, udp64, sizeof(udp64), &r), XDP_PASS);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.md_inject, 0);
	assert_sf_counter(f, 0, 0, 0);

	/* nothing armed: lo's hook runs the chain */
	inj = inj_of(hop(BN_HOP_PASS, 0, 0, 0), f->lo, 0);
	md_slot_set(f, MD_POISON, 0);
	assert_int_equal(xdp_inject_run(f, &inj, f->lo, udp64, sizeof(udp64), &r), XDP_PASS);
	assert_int_equal(xdp_run(f, f->core->progs.bn_xdp_entry, f->lo, NULL, 0, udp64, sizeof(udp64), &r),
			 XDP_REDIRECT);
	assert_int_equal(r.md_port, 0);
	assert_int_equal(r.md_inject, 0);
	assert_sf_counter(f, 0, 1, sizeof(udp64));
}

/* A chain re-injected into the transparent cube: the tag is armed when,
 * and only when, the chain ends in PASS with BN_INJ_GENERIC (XDP_PASS up the
 * stack of the run's ingress netdev, the packet alone); then lo's hook lets
 * exactly that frame by. */
static void test_inject_xdp_chain_pass(void **state)
{
	struct fx *f = *state;
	int tports = bpf_map__fd(f->thw->maps.bn_ports);
	struct bn_inject inj = inj_of(hop(BN_HOP_PROG, SLOT(THW_ID, BN_SLOT_INGRESS), 0, 0), f->lo,
				      BN_INJ_GENERIC);
	struct run r;

	inject_chain(f);
	thw_action(f, THW_PASS, THW_PASS);
	set_hop(tports, BN_NEXT_INGRESS, BN_HOP_PASS, 0, 0, 0);

	md_slot_set(f, MD_POISON, 0);
	assert_int_equal(xdp_inject_run(f, &inj, f->lo, udp64, sizeof(udp64), &r), XDP_PASS);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.md_port, 0);
	assert_int_equal(r.md_inject, ARMED_TAG(f->lo));
	assert_int_equal(thw_count(f, BN_DIR_INGRESS), 1);
	assert_int_equal(thw_count(f, BN_DIR_EGRESS), 0);

	/* up lo's stack, through its generic hook: once, chain not run */
	assert_int_equal(xdp_run(f, f->core->progs.bn_xdp_entry, f->lo, NULL, 0, udp64, sizeof(udp64), &r),
			 XDP_PASS);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.md_inject, 0);
	assert_int_equal(thw_count(f, BN_DIR_INGRESS), 1);
	assert_sf_counter(f, 0, 0, 0);
	assert_int_equal(xdp_run(f, f->core->progs.bn_xdp_entry, f->lo, NULL, 0, udp64, sizeof(udp64), &r),
			 XDP_REDIRECT);
	assert_int_equal(r.md_inject, 0);
	assert_sf_counter(f, 0, 1, sizeof(udp64));

	/* native hook: same verdict, not armed; lo's hook runs the chain */
	inj.flags = 0;
	md_slot_set(f, MD_POISON, 0);
	assert_int_equal(xdp_inject_run(f, &inj, f->lo, icmp98, sizeof(icmp98), &r), XDP_PASS);
	assert_out_pkt(&r, icmp98, sizeof(icmp98));
	assert_int_equal(r.md_inject, bn_inject_tag(f->lo, 0));
	assert_int_equal(thw_count(f, BN_DIR_INGRESS), 2);
	assert_int_equal(xdp_run(f, f->core->progs.bn_xdp_entry, f->lo, NULL, 0, udp64, sizeof(udp64), &r),
			 XDP_REDIRECT);
	assert_int_equal(r.md_inject, 0);
	assert_sf_counter(f, 0, 2, 2 * sizeof(udp64));

	/* the cube drops: so does the chain, the tag not armed; the next
	 * frame of lo clears it and runs lo's chain */
	thw_action(f, THW_DROP, THW_PASS);
	inj.flags = BN_INJ_GENERIC;
	md_slot_set(f, MD_POISON, 0);
	assert_int_equal(xdp_inject_run(f, &inj, f->lo, udp64, sizeof(udp64), &r), XDP_DROP);
	assert_int_equal(r.md_inject, STALE_TAG(f->lo));
	assert_int_equal(thw_count(f, BN_DIR_INGRESS), 3);
	assert_int_equal(xdp_run(f, f->core->progs.bn_xdp_entry, f->lo, NULL, 0, udp64, sizeof(udp64), &r),
			 XDP_REDIRECT);
	assert_int_equal(r.md_inject, 0);
	assert_sf_counter(f, 0, 3, 3 * sizeof(udp64));

	/* the cube passes, its next hop a netdev: a redirect, not armed */
	thw_action(f, THW_PASS, THW_PASS);
	set_hop(tports, BN_NEXT_INGRESS, BN_HOP_NETDEV, 0, f->lo, 0);
	md_slot_set(f, MD_POISON, 0);
	assert_int_equal(xdp_inject_run(f, &inj, f->lo, icmp98, sizeof(icmp98), &r), XDP_REDIRECT);
	assert_out_pkt(&r, icmp98, sizeof(icmp98));
	assert_int_equal(r.md_inject, STALE_TAG(f->lo));
	assert_int_equal(thw_count(f, BN_DIR_INGRESS), 4);

	/* the cube's slow path: a drop, not armed */
	thw_action(f, THW_SLOWPATH, THW_PASS);
	set_hop(tports, BN_NEXT_INGRESS, BN_HOP_PASS, 0, 0, 0);
	md_slot_set(f, MD_POISON, 0);
	assert_int_equal(xdp_inject_run(f, &inj, f->lo, udp64, sizeof(udp64), &r), XDP_DROP);
	assert_int_equal(r.md_inject, STALE_TAG(f->lo));
	assert_int_equal(drain(f), 1);
	assert_slowpath_ev(&f->log, 0, THW_ID, BN_NEXT_INGRESS, udp64, sizeof(udp64));
	assert_int_equal(thw_count(f, BN_DIR_INGRESS), 5);

	/* the egress program's next hop ending in PASS: BN_INJ_WIRE means
	 * nothing to XDP, it is XDP_PASS all the same, not armed */
	thw_action(f, THW_DROP, THW_PASS);
	set_hop(tports, BN_NEXT_EGRESS, BN_HOP_PASS, 0, 0, 0);
	inj = inj_of(hop(BN_HOP_PROG, SLOT(THW_ID, BN_SLOT_EGRESS), 0, 0), f->lo, BN_INJ_WIRE);
	md_slot_set(f, MD_POISON, 0);
	assert_int_equal(xdp_inject_run(f, &inj, f->lo, udp64, sizeof(udp64), &r), XDP_PASS);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.md_inject, bn_inject_tag(f->lo, BN_INJ_WIRE));
	assert_int_equal(thw_count(f, BN_DIR_EGRESS), 1);
	assert_sf_counter(f, 0, 3, 3 * sizeof(udp64));
	assert_sf_counter(f, 3, 0, 0);
	assert_int_equal(drain(f), 0);
}

/* The tag lives through the tail calls of a longer chain (each PROG hop
 * rewrites md.port only): thw -> sf (port 7) -> PASS arms it, thw -> sf
 * (port 6) -> lo does not. */
static void test_inject_xdp_chain_long(void **state)
{
	struct fx *f = *state;
	int sports = bpf_map__fd(f->sf->maps.bn_ports);
	struct bn_inject inj = inj_of(hop(BN_HOP_PROG, SLOT(THW_ID, BN_SLOT_INGRESS), 0, 0), f->lo,
				      BN_INJ_GENERIC);
	struct run r;

	inject_chain(f);
	thw_action(f, THW_PASS, THW_PASS);
	sf_action(f, 6, SF_FORWARD, 1);
	sf_action(f, 7, SF_FORWARD, 2);
	set_hop(sports, 2, BN_HOP_PASS, 0, 0, 0);
	set_hop(bpf_map__fd(f->thw->maps.bn_ports), BN_NEXT_INGRESS, BN_HOP_PROG, SLOT(SF_ID, BN_SLOT_RX),
		0, 7);

	md_slot_set(f, MD_POISON, 0);
	assert_int_equal(xdp_inject_run(f, &inj, f->lo, udp64, sizeof(udp64), &r), XDP_PASS);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.md_port, 7);
	assert_int_equal(r.md_inject, ARMED_TAG(f->lo));
	assert_int_equal(thw_count(f, BN_DIR_INGRESS), 1);
	assert_sf_counter(f, 7, 1, sizeof(udp64));
	/* lo's hook: that frame by, the next one through lo's chain */
	assert_int_equal(xdp_run(f, f->core->progs.bn_xdp_entry, f->lo, NULL, 0, udp64, sizeof(udp64), &r),
			 XDP_PASS);
	assert_int_equal(r.md_port, 7);
	assert_int_equal(r.md_inject, 0);
	assert_sf_counter(f, 0, 0, 0);
	assert_int_equal(xdp_run(f, f->core->progs.bn_xdp_entry, f->lo, NULL, 0, udp64, sizeof(udp64), &r),
			 XDP_REDIRECT);
	assert_int_equal(r.md_port, 0);
	assert_sf_counter(f, 0, 1, sizeof(udp64));

	/* out of lo at the end instead */
	set_hop(bpf_map__fd(f->thw->maps.bn_ports), BN_NEXT_INGRESS, BN_HOP_PROG, SLOT(SF_ID, BN_SLOT_RX),
		0, 6);
	md_slot_set(f, MD_POISON, 0);
	assert_int_equal(xdp_inject_run(f, &inj, f->lo, icmp98, sizeof(icmp98), &r), XDP_REDIRECT);
	assert_out_pkt(&r, icmp98, sizeof(icmp98));
	assert_int_equal(r.md_port, 6);
	assert_int_equal(r.md_inject, STALE_TAG(f->lo));
	assert_sf_counter(f, 6, 1, sizeof(icmp98));
	assert_int_equal(thw_count(f, BN_DIR_INGRESS), 2);
	assert_int_equal(drain(f), 0);
}

/* TC PROG hop: the slot the mark names, cb[0] = the hop's port, mark
 * cleared before the chain; cb[1] is the injection tag, 0 without a
 * pass_ifindex whatever the caller left there. */
static void test_inject_tc_prog_hop(void **state)
{
	struct fx *f = *state;
	struct run r;

	sf_action(f, 0, SF_DROP, 0);
	sf_action(f, 6, SF_FORWARD, 1);
	set_hop(bpf_map__fd(f->sf->maps.bn_ports), 1, BN_HOP_NETDEV, 0, f->lo, 0);
	set_inject(f, 3, inj_of(hop(BN_HOP_PROG, SLOT(SF_ID, BN_SLOT_RX), 0, 6), 0, 0));
	set_inject(f, BN_INJECT_SLOTS - 1, inj_of(hop(BN_HOP_PROG, SLOT(SF_ID, BN_SLOT_RX), 0, 0), 0, 0));

	assert_int_equal(tc_cb_run(f->core->progs.bn_tc_inject, 77, 0xdeadbeef, 0, BN_MARK_INJECT + 3, udp64,
				   sizeof(udp64), &r), TC_ACT_REDIRECT);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.skb.cb[0], 6);
	assert_int_equal(r.skb.cb[1], 0);
	assert_int_equal(r.skb.mark, 0);
	assert_sf_counter(f, 6, 1, sizeof(udp64));
	assert_sf_counter(f, 0, 0, 0);
	assert_sf_counter(f, 77, 0, 0);

	/* the last slot: sf port 0 drops */
	assert_int_equal(tc_mark_run(f->core->progs.bn_tc_inject, 77, 0, BN_MARK_INJECT + BN_INJECT_SLOTS - 1,
				     icmp98, sizeof(icmp98), &r), TC_ACT_SHOT);
	assert_int_equal(r.skb.cb[0], 0);
	assert_int_equal(r.skb.mark, 0);
	assert_sf_counter(f, 0, 1, sizeof(icmp98));

	/* a pass_ifindex: the chain carries its tag (here to a NETDEV hop,
	 * which does not use it) */
	set_inject(f, 5, inj_of(hop(BN_HOP_PROG, SLOT(SF_ID, BN_SLOT_RX), 0, 6), f->lo, BN_INJ_WIRE));
	assert_int_equal(tc_mark_run(f->core->progs.bn_tc_inject, 77, 0, BN_MARK_INJECT + 5, udp64,
				     sizeof(udp64), &r), TC_ACT_REDIRECT);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.skb.cb[0], 6);
	assert_int_equal(r.skb.cb[1], bn_inject_tag(f->lo, BN_INJ_WIRE));
	assert_int_equal(r.skb.mark, 0);
	assert_sf_counter(f, 6, 2, 2 * sizeof(udp64));

	/* a NETDEV hop; a slot never written (a DROP hop) */
	set_inject(f, 4, inj_of(hop(BN_HOP_NETDEV, 0, f->lo, 0), 0, 0));
	assert_int_equal(tc_mark_run(f->core->progs.bn_tc_inject, 77, 0, BN_MARK_INJECT + 4, udp64,
				     sizeof(udp64), &r), TC_ACT_REDIRECT);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.skb.mark, 0);
	assert_int_equal(tc_mark_run(f->core->progs.bn_tc_inject, 77, 0, BN_MARK_INJECT + 100, udp64,
				     sizeof(udp64), &r), TC_ACT_SHOT);
	assert_int_equal(r.skb.mark, 0);
	assert_sf_counter(f, 6, 2, 2 * sizeof(udp64));
	assert_sf_counter(f, 0, 1, sizeof(icmp98));
	assert_int_equal(drain(f), 0);
}

/* TC PASS hop injected directly: redirect into pass_ifindex, marked so
 * that its hook lets the packet by; then that hook does. The tag is
 * used up (cb[1] cleared). Without a pass_ifindex there is no tag: PASS is
 * TC_ACT_OK. */
static void test_inject_tc_pass(void **state)
{
	struct fx *f = *state;
	struct run r;

	inject_chain(f);
	set_inject(f, 0, inj_of(hop(BN_HOP_PASS, 0, 0, 0), f->lo, 0));
	set_inject(f, 1, inj_of(hop(BN_HOP_PASS, 0, 0, 0), f->lo, BN_INJ_GENERIC));
	set_inject(f, 2, inj_of(hop(BN_HOP_PASS, 0, 0, 0), f->lo, BN_INJ_WIRE));
	set_inject(f, 3, inj_of(hop(BN_HOP_PASS, 0, 0, 0), f->lo, BN_INJ_WIRE | BN_INJ_GENERIC));
	set_inject(f, 4, inj_of(hop(BN_HOP_PASS, 0, 0, 0), 0, BN_INJ_WIRE));

	/* to the stack */
	assert_int_equal(tc_mark_run(f->core->progs.bn_tc_inject, 0, 0, BN_MARK_INJECT, udp64, sizeof(udp64), &r),
			 TC_ACT_REDIRECT);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.skb.mark, BN_MARK_STACK);
	assert_int_equal(r.skb.cb[1], 0);
	assert_int_equal(tc_cb_run(f->core->progs.bn_tc_inject, 0, 0xdeadbeef, 0, BN_MARK_INJECT + 1, udp64,
				   sizeof(udp64), &r), TC_ACT_REDIRECT);
	assert_int_equal(r.skb.mark, BN_MARK_STACK);
	assert_int_equal(r.skb.cb[1], 0);
	/* lo's ingress hook then */
	assert_int_equal(tc_mark_run(f->core->progs.bn_tc_ingress_entry, 0, f->lo, r.skb.mark, udp64,
				     sizeof(udp64), &r), TC_ACT_OK);
	assert_int_equal(r.skb.mark, 0);

	/* to the wire */
	assert_int_equal(tc_mark_run(f->core->progs.bn_tc_inject, 0, 0, BN_MARK_INJECT + 2, icmp98,
				     sizeof(icmp98), &r), TC_ACT_REDIRECT);
	assert_out_pkt(&r, icmp98, sizeof(icmp98));
	assert_int_equal(r.skb.mark, BN_MARK_WIRE);
	assert_int_equal(r.skb.cb[1], 0);
	assert_int_equal(tc_mark_run(f->core->progs.bn_tc_inject, 0, 0, BN_MARK_INJECT + 3, icmp98,
				     sizeof(icmp98), &r), TC_ACT_REDIRECT);
	assert_int_equal(r.skb.mark, BN_MARK_WIRE);
	assert_int_equal(r.skb.cb[1], 0);
	/* lo's egress hook then */
	assert_int_equal(tc_mark_run(f->core->progs.bn_tc_egress_entry, 0, f->lo, r.skb.mark, icmp98,
				     sizeof(icmp98), &r), TC_ACT_OK);
	assert_int_equal(r.skb.mark, 0);

	/* no pass_ifindex: a plain PASS, whatever the caller left in cb[1] */
	assert_int_equal(tc_cb_run(f->core->progs.bn_tc_inject, 0, bn_inject_tag(f->lo, BN_INJ_WIRE), 0,
				   BN_MARK_INJECT + 4, udp64, sizeof(udp64), &r), TC_ACT_OK);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.skb.mark, 0);
	assert_int_equal(r.skb.cb[1], 0);

	assert_sf_counter(f, 0, 0, 0);
	assert_sf_counter(f, 3, 0, 0);
}

/* A chain that ends in PASS: re-injected into the transparent cube, whose
 * next hop passes; the tag bn_tc_inject left in cb[1] turns that PASS into
 * the redirect a PASS hop injected directly gets. */
static void test_inject_tc_chain_pass(void **state)
{
	struct fx *f = *state;
	int tports = bpf_map__fd(f->thw->maps.bn_ports);
	struct run r;

	inject_chain(f);
	thw_action(f, THW_PASS, THW_PASS);
	set_hop(tports, BN_NEXT_INGRESS, BN_HOP_PASS, 0, 0, 0);
	set_hop(tports, BN_NEXT_EGRESS, BN_HOP_PASS, 0, 0, 0);
	set_inject(f, 0, inj_of(hop(BN_HOP_PROG, SLOT(THW_ID, BN_SLOT_INGRESS), 0, 0), f->lo, 0));
	set_inject(f, 1, inj_of(hop(BN_HOP_PROG, SLOT(THW_ID, BN_SLOT_EGRESS), 0, 0), f->lo, BN_INJ_WIRE));
	set_inject(f, 2, inj_of(hop(BN_HOP_PROG, SLOT(THW_ID, BN_SLOT_INGRESS), 0, 0), 0, 0));

	/* ingress: up lo's stack */
	assert_int_equal(tc_cb_run(f->core->progs.bn_tc_inject, 77, 0xdeadbeef, 0, BN_MARK_INJECT, udp64,
				   sizeof(udp64), &r), TC_ACT_REDIRECT);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.skb.mark, BN_MARK_STACK);
	assert_int_equal(r.skb.cb[0], 0);
	assert_int_equal(r.skb.cb[1], 0);
	assert_int_equal(thw_count(f, BN_DIR_INGRESS), 1);
	/* lo's ingress hook lets it by, its chain not run */
	assert_int_equal(tc_mark_run(f->core->progs.bn_tc_ingress_entry, 0, f->lo, r.skb.mark, udp64,
				     sizeof(udp64), &r), TC_ACT_OK);
	assert_int_equal(r.skb.mark, 0);
	assert_sf_counter(f, 0, 0, 0);

	/* egress: out of lo */
	assert_int_equal(tc_mark_run(f->core->progs.bn_tc_inject, 77, 0, BN_MARK_INJECT + 1, icmp98,
				     sizeof(icmp98), &r), TC_ACT_REDIRECT);
	assert_out_pkt(&r, icmp98, sizeof(icmp98));
	assert_int_equal(r.skb.mark, BN_MARK_WIRE);
	assert_int_equal(r.skb.cb[1], 0);
	assert_int_equal(thw_count(f, BN_DIR_EGRESS), 1);
	assert_int_equal(tc_mark_run(f->core->progs.bn_tc_egress_entry, 0, f->lo, r.skb.mark, icmp98,
				     sizeof(icmp98), &r), TC_ACT_OK);
	assert_int_equal(r.skb.mark, 0);
	assert_sf_counter(f, 3, 0, 0);

	/* no pass_ifindex: the chain's PASS is TC_ACT_OK */
	assert_int_equal(tc_cb_run(f->core->progs.bn_tc_inject, 77, bn_inject_tag(f->lo, 0), 0,
				   BN_MARK_INJECT + 2, udp64, sizeof(udp64), &r), TC_ACT_OK);
	assert_int_equal(r.skb.mark, 0);
	assert_int_equal(r.skb.cb[1], 0);
	assert_int_equal(thw_count(f, BN_DIR_INGRESS), 2);

	/* the cube drops: so does the chain, unmarked */
	thw_action(f, THW_DROP, THW_DROP);
	assert_int_equal(tc_mark_run(f->core->progs.bn_tc_inject, 77, 0, BN_MARK_INJECT, udp64, sizeof(udp64),
				     &r), TC_ACT_SHOT);
	assert_int_equal(r.skb.mark, 0);
	assert_int_equal(thw_count(f, BN_DIR_INGRESS), 3);
	assert_sf_counter(f, 0, 0, 0);
	assert_int_equal(drain(f), 0);
}

/* A mark that names no slot: drop, nothing run. */
static void test_inject_tc_bad_mark(void **state)
{
	struct fx *f = *state;
	const __u32 marks[] = { 0, 0x1234, BN_MARK_INJECT - 1, BN_MARK_INJECT + BN_INJECT_SLOTS,
				BN_MARK_WIRE, BN_MARK_STACK, 0xffffffff };
	struct run r;

	sf_action(f, 6, SF_FORWARD, 1);
	set_hop(bpf_map__fd(f->sf->maps.bn_ports), 1, BN_HOP_NETDEV, 0, f->lo, 0);
	for (__u32 s = 0; s < BN_INJECT_SLOTS; s += BN_INJECT_SLOTS - 1)
		set_inject(f, s, inj_of(hop(BN_HOP_PROG, SLOT(SF_ID, BN_SLOT_RX), 0, 6), 0, 0));
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		assert_int_equal(tc_mark_run(f->core->progs.bn_tc_inject, 0, 0, marks[i], udp64, sizeof(udp64), &r),
				 TC_ACT_SHOT);
	assert_sf_counter(f, 6, 0, 0);
	/* the slots were there */
	assert_int_equal(tc_mark_run(f->core->progs.bn_tc_inject, 0, 0, BN_MARK_INJECT, udp64, sizeof(udp64), &r),
			 TC_ACT_REDIRECT);
	assert_sf_counter(f, 6, 1, sizeof(udp64));
}

/* Each TC entry lets its own mark by (cleared, chain not run); every other
 * mark goes through the chain untouched. */
static void test_core_tc_entry_marks(void **state)
{
	struct fx *f = *state;
	struct bpf_program *in = f->core->progs.bn_tc_ingress_entry, *eg = f->core->progs.bn_tc_egress_entry;
	struct run r;

	inject_chain(f);

	/* cb[0] = 77 stays: the entry would have written the hop's port */
	assert_int_equal(tc_mark_run(in, 77, 0, BN_MARK_STACK, udp64, sizeof(udp64), &r), TC_ACT_OK);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.skb.mark, 0);
	assert_int_equal(r.skb.cb[0], 77);
	assert_int_equal(tc_mark_run(eg, 77, 0, BN_MARK_WIRE, udp64, sizeof(udp64), &r), TC_ACT_OK);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.skb.mark, 0);
	assert_int_equal(r.skb.cb[0], 77);
	assert_sf_counter(f, 0, 0, 0);
	assert_sf_counter(f, 3, 0, 0);

	/* a mark of someone else's */
	assert_int_equal(tc_mark_run(in, 77, 0, 0x1234, udp64, sizeof(udp64), &r), TC_ACT_REDIRECT);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.skb.mark, 0x1234);
	assert_int_equal(r.skb.cb[0], 0);
	assert_sf_counter(f, 0, 1, sizeof(udp64));
	assert_int_equal(tc_mark_run(eg, 77, 0, 0x1234, icmp98, sizeof(icmp98), &r), TC_ACT_REDIRECT);
	assert_out_pkt(&r, icmp98, sizeof(icmp98));
	assert_int_equal(r.skb.mark, 0x1234);
	assert_int_equal(r.skb.cb[0], 3);
	assert_sf_counter(f, 3, 1, sizeof(icmp98));

	/* the other hook's mark, an injection mark: the chain runs */
	assert_int_equal(tc_mark_run(in, 77, 0, BN_MARK_WIRE, udp64, sizeof(udp64), &r), TC_ACT_REDIRECT);
	assert_int_equal(r.skb.mark, BN_MARK_WIRE);
	assert_int_equal(tc_mark_run(in, 77, 0, BN_MARK_INJECT + 3, udp64, sizeof(udp64), &r), TC_ACT_REDIRECT);
	assert_int_equal(r.skb.mark, BN_MARK_INJECT + 3);
	assert_sf_counter(f, 0, 3, 3 * sizeof(udp64));
	assert_int_equal(tc_mark_run(eg, 77, 0, BN_MARK_STACK, icmp98, sizeof(icmp98), &r), TC_ACT_REDIRECT);
	assert_int_equal(r.skb.mark, BN_MARK_STACK);
	assert_sf_counter(f, 3, 2, 2 * sizeof(icmp98));
	assert_int_equal(drain(f), 0);
}

/* The TC entries start every chain with cb[1] = 0: whatever the skb
 * carried there (a tag left by an earlier injection, garbage) does not turn
 * the PASS at the end of the chain into a redirect. */
static void test_core_tc_entry_clears_tag(void **state)
{
	struct fx *f = *state;
	struct bpf_program *in = f->core->progs.bn_tc_ingress_entry, *eg = f->core->progs.bn_tc_egress_entry;
	const __u32 stale[] = { bn_inject_tag(f->lo, 0), bn_inject_tag(f->lo, BN_INJ_WIRE),
				bn_inject_tag(f->lo + 1000, BN_INJ_WIRE | BN_INJ_GENERIC), 0xffffffff };
	int tports = bpf_map__fd(f->thw->maps.bn_ports);
	struct run r;

	thw_action(f, THW_PASS, THW_PASS);
	set_hop(tports, BN_NEXT_INGRESS, BN_HOP_PASS, 0, 0, 0);
	set_hop(tports, BN_NEXT_EGRESS, BN_HOP_PASS, 0, 0, 0);

	/* the transparent cube on its own would redirect on such a tag */
	assert_int_equal(tc_cb_run(f->thw->progs.bn_tc_ingress, 0, stale[0], 0, 0, udp64, sizeof(udp64), &r),
			 TC_ACT_REDIRECT);
	assert_int_equal(r.skb.mark, BN_MARK_STACK);
	assert_int_equal(r.skb.cb[1], 0);
	assert_int_equal(tc_cb_run(f->thw->progs.bn_tc_egress, 0, stale[1], 0, 0, udp64, sizeof(udp64), &r),
			 TC_ACT_REDIRECT);
	assert_int_equal(r.skb.mark, BN_MARK_WIRE);
	assert_int_equal(thw_count(f, BN_DIR_INGRESS), 1);
	assert_int_equal(thw_count(f, BN_DIR_EGRESS), 1);

	/* lo's entries -> the cube -> PASS: the kernel goes on, unmarked */
	set_iface(f, f->lo, hop(BN_HOP_PROG, SLOT(THW_ID, BN_SLOT_INGRESS), 0, 0),
		  hop(BN_HOP_PROG, SLOT(THW_ID, BN_SLOT_EGRESS), 0, 0));
	for (size_t i = 0; i < sizeof(stale) / sizeof(stale[0]); i++) {
		assert_int_equal(tc_cb_run(in, 77, stale[i], 0, 0, udp64, sizeof(udp64), &r), TC_ACT_OK);
		assert_out_pkt(&r, udp64, sizeof(udp64));
		assert_int_equal(r.skb.mark, 0);
		assert_int_equal(r.skb.cb[0], 0);
		assert_int_equal(r.skb.cb[1], 0);
		assert_int_equal(tc_cb_run(eg, 77, stale[i], 0, 0x1234, icmp98, sizeof(icmp98), &r), TC_ACT_OK);
		assert_out_pkt(&r, icmp98, sizeof(icmp98));
		assert_int_equal(r.skb.mark, 0x1234);
		assert_int_equal(r.skb.cb[1], 0);
	}
	assert_int_equal(thw_count(f, BN_DIR_INGRESS), 5);
	assert_int_equal(thw_count(f, BN_DIR_EGRESS), 5);

	/* the entries' own PASS hop, no cube in between */
	set_iface(f, f->lo, hop(BN_HOP_PASS, 0, 0, 0), hop(BN_HOP_PASS, 0, 0, 0));
	for (size_t i = 0; i < sizeof(stale) / sizeof(stale[0]); i++) {
		assert_int_equal(tc_cb_run(in, 77, stale[i], 0, 0, udp64, sizeof(udp64), &r), TC_ACT_OK);
		assert_int_equal(r.skb.mark, 0);
		assert_int_equal(r.skb.cb[1], 0);
		assert_int_equal(tc_cb_run(eg, 77, stale[i], 0, 0, udp64, sizeof(udp64), &r), TC_ACT_OK);
		assert_int_equal(r.skb.mark, 0);
		assert_int_equal(r.skb.cb[1], 0);
	}
	assert_int_equal(thw_count(f, BN_DIR_INGRESS), 5);
	assert_int_equal(drain(f), 0);
}

/* ----------------------- 3 hops: entry -> transparenthelloworld -> sf --- */

static void chain_thw_sf(struct fx *f)
{
	sf_action(f, 0, SF_FORWARD, 1);
	set_hop(bpf_map__fd(f->sf->maps.bn_ports), 1, BN_HOP_NETDEV, 0, f->lo, 0);
	set_hop(bpf_map__fd(f->thw->maps.bn_ports), BN_NEXT_INGRESS, BN_HOP_PROG,
		SLOT(SF_ID, BN_SLOT_RX), 0, 0);
	set_iface(f, f->lo, hop(BN_HOP_PROG, SLOT(THW_ID, BN_SLOT_INGRESS), 0, 0), HOP_NONE);
}

static void test_chain3_xdp_pass(void **state)
{
	struct fx *f = *state;
	struct run r;

	chain_thw_sf(f);
	thw_action(f, THW_PASS, THW_DROP);

	/* the tcube's program itself, entered with metadata */
	assert_int_equal(xdp_md_run(f, f->thw->progs.bn_xdp_ingress, 0, udp64, sizeof(udp64), &r), XDP_REDIRECT);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(thw_count(f, BN_DIR_INGRESS), 1);
	assert_sf_counter(f, 0, 1, sizeof(udp64));

	/* the whole chain from the wire */
	assert_int_equal(xdp_wire_run(f, f->core->progs.bn_xdp_entry, f->lo, icmp98, sizeof(icmp98), &r),
			 XDP_REDIRECT);
	assert_int_equal(r.md_port, 0);
	assert_out_pkt(&r, icmp98, sizeof(icmp98));
	assert_int_equal(thw_count(f, BN_DIR_INGRESS), 2);
	assert_int_equal(thw_count(f, BN_DIR_EGRESS), 0);
	assert_sf_counter(f, 0, 2, sizeof(udp64) + sizeof(icmp98));
	assert_int_equal(drain(f), 0);
}

static void test_chain3_xdp_drop(void **state)
{
	struct fx *f = *state;
	struct run r;

	chain_thw_sf(f);
	thw_action(f, THW_DROP, THW_PASS);
	assert_int_equal(xdp_md_run(f, f->thw->progs.bn_xdp_ingress, 0, udp64, sizeof(udp64), &r), XDP_DROP);
	assert_int_equal(xdp_wire_run(f, f->core->progs.bn_xdp_entry, f->lo, udp64, sizeof(udp64), &r), XDP_DROP);
	assert_int_equal(thw_count(f, BN_DIR_INGRESS), 2);
	assert_sf_counter(f, 0, 0, 0);

	/* and back to pass: the sf sees it again */
	thw_action(f, THW_PASS, THW_PASS);
	assert_int_equal(xdp_wire_run(f, f->core->progs.bn_xdp_entry, f->lo, udp64, sizeof(udp64), &r), XDP_REDIRECT);
	assert_int_equal(thw_count(f, BN_DIR_INGRESS), 3);
	assert_sf_counter(f, 0, 1, sizeof(udp64));
}

static void test_chain3_tc(void **state)
{
	struct fx *f = *state;
	struct run r;

	chain_thw_sf(f);
	thw_action(f, THW_PASS, THW_PASS);
	assert_int_equal(tc_run(f->core->progs.bn_tc_ingress_entry, 0, 0, udp64, sizeof(udp64), &r),
			 TC_ACT_REDIRECT);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(thw_count(f, BN_DIR_INGRESS), 1);
	assert_sf_counter(f, 0, 1, sizeof(udp64));

	thw_action(f, THW_DROP, THW_PASS);
	assert_int_equal(tc_run(f->core->progs.bn_tc_ingress_entry, 0, 0, udp64, sizeof(udp64), &r),
			 TC_ACT_SHOT);
	assert_int_equal(thw_count(f, BN_DIR_INGRESS), 2);
	assert_sf_counter(f, 0, 1, sizeof(udp64));
}

/* Slow path of a transparent cube: the event's port is the program's next
 * hop (enum bn_tnext), the index bn_cube_continue takes back. */
static void test_thw_slowpath(void **state)
{
	struct fx *f = *state;
	struct run r;

	thw_action(f, THW_SLOWPATH, THW_SLOWPATH);
	assert_int_equal(xdp_md_run(f, f->thw->progs.bn_xdp_ingress, 0, udp64, sizeof(udp64), &r), XDP_DROP);
	assert_int_equal(drain(f), 1);
	assert_slowpath_ev(&f->log, 0, THW_ID, BN_NEXT_INGRESS, udp64, sizeof(udp64));
	assert_int_equal(xdp_md_run(f, f->thw->progs.bn_xdp_egress, 0, icmp98, sizeof(icmp98), &r), XDP_DROP);
	assert_int_equal(drain(f), 1);
	assert_slowpath_ev(&f->log, 0, THW_ID, BN_NEXT_EGRESS, icmp98, sizeof(icmp98));
	assert_int_equal(tc_run(f->thw->progs.bn_tc_ingress, 0, 0, icmp98, sizeof(icmp98), &r), TC_ACT_SHOT);
	assert_int_equal(drain(f), 1);
	assert_slowpath_ev(&f->log, 0, THW_ID, BN_NEXT_INGRESS, icmp98, sizeof(icmp98));
	assert_int_equal(tc_run(f->thw->progs.bn_tc_egress, 0, 0, udp64, sizeof(udp64), &r), TC_ACT_SHOT);
	assert_int_equal(drain(f), 1);
	assert_slowpath_ev(&f->log, 0, THW_ID, BN_NEXT_EGRESS, udp64, sizeof(udp64));
	assert_int_equal(thw_count(f, BN_DIR_INGRESS), 2);
	assert_int_equal(thw_count(f, BN_DIR_EGRESS), 2);
}

/* The TC program an XDP transparent cube has for the host's own packets
 * leaving a netdev: the egress direction (action, stats, log argument),
 * going on at bn_ports[BN_NEXT_STACK_EGRESS], never at the egress hop. */
static void test_thw_stack_egress(void **state)
{
	struct fx *f = *state;
	struct bpf_program *se = f->thw->progs.bn_tc_stack_egress;
	int tports = bpf_map__fd(f->thw->maps.bn_ports);
	__u32 xslot = SLOT(THW_XDP_ID, BN_SLOT_EGRESS);
	struct run r;

	/* tell the three hops apart by verdict */
	set_hop(tports, BN_NEXT_INGRESS, BN_HOP_DROP, 0, 0, 0);
	set_hop(tports, BN_NEXT_EGRESS, BN_HOP_NETDEV, 0, f->lo, 0);
	set_hop(tports, BN_NEXT_STACK_EGRESS, BN_HOP_PASS, 0, 0, 0);
	/* the egress action is the one: ingress would drop */
	thw_action(f, THW_DROP, THW_PASS);

	assert_int_equal(tc_run(se, 77, 0, udp64, sizeof(udp64), &r), TC_ACT_OK);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(thw_count(f, BN_DIR_EGRESS), 1);
	assert_int_equal(thw_count(f, BN_DIR_INGRESS), 0);
	/* the egress program itself: hop 1 */
	assert_int_equal(tc_run(f->thw->progs.bn_tc_egress, 77, 0, udp64, sizeof(udp64), &r), TC_ACT_REDIRECT);
	assert_int_equal(thw_count(f, BN_DIR_EGRESS), 2);

	/* hop 2 elsewhere, or nowhere: followed all the same */
	set_hop(tports, BN_NEXT_STACK_EGRESS, BN_HOP_NETDEV, 0, f->lo, 0);
	set_hop(tports, BN_NEXT_EGRESS, BN_HOP_PASS, 0, 0, 0);
	assert_int_equal(tc_run(se, 0, 0, icmp98, sizeof(icmp98), &r), TC_ACT_REDIRECT);
	assert_out_pkt(&r, icmp98, sizeof(icmp98));
	set_hop(tports, BN_NEXT_STACK_EGRESS, BN_HOP_DROP, 0, 0, 0);
	assert_int_equal(tc_run(se, 0, 0, icmp98, sizeof(icmp98), &r), TC_ACT_SHOT);
	assert_int_equal(thw_count(f, BN_DIR_EGRESS), 4);

	/* log: the direction, not the hop index */
	set_hop(tports, BN_NEXT_STACK_EGRESS, BN_HOP_PASS, 0, 0, 0);
	set_cfg(f->thw->maps.bn_cfg, THW_ID, LL_TRACE);
	assert_int_equal(drain(f), 0);
	assert_int_equal(tc_run(se, 0, 0, udp64, sizeof(udp64), &r), TC_ACT_OK);
	assert_int_equal(drain(f), 1);
	assert_log_ev(&f->log, 0, THW_ID, LL_TRACE, THW_LOG_PASS, BN_DIR_EGRESS);
	set_cfg(f->thw->maps.bn_cfg, THW_ID, LL_INFO);

	/* slow path: the event names hop 2, the egress counter counts */
	thw_action(f, THW_PASS, THW_SLOWPATH);
	assert_int_equal(tc_run(se, 0, 0, icmp98, sizeof(icmp98), &r), TC_ACT_SHOT);
	assert_int_equal(drain(f), 1);
	assert_slowpath_ev(&f->log, 0, THW_ID, BN_NEXT_STACK_EGRESS, icmp98, sizeof(icmp98));
	assert_int_equal(thw_count(f, BN_DIR_EGRESS), 6);
	assert_int_equal(thw_count(f, BN_DIR_INGRESS), 0);

	/* as the framework runs it: in the TC array at the cube's egress slot,
	 * from lo's TC egress entry; its PASS lets the packet go to the wire */
	thw_action(f, THW_DROP, THW_PASS);
	assert_int_equal(set_slot(bpf_map__fd(f->core->maps.bn_tc_progs), xslot, se), 0);
	set_iface(f, f->lo, HOP_NONE, hop(BN_HOP_PROG, xslot, 0, 0));
	assert_int_equal(tc_cb_run(f->core->progs.bn_tc_egress_entry, 77, bn_inject_tag(f->lo, 0), 0, 0,
				   udp64, sizeof(udp64), &r), TC_ACT_OK);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(r.skb.mark, 0);
	assert_int_equal(r.skb.cb[1], 0);
	assert_int_equal(thw_count(f, BN_DIR_EGRESS), 7);

	/* re-injected after its slow path (bn_cube_continue(BN_NEXT_STACK_EGRESS)
	 * runs hop 2 with BN_INJ_WIRE): out of lo, past its egress hook */
	set_inject(f, 0, inj_of(hop(BN_HOP_PASS, 0, 0, 0), f->lo, BN_INJ_WIRE));
	assert_int_equal(tc_mark_run(f->core->progs.bn_tc_inject, 0, 0, BN_MARK_INJECT, icmp98, sizeof(icmp98),
				     &r), TC_ACT_REDIRECT);
	assert_int_equal(r.skb.mark, BN_MARK_WIRE);
	/* a later XDP cube's stack program before it: its PASS ends the chain */
	set_inject(f, 1, inj_of(hop(BN_HOP_PROG, xslot, 0, 0), f->lo, BN_INJ_WIRE));
	assert_int_equal(tc_mark_run(f->core->progs.bn_tc_inject, 0, 0, BN_MARK_INJECT + 1, icmp98,
				     sizeof(icmp98), &r), TC_ACT_REDIRECT);
	assert_out_pkt(&r, icmp98, sizeof(icmp98));
	assert_int_equal(r.skb.mark, BN_MARK_WIRE);
	assert_int_equal(r.skb.cb[1], 0);
	assert_int_equal(thw_count(f, BN_DIR_EGRESS), 8);
	assert_int_equal(thw_count(f, BN_DIR_INGRESS), 0);
	assert_int_equal(drain(f), 0);
}

/* ---------------------------------------------------------- helloworld --- */

static void hw_ports(struct fx *f)
{
	int ports = bpf_map__fd(f->hw->maps.bn_ports);

	/* tell the two hops apart by verdict */
	set_hop(ports, 0, BN_HOP_PASS, 0, 0, 0);
	set_hop(ports, 1, BN_HOP_NETDEV, 0, f->lo, 0);
}

static void test_hw_forward(void **state)
{
	struct fx *f = *state;
	struct run r;

	hw_ports(f);
	hw_config(f, HW_FORWARD, 2, 0, 1);
	assert_int_equal(xdp_md_run(f, f->hw->progs.bn_xdp_rx, 0, udp64, sizeof(udp64), &r), XDP_REDIRECT);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(xdp_md_run(f, f->hw->progs.bn_xdp_rx, 1, udp64, sizeof(udp64), &r), XDP_PASS);
	assert_out_pkt(&r, udp64, sizeof(udp64));
	assert_int_equal(tc_run(f->hw->progs.bn_tc_rx, 0, 0, icmp98, sizeof(icmp98), &r), TC_ACT_REDIRECT);
	assert_int_equal(tc_run(f->hw->progs.bn_tc_rx, 1, 0, icmp98, sizeof(icmp98), &r), TC_ACT_OK);
	assert_int_equal(drain(f), 0);
}

static void test_hw_drop_and_bad_config(void **state)
{
	struct fx *f = *state;
	struct run r;

	hw_ports(f);
	hw_config(f, HW_DROP, 2, 0, 1);
	assert_int_equal(xdp_md_run(f, f->hw->progs.bn_xdp_rx, 0, udp64, sizeof(udp64), &r), XDP_DROP);
	assert_int_equal(tc_run(f->hw->progs.bn_tc_rx, 1, 0, udp64, sizeof(udp64), &r), TC_ACT_SHOT);
	/* forward with one port only: nowhere to go */
	hw_config(f, HW_FORWARD, 1, 0, 1);
	assert_int_equal(xdp_md_run(f, f->hw->progs.bn_xdp_rx, 0, udp64, sizeof(udp64), &r), XDP_DROP);
	assert_int_equal(tc_run(f->hw->progs.bn_tc_rx, 0, 0, udp64, sizeof(udp64), &r), TC_ACT_SHOT);
}

static void test_hw_slowpath(void **state)
{
	struct fx *f = *state;
	struct run r;

	hw_config(f, HW_SLOWPATH, 2, 0, 1);
	assert_int_equal(xdp_md_run(f, f->hw->progs.bn_xdp_rx, 1, icmp98, sizeof(icmp98), &r), XDP_DROP);
	assert_int_equal(drain(f), 1);
	assert_slowpath_ev(&f->log, 0, HW_ID, 1, icmp98, sizeof(icmp98));
}

static void test_hw_log_trace(void **state)
{
	struct fx *f = *state;
	struct run r;

	hw_ports(f);
	hw_config(f, HW_FORWARD, 2, 0, 1);
	set_cfg(f->hw->maps.bn_cfg, HW_ID, LL_TRACE);

	assert_int_equal(xdp_md_run(f, f->hw->progs.bn_xdp_rx, 1, udp64, sizeof(udp64), &r), XDP_PASS);
	assert_int_equal(drain(f), 2);
	assert_log_ev(&f->log, 0, HW_ID, LL_TRACE, HW_LOG_RX, 1);
	assert_log_ev(&f->log, 1, HW_ID, LL_TRACE, HW_LOG_FWD, 0);

	assert_int_equal(tc_run(f->hw->progs.bn_tc_rx, 0, 0, udp64, sizeof(udp64), &r), TC_ACT_REDIRECT);
	assert_int_equal(drain(f), 2);
	assert_log_ev(&f->log, 0, HW_ID, LL_TRACE, HW_LOG_RX, 0);
	assert_log_ev(&f->log, 1, HW_ID, LL_TRACE, HW_LOG_FWD, 0);

	hw_config(f, HW_DROP, 2, 0, 1);
	assert_int_equal(xdp_md_run(f, f->hw->progs.bn_xdp_rx, 0, udp64, sizeof(udp64), &r), XDP_DROP);
	assert_int_equal(drain(f), 2);
	assert_log_ev(&f->log, 0, HW_ID, LL_TRACE, HW_LOG_RX, 0);
	assert_log_ev(&f->log, 1, HW_ID, LL_TRACE, HW_LOG_DROP, 0);
}

static void test_hw_log_info(void **state)
{
	struct fx *f = *state;
	struct run r;

	hw_ports(f);
	hw_config(f, HW_FORWARD, 2, 0, 1);
	set_cfg(f->hw->maps.bn_cfg, HW_ID, LL_INFO);
	assert_int_equal(xdp_md_run(f, f->hw->progs.bn_xdp_rx, 0, udp64, sizeof(udp64), &r), XDP_REDIRECT);
	assert_int_equal(tc_run(f->hw->progs.bn_tc_rx, 1, 0, udp64, sizeof(udp64), &r), TC_ACT_OK);
	hw_config(f, HW_DROP, 2, 0, 1);
	assert_int_equal(xdp_md_run(f, f->hw->progs.bn_xdp_rx, 0, udp64, sizeof(udp64), &r), XDP_DROP);
	assert_int_equal(drain(f), 0);
}

/* ---------------------------------------------------------------- main --- */

#define T(fn, setup) cmocka_unit_test_setup_teardown(fn, setup, fx_teardown)

/* Stay on the CPU we run on (if allowed), so that every BPF_PROG_TEST_RUN
 * uses that CPU's element of bn_xdp_md_slot. */
static int pin_cpu(void)
{
	cpu_set_t set;
	int cpu = sched_getcpu();

	ncpus = libbpf_num_possible_cpus();
	if (ncpus <= 0) {
		errno = -ncpus;
		return -1;
	}
	if (sched_getaffinity(0, sizeof(set), &set))
		return -1;
	if (cpu < 0 || cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, &set))
		for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &set); cpu++)
			;
	if (cpu >= ncpus) {
		errno = ERANGE;
		return -1;
	}
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return -1;
	if (sched_getcpu() != cpu) {
		errno = EAGAIN;
		return -1;
	}
	test_cpu = cpu;
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pkt_builder),
		T(test_sf_xdp_forward_netdev, setup_sf),
		T(test_sf_xdp_no_action_drops, setup_sf),
		T(test_sf_xdp_drop_action, setup_sf),
		T(test_sf_xdp_slowpath, setup_sf),
		T(test_sf_xdp_hop_pass, setup_sf),
		T(test_sf_xdp_hop_drop, setup_sf),
		T(test_sf_xdp_port_not_in_packet, setup_sf),
		T(test_sf_xdp_prog_hop_sets_port, setup_sf),
		T(test_sf_tc_forward_netdev, setup_sf),
		T(test_sf_tc_verdicts, setup_sf),
		T(test_sf_tc_slowpath, setup_sf),
		T(test_sf_tc_prog_hop_sets_port, setup_sf),
		T(test_chain_maps_shared, setup_chain),
		T(test_chain_md_slot_shared, setup_chain),
		T(test_core_xdp_entry_to_sf, setup_chain),
		T(test_core_tc_entry_to_sf, setup_chain),
		T(test_core_unknown_ifindex, setup_chain),
		T(test_core_empty_slot, setup_chain),
		T(test_core_entry_direct_hops, setup_chain),
		T(test_core_tc_entry_marks, setup_chain),
		T(test_core_tc_entry_clears_tag, setup_chain),
		T(test_core_xdp_entry_tags, setup_chain),
		T(test_inject_xdp_prog_hop, setup_chain),
		T(test_inject_xdp_netdev_hop, setup_chain),
		T(test_inject_xdp_short_metadata, setup_chain),
		T(test_inject_xdp_pass_generic, setup_chain),
		T(test_inject_xdp_pass_plain, setup_chain),
		T(test_inject_xdp_chain_pass, setup_chain),
		T(test_inject_xdp_chain_long, setup_chain),
		T(test_inject_tc_prog_hop, setup_chain),
		T(test_inject_tc_pass, setup_chain),
		T(test_inject_tc_chain_pass, setup_chain),
		T(test_inject_tc_bad_mark, setup_chain),
		T(test_chain3_xdp_pass, setup_chain),
		T(test_chain3_xdp_drop, setup_chain),
		T(test_chain3_tc, setup_chain),
		T(test_thw_slowpath, setup_chain),
		T(test_thw_stack_egress, setup_chain),
		T(test_hw_forward, setup_hw),
		T(test_hw_drop_and_bad_config, setup_hw),
		T(test_hw_slowpath, setup_hw),
		T(test_hw_log_trace, setup_hw),
		T(test_hw_log_info, setup_hw),
	};

	libbpf_set_print(libbpf_quiet);
	if (pin_cpu()) {
		fprintf(stderr, "test_dataplane: cannot pin to one CPU: %s\n", strerror(errno));
		return 1;
	}
	pkt_udp(udp64, sizeof(udp64), 1234, 5678);
	pkt_icmp(icmp98, sizeof(icmp98), 0x4242, 1);
	pkt_udp(udp300, sizeof(udp300), 4321, 53);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
