// SPDX-License-Identifier: Apache-2.0
/*
 * Runs the built CLI (build/bpfnet) against a fake daemon: a thread of this
 * process serving canned replies on a Unix socket in a temporary directory.
 * Checks the request bytes and the CLI's exit code, stdout and stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#define MAX_CONN 4
#define REQ_MAX 16384

struct exchange {
	const char *reply;		/* full HTTP reply to send */
	char req[REQ_MAX];		/* request as received */
	size_t len;
	const char *body;		/* points into req */
};

struct fake {
	char dir[64];
	char sock[128];
	int lfd;
	pthread_t thread;
	bool running;
	int nconn;			/* connections to serve */
	int served;
	struct exchange ex[MAX_CONN];
};

struct run {
	int status;			/* exit code, or -1 */
	char out[8192];
	char err[8192];
};

static char cli_path[PATH_MAX];

/*
 * The CLI: $BPFNET_CLI, else $BN_BUILD/bpfnet (set by tests/run.sh), else the
 * one next to this test (build/tests/test_cli_binary -> build/bpfnet).
 */
static bool find_cli(void)
{
	const char *env = getenv("BPFNET_CLI"), *build = getenv("BN_BUILD");
	char self[PATH_MAX];
	ssize_t n;

	if (env && *env) {
		snprintf(cli_path, sizeof(cli_path), "%s", env);
		return access(cli_path, X_OK) == 0;
	}
	if (build && *build) {
		snprintf(cli_path, sizeof(cli_path), "%s/bpfnet", build);
		if (access(cli_path, X_OK) == 0)
			return true;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return false;
	self[n] = '\0';
	snprintf(cli_path, sizeof(cli_path), "%s/../bpfnet", dirname(self));
	return access(cli_path, X_OK) == 0;
}

static size_t content_length(const char *head)
{
	const char *p = strcasestr(head, "\r\nContent-Length:");

	return p ? strtoul(p + 17, NULL, 10) : 0;
}

/* Read one request: head, then Content-Length bytes of body. */
static void read_request(int fd, struct exchange *x)
{
	char *end = NULL;
	ssize_t n;

	while (x->len < REQ_MAX - 1) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		if (poll(&pfd, 1, 10000) != 1)
			break;
		n = read(fd, x->req + x->len, REQ_MAX - 1 - x->len);
		if (n <= 0)
			break;
		x->len += n;
		x->req[x->len] = '\0';
		end = end ? end : strstr(x->req, "\r\n\r\n");
		if (end && x->len >= (size_t)(end + 4 - x->req) + content_length(x->req))
			break;
	}
	x->body = end ? end + 4 : "";
}

static void *serve(void *arg)
{
	struct fake *f = arg;
	struct pollfd pfd = { .fd = f->lfd, .events = POLLIN };
	struct exchange *x;
	int fd;

	for (; f->served < f->nconn; f->served++) {
		if (poll(&pfd, 1, 10000) != 1)
			break;
		fd = accept(f->lfd, NULL, NULL);
		if (fd < 0)
			break;
		x = &f->ex[f->served];
		read_request(fd, x);
		if (write(fd, x->reply, strlen(x->reply)) < 0)
			x->len = 0;
		close(fd);
	}
	return NULL;
}

static int setup(void **state)
{
	struct fake *f = calloc(1, sizeof(*f));
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	if (!f || !find_cli()) {
		free(f);
		*state = NULL;
		return 0;
	}
	strcpy(f->dir, "/tmp/bpfnet-cli-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->sock, sizeof(f->sock), "%s/bpfnetd.sock", f->dir);
	strcpy(sun.sun_path, f->sock);
	f->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (f->lfd < 0 || bind(f->lfd, (struct sockaddr *)&sun, sizeof(sun)) ||
	    listen(f->lfd, 4))
		return -1;
	*state = f;
	return 0;
}

static void remove_dir(const char *dir)
{
	static const char *const files[] = { "bpfnetd.sock", "out", "err", "token", "in" };
	char path[256];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

static int teardown(void **state)
{
	struct fake *f = *state;

	if (!f)
		return 0;
	close(f->lfd);
	remove_dir(f->dir);
	free(f);
	return 0;
}

static struct fake *fake_get(void **state)
{
	if (!*state)
		skip();		/* build/bpfnet is not built */
	return *state;
}

/* Serve these replies, one per connection, in a thread. */
static void fake_start(struct fake *f, const char *const *replies, int n)
{
	int i;

	f->nconn = n;
	for (i = 0; i < n; i++)
		f->ex[i].reply = replies[i];
	assert_int_equal(pthread_create(&f->thread, NULL, serve, f), 0);
	f->running = true;
}

static void fake_stop(struct fake *f)
{
	if (f->running)
		pthread_join(f->thread, NULL);
	f->running = false;
}

static void slurp(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? 0 : read(fd, buf, len - 1);

	buf[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
}

/*
 * Run the CLI with @args (NULL-terminated), its stdin from @in (a file
 * path, or /dev/null), and the environment @env plus BPFNET_SOCKET.
 */
static void run_cli(struct fake *f, const char *const *args, const char *in,
		    const char *const *env, struct run *r)
{
	char out[128], err[128], sock_env[160];
	char *argv[32], *envp[16];
	posix_spawn_file_actions_t fa;
	int i, n = 0, status;
	pid_t pid;

	snprintf(out, sizeof(out), "%s/out", f->dir);
	snprintf(err, sizeof(err), "%s/err", f->dir);
	snprintf(sock_env, sizeof(sock_env), "BPFNET_SOCKET=%s", f->sock);
	argv[0] = cli_path;
	for (i = 0; args[i]; i++)
		argv[i + 1] = (char *)args[i];
	argv[i + 1] = NULL;
	envp[n++] = sock_env;
	envp[n++] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
	for (i = 0; env && env[i]; i++)
		envp[n++] = (char *)env[i];
	envp[n] = NULL;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, in ? in : "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_int_equal(posix_spawn(&pid, cli_path, &fa, NULL, argv, envp), 0);
	posix_spawn_file_actions_destroy(&fa);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	fake_stop(f);
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	slurp(out, r->out, sizeof(r->out));
	slurp(err, r->err, sizeof(r->err));
}

static void expect_request_line(const struct exchange *x, const char *line)
{
	size_t n = strlen(line);

	assert_true(x->len > n);
	if (strncmp(x->req, line, n) || strncmp(x->req + n, "\r\n", 2))
		fail_msg("request line: got '%.*s', want '%s'",
			 (int)strcspn(x->req, "\r"), x->req, line);
}

static void test_post_2xx(void **state)
{
	static const char *const replies[] = {
		"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n",
	};
	static const char *const args[] = { "hw0", "ports", "add", "port1", "peer=veth1", NULL };
	struct fake *f = fake_get(state);
	struct run r;

	fake_start(f, replies, 1);
	run_cli(f, args, NULL, NULL, &r);
	assert_int_equal(f->served, 1);
	expect_request_line(&f->ex[0], "POST /polycube/v1/hw0/ports/port1/ HTTP/1.1");
	assert_non_null(strstr(f->ex[0].req, "\r\nConnection: close\r\n"));
	assert_non_null(strstr(f->ex[0].req, "\r\nContent-Type: application/json\r\n"));
	assert_non_null(strstr(f->ex[0].req, "\r\nContent-Length: 16\r\n"));
	assert_non_null(strstr(f->ex[0].req, "\r\nHost: "));
	assert_null(strstr(f->ex[0].req, "Authorization"));
	assert_string_equal(f->ex[0].body, "{\"peer\":\"veth1\"}");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "");
	assert_string_equal(r.err, "");
}

static void test_show_leaf(void **state)
{
	static const char *const replies[] = {
		"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
		"Content-Length: 7\r\n\r\n\"veth1\"",
	};
	static const char *const args[] = { "helloworld", "hw0", "ports", "port1", "show",
					    "peer", NULL };
	struct fake *f = fake_get(state);
	struct run r;

	fake_start(f, replies, 1);
	run_cli(f, args, NULL, NULL, &r);
	expect_request_line(&f->ex[0], "GET /polycube/v1/helloworld/hw0/ports/port1/peer/ HTTP/1.1");
	assert_string_equal(f->ex[0].body, "");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "veth1\n\n");
	assert_string_equal(r.err, "");
}

static void test_4xx_json_error(void **state)
{
	static const char *const replies[] = {
		"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
		"Content-Length: 38\r\n\r\n{\"error\":\"No cube found named nocube\"}",
	};
	static const char *const args[] = { "del", "nocube", NULL };
	struct fake *f = fake_get(state);
	struct run r;

	fake_start(f, replies, 1);
	run_cli(f, args, NULL, NULL, &r);
	expect_request_line(&f->ex[0], "DELETE /polycube/v1/nocube/ HTTP/1.1");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	assert_string_equal(r.err, "No cube found named nocube\n");
}

static void test_4xx_empty_body(void **state)
{
	static const char *const replies[] = {
		"HTTP/1.1 409 Conflict\r\nContent-Length: 0\r\n\r\n",
	};
	static const char *const args[] = { "r1", "route", "add", "10.0.0.0/24", "10.1.0.2", NULL };
	struct fake *f = fake_get(state);
	struct run r;

	fake_start(f, replies, 1);
	run_cli(f, args, NULL, NULL, &r);
	expect_request_line(&f->ex[0], "POST /polycube/v1/r1/route/10.0.0.0%2F24/10.1.0.2/ HTTP/1.1");
	assert_string_equal(f->ex[0].body, "{}");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.err, "409 Conflict\n");
}

static void test_action_chunked_and_token(void **state)
{
	static const char *const replies[] = {
		"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
		"4\r\n{\"id\r\n4\r\n\":3}\r\n0\r\n\r\n",
	};
	static const char *const args[] = { "fw", "chain", "INGRESS", "append", "l4proto=TCP",
					    "action=ACCEPT", NULL };
	struct fake *f = fake_get(state);
	char token[160], token_env[200];
	const char *env[] = { token_env, NULL };
	struct run r;
	FILE *t;

	snprintf(token, sizeof(token), "%s/token", f->dir);
	snprintf(token_env, sizeof(token_env), "BPFNET_TOKEN_FILE=%s", token);
	t = fopen(token, "w");
	assert_non_null(t);
	fputs("s3cret\nsecond line\n", t);
	fclose(t);
	fake_start(f, replies, 1);
	run_cli(f, args, NULL, env, &r);
	expect_request_line(&f->ex[0], "POST /polycube/v1/fw/chain/INGRESS/append/ HTTP/1.1");
	assert_non_null(strstr(f->ex[0].req, "\r\nAuthorization: Bearer s3cret\r\n"));
	assert_string_equal(f->ex[0].body, "{\"l4proto\":\"TCP\",\"action\":\"ACCEPT\"}");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "id: 3\n\n");
	assert_string_equal(r.err, "");
}

static void test_stdin_body_and_redirect(void **state)
{
	static const char *const replies[] = {
		"HTTP/1.1 308 Permanent Redirect\r\nLocation: "
		"/polycube/v1/firewall/fw/chain/INGRESS/batch/\r\nContent-Length: 0\r\n\r\n",
		"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n",
	};
	static const char *const args[] = { "fw", "chain", "INGRESS", "batch", "rules=", NULL };
	static const char batch[] =
		"{\"rules\":[{'operation': 'append', 'src': '10.1.0.0/31', 'sport': 0,},]}\n";
	static const char want[] =
		"{\"rules\":[{\"operation\":\"append\",\"src\":\"10.1.0.0/31\",\"sport\":0}]}";
	struct fake *f = fake_get(state);
	char in[160];
	struct run r;
	FILE *t;

	snprintf(in, sizeof(in), "%s/in", f->dir);
	t = fopen(in, "w");
	assert_non_null(t);
	fputs(batch, t);
	fclose(t);
	fake_start(f, replies, 2);
	run_cli(f, args, in, NULL, &r);
	assert_int_equal(f->served, 2);
	expect_request_line(&f->ex[0], "POST /polycube/v1/fw/chain/INGRESS/batch/ HTTP/1.1");
	assert_string_equal(f->ex[0].body, want);
	expect_request_line(&f->ex[1], "POST /polycube/v1/firewall/fw/chain/INGRESS/batch/ HTTP/1.1");
	assert_string_equal(f->ex[1].body, want);
	assert_non_null(strstr(f->ex[1].req, "\r\nReferer: /polycube/v1/fw/chain/INGRESS/batch/\r\n"));
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
}

static void test_version(void **state)
{
	static const char *const replies[] = {
		"HTTP/1.1 200 OK\r\nContent-Length: 35\r\n\r\n"
		"{\"polycubed\":{\"version\":\"0.1.0-x\"}}",
	};
	static const char *const args[] = { "--version", NULL };
	struct fake *f = fake_get(state);
	struct run r;

	fake_start(f, replies, 1);
	run_cli(f, args, NULL, NULL, &r);
	expect_request_line(&f->ex[0], "GET /polycube/v1/version/ HTTP/1.1");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "polycubectl:\n version: 0.1.0\n"
			    "polycubed:\n version: 0.1.0-x\n\n");
}

static void test_syntax_error(void **state)
{
	static const char *const args[] = { "hw0", "add", "show", NULL };
	struct fake *f = fake_get(state);
	struct run r;

	run_cli(f, args, NULL, NULL, &r);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	assert_string_equal(r.err, "Multiple commands found: show and add\n");
}

static void test_daemon_down(void **state)
{
	static const char *const args[] = { "cubes", NULL };
	struct fake *f = fake_get(state);
	struct run r;

	/* nobody listens there any more */
	close(f->lfd);
	unlink(f->sock);
	f->lfd = -1;
	run_cli(f, args, NULL, NULL, &r);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, "cannot connect to bpfnetd at unix:"));
	assert_non_null(strstr(r.err, "No such file or directory"));
	assert_int_equal(strchr(r.err, '\n') - r.err, strlen(r.err) - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_post_2xx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_show_leaf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_4xx_json_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_4xx_empty_body, setup, teardown),
		cmocka_unit_test_setup_teardown(test_action_chunked_and_token, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stdin_body_and_redirect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syntax_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_daemon_down, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
