// SPDX-License-Identifier: Apache-2.0
/* bpfnet / polycubectl: glue between argv, the daemon and stdout. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alias.h"
#include "help.h"
#include "http.h"
#include "print.h"
#include "request.h"
#include "tokenize.h"
#include "yaml.h"

struct client {
	struct http_target target;
	char *token;		/* bearer token or NULL */
	bool debug;
};

static int fail(const char *msg)
{
	fflush(stdout);
	fprintf(stderr, "%s\n", msg);
	return 1;
}

/* First line of $BPFNET_TOKEN_FILE, if that file is readable. */
static char *read_token(void)
{
	const char *file = getenv("BPFNET_TOKEN_FILE");
	char *line = NULL;
	size_t cap = 0;
	FILE *f;

	if (!file || !*file)
		return NULL;
	f = fopen(file, "re");
	if (!f)
		return NULL;
	if (getline(&line, &cap, f) < 0) {
		free(line);
		line = NULL;
	} else {
		line[strcspn(line, "\r\n")] = '\0';
	}
	fclose(f);
	return line;
}

static int client_init(struct client *c, struct cli_error *e)
{
	int err;

	memset(c, 0, sizeof(*c));
	err = http_target_init(&c->target, getenv("POLYCUBECTL_URL"),
			       getenv("BPFNET_SOCKET"), e);
	if (err)
		return err;
	c->token = read_token();
	c->debug = cli_env_flag(getenv("POLYCUBECTL_DEBUG"));
	return 0;
}

static int client_call(const struct client *c, const char *method,
		       const char *path, const char *body,
		       struct http_response *resp, struct cli_error *e)
{
	char where[256];
	int err;

	if (c->debug) {
		http_target_describe(&c->target, where, sizeof(where));
		if (c->target.unix_socket)
			fprintf(stderr, "%s %s%s (%s)\n%s\n\n", method,
				c->target.base, path, where, body ? body : "");
		else
			fprintf(stderr, "%s %s%s%s\n%s\n\n", method, where,
				c->target.base, path, body ? body : "");
	}
	err = http_request(&c->target, method, path, body, c->token, resp, e);
	if (!err && c->debug)
		fprintf(stderr, "%d %s\n", resp->status, resp->reason);
	return err;
}

static bool ok_status(int status)
{
	return status >= 200 && status < 300;
}

/* The running cubes for the root help; NULL if they cannot be had. */
static json_t *get_cubes(const struct client *c)
{
	struct http_response resp;
	json_t *cubes = NULL;

	if (client_call(c, "GET", "cubes/", NULL, &resp, NULL))
		return NULL;
	if (ok_status(resp.status))
		cubes = json_loadb(resp.body, resp.body_len, 0, NULL);
	http_response_free(&resp);
	if (!json_is_object(cubes)) {
		json_decref(cubes);
		cubes = NULL;
	}
	return cubes;
}

static int show_help(const struct client *c, const struct command *cmd,
		     const struct http_response *resp)
{
	json_t *help, *cubes = NULL;
	int err;

	help = json_loadb(resp->body, resp->body_len, 0, NULL);
	if (!json_is_object(help)) {
		json_decref(help);
		return fail("There is not help for this command");
	}
	if (!cmd->npath && cmd->verb == CLI_VERB_NONE)
		cubes = get_cubes(c);
	err = cli_print_help(stdout, cmd, help, cubes);
	json_decref(help);
	json_decref(cubes);
	return err ? fail(strerror(-err)) : 0;
}

static int report_status(const struct http_response *resp, bool help)
{
	struct strbuf line = STRBUF_INIT;
	int ret;

	if (cli_reply_error(&line, resp->status, resp->reason, resp->body,
			    resp->body_len, help))
		ret = fail("out of memory");
	else
		ret = fail(sb_str(&line));
	sb_release(&line);
	return ret;
}

static int run_request(const struct client *c, const struct command *cmd)
{
	struct cli_error e = { { 0 } };
	struct http_response resp;
	struct request req;
	json_t *stdin_body = NULL;
	int ret = 1, err;

	if (cli_wants_stdin(cmd) && cli_read_stdin_body(STDIN_FILENO, &stdin_body, &e))
		return fail(e.msg);
	err = cli_build_request(cmd, stdin_body, &req, &e);
	json_decref(stdin_body);
	if (err)
		return fail(e.msg);
	if (cmd->prologue)
		fputs(cmd->prologue, stdout);
	if (client_call(c, req.method, req.path, req.body, &resp, &e)) {
		ret = fail(e.msg);
		goto out;
	}
	if (!ok_status(resp.status))
		ret = report_status(&resp, cmd->help);
	else if (cmd->help)
		ret = show_help(c, cmd, &resp);
	else
		ret = cli_print_reply(stdout, cmd, resp.body, resp.body_len) ?
		      fail("cannot print the reply") : 0;
	http_response_free(&resp);
out:
	cli_request_free(&req);
	return ret;
}

static int run_complete(const struct client *c, int nwords, char *const words[])
{
	struct cli_error e = { { 0 } };
	struct strbuf path = STRBUF_INIT;
	struct http_response resp;
	json_t *list = NULL;
	bool root;
	int ret = 0;

	if (cli_completion_path(nwords, words, &path, &root)) {
		sb_release(&path);
		return fail("out of memory");
	}
	if (client_call(c, "OPTIONS", sb_str(&path), NULL, &resp, &e)) {
		ret = 1;
	} else {
		if (ok_status(resp.status))
			list = json_loadb(resp.body, resp.body_len, 0, NULL);
		http_response_free(&resp);
	}
	cli_print_completion(stdout, json_is_array(list) ? list : NULL, root);
	if (ret)
		fail(e.msg);
	json_decref(list);
	sb_release(&path);
	return ret;
}

static int run(struct client *c, int argc, char *argv[])
{
	static char *version_argv[] = { "version", NULL };
	struct cli_error e = { { 0 } };
	struct command cmd;
	const char *local;
	int ret;

	if (argc == 1 && !strcmp(argv[0], "--version")) {
		argv = version_argv;
		argc = 1;
	}
	if (cli_tokenize(argc, argv, &cmd, &e))
		return fail(e.msg);
	ret = cli_apply_aliases(&cmd, &local, &e);
	if (ret < 0)
		ret = fail(e.msg);
	else if (ret == 1)
		ret = fputs(local, stdout) < 0;
	else
		ret = run_request(c, &cmd);
	cli_command_free(&cmd);
	return ret;
}

int main(int argc, char *argv[])
{
	struct cli_error e = { { 0 } };
	struct client c;
	int ret;

	if (client_init(&c, &e))
		return fail(e.msg);
	if (argc >= 2 && !strcmp(argv[1], "--complete"))
		ret = run_complete(&c, argc - 2, argv + 2);
	else
		ret = run(&c, argc - 1, argv + 1);
	free(c.token);
	if (fflush(stdout) && !ret)
		ret = fail("cannot write to stdout");
	return ret;
}
