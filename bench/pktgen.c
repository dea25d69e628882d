// SPDX-License-Identifier: Apache-2.0
/*
 * pktgen: the packet-rate benchmark's tool box (see shared/BENCH.md).
 *
 *   gen          run the XDP live-frames generator out of a veth
 *   sink-attach  count-and-drop XDP program on a veth, link and counter pinned
 *   sink-read    print the sink's packet count
 *   sink-rate    wait for traffic, warm up, sample the count twice: print pps
 *   sink-detach  remove the pins (detaches the sink)
 *   bare-attach  bare XDP (devmap) or TC (TCX) redirect from one device to another
 *   detach       remove a pin directory made by sink-attach or bare-attach
 *
 * Pins go to the bpffs of the caller's mount namespace (mounted at
 * /sys/fs/bpf if needed). --netns only moves the process into another network
 * namespace (setns(CLONE_NEWNET)), which leaves the mount namespace alone, so
 * pins made after it still land in the root bpffs and outlive the tool.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/if_ether.h>
#include <linux/magic.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "gen.skel.h"
#include "sink.skel.h"
#include "bare.skel.h"

#define BPFFS		"/sys/fs/bpf"
#define FRAME_LEN	60
#define GEN_BATCH	(1 << 16)	/* frames per BPF_PROG_TEST_RUN call */

#ifndef BPF_F_TEST_XDP_LIVE_FRAMES
#define BPF_F_TEST_XDP_LIVE_FRAMES (1U << 1)
#endif
/* Not in the UAPI headers of Debian 12; the kernel has them (6.6+). */
#define PG_BPF_TCX_INGRESS 46

struct opts {
	const char *ifname;
	const char *out_ifname;
	const char *netns;
	const char *pin;
	const char *mode;
	double seconds;
	double warmup;
	int cpu;
	int batch;
	bool verbose;
	bool have_src_mac;
	__u8 src_mac[ETH_ALEN];
	__u8 dst_mac[ETH_ALEN];
	struct in_addr src_ip;
	struct in_addr dst_ip;
	__u16 src_port;
	__u16 dst_port;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static bool verbose;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && !verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
	struct timespec ts;

	if (s <= 0)
		return;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) && errno == EINTR && !stop)
		;
}

static int parse_mac(const char *s, __u8 *mac)
{
	unsigned int b[ETH_ALEN];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
		   &b[5]) != ETH_ALEN)
		return -EINVAL;
	for (int i = 0; i < ETH_ALEN; i++) {
		if (b[i] > 0xff)
			return -EINVAL;
		mac[i] = b[i];
	}
	return 0;
}

/* Move this process into the network namespace at @path (if any). */
static int enter_netns(const char *path)
{
	int fd, err = 0;

	if (!path)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		fprintf(stderr, "pktgen: open %s: %s\n", path, strerror(-err));
		return err;
	}
	if (setns(fd, CLONE_NEWNET)) {
		err = -errno;
		fprintf(stderr, "pktgen: setns %s: %s\n", path, strerror(-err));
	}
	close(fd);
	return err;
}

static int ifindex_of(const char *ifname)
{
	unsigned int idx;

	if (!ifname) {
		fprintf(stderr, "pktgen: --ifname is required\n");
		return -EINVAL;
	}
	idx = if_nametoindex(ifname);
	if (!idx) {
		fprintf(stderr, "pktgen: no device %s: %s\n", ifname, strerror(errno));
		return -ENODEV;
	}
	return idx;
}

static int hwaddr_of(const char *ifname, __u8 *mac)
{
	struct ifreq ifr = {};
	int fd, err = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr))
		err = -errno;
	else
		memcpy(mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	close(fd);
	return err;
}

/* bpffs must be mounted at /sys/fs/bpf in our (the root) mount namespace. */
static int ensure_bpffs(void)
{
	struct statfs st;

	if (!statfs(BPFFS, &st) && st.f_type == BPF_FS_MAGIC)
		return 0;
	if (mount("bpf", BPFFS, "bpf", 0, "mode=0700")) {
		int err = -errno;

		fprintf(stderr, "pktgen: mount bpffs on %s: %s\n", BPFFS, strerror(-err));
		return err;
	}
	return 0;
}

static int pin_dir_create(const char *dir)
{
	char path[PATH_MAX], c;
	int err = ensure_bpffs();

	if (err)
		return err;
	if (strlen(dir) >= sizeof(path))
		return -ENAMETOOLONG;
	strcpy(path, dir);
	/* mkdir -p: every prefix ending before a '/', then the whole path. */
	for (char *p = path + 1;; p++) {
		if (*p != '/' && *p)
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(path, 0700) && errno != EEXIST) {
			err = -errno;
			fprintf(stderr, "pktgen: mkdir %s: %s\n", path, strerror(-err));
			return err;
		}
		if (!c)
			return 0;
		*p = c;
	}
}

static int pin_fd(int fd, const char *dir, const char *name)
{
	char path[PATH_MAX];
	int err = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (bpf_obj_pin(fd, path)) {
		err = -errno;
		fprintf(stderr, "pktgen: pin %s: %s\n", path, strerror(-err));
	}
	return err;
}

/* ---- gen ---------------------------------------------------------------- */

static int cmd_gen(struct opts *o)
{
	__u8 frame[FRAME_LEN] = {};
	LIBBPF_OPTS(bpf_test_run_opts, run,
		    .data_in = frame,
		    .data_size_in = sizeof(frame),
		    .repeat = GEN_BATCH,
		    .flags = BPF_F_TEST_XDP_LIVE_FRAMES,
		    .batch_size = o->batch);
	struct gen_bpf *skel = NULL;
	unsigned long long calls = 0;
	double start, end;
	cpu_set_t cpus;
	int idx, err, fd;

	err = enter_netns(o->netns);
	if (err)
		return err;
	idx = ifindex_of(o->ifname);
	if (idx < 0)
		return idx;
	if (!o->have_src_mac && hwaddr_of(o->ifname, o->src_mac))
		fprintf(stderr, "pktgen: no MAC for %s, using zeros\n", o->ifname);
	if (o->cpu >= 0) {
		CPU_ZERO(&cpus);
		CPU_SET(o->cpu, &cpus);
		if (sched_setaffinity(0, sizeof(cpus), &cpus)) {
			err = -errno;
			fprintf(stderr, "pktgen: cpu %d: %s\n", o->cpu, strerror(-err));
			return err;
		}
	}

	skel = gen_bpf__open();
	if (!skel)
		return -errno;
	skel->rodata->ifindex = idx;
	memcpy((void *)skel->rodata->src_mac, o->src_mac, ETH_ALEN);
	memcpy((void *)skel->rodata->dst_mac, o->dst_mac, ETH_ALEN);
	skel->rodata->src_ip = o->src_ip.s_addr;
	skel->rodata->dst_ip = o->dst_ip.s_addr;
	skel->rodata->src_port = htons(o->src_port);
	skel->rodata->dst_port = htons(o->dst_port);
	err = gen_bpf__load(skel);
	if (err) {
		fprintf(stderr, "pktgen: load gen: %s\n", strerror(-err));
		goto out;
	}
	fd = bpf_program__fd(skel->progs.xdp_gen);

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	start = now_s();
	end = start + o->seconds;
	while (!stop && now_s() < end) {
		if (bpf_prog_test_run_opts(fd, &run)) {
			err = -errno;
			if (err == -EINTR)
				continue;
			fprintf(stderr, "pktgen: test run: %s\n", strerror(-err));
			goto out;
		}
		calls++;
	}
	err = 0;
	fprintf(stderr, "pktgen: %llu frames in %.2f s\n",
		calls * GEN_BATCH, now_s() - start);
out:
	gen_bpf__destroy(skel);
	return err;
}

/* ---- sink --------------------------------------------------------------- */

/* The pin dir, then the netns (mount and mkdir before setns: both are
 * mount-namespace business); returns the ifindex of ifname there. */
static int pin_dir_and_netns(const char *pin, const char *netns, const char *ifname)
{
	int err = pin_dir_create(pin);

	if (!err)
		err = enter_netns(netns);
	return err ? err : ifindex_of(ifname);
}

static int cmd_sink_attach(struct opts *o)
{
	struct sink_bpf *skel = NULL;
	struct bpf_link *link = NULL;
	int idx, err;

	if (!o->pin) {
		fprintf(stderr, "pktgen: --pin is required\n");
		return -EINVAL;
	}
	idx = pin_dir_and_netns(o->pin, o->netns, o->ifname);
	if (idx < 0)
		return idx;

	skel = sink_bpf__open_and_load();
	if (!skel)
		return -errno;
	link = bpf_program__attach_xdp(skel->progs.xdp_sink, idx);
	if (!link) {
		err = -errno;
		fprintf(stderr, "pktgen: attach sink to %s: %s\n", o->ifname, strerror(-err));
		goto out;
	}
	err = pin_fd(bpf_link__fd(link), o->pin, "link");
	if (!err)
		err = pin_fd(bpf_map__fd(skel->maps.count), o->pin, "count");
out:
	bpf_link__destroy(link);	/* the pin keeps it attached */
	sink_bpf__destroy(skel);
	return err;
}

static int sink_count(const char *dir, unsigned long long *out)
{
	char path[PATH_MAX];
	int ncpu = libbpf_num_possible_cpus();
	unsigned long long sum = 0;
	__u64 *vals;
	__u32 key = 0;
	int fd, err = 0;

	if (ncpu < 0)
		return ncpu;
	snprintf(path, sizeof(path), "%s/count", dir);
	fd = bpf_obj_get(path);
	if (fd < 0) {
		err = -errno;
		fprintf(stderr, "pktgen: %s: %s\n", path, strerror(-err));
		return err;
	}
	vals = calloc(ncpu, sizeof(*vals));
	if (!vals) {
		err = -ENOMEM;
		goto out;
	}
	if (bpf_map_lookup_elem(fd, &key, vals)) {
		err = -errno;
		goto out;
	}
	for (int i = 0; i < ncpu; i++)
		sum += vals[i];
	*out = sum;
out:
	free(vals);
	close(fd);
	return err;
}

static int cmd_sink_read(struct opts *o)
{
	unsigned long long n;
	int err;

	if (!o->pin) {
		fprintf(stderr, "pktgen: --pin is required\n");
		return -EINVAL;
	}
	err = sink_count(o->pin, &n);
	if (!err)
		printf("%llu\n", n);
	return err;
}

/*
 * Wait (at most 5 s) for the first packets, let the path warm up, then
 * sample the counter twice, --seconds apart. Prints packets per second.
 */
static int cmd_sink_rate(struct opts *o)
{
	unsigned long long n0, n1;
	double t0, t1, deadline;
	int err;

	if (!o->pin) {
		fprintf(stderr, "pktgen: --pin is required\n");
		return -EINVAL;
	}
	err = sink_count(o->pin, &n0);
	deadline = now_s() + 5;
	while (!err && !stop) {
		err = sink_count(o->pin, &n1);
		if (err || n1 != n0 || now_s() > deadline)
			break;
		sleep_s(0.01);
	}
	if (err)
		return err;
	sleep_s(o->warmup);

	err = sink_count(o->pin, &n0);
	t0 = now_s();
	sleep_s(o->seconds);
	if (!err)
		err = sink_count(o->pin, &n1);
	t1 = now_s();
	if (err)
		return err;
	printf("%.0f\n", (n1 - n0) / (t1 - t0));
	return 0;
}

/* Remove every pin in @dir, then @dir. Unpinned links detach themselves. */
static int cmd_detach(struct opts *o)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int err = 0;

	if (!o->pin) {
		fprintf(stderr, "pktgen: --pin is required\n");
		return -EINVAL;
	}
	d = opendir(o->pin);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", o->pin, de->d_name);
		if (unlink(path) && !err)
			err = -errno;
	}
	closedir(d);
	if (rmdir(o->pin) && !err)
		err = -errno;
	if (err)
		fprintf(stderr, "pktgen: detach %s: %s\n", o->pin, strerror(-err));
	return err;
}

/* ---- bare redirect baselines ------------------------------------------- */

static int attach_tc(struct bare_bpf *skel, int idx, const char *pin)
{
	int prog = bpf_program__fd(skel->progs.tc_bare);
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = idx,
			    .attach_point = BPF_TC_INGRESS);
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, tc, .prog_fd = prog);
	int fd, err;

	/* TCX: a link we can pin, like every other attachment here. */
	fd = bpf_link_create(prog, idx, PG_BPF_TCX_INGRESS, NULL);
	if (fd >= 0) {
		err = pin_fd(fd, pin, "link");
		close(fd);
		return err;
	}
	/* Older kernel: clsact + cls_bpf; the filter lives until the device does. */
	err = bpf_tc_hook_create(&hook);
	if (err && err != -EEXIST)
		return err;
	return bpf_tc_attach(&hook, &tc);
}

static int cmd_bare_attach(struct opts *o)
{
	struct bare_bpf *skel = NULL;
	struct bpf_link *link = NULL;
	int in, out, err;
	__u32 key = 0;
	bool xdp;

	if (!o->pin || !o->mode || !o->out_ifname) {
		fprintf(stderr, "pktgen: bare-attach needs --mode, --ifname, --out, --pin\n");
		return -EINVAL;
	}
	xdp = !strcmp(o->mode, "xdp");
	if (!xdp && strcmp(o->mode, "tc")) {
		fprintf(stderr, "pktgen: --mode is xdp or tc\n");
		return -EINVAL;
	}
	in = pin_dir_and_netns(o->pin, o->netns, o->ifname);
	if (in < 0)
		return in;
	out = ifindex_of(o->out_ifname);
	if (out < 0)
		return out;

	skel = bare_bpf__open();
	if (!skel)
		return -errno;
	skel->rodata->out_ifindex = out;
	bpf_program__set_autoload(xdp ? skel->progs.tc_bare : skel->progs.xdp_bare, false);
	err = bare_bpf__load(skel);
	if (err)
		goto out;

	if (!xdp) {
		err = attach_tc(skel, in, o->pin);
		goto out;
	}
	err = bpf_map__update_elem(skel->maps.tx_port, &key, sizeof(key),
				   &out, sizeof(__u32), 0);
	if (err)
		goto out;
	link = bpf_program__attach_xdp(skel->progs.xdp_bare, in);
	if (!link) {
		err = -errno;
		goto out;
	}
	err = pin_fd(bpf_link__fd(link), o->pin, "link");
out:
	if (err)
		fprintf(stderr, "pktgen: bare-attach %s on %s: %s\n", o->mode,
			o->ifname, strerror(-err));
	bpf_link__destroy(link);
	bare_bpf__destroy(skel);
	return err;
}

/* ---- main --------------------------------------------------------------- */

static const struct {
	const char *name;
	int (*fn)(struct opts *o);
} cmds[] = {
	{ "gen", cmd_gen },
	{ "sink-attach", cmd_sink_attach },
	{ "sink-read", cmd_sink_read },
	{ "sink-rate", cmd_sink_rate },
	{ "sink-detach", cmd_detach },
	{ "bare-attach", cmd_bare_attach },
	{ "detach", cmd_detach },
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pktgen gen --ifname IF [--netns PATH] [--seconds S] [--cpu N]\n"
		"                  [--batch N (frames per kernel batch, max 256)]\n"
		"                  [--src-mac M] [--dst-mac M] [--src-ip A] [--dst-ip A]\n"
		"                  [--src-port P] [--dst-port P]\n"
		"       pktgen sink-attach --ifname IF [--netns PATH] --pin DIR\n"
		"       pktgen sink-read --pin DIR\n"
		"       pktgen sink-rate --pin DIR [--seconds S] [--warmup S]\n"
		"       pktgen sink-detach --pin DIR\n"
		"       pktgen bare-attach --mode xdp|tc --ifname IN --out OUT [--netns PATH] --pin DIR\n"
		"       pktgen detach --pin DIR\n"
		"DIR is a directory in bpffs (" BPFFS "/...). Add -v for libbpf debug output.\n");
}

enum { O_SRC_MAC = 256, O_DST_MAC, O_SRC_IP, O_DST_IP, O_SRC_PORT, O_DST_PORT };

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "ifname", required_argument, NULL, 'i' },
		{ "out", required_argument, NULL, 'o' },
		{ "netns", required_argument, NULL, 'n' },
		{ "pin", required_argument, NULL, 'p' },
		{ "mode", required_argument, NULL, 'm' },
		{ "seconds", required_argument, NULL, 's' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "batch", required_argument, NULL, 'b' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "src-mac", required_argument, NULL, O_SRC_MAC },
		{ "dst-mac", required_argument, NULL, O_DST_MAC },
		{ "src-ip", required_argument, NULL, O_SRC_IP },
		{ "dst-ip", required_argument, NULL, O_DST_IP },
		{ "src-port", required_argument, NULL, O_SRC_PORT },
		{ "dst-port", required_argument, NULL, O_DST_PORT },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int c;

	while ((c = getopt_long(argc, argv, "i:o:n:p:m:s:w:c:b:vh", lo, NULL)) != -1) {
		switch (c) {
		case 'i': o->ifname = optarg; break;
		case 'o': o->out_ifname = optarg; break;
		case 'n': o->netns = optarg; break;
		case 'p': o->pin = optarg; break;
		case 'm': o->mode = optarg; break;
		case 's': o->seconds = atof(optarg); break;
		case 'w': o->warmup = atof(optarg); break;
		case 'c': o->cpu = atoi(optarg); break;
		case 'b': o->batch = atoi(optarg); break;
		case 'v': o->verbose = true; break;
		case O_SRC_MAC:
			if (parse_mac(optarg, o->src_mac))
				goto bad;
			o->have_src_mac = true;
			break;
		case O_DST_MAC:
			if (parse_mac(optarg, o->dst_mac))
				goto bad;
			break;
		case O_SRC_IP:
			if (inet_pton(AF_INET, optarg, &o->src_ip) != 1)
				goto bad;
			break;
		case O_DST_IP:
			if (inet_pton(AF_INET, optarg, &o->dst_ip) != 1)
				goto bad;
			break;
		case O_SRC_PORT: o->src_port = atoi(optarg); break;
		case O_DST_PORT: o->dst_port = atoi(optarg); break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -EINVAL;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "pktgen: unexpected argument %s\n", argv[optind]);
		return -EINVAL;
	}
	return 0;
bad:
	fprintf(stderr, "pktgen: bad value %s\n", optarg);
	return -EINVAL;
}

int main(int argc, char **argv)
{
	struct opts o = {
		.seconds = 2,
		.warmup = 0.5,
		.cpu = -1,
		.dst_mac = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		.src_port = 1024,
		.dst_port = 9,		/* discard */
	};
	const char *cmd;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	cmd = argv[1];
	inet_pton(AF_INET, "198.18.0.2", &o.src_ip);
	inet_pton(AF_INET, "198.19.0.2", &o.dst_ip);
	if (parse_opts(argc - 1, argv + 1, &o))
		return 2;
	verbose = o.verbose;
	libbpf_set_print(libbpf_print);

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(cmd, cmds[i].name))
			return cmds[i].fn(&o) ? 1 : 0;
	fprintf(stderr, "pktgen: unknown command %s; try pktgen --help\n", cmd);
	return 2;
}
