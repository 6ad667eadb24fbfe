/*
 * Unit tests for src/mail/smtp.c against real servers on 127.0.0.1:
 * postfix's smtp-sink for what arrives, and tests/mail/smtpd.py
 * (python3-aiosmtpd) for refusals at each step, a connection dropped
 * in the middle of the data, a server that never answers, AUTH and
 * STARTTLS.  The test starts and stops every server itself; one that is
 * missing makes the tests that need it skip, saying why.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "mail/smtp.h"
#include "util/err.h"

#define SINK		"/usr/sbin/smtp-sink"
#define SMTPD		"tests/mail/smtpd.py"
#define MAX_SERVERS	8
#define FROM		"ann@example.com"
#define RCPT		"bob@example.com"
#define PASSWORD	"Correct-Horse-9"
#define WRONG		"Wrong-Battery-7"

/* A lone ".", lines that start with dots, 8-bit text: what curl must
 * dot-stuff and the server give back as it was. */
static const char MSG[] =
    "From: Ann Lee <ann@example.com>\r\n"
    "To: Bob <bob@example.com>\r\n"
    "Subject: hello\r\n"
    "Message-ID: <1@tend.test>\r\n"
    "\r\n"
    ".a line that starts with a dot\r\n"
    "..two dots\r\n"
    ".\r\n"
    "caf\xc3\xa9 8-bit\r\n"
    "\r\n"
    "last line\r\n";

struct server {
	pid_t	pid;
	int	port;
	char	dir[256];
};

static char		 top[64];	/* this run's temporary folder */
static const char	*python;
static int		 have_sink;
static int		 have_smtpd;
static struct server	 servers[MAX_SERVERS];
static int		 nservers;
static int		 nextdir;

/* ---- servers --------------------------------------------------------- */

static double
now_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
sleep_ms(long ms)
{
	struct timespec	 ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

/* Run argv with output to log (or /dev/null); the child dies with us. */
static pid_t
spawn(char *const argv[], const char *log)
{
	pid_t	 pid;
	int	 fd;

	pid = fork();
	if (pid != 0)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	fd = open(log != NULL ? log : "/dev/null",
	    O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
	}
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0) {
		dup2(fd, 0);
		close(fd);
	}
	execvp(argv[0], argv);
	_exit(127);
}

static int
run_quiet(char *const argv[])
{
	pid_t	 pid;
	int	 st;

	pid = spawn(argv, NULL);
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A port on 127.0.0.1 that nothing listens on just now. */
static int
free_port(void)
{
	struct sockaddr_in	 a;
	socklen_t		 len = sizeof a;
	int			 fd, port;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

/* The greeting of 127.0.0.1:port, or "" if nothing answers. */
static void
greeting(int port, char *buf, size_t size)
{
	struct sockaddr_in	 a;
	struct timeval		 tv = { 1, 0 };
	ssize_t			 n;
	int			 fd;

	buf[0] = '\0';
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)port);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0) {
		n = read(fd, buf, size - 1);
		buf[n > 0 ? n : 0] = '\0';
	}
	close(fd);
}

static int
alive(pid_t pid)
{
	return waitpid(pid, NULL, WNOHANG) == 0;
}

static void
server_stop(struct server *sv)
{
	int	 i;

	if (sv->pid <= 0)
		return;
	kill(sv->pid, SIGTERM);
	for (i = 0; i < 40 && alive(sv->pid); i++)
		sleep_ms(50);
	if (alive(sv->pid)) {
		kill(sv->pid, SIGKILL);
		waitpid(sv->pid, NULL, 0);
	}
	sv->pid = 0;
}

static struct server *
server_new(void)
{
	struct server	*sv;

	assert_true(nservers < MAX_SERVERS);
	sv = &servers[nservers++];
	memset(sv, 0, sizeof *sv);
	snprintf(sv->dir, sizeof sv->dir, "%s/s%d", top, nextdir++);
	assert_int_equal(mkdir(sv->dir, 0755), 0);
	return sv;
}

/*
 * smtp-sink dumping each message into its folder.  Its greeting names
 * it, so a port taken by someone else meanwhile is noticed (smtp-sink
 * retries a busy port for seconds before it gives up).
 */
static struct server *
sink_start(void)
{
	struct server	*sv;
	char		 tmpl[300], addr[32], tag[64], log[300], g[256];
	char		*argv[12];
	int		 try, i, n;

	sv = server_new();
	snprintf(tmpl, sizeof tmpl, "%s/msg.", sv->dir);
	snprintf(log, sizeof log, "%s.log", sv->dir);
	for (try = 0; try < 5; try++) {
		sv->port = free_port();
		snprintf(addr, sizeof addr, "127.0.0.1:%d", sv->port);
		snprintf(tag, sizeof tag, "sink-%d-%d", (int)getpid(),
		    sv->port);
		n = 0;
		argv[n++] = (char *)SINK;
		if (geteuid() == 0) {
			argv[n++] = (char *)"-u";
			argv[n++] = (char *)"root";
		}
		argv[n++] = (char *)"-a";
		argv[n++] = (char *)"-h";
		argv[n++] = tag;
		argv[n++] = (char *)"-d";
		argv[n++] = tmpl;
		argv[n++] = addr;
		argv[n++] = (char *)"64";
		argv[n] = NULL;
		sv->pid = spawn(argv, log);
		assert_true(sv->pid > 0);
		for (i = 0; i < 100 && alive(sv->pid); i++) {
			greeting(sv->port, g, sizeof g);
			if (strncmp(g, "220 ", 4) == 0 &&
			    strncmp(g + 4, tag, strlen(tag)) == 0)
				return sv;
			if (g[0] != '\0')
				break;
			sleep_ms(50);
		}
		server_stop(sv);
	}
	fail_msg("smtp-sink did not start (see %s)", log);
	return NULL;
}

/* tests/mail/smtpd.py with the options given (NULL-terminated). */
static struct server *
smtpd_start(const char *opt, ...)
{
	struct server	*sv;
	va_list		 ap;
	char		*argv[20];
	char		 path[300], log[300];
	FILE		*f;
	int		 n = 0, i;

	sv = server_new();
	argv[n++] = (char *)python;
	argv[n++] = (char *)SMTPD;
	argv[n++] = sv->dir;
	va_start(ap, opt);
	while (opt != NULL && n < 19) {
		argv[n++] = (char *)opt;
		opt = va_arg(ap, const char *);
	}
	va_end(ap);
	argv[n] = NULL;
	snprintf(log, sizeof log, "%s.log", sv->dir);
	snprintf(path, sizeof path, "%s/port", sv->dir);
	sv->pid = spawn(argv, log);
	assert_true(sv->pid > 0);
	for (i = 0; i < 200; i++) {
		f = fopen(path, "r");
		if (f != NULL) {
			n = fscanf(f, "%d", &sv->port);
			fclose(f);
			if (n == 1)
				return sv;
		}
		if (!alive(sv->pid))
			break;
		sleep_ms(50);
	}
	server_stop(sv);
	fail_msg("smtpd.py did not start (see %s)", log);
	return NULL;
}

/* A file's whole content (caller frees); *len set. */
static char *
slurp(const char *path, size_t *len)
{
	FILE	*f;
	char	*buf;
	long	 n;

	f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* How many lines of the server's log contain s. */
static int
log_count(const struct server *sv, const char *s)
{
	char	 path[300], line[2048];
	FILE	*f;
	int	 n = 0;

	snprintf(path, sizeof path, "%s/log", sv->dir);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL)
		n += strstr(line, s) != NULL;
	fclose(f);
	return n;
}

static int
connections(const struct server *sv)
{
	return log_count(sv, " open ");
}

/* Messages in the folder: files named msg.* (not smtpd.py's .tmp). */
static int
messages(const struct server *sv, char *first, size_t size)
{
	DIR		*d;
	struct dirent	*de;
	int		 n = 0;

	d = opendir(sv->dir);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "msg.", 4) != 0 ||
		    strstr(de->d_name, ".tmp") != NULL)
			continue;
		if (n++ == 0 && first != NULL)
			snprintf(first, size, "%s/%s", sv->dir, de->d_name);
	}
	closedir(d);
	return n;
}

static struct smtp *
sender(int port, long timeout_ms)
{
	struct smtp_conf	 c;
	struct smtp		*s;
	struct err		 e;
	char			 url[64];

	snprintf(url, sizeof url, "smtp://127.0.0.1:%d", port);
	memset(&c, 0, sizeof c);
	c.url = url;
	c.tls = SMTP_TLS_NONE;
	c.timeout_ms = timeout_ms;
	c.helo = "tend.test";
	if (smtp_new(&c, &s, &e) != 0)
		fail_msg("smtp_new: %s", e.msg);
	return s;
}

static int
send_msg(struct smtp *s, struct smtp_result *r, struct err *e)
{
	memset(e, 0, sizeof *e);
	return smtp_send(s, FROM, RCPT, MSG, sizeof MSG - 1, r, e);
}

#define NEED_SINK() do {						\
	if (!have_sink) {						\
		print_message("skipped: %s is missing (Debian package "	\
		    "postfix)\n", SINK);				\
		skip();							\
	}								\
} while (0)

#define NEED_SMTPD() do {						\
	if (!have_smtpd) {						\
		print_message("skipped: python3-aiosmtpd is missing\n");\
		skip();							\
	}								\
} while (0)

/* ---- no server needed ------------------------------------------------ */

static void
test_new_refuses(void **state)
{
	struct smtp_conf	 c;
	struct smtp		*s;
	struct err		 e;
	static const char	*local[] = {
		"smtp://127.0.0.1:2525", "smtp://[::1]:2525",
		"smtp://localhost", "smtp://LocalHost:25"
	};
	size_t			 i;

	(void)state;
	memset(&c, 0, sizeof c);
	c.tls = SMTP_TLS_NONE;
	c.url = "smtp://mail.example.com:587";
	assert_int_equal(smtp_new(&c, &s, &e), TEND_EINVAL);
	assert_null(s);
	assert_non_null(strstr(e.msg, "smtp.tls none is only for a relay "
	    "on this machine"));
	c.url = "smtp://127.0.0.2";
	assert_int_equal(smtp_new(&c, &s, &e), TEND_EINVAL);
	c.url = "smtps://mail.example.com";
	assert_int_equal(smtp_new(&c, &s, &e), TEND_EINVAL);
	for (i = 0; i < sizeof local / sizeof local[0]; i++) {
		c.url = local[i];
		assert_int_equal(smtp_new(&c, &s, &e), 0);
		assert_int_equal(smtp_connects(s), 0);
		smtp_free(s);
	}

	/* With TLS required any host will do; nothing is contacted. */
	c.tls = SMTP_TLS_REQUIRED;
	c.url = "smtp://mail.example.com:587";
	assert_int_equal(smtp_new(&c, &s, &e), 0);
	smtp_free(s);
	c.url = "smtps://mail.example.com";
	assert_int_equal(smtp_new(&c, &s, &e), 0);
	smtp_free(s);

	c.url = "http://mail.example.com";
	assert_int_equal(smtp_new(&c, &s, &e), TEND_EINVAL);
	assert_non_null(strstr(e.msg, "smtp:// or smtps://"));
	c.url = "mail.example.com";
	assert_int_equal(smtp_new(&c, &s, &e), TEND_EINVAL);
	c.url = "";
	assert_int_equal(smtp_new(&c, &s, &e), TEND_EINVAL);
	assert_string_equal(e.msg, "smtp.url is not set");
	c.url = "smtp://mail.example.com";
	c.helo = "bad helo";
	assert_int_equal(smtp_new(&c, &s, &e), TEND_EINVAL);
	assert_non_null(strstr(e.msg, "'bad helo'"));
	c.helo = "[192.0.2.1]";
	assert_int_equal(smtp_new(&c, &s, &e), 0);
	smtp_free(s);
	c.helo = NULL;
	c.timeout_ms = -1;
	assert_int_equal(smtp_new(&c, &s, &e), TEND_EINVAL);
}

/* A password in the URL is refused without being repeated. */
static void
test_new_password_in_url(void **state)
{
	struct smtp_conf	 c;
	struct smtp		*s;
	struct err		 e;

	(void)state;
	memset(&c, 0, sizeof c);
	c.tls = SMTP_TLS_REQUIRED;
	c.url = "smtp://ann:" PASSWORD "@mail.example.com:587";
	assert_int_equal(smtp_new(&c, &s, &e), TEND_EINVAL);
	assert_string_equal(e.msg, "smtp.url must not hold a password: set "
	    "smtp.user and smtp.password_file");
	c.url = "smtp://ann@mail.example.com:587";
	assert_int_equal(smtp_new(&c, &s, &e), TEND_EINVAL);
	c.url = "smtp:// " PASSWORD "@";
	assert_int_equal(smtp_new(&c, &s, &e), TEND_EINVAL);
	assert_null(strstr(e.msg, PASSWORD));
}

/* Bad input is refused before any I/O: nothing listens on the port. */
static void
test_send_refuses_bad_input(void **state)
{
	struct smtp		*s;
	struct smtp_result	 r;
	struct err		 e;
	char			*big;
	size_t			 n;
	static const struct {
		const char	*from, *rcpt, *data;
	} bad[] = {
		{ FROM, RCPT, "Subject: x\n\r\nbody\r\n" },
		{ FROM, RCPT, "Subject: x\r\n\r\nbare\nlf\r\n" },
		{ FROM, RCPT, "Subject: x\r\n\r\nbare\rcr\r\n" },
		{ FROM, RCPT, "Subject: x\r\n\r\nend in cr\r" },
		{ FROM, "bob@example.com>\r\nRCPT TO:<eve@example.com",
		    MSG },
		{ FROM, "bob@example.com> NOTIFY=NEVER", MSG },
		{ FROM, "<bob@example.com>", MSG },
		{ FROM, "", MSG },
		{ "ann@example.com\r\nRSET", RCPT, MSG },
		{ "ann @example.com", RCPT, MSG },
		{ FROM, "bob\x7f@example.com", MSG },
	};
	size_t			 i;

	(void)state;
	s = sender(free_port(), 1000);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&e, 0, sizeof e);
		assert_int_equal(smtp_send(s, bad[i].from, bad[i].rcpt,
		    bad[i].data, strlen(bad[i].data), &r, &e), TEND_EINVAL);
		assert_int_equal(r.code, 0);
	}
	/* NUL inside */
	assert_int_equal(smtp_send(s, FROM, RCPT, "a\0b\r\n", 5, &r, &e),
	    TEND_EINVAL);
	assert_non_null(strstr(e.msg, "NUL"));
	assert_int_equal(smtp_send(s, FROM, RCPT, "", 0, &r, &e),
	    TEND_EINVAL);
	/* 999 octets in a line is one too many; 998 is fine */
	big = malloc(1100);
	assert_non_null(big);
	memset(big, 'x', 999);
	memcpy(big + 999, "\r\n", 2);
	assert_int_equal(smtp_send(s, FROM, RCPT, big, 1001, &r, &e),
	    TEND_EINVAL);
	assert_non_null(strstr(e.msg, "998"));
	assert_int_equal(smtp_connects(s), 0);
	/* ...and a good message goes to the (closed) port: refused */
	n = 998;
	memcpy(big + n, "\r\n", 2);
	assert_int_equal(smtp_send(s, FROM, RCPT, big, n + 2, &r, &e),
	    TEND_EMAIL_TEMP);
	assert_int_equal(r.code, 0);
	assert_int_equal(r.rcpt_failed, 0);
	assert_non_null(strstr(e.msg, "cannot connect"));
	free(big);
	smtp_free(s);
}

/* ---- smtp-sink: what arrives ----------------------------------------- */

static void
test_sink_byte_exact(void **state)
{
	struct server		*sv;
	struct smtp		*s;
	struct smtp_result	 r;
	struct err		 e;
	char			 path[512], want[sizeof MSG + 2];
	char			*got, *p, *body;
	size_t			 len, i, n = 0;

	(void)state;
	NEED_SINK();
	sv = sink_start();
	s = sender(sv->port, 5000);
	assert_int_equal(send_msg(s, &r, &e), 0);
	assert_int_equal(r.code, 250);
	assert_int_equal(r.rcpt_failed, 0);
	assert_string_equal(r.reply, "250 2.0.0 Ok");
	smtp_free(s);
	server_stop(sv);

	assert_int_equal(messages(sv, path, sizeof path), 1);
	got = slurp(path, &len);
	assert_non_null(got);
	/* smtp-sink's own lines first: the envelope and the EHLO name */
	assert_non_null(strstr(got, "X-Helo-Args: tend.test\n"));
	assert_non_null(strstr(got, "X-Mail-Args: <" FROM ">\n"));
	assert_non_null(strstr(got, "X-Rcpt-Args: <" RCPT ">\n"));
	/* then its Received header, then the message with LF line ends
	 * and an empty line for the final dot */
	p = strstr(got, "\nReceived: from tend.test ([127.0.0.1])\n");
	assert_non_null(p);
	body = strchr(p + 1, '\n') + 1;
	while (*body == '\t')
		body = strchr(body, '\n') + 1;
	for (i = 0; i < sizeof MSG - 1; i++) {
		if (MSG[i] != '\r')
			want[n++] = MSG[i];
	}
	want[n++] = '\n';
	want[n] = '\0';
	assert_string_equal(body, want);
	free(got);
}

/* ---- smtpd.py: exact bytes, one connection, every fault -------------- */

static void
test_smtpd_byte_exact(void **state)
{
	struct server		*sv;
	struct smtp		*s;
	struct smtp_result	 r;
	struct err		 e;
	char			 path[512], *got, *msg;
	size_t			 len, n;

	(void)state;
	NEED_SMTPD();
	sv = smtpd_start(NULL);
	s = sender(sv->port, 5000);
	assert_int_equal(send_msg(s, &r, &e), 0);
	assert_int_equal(messages(sv, path, sizeof path), 1);
	got = slurp(path, &len);
	assert_int_equal(len, sizeof MSG - 1);
	assert_memory_equal(got, MSG, len);
	free(got);

	/* a 998-octet line of dots, and no CRLF at the end: curl adds it */
	msg = malloc(2048);
	assert_non_null(msg);
	n = (size_t)snprintf(msg, 2048, "Subject: long\r\n\r\n");
	memset(msg + n, '.', 998);
	n += 998;
	memcpy(msg + n, "\r\nend", 5);
	n += 5;
	assert_int_equal(smtp_send(s, FROM, RCPT, msg, n, &r, &e), 0);
	snprintf(path, sizeof path, "%s/msg.0002", sv->dir);
	got = slurp(path, &len);
	assert_non_null(got);
	assert_int_equal(len, n + 2);
	assert_memory_equal(got, msg, n);
	assert_memory_equal(got + n, "\r\n", 2);
	free(got);
	free(msg);
	assert_int_equal(log_count(sv, "> MAIL FROM:<" FROM ">"), 2);
	assert_int_equal(log_count(sv, "> RCPT TO:<" RCPT ">"), 2);
	assert_int_equal(log_count(sv, "> EHLO tend.test"), 1);
	smtp_free(s);
	/* smtp_free says QUIT */
	server_stop(sv);
	assert_int_equal(log_count(sv, "> QUIT"), 1);
}

static void
test_hundred_one_connection(void **state)
{
	struct server		*sv;
	struct smtp		*s;
	struct smtp_result	 r;
	struct err		 e;
	int			 i;

	(void)state;
	NEED_SMTPD();
	sv = smtpd_start(NULL);
	s = sender(sv->port, 5000);
	for (i = 0; i < 100; i++) {
		assert_int_equal(send_msg(s, &r, &e), 0);
		assert_int_equal(r.code, 250);
	}
	assert_int_equal(smtp_connects(s), 1);
	assert_int_equal(messages(sv, NULL, 0), 100);
	assert_int_equal(connections(sv), 1);
	assert_int_equal(log_count(sv, "> EHLO"), 1);
	smtp_free(s);
}

static void
test_451_then_250(void **state)
{
	struct server		*sv;
	struct smtp		*s;
	struct smtp_result	 r;
	struct err		 e;

	(void)state;
	NEED_SMTPD();
	sv = smtpd_start("--script", "451,250", NULL);
	s = sender(sv->port, 5000);
	assert_int_equal(send_msg(s, &r, &e), TEND_EMAIL_TEMP);
	assert_int_equal(e.code, TEND_EMAIL_TEMP);
	assert_int_equal(r.code, 451);
	assert_int_equal(r.rcpt_failed, 0);
	assert_string_equal(r.reply, "451 4.3.0 try again later");
	assert_non_null(strstr(e.msg, "refused the message: 451 4.3.0"));
	assert_int_equal(messages(sv, NULL, 0), 0);

	assert_int_equal(send_msg(s, &r, &e), 0);
	assert_int_equal(r.code, 250);
	assert_int_equal(messages(sv, NULL, 0), 1);
	/* the failure closed the first connection */
	assert_int_equal(connections(sv), 2);
	assert_int_equal(smtp_connects(s), 2);
	smtp_free(s);
}

static void
test_rcpt_550(void **state)
{
	struct server		*sv;
	struct smtp		*s;
	struct smtp_result	 r;
	struct err		 e;

	(void)state;
	NEED_SMTPD();
	sv = smtpd_start("--rcpt", "550", NULL);
	s = sender(sv->port, 5000);
	assert_int_equal(send_msg(s, &r, &e), TEND_EMAIL_PERM);
	assert_int_equal(r.code, 550);
	assert_int_equal(r.rcpt_failed, 1);
	assert_non_null(strstr(r.reply, "550 5.1.1 "));
	assert_non_null(strstr(e.msg, "refused the recipient '" RCPT
	    "': 550 5.1.1"));
	assert_int_equal(log_count(sv, "> DATA"), 0);
	assert_int_equal(messages(sv, NULL, 0), 0);
	/* the next one is fine, on a new connection */
	assert_int_equal(send_msg(s, &r, &e), 0);
	assert_int_equal(r.rcpt_failed, 0);
	assert_int_equal(connections(sv), 2);
	smtp_free(s);
}

/* A 4xx to RCPT is temporary, but still the recipient's. */
static void
test_rcpt_450(void **state)
{
	struct server		*sv;
	struct smtp		*s;
	struct smtp_result	 r;
	struct err		 e;

	(void)state;
	NEED_SMTPD();
	sv = smtpd_start("--rcpt", "450", NULL);
	s = sender(sv->port, 5000);
	assert_int_equal(send_msg(s, &r, &e), TEND_EMAIL_TEMP);
	assert_int_equal(r.code, 450);
	assert_int_equal(r.rcpt_failed, 1);
	smtp_free(s);
}

static void
test_data_554(void **state)
{
	struct server		*sv;
	struct smtp		*s;
	struct smtp_result	 r;
	struct err		 e;

	(void)state;
	NEED_SMTPD();
	sv = smtpd_start("--script", "554", NULL);
	s = sender(sv->port, 5000);
	assert_int_equal(send_msg(s, &r, &e), TEND_EMAIL_PERM);
	assert_int_equal(r.code, 554);
	assert_int_equal(r.rcpt_failed, 0);
	assert_string_equal(r.reply, "554 5.6.0 transaction failed");
	assert_non_null(strstr(e.msg, "refused the message: 554"));
	assert_int_equal(messages(sv, NULL, 0), 0);
	smtp_free(s);
}

static void
test_mail_421(void **state)
{
	struct server		*sv;
	struct smtp		*s;
	struct smtp_result	 r;
	struct err		 e;

	(void)state;
	NEED_SMTPD();
	sv = smtpd_start("--mail", "421", NULL);
	s = sender(sv->port, 5000);
	assert_int_equal(send_msg(s, &r, &e), TEND_EMAIL_TEMP);
	assert_int_equal(r.code, 421);
	assert_int_equal(r.rcpt_failed, 0);
	assert_non_null(strstr(e.msg, "refused the sender: 421 4.3.2"));
	assert_int_equal(log_count(sv, "> RCPT"), 0);
	assert_int_equal(send_msg(s, &r, &e), 0);
	assert_int_equal(connections(sv), 2);
	smtp_free(s);
}

static void
test_greeting_refused(void **state)
{
	struct server		*sv;
	struct smtp		*s;
	struct smtp_result	 r;
	struct err		 e;

	(void)state;
	NEED_SMTPD();
	sv = smtpd_start("--greet", "421", NULL);
	s = sender(sv->port, 5000);
	assert_int_equal(send_msg(s, &r, &e), TEND_EMAIL_TEMP);
	assert_int_equal(r.code, 421);
	assert_non_null(strstr(e.msg, "refused the connection: 421"));
	smtp_free(s);
	server_stop(sv);

	sv = smtpd_start("--greet", "554", NULL);
	s = sender(sv->port, 5000);
	assert_int_equal(send_msg(s, &r, &e), TEND_EMAIL_PERM);
	assert_int_equal(r.code, 554);
	assert_int_equal(r.rcpt_failed, 0);
	smtp_free(s);
}

static void
test_drop_in_data(void **state)
{
	struct server		*sv;
	struct smtp		*s;
	struct smtp_result	 r;
	struct err		 e;

	(void)state;
	NEED_SMTPD();
	sv = smtpd_start("--drop-in-data", "1", NULL);
	s = sender(sv->port, 5000);
	assert_int_equal(send_msg(s, &r, &e), TEND_EMAIL_TEMP);
	assert_int_equal(r.code, 0);
	assert_int_equal(r.rcpt_failed, 0);
	assert_non_null(strstr(e.msg, "dropped the connection during the "
	    "message"));
	assert_int_equal(log_count(sv, " drop"), 1);
	assert_int_equal(messages(sv, NULL, 0), 0);
	/* the next send opens a new connection and succeeds */
	assert_int_equal(send_msg(s, &r, &e), 0);
	assert_int_equal(r.code, 250);
	assert_int_equal(connections(sv), 2);
	assert_int_equal(smtp_connects(s), 2);
	assert_int_equal(messages(sv, NULL, 0), 1);
	smtp_free(s);
}

/* Dropped while a big message is still being written: a send error. */
static void
test_drop_in_big_data(void **state)
{
	struct server		*sv;
	struct smtp		*s;
	struct smtp_result	 r;
	struct err		 e;
	char			*msg;
	size_t			 n = 0, size = 4 << 20;

	(void)state;
	NEED_SMTPD();
	msg = malloc(size);
	assert_non_null(msg);
	n = (size_t)snprintf(msg, size, "Subject: big\r\n\r\n");
	while (n + 80 < size) {
		memset(msg + n, 'x', 76);
		memcpy(msg + n + 76, "\r\n", 2);
		n += 78;
	}
	sv = smtpd_start("--drop-in-data", "1", NULL);
	s = sender(sv->port, 5000);
	assert_int_equal(smtp_send(s, FROM, RCPT, msg, n, &r, &e),
	    TEND_EMAIL_TEMP);
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(e.msg, "dropped the connection"));
	assert_int_equal(smtp_send(s, FROM, RCPT, msg, n, &r, &e), 0);
	assert_int_equal(messages(sv, NULL, 0), 1);
	smtp_free(s);
	free(msg);
}

static void
test_silent_server(void **state)
{
	struct server		*sv;
	struct smtp		*s;
	struct smtp_result	 r;
	struct err		 e;
	double			 t;

	(void)state;
	NEED_SMTPD();
	sv = smtpd_start("--silent", NULL);
	s = sender(sv->port, 500);
	t = now_s();
	assert_int_equal(send_msg(s, &r, &e), TEND_EMAIL_TEMP);
	t = now_s() - t;
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(e.msg, "did not answer the greeting within "
	    "500 ms"));
	assert_true(t >= 0.45 && t < 2.0);
	/* smtp_free does not wait on it either */
	t = now_s();
	smtp_free(s);
	assert_true(now_s() - t < 0.5);
	assert_int_equal(connections(sv), 1);
}

/* No answer to the final dot: the one case that may be a duplicate. */
static void
test_no_answer_to_data(void **state)
{
	struct server		*sv;
	struct smtp		*s;
	struct smtp_result	 r;
	struct err		 e;
	double			 t;

	(void)state;
	NEED_SMTPD();
	sv = smtpd_start("--stall-data", "1", NULL);
	s = sender(sv->port, 600);
	t = now_s();
	assert_int_equal(send_msg(s, &r, &e), TEND_EMAIL_TEMP);
	/* bounded by the timeout: no second wait for a QUIT */
	assert_true(now_s() - t < 1.5);
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(e.msg, "did not answer the end of the "
	    "message within 600 ms (it may have arrived)"));
	assert_int_equal(log_count(sv, " stall"), 1);
	/* a late answer must not be taken for the next MAIL's */
	assert_int_equal(send_msg(s, &r, &e), 0);
	assert_int_equal(connections(sv), 2);
	assert_int_equal(log_count(sv, "> QUIT"), 0);
	smtp_free(s);
}

static void
test_slow_server_in_time(void **state)
{
	struct server		*sv;
	struct smtp		*s;
	struct smtp_result	 r;
	struct err		 e;

	(void)state;
	NEED_SMTPD();
	sv = smtpd_start("--slow", "100", NULL);
	s = sender(sv->port, 5000);
	assert_int_equal(send_msg(s, &r, &e), 0);
	smtp_free(s);
}

/* The server closed the kept connection while idle: curl notices. */
static void
test_idle_close(void **state)
{
	struct server		*sv;
	struct smtp		*s;
	struct smtp_result	 r;
	struct err		 e;

	(void)state;
	NEED_SMTPD();
	sv = smtpd_start("--idle", "0.3", NULL);
	s = sender(sv->port, 5000);
	assert_int_equal(send_msg(s, &r, &e), 0);
	sleep_ms(700);
	assert_int_equal(send_msg(s, &r, &e), 0);
	assert_int_equal(connections(sv), 2);
	assert_int_equal(messages(sv, NULL, 0), 2);
	smtp_free(s);
}

static void
test_connection_refused(void **state)
{
	struct smtp		*s;
	struct smtp_result	 r;
	struct err		 e;
	double			 t;

	(void)state;
	s = sender(free_port(), 5000);
	t = now_s();
	assert_int_equal(send_msg(s, &r, &e), TEND_EMAIL_TEMP);
	assert_true(now_s() - t < 1.0);
	assert_int_equal(r.code, 0);
	assert_int_equal(r.rcpt_failed, 0);
	assert_non_null(strstr(e.msg, "cannot connect"));
	assert_true(r.reply[0] != '\0');
	smtp_free(s);
}

/* TLS required, the server has no STARTTLS: deferred, never in clear. */
static void
test_tls_required_no_starttls(void **state)
{
	struct server		*sv;
	struct smtp_conf	 c;
	struct smtp		*s;
	struct smtp_result	 r;
	struct err		 e;
	char			 url[64];

	(void)state;
	NEED_SMTPD();
	sv = smtpd_start(NULL);
	snprintf(url, sizeof url, "smtp://127.0.0.1:%d", sv->port);
	memset(&c, 0, sizeof c);
	c.url = url;
	c.tls = SMTP_TLS_REQUIRED;
	c.timeout_ms = 5000;
	c.user = "ann";
	c.password = PASSWORD;
	assert_int_equal(smtp_new(&c, &s, &e), 0);
	assert_int_equal(send_msg(s, &r, &e), TEND_EMAIL_TEMP);
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(e.msg, "does not offer STARTTLS"));
	assert_non_null(strstr(e.msg, "nothing was sent"));
	smtp_free(s);
	server_stop(sv);
	assert_int_equal(log_count(sv, "> MAIL"), 0);
	assert_int_equal(log_count(sv, "> AUTH"), 0);
	assert_int_equal(messages(sv, NULL, 0), 0);
}

/* STARTTLS offered with a certificate nobody vouches for: refused. */
static void
test_tls_bad_certificate(void **state)
{
	struct server		*sv;
	struct smtp_conf	 c;
	struct smtp		*s;
	struct smtp_result	 r;
	struct err		 e;
	char			 url[64], cert[300], key[300], pair[610];
	char			*argv[] = {
		"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
		"ec_paramgen_curve:prime256v1", "-nodes", "-subj",
		"/CN=127.0.0.1", "-days", "1", "-keyout", key, "-out", cert,
		NULL
	};

	(void)state;
	NEED_SMTPD();
	snprintf(cert, sizeof cert, "%s/cert.pem", top);
	snprintf(key, sizeof key, "%s/key.pem", top);
	if (run_quiet(argv) != 0) {
		print_message("skipped: openssl cannot make a certificate\n");
		skip();
	}
	snprintf(pair, sizeof pair, "%s,%s", cert, key);
	sv = smtpd_start("--starttls", pair, NULL);
	snprintf(url, sizeof url, "smtp://127.0.0.1:%d", sv->port);
	memset(&c, 0, sizeof c);
	c.url = url;
	c.tls = SMTP_TLS_REQUIRED;
	c.timeout_ms = 5000;
	assert_int_equal(smtp_new(&c, &s, &e), 0);
	assert_int_equal(send_msg(s, &r, &e), TEND_EMAIL_TEMP);
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(e.msg, "TLS failed, nothing was sent"));
	smtp_free(s);
	server_stop(sv);
	assert_int_equal(log_count(sv, "> STARTTLS"), 1);
	assert_int_equal(log_count(sv, "> MAIL"), 0);
	assert_int_equal(messages(sv, NULL, 0), 0);
}

static void
test_auth(void **state)
{
	struct server		*sv;
	struct smtp_conf	 c;
	struct smtp		*s;
	struct smtp_result	 r;
	struct err		 e;
	char			 url[64], *log;
	char			 path[300];
	size_t			 len;

	(void)state;
	NEED_SMTPD();
	sv = smtpd_start("--auth", "ann:" PASSWORD, NULL);
	snprintf(url, sizeof url, "smtp://127.0.0.1:%d", sv->port);
	memset(&c, 0, sizeof c);
	c.url = url;
	c.tls = SMTP_TLS_NONE;
	c.timeout_ms = 5000;
	c.user = "ann";
	c.password = WRONG;
	assert_int_equal(smtp_new(&c, &s, &e), 0);
	assert_int_equal(send_msg(s, &r, &e), TEND_EMAIL_PERM);
	assert_int_equal(r.code, 535);
	assert_int_equal(r.rcpt_failed, 0);
	assert_non_null(strstr(e.msg, "refused the login: 535"));
	assert_null(strstr(e.msg, WRONG));
	assert_null(strstr(r.reply, WRONG));
	smtp_free(s);

	c.password = PASSWORD;
	assert_int_equal(smtp_new(&c, &s, &e), 0);
	assert_int_equal(send_msg(s, &r, &e), 0);
	assert_int_equal(send_msg(s, &r, &e), 0);
	assert_int_equal(log_count(sv, "> AUTH"), 2);
	assert_int_equal(messages(sv, NULL, 0), 2);
	smtp_free(s);
	server_stop(sv);
	snprintf(path, sizeof path, "%s/log", sv->dir);
	log = slurp(path, &len);
	assert_non_null(log);
	assert_null(strstr(log, PASSWORD));
	free(log);
}

/* The EHLO name goes in the URL's path, where curl takes it from. */
static void
test_helo(void **state)
{
	struct server		*sv;
	struct smtp_conf	 c;
	struct smtp		*s;
	struct smtp_result	 r;
	struct err		 e;
	char			 url[64];

	(void)state;
	NEED_SMTPD();
	sv = smtpd_start(NULL);
	snprintf(url, sizeof url, "smtp://127.0.0.1:%d", sv->port);
	memset(&c, 0, sizeof c);
	c.url = url;
	c.tls = SMTP_TLS_NONE;
	c.helo = "[127.0.0.1]";
	assert_int_equal(smtp_new(&c, &s, &e), 0);
	assert_int_equal(send_msg(s, &r, &e), 0);
	smtp_free(s);
	assert_int_equal(log_count(sv, "> EHLO [127.0.0.1]\n"), 1);
	c.helo = NULL;
	assert_int_equal(smtp_new(&c, &s, &e), 0);
	assert_int_equal(send_msg(s, &r, &e), 0);
	smtp_free(s);
	assert_int_equal(log_count(sv, "> EHLO "), 2);
}

static void
test_ipv6(void **state)
{
	struct server		*sv;
	struct sockaddr_in6	 a;
	struct smtp_conf	 c;
	struct smtp		*s;
	struct smtp_result	 r;
	struct err		 e;
	char			 url[64];
	int			 fd, ok;

	(void)state;
	NEED_SMTPD();
	fd = socket(AF_INET6, SOCK_STREAM, 0);
	memset(&a, 0, sizeof a);
	a.sin6_family = AF_INET6;
	a.sin6_addr = in6addr_loopback;
	ok = fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0;
	if (fd >= 0)
		close(fd);
	if (!ok) {
		print_message("skipped: no ::1 here\n");
		skip();
	}
	sv = smtpd_start("--host", "::1", NULL);
	snprintf(url, sizeof url, "smtp://[::1]:%d", sv->port);
	memset(&c, 0, sizeof c);
	c.url = url;
	c.tls = SMTP_TLS_NONE;
	c.timeout_ms = 5000;
	assert_int_equal(smtp_new(&c, &s, &e), 0);
	assert_int_equal(send_msg(s, &r, &e), 0);
	assert_int_equal(messages(sv, NULL, 0), 1);
	smtp_free(s);
}

/* ---- fixtures -------------------------------------------------------- */

static int
group_setup(void **state)
{
	char	*argv[4];

	(void)state;
	snprintf(top, sizeof top, "/tmp/tend-smtp-XXXXXX");
	if (mkdtemp(top) == NULL)
		return -1;
	python = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" :
	    "python3";
	have_sink = access(SINK, X_OK) == 0;
	argv[0] = (char *)python;
	argv[1] = (char *)"-c";
	argv[2] = (char *)"import aiosmtpd";
	argv[3] = NULL;
	have_smtpd = access(SMTPD, R_OK) == 0 && run_quiet(argv) == 0;
	return 0;
}

/* Every server a test started stops, even when an assertion failed. */
static int
teardown(void **state)
{
	int	 i;

	(void)state;
	for (i = 0; i < nservers; i++)
		server_stop(&servers[i]);
	nservers = 0;
	return 0;
}

static int
group_teardown(void **state)
{
	char	 cmd[128];

	teardown(state);
	smtp_global_cleanup();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", top);
	return system(cmd) == 0 ? 0 : -1;
}

#define T(f)	cmocka_unit_test_teardown(f, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_new_refuses),
		T(test_new_password_in_url),
		T(test_send_refuses_bad_input),
		T(test_sink_byte_exact),
		T(test_smtpd_byte_exact),
		T(test_hundred_one_connection),
		T(test_451_then_250),
		T(test_rcpt_550),
		T(test_rcpt_450),
		T(test_data_554),
		T(test_mail_421),
		T(test_greeting_refused),
		T(test_drop_in_data),
		T(test_drop_in_big_data),
		T(test_silent_server),
		T(test_no_answer_to_data),
		T(test_slow_server_in_time),
		T(test_idle_close),
		T(test_connection_refused),
		T(test_tls_required_no_starttls),
		T(test_tls_bad_certificate),
		T(test_auth),
		T(test_helo),
		T(test_ipv6),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
