// SPDX-License-Identifier: Apache-2.0
/* bpfnetd: options, signals and the event loop. The REST front end is in
 * http.c, the listening sockets in sock.c; everything else is the library's.
 *
 * Data-path state is pinned and deliberately outlives the daemon: exiting
 * only stops serving and frees memory (bn_ctx_close). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bpfnet.h"
#include "log.h"
#include "http.h"
#include "sock.h"

#define PROG		 "bpfnetd"
#define DEFAULT_PIDFILE	 "/run/bpfnet/bpfnetd.pid"
#define EXIT_USAGE	 2
#define RUN		 -1	/* parse_args(): go on and run */
#define EVENT_POLL_MS	 1000	/* re-ask bn_ctx_event_fd() this often */

struct config {
	const char *socket_path;
	const char *listen;		/* ADDR:PORT or NULL */
	const char *token_file;
	const char *pin_dir;
	const char *tc_hook;
	const char *state_dir;
	const char *pidfile;		/* NULL: none */
	int loglevel;
	bool syslog;
	bool daemon;
	/* derived by check_config() */
	char *token;
	struct sockaddr_storage listen_addr;
	socklen_t listen_len;
};

struct daemon {
	struct config cfg;
	pthread_mutex_t lock;		/* serialises every library call */
	struct bn_ctx *ctx;
	struct bn_http *http;
	int sig_fd;			/* signalfd: SIGINT, SIGTERM, SIGHUP */
	int notify_fd;			/* --daemon: tells the waiting parent we are up */
	int fds[2];			/* listening sockets until handed to http */
	struct stat sock_st;		/* the socket file we created */
	bool sock_made;
	bool pid_made;
};

enum {
	OPT_SOCKET = 256,
	OPT_LISTEN,
	OPT_TOKEN_FILE,
	OPT_PIN_DIR,
	OPT_STATE_DIR,
	OPT_TC_HOOK,
	OPT_LOGLEVEL,
	OPT_SYSLOG,
	OPT_DAEMON,
	OPT_PIDFILE,
	OPT_VERSION,
};

static const struct option long_opts[] = {
	{ "socket",	required_argument, NULL, OPT_SOCKET },
	{ "listen",	required_argument, NULL, OPT_LISTEN },
	{ "token-file",	required_argument, NULL, OPT_TOKEN_FILE },
	{ "pin-dir",	required_argument, NULL, OPT_PIN_DIR },
	{ "state-dir",	required_argument, NULL, OPT_STATE_DIR },
	{ "tc-hook",	required_argument, NULL, OPT_TC_HOOK },
	{ "loglevel",	required_argument, NULL, OPT_LOGLEVEL },
	{ "syslog",	no_argument,	   NULL, OPT_SYSLOG },
	{ "daemon",	no_argument,	   NULL, OPT_DAEMON },
	{ "pidfile",	required_argument, NULL, OPT_PIDFILE },
	{ "help",	no_argument,	   NULL, 'h' },
	{ "version",	no_argument,	   NULL, OPT_VERSION },
	{ 0 }
};

static void usage(void)
{
	printf("Usage: " PROG " [OPTIONS]\n"
	       "Serve the Polycube REST API (/polycube/v1/) for bpfnet.\n\n"
	       "  --socket PATH       Unix socket to serve on (default " BN_DEFAULT_SOCKET ")\n"
	       "  --listen ADDR:PORT  also serve on TCP ([V6ADDR]:PORT for IPv6); only\n"
	       "                      loopback addresses unless --token-file is given\n"
	       "  --token-file FILE   require \"Authorization: Bearer <first line of FILE>\"\n"
	       "                      on every request (Unix socket and TCP)\n"
	       "  --pin-dir DIR       bpffs directory for pins (default " BN_DEFAULT_PIN_DIR ")\n"
	       "  --state-dir DIR     directory holding config.json (default " BN_DEFAULT_STATE_DIR ")\n"
	       "  --tc-hook HOOK      TC mode hooks: tcx (default; clsact where the kernel\n"
	       "                      has no TCX) or clsact (direct-action filters)\n"
	       "  --loglevel LEVEL    TRACE, DEBUG, INFO, WARN, ERR, CRITICAL or OFF (default INFO)\n"
	       "  --syslog            log to syslog instead of stderr\n"
	       "  --daemon            go to the background once the sockets listen; stderr is\n"
	       "                      kept only if it is a regular file\n"
	       "  --pidfile FILE      write the pid there (default " DEFAULT_PIDFILE " with --daemon)\n"
	       "  -h, --help          show this help\n"
	       "  --version           show the version\n");
}

/* One line on stderr; returns EXIT_USAGE. */
__attribute__((format(printf, 1, 2)))
static int bad_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try --help)\n");
	return EXIT_USAGE;
}

static int bad_option(char **argv, int c)
{
	char opt[3] = { '-', (char)optopt, '\0' };
	const char *name = optopt > 0 && optopt < 256 ? opt : argv[optind - 1];

	if (c == ':')
		return bad_usage("option %s needs an argument", name);
	if (optopt >= 256)
		return bad_usage("option %s takes no argument", name);
	return bad_usage("unknown option %s", name);
}

/* RUN, or the status to exit with at once. */
static int parse_args(int argc, char **argv, struct config *c)
{
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", long_opts, NULL)) != -1) {
		switch (opt) {
		case OPT_SOCKET:	c->socket_path = optarg; break;
		case OPT_LISTEN:	c->listen = optarg; break;
		case OPT_TOKEN_FILE:	c->token_file = optarg; break;
		case OPT_PIN_DIR:	c->pin_dir = optarg; break;
		case OPT_STATE_DIR:	c->state_dir = optarg; break;
		case OPT_TC_HOOK:
			if (strcmp(optarg, "tcx") && strcmp(optarg, "clsact"))
				return bad_usage("--tc-hook is tcx or clsact, not '%s'", optarg);
			c->tc_hook = optarg;
			break;
		case OPT_SYSLOG:	c->syslog = true; break;
		case OPT_DAEMON:	c->daemon = true; break;
		case OPT_PIDFILE:	c->pidfile = optarg; break;
		case OPT_LOGLEVEL:
			c->loglevel = bn_log_level_parse(optarg);
			if (c->loglevel < 0)
				return bad_usage("unknown log level '%s'", optarg);
			break;
		case 'h':
			usage();
			return 0;
		case OPT_VERSION:
			printf(PROG " %s\n", BPFNET_VERSION);
			return 0;
		default:
			return bad_option(argv, opt);
		}
	}
	if (optind < argc)
		return bad_usage("unexpected argument '%s'", argv[optind]);
	if (!*c->socket_path)
		return bad_usage("--socket needs a path");
	if (c->daemon && !c->pidfile)
		c->pidfile = DEFAULT_PIDFILE;
	return RUN;
}

/* The first line of @file, without its line ending; NULL if unreadable or empty. */
static char *read_token(const char *file)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;

	f = fopen(file, "re");
	if (!f)
		return NULL;
	n = getline(&line, &cap, f);
	fclose(f);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	if (n <= 0) {
		free(line);
		return NULL;
	}
	return line;
}

/* What can be refused before anything starts: RUN or EXIT_USAGE. */
static int check_config(struct config *c)
{
	int err;

	if (c->token_file) {
		c->token = read_token(c->token_file);
		if (!c->token)
			return bad_usage("cannot read a token from '%s'", c->token_file);
	}
	if (!c->listen)
		return RUN;
	err = bn_sock_parse_addr(c->listen, &c->listen_addr, &c->listen_len);
	if (err == -EADDRNOTAVAIL)
		return bad_usage("--listen %s: cannot resolve the address", c->listen);
	if (err)
		return bad_usage("--listen %s: expected ADDR:PORT", c->listen);
	if (!c->token && !bn_sock_is_loopback(&c->listen_addr))
		return bad_usage("--listen %s: not a loopback address; refusing without --token-file",
				 c->listen);
	return RUN;
}

/* Fork. The parent waits for the child to be ready and exits 0, or exits with
 * the child's status if it dies first. Returns in the child only. */
static int daemon_fork(int *notify_fd)
{
	int p[2], status;
	ssize_t n;
	pid_t pid;
	char c;

	if (pipe2(p, O_CLOEXEC)) {
		pr_err("pipe: %s", strerror(errno));
		return -errno;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		pr_err("fork: %s", strerror(errno));
		return -errno;
	}
	if (!pid) {
		close(p[0]);
		*notify_fd = p[1];
		setsid();
		return 0;
	}
	close(p[1]);
	do
		n = read(p[0], &c, 1);
	while (n < 0 && errno == EINTR);
	if (n == 1)
		exit(0);
	if (waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status))
		exit(WEXITSTATUS(status));
	exit(1);
}

/* Tell the parent we are serving, then let go of its terminal or pipes. */
static void daemon_ready(struct daemon *d)
{
	struct stat st;
	int null;

	if (write(d->notify_fd, "1", 1) != 1)
		pr_warn("cannot notify the parent process: %s", strerror(errno));
	close(d->notify_fd);
	d->notify_fd = -1;

	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0)
		return;
	dup2(null, STDIN_FILENO);
	dup2(null, STDOUT_FILENO);
	if (d->cfg.syslog || fstat(STDERR_FILENO, &st) || !S_ISREG(st.st_mode))
		dup2(null, STDERR_FILENO);
	close(null);
}

static int write_pidfile(struct daemon *d)
{
	const char *path = d->cfg.pidfile;
	int fd, err;

	err = bn_mkdir_parent(path);
	if (err)
		return err;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || dprintf(fd, "%d\n", (int)getpid()) < 0) {
		err = -errno;
		pr_err("cannot write pid file %s: %s", path, strerror(-err));
		goto out;
	}
	d->pid_made = true;
out:
	if (fd >= 0)
		close(fd);
	return err;
}

/* Block SIGINT/SIGTERM/SIGHUP before any thread exists (they inherit the
 * mask) and read them from a signalfd in the main loop. */
static int setup_signals(int *sig_fd)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (pthread_sigmask(SIG_BLOCK, &set, NULL))
		return -EINVAL;
	*sig_fd = signalfd(-1, &set, SFD_CLOEXEC);
	if (*sig_fd < 0) {
		pr_err("signalfd: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

static int open_listeners(struct daemon *d)
{
	struct config *c = &d->cfg;
	int err;

	err = bn_sock_listen_unix(c->socket_path, &d->fds[0], &d->sock_st);
	if (err)
		return err;
	d->sock_made = true;
	if (!c->listen)
		return 0;
	return bn_sock_listen_tcp(c->listen, &c->listen_addr, c->listen_len, &d->fds[1]);
}

static int start_http(struct daemon *d)
{
	struct bn_http_cfg hc = {
		.ctx = d->ctx,
		.lock = &d->lock,
		.token = d->cfg.token,
		.fds = { d->fds[0], d->fds[1] },
	};
	int err;

	err = bn_http_start(&hc, &d->http);
	for (int i = 0; i < 2; i++) {
		if (d->fds[i] >= 0)
			close(d->fds[i]);
		d->fds[i] = -1;
	}
	return err;
}

/* 1 to stop, 0 to go on. */
static int on_signal(struct daemon *d)
{
	struct signalfd_siginfo si;

	if (read(d->sig_fd, &si, sizeof(si)) != sizeof(si))
		return 0;
	if (si.ssi_signo == SIGHUP) {
		pr_info("SIGHUP ignored");
		return 0;
	}
	pr_info("SIG%s received, exiting", sigabbrev_np(si.ssi_signo));
	return 1;
}

static int event_fd(struct daemon *d)
{
	int fd;

	pthread_mutex_lock(&d->lock);
	fd = bn_ctx_event_fd(d->ctx);
	pthread_mutex_unlock(&d->lock);
	return fd;
}

static void process_events(struct daemon *d, int *last_err)
{
	int err;

	pthread_mutex_lock(&d->lock);
	err = bn_ctx_process(d->ctx);
	pthread_mutex_unlock(&d->lock);
	if (err < 0 && err != *last_err)
		pr_warn("processing data-path events: %s", strerror(-err));
	*last_err = err < 0 ? err : 0;
}

static int event_loop(struct daemon *d)
{
	int last_err = 0, bad_fd = -1;
	struct pollfd pfd[2];

	for (;;) {
		pfd[0] = (struct pollfd){ .fd = d->sig_fd, .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = event_fd(d), .events = POLLIN };
		if (pfd[1].fd == bad_fd)
			pfd[1].fd = -1;		/* poll() skips negative fds */
		/* with a timeout: the library may only get an event fd later */
		if (poll(pfd, 2, EVENT_POLL_MS) < 0) {
			if (errno == EINTR)
				continue;
			pr_err("poll: %s", strerror(errno));
			return -errno;
		}
		if (pfd[0].revents && on_signal(d))
			return 0;
		if (pfd[1].revents & POLLNVAL) {
			pr_err("library event fd %d is not open; not polling it", pfd[1].fd);
			bad_fd = pfd[1].fd;
		} else if (pfd[1].revents) {
			process_events(d, &last_err);
		}
	}
}

static int start(struct daemon *d)
{
	struct config *c = &d->cfg;
	struct bn_opts o = { .pin_dir = c->pin_dir, .state_dir = c->state_dir, .tc_hook = c->tc_hook };
	int err;

	if (c->daemon) {
		err = daemon_fork(&d->notify_fd);
		if (err)
			return err;
	}
	err = setup_signals(&d->sig_fd);
	if (err)
		return err;
	err = open_listeners(d);
	if (err)
		return err;
	err = bn_ctx_open(&o, &d->ctx);
	if (err) {
		pr_err("cannot open the bpfnet context: %s", strerror(-err));
		return err;
	}
	err = start_http(d);
	if (err)
		return err;
	if (c->pidfile) {
		err = write_pidfile(d);
		if (err)
			return err;
	}
	pr_info(PROG " %s serving on %s%s%s%s", BPFNET_VERSION, c->socket_path,
		c->listen ? " and " : "", c->listen ? c->listen : "",
		c->token ? " (bearer token required)" : "");
	if (d->notify_fd >= 0)
		daemon_ready(d);
	return 0;
}

static void stop(struct daemon *d)
{
	bn_http_stop(&d->http);
	bn_ctx_close(&d->ctx);
	for (int i = 0; i < 2; i++)
		if (d->fds[i] >= 0)
			close(d->fds[i]);
	if (d->sock_made)
		bn_sock_unlink_unix(d->cfg.socket_path, &d->sock_st);
	if (d->pid_made && unlink(d->cfg.pidfile))
		pr_warn("cannot remove %s: %s", d->cfg.pidfile, strerror(errno));
	if (d->sig_fd >= 0)
		close(d->sig_fd);
	if (d->notify_fd >= 0)
		close(d->notify_fd);
	pthread_mutex_destroy(&d->lock);
	free(d->cfg.token);
}

int main(int argc, char **argv)
{
	struct daemon d = {
		.cfg = { .socket_path = BN_DEFAULT_SOCKET, .loglevel = BN_LOG_INFO },
		.lock = PTHREAD_MUTEX_INITIALIZER,
		.sig_fd = -1,
		.notify_fd = -1,
		.fds = { -1, -1 },
	};
	int ret;

	ret = parse_args(argc, argv, &d.cfg);
	if (ret == RUN)
		ret = check_config(&d.cfg);
	if (ret != RUN) {
		free(d.cfg.token);
		return ret;
	}

	bn_log_set_level(d.cfg.loglevel);
	if (d.cfg.syslog) {
		openlog(PROG, LOG_PID, LOG_DAEMON);
		bn_log_set_syslog(1);
	}
	bn_log_hook_libbpf();

	ret = start(&d);
	if (!ret) {
		ret = event_loop(&d);
		pr_info(PROG " stopping");
	}
	stop(&d);
	return ret ? 1 : 0;
}
