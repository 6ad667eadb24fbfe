/*
 * Unit tests for src/mail/imap.c: against a real dovecot on 127.0.0.1
 * (started and stopped by each test through tests/mail/dovecot-run.sh,
 * with a maildir in a temporary folder) for logins, mailboxes, UIDs,
 * every corpus message byte for byte, \Seen and STARTTLS/imaps; and
 * against a fake server forked by the test for what dovecot will not do:
 * drop the connection in the middle of a literal, stall, say BYE, send a
 * line without end, answer one byte at a time, send responses nobody
 * asked for.  Without dovecot the tests that need it skip, saying why.
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
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "mail/imap.h"
#include "mail/smtp.h"
#include "util/err.h"

#define DOVECOT		"/usr/sbin/dovecot"
#define DOVEADM		"/usr/bin/doveadm"
#define DOVECOT_IMAP	"/usr/lib/dovecot/imap"
#define RUN		"tests/mail/dovecot-run.sh"
#define CORPUS		"../shared/corpus/eml"
#define PASSWORD	"Correct-Horse-9"
#define WRONG		"Wrong-Battery-7"
#define MAX		(1u << 20)

static char	 top[64];	/* this run's temporary folder */
static int	 have_dovecot;
static int	 nextdir;

/* ---- helpers ---------------------------------------------------------- */

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

static int
alive(pid_t pid)
{
	return waitpid(pid, NULL, WNOHANG) == 0;
}

/*
 * Stop a server we started: SIGTERM, and after 3 s SIGKILL to its whole
 * process group (each server leads its own), so that none of dovecot's
 * processes outlives the test.
 */
static void
stop(pid_t *pid)
{
	int	 i;

	if (*pid <= 0)
		return;
	kill(*pid, SIGTERM);
	for (i = 0; i < 60 && alive(*pid); i++)
		sleep_ms(50);
	if (alive(*pid)) {
		kill(-*pid, SIGKILL);
		waitpid(*pid, NULL, 0);
	}
	*pid = 0;
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

/* A listening socket on addr (host order), port chosen by the kernel. */
static int
listener(uint32_t addr, int *port)
{
	struct sockaddr_in	 a;
	socklen_t		 len = sizeof a;
	int			 fd, one = 1;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(addr);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(fd, 8), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return fd;
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

/* A message as an IMAP server gives it back: every bare LF a CRLF. */
static char *
crlf(const char *p, size_t n, size_t *len)
{
	char	*out;
	size_t	 i, k = 0;

	out = malloc(2 * n + 1);
	assert_non_null(out);
	for (i = 0; i < n; i++) {
		if (p[i] == '\n' && (i == 0 || p[i - 1] != '\r'))
			out[k++] = '\r';
		out[k++] = p[i];
	}
	out[k] = '\0';
	*len = k;
	return out;
}

/* The first line a shell command prints, without its newline. */
static void
shell_line(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
shell_line(char *buf, size_t size, const char *fmt, ...)
{
	char	 cmd[1024];
	va_list	 ap;
	FILE	*p;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	buf[0] = '\0';
	p = popen(cmd, "r");
	assert_non_null(p);
	if (fgets(buf, (int)size, p) == NULL)
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	assert_int_equal(pclose(p), 0);
}

static int
shell(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
shell(const char *fmt, ...)
{
	char	 cmd[1024];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* Does the file hold s? */
static int
file_has(const char *path, const char *s)
{
	size_t	 len;
	char	*buf;
	int	 r;

	buf = slurp(path, &len);
	if (buf == NULL)
		return 0;
	r = strstr(buf, s) != NULL;
	free(buf);
	return r;
}

/* How many times s is in text. */
static int
count(const char *text, const char *s)
{
	const char	*p = text;
	int		 n = 0;

	p = strstr(p, s);
	while (p != NULL) {
		n++;
		p = strstr(p + strlen(s), s);
	}
	return n;
}

/* ---- dovecot ---------------------------------------------------------- */

struct dove {
	pid_t	 pid;
	int	 port;
	int	 sport;		/* imaps, 0 without --tls */
	char	 dir[128];
	char	 ca[192];
};

static struct dove	 dv;

#define NEED_DOVECOT() do {						\
	if (!have_dovecot) {						\
		print_message("skipped: dovecot is missing (Debian "	\
		    "package dovecot-imapd)\n");			\
		skip();							\
	}								\
} while (0)

/* sh tests/mail/dovecot-run.sh start DIR [--tls], until it answers. */
static void
dovecot_start(int tls)
{
	char	 line[512], g[512], log[192];
	FILE	*f;
	int	 fds[2], try, i, fd, n;

	snprintf(dv.dir, sizeof dv.dir, "%s/d%d", top, nextdir++);
	snprintf(log, sizeof log, "%s.log", dv.dir);
	for (try = 0; try < 5; try++) {
		assert_int_equal(pipe(fds), 0);
		dv.pid = fork();
		assert_true(dv.pid >= 0);
		if (dv.pid == 0) {
			setpgid(0, 0);
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			dup2(fds[1], 1);
			close(fds[0]);
			close(fds[1]);
			fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
			if (fd >= 0) {
				dup2(fd, 2);
				close(fd);
			}
			execlp("sh", "sh", RUN, "start", dv.dir,
			    tls ? "--tls" : (char *)NULL, (char *)NULL);
			_exit(127);
		}
		close(fds[1]);
		f = fdopen(fds[0], "r");
		assert_non_null(f);
		line[0] = '\0';
		if (fgets(line, sizeof line, f) == NULL)
			line[0] = '\0';
		fclose(f);
		n = sscanf(line, "%d %d %191s", &dv.port, &dv.sport, dv.ca);
		if (n != 3) {
			stop(&dv.pid);
			fail_msg("dovecot-run.sh start said '%s' (see %s)",
			    line, log);
		}
		for (i = 0; i < 200 && alive(dv.pid); i++) {
			greeting(dv.port, g, sizeof g);
			if (strncmp(g, "* OK ", 5) == 0 &&
			    strstr(g, "tend-imap-") != NULL)
				return;
			if (g[0] != '\0')
				break;
			sleep_ms(50);
		}
		stop(&dv.pid);
	}
	fail_msg("dovecot did not start (see %s and %s/dovecot.log)", log,
	    dv.dir);
}

static void
deliver(const char *file, const char *mailbox)
{
	assert_int_equal(shell("sh " RUN " deliver %s %s %s", dv.dir, file,
	    mailbox != NULL ? mailbox : ""), 0);
}

/*
 * The same as deliver(), without a shell per message: written to tmp/,
 * owned by whoever owns the maildir (dovecot's mail user), renamed into
 * new/.
 */
static void
deliver_fast(const char *file, int n)
{
	struct stat	 st;
	char		 tmp[512], dst[512], mail[256], *data;
	size_t		 len;
	FILE		*f;

	snprintf(mail, sizeof mail, "%s/mail", dv.dir);
	assert_int_equal(stat(mail, &st), 0);
	data = slurp(file, &len);
	assert_non_null(data);
	snprintf(tmp, sizeof tmp, "%s/tmp/%ld.M%dP%d.fast", mail,
	    (long)time(NULL), n, (int)getpid());
	snprintf(dst, sizeof dst, "%s/new/%ld.M%dP%d.fast", mail,
	    (long)time(NULL), n, (int)getpid());
	f = fopen(tmp, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chown(tmp, st.st_uid, st.st_gid), 0);
	assert_int_equal(rename(tmp, dst), 0);
	free(data);
}

static uint32_t
dovecot_status(const char *field, const char *mailbox)
{
	char	 buf[64];

	shell_line(buf, sizeof buf, "sh " RUN " status %s %s %s", dv.dir,
	    field, mailbox != NULL ? mailbox : "INBOX");
	return (uint32_t)strtoul(buf, NULL, 10);
}

static void
conf_init(struct imap_conf *c, char *url, size_t size, const char *scheme,
    int port, const char *mailbox)
{
	snprintf(url, size, "%s://127.0.0.1:%d/%s", scheme, port,
	    mailbox != NULL ? mailbox : "");
	memset(c, 0, sizeof *c);
	c->url = url;
	c->tls = IMAP_TLS_NONE;
	c->user = "tend";
	c->password = PASSWORD;
	c->timeout_ms = 5000;
}

static struct imap *
open_ok(const struct imap_conf *c)
{
	struct imap	*m = NULL;
	struct err	 e;

	memset(&e, 0, sizeof e);
	if (imap_open(c, &m, &e) != 0)
		fail_msg("imap_open: %s", e.msg);
	assert_non_null(m);
	return m;
}

/* ---- a fake server ---------------------------------------------------- */

/* What the fake does besides answering. */
#define F_BYTEWISE	0x0001	/* one byte per write */
#define F_BODY_FIRST	0x0002	/* BODY[] before UID in FETCH */
#define F_NOISE		0x0004	/* untagged responses nobody asked for */
#define F_DROP_LITERAL	0x0008	/* close halfway through a literal */
#define F_STALL_SEARCH	0x0010	/* no answer to UID SEARCH */
#define F_BYE_SEARCH	0x0020	/* BYE and close at UID SEARCH */
#define F_CLOSE_GREET	0x0040	/* close after the greeting */
#define F_LOGIN_TEMP	0x0080	/* NO [UNAVAILABLE] to the login */
#define F_LONG_LINE	0x0100	/* a 5 MB line for UID SEARCH */
#define F_NO_VALIDITY	0x0200	/* EXAMINE without UIDVALIDITY */
#define F_LIE_SIZE	0x0400	/* RFC822.SIZE says 10 */
#define F_BAD_SEARCH	0x0800	/* a SEARCH with a UID of 0 */
#define F_NO_FETCH	0x1000	/* NO [EXPUNGEISSUED] to FETCH */

/* Bodies that look like IMAP, a NUL, a literal at a line's end. */
static const char M3[] = "Subject: three\r\n\r\nT5 OK not the end\r\n"
    "* 1 FETCH (UID 9)\r\n{12}\r\n";
static const char M5[] = "Subject: five\r\n\r\na NUL \0 inside\r\n)\r\n";
static const char M7[] = "Subject: seven\r\n\r\nlast\r\n";

static const struct {
	uint32_t	 uid;
	const char	*data;
	size_t		 len;
} fk_msgs[] = {
	{ 3, M3, sizeof M3 - 1 },
	{ 5, M5, sizeof M5 - 1 },
	{ 7, M7, sizeof M7 - 1 },
};

struct fake {
	pid_t	 pid;
	int	 port;
	char	 log[192];	/* every line the client sent */
};

static struct fake	 fk;
static int		 fk_fd;
static unsigned int	 fk_mode;
static char		 fk_in[8192];
static size_t		 fk_len;

static void
fk_write(const char *p, size_t n)
{
	ssize_t	 w;
	size_t	 i;

	if (fk_mode & F_BYTEWISE) {
		for (i = 0; i < n; i++) {
			if (write(fk_fd, p + i, 1) != 1)
				_exit(0);
			usleep(50);
		}
		return;
	}
	while (n > 0) {
		w = write(fk_fd, p, n);
		if (w <= 0)
			_exit(0);
		p += w;
		n -= (size_t)w;
	}
}

static void
fk_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
fk_say(const char *fmt, ...)
{
	char	 buf[1024];
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	fk_write(buf, (size_t)n);
}

/* A line from the client, without CRLF; -1 when it is gone. */
static int
fk_line(char *out, size_t size)
{
	char	*nl;
	ssize_t	 r;
	size_t	 n;

	for (;;) {
		nl = memchr(fk_in, '\n', fk_len);
		if (nl != NULL) {
			n = (size_t)(nl - fk_in);
			if (n > 0 && fk_in[n - 1] == '\r')
				n--;
			if (n >= size)
				n = size - 1;
			memcpy(out, fk_in, n);
			out[n] = '\0';
			n = (size_t)(nl + 1 - fk_in);
			memmove(fk_in, nl + 1, fk_len - n);
			fk_len -= n;
			return 0;
		}
		if (fk_len == sizeof fk_in)
			return -1;
		r = read(fk_fd, fk_in + fk_len, sizeof fk_in - fk_len);
		if (r <= 0)
			return -1;
		fk_len += (size_t)r;
	}
}

static int
fk_find(uint32_t uid)
{
	size_t	 i;

	for (i = 0; i < sizeof fk_msgs / sizeof fk_msgs[0]; i++) {
		if (fk_msgs[i].uid == uid)
			return (int)i;
	}
	return -1;
}

static void
fk_fetch(const char *tag, const char *args)
{
	uint32_t	 uid;
	int		 i;
	size_t		 half;
	char		*big;

	uid = (uint32_t)strtoul(args, NULL, 10);
	i = fk_find(uid);
	if (fk_mode & F_NO_FETCH) {
		fk_say("%s NO [EXPUNGEISSUED] gone\r\n", tag);
		return;
	}
	if (fk_mode & F_NOISE) {
		fk_say("* 9 EXISTS\r\n");
		fk_say("* 2 FETCH (FLAGS (\\Seen) UID 5)\r\n");
		fk_say("+ nothing to continue\r\n");
		fk_say("* OK [ALERT] {5}\r\nhello\r\n");
		fk_say("* 4 FETCH (UID 98 BODY[] {5}\r\nWRONG)\r\n");
	}
	if (i < 0) {
		fk_say("%s OK Fetch completed\r\n", tag);
		return;
	}
	if (strstr(args, "RFC822.SIZE") != NULL) {
		fk_say("* %d FETCH (UID %u RFC822.SIZE %zu)\r\n", i + 1, uid,
		    fk_mode & F_LIE_SIZE ? (size_t)10 : fk_msgs[i].len);
	} else if (fk_mode & F_DROP_LITERAL) {
		fk_say("* %d FETCH (UID %u BODY[] {%zu}\r\n", i + 1, uid,
		    fk_msgs[i].len);
		half = fk_msgs[i].len / 2;
		fk_write(fk_msgs[i].data, half);
		_exit(0);
	} else if (fk_mode & F_LIE_SIZE) {
		big = malloc(MAX + 100);
		if (big == NULL)
			_exit(1);
		memset(big, 'x', MAX + 100);
		fk_say("* %d FETCH (UID %u BODY[] {%u}\r\n", i + 1, uid,
		    MAX + 100);
		fk_write(big, MAX + 100);
		fk_say(")\r\n");
		free(big);
	} else if (fk_mode & F_BODY_FIRST) {
		fk_say("* %d FETCH (BODY[] {%zu}\r\n", i + 1, fk_msgs[i].len);
		fk_write(fk_msgs[i].data, fk_msgs[i].len);
		fk_say(" UID %u FLAGS (\\Recent))\r\n", uid);
	} else {
		fk_say("* %d FETCH (UID %u BODY[] {%zu}\r\n", i + 1, uid,
		    fk_msgs[i].len);
		fk_write(fk_msgs[i].data, fk_msgs[i].len);
		fk_say(")\r\n");
	}
	fk_say("%s OK Fetch completed\r\n", tag);
}

static void
fk_search(const char *tag, const char *args)
{
	uint32_t	 from;
	size_t		 i;
	char		*big;
	const char	*p;

	if (fk_mode & F_STALL_SEARCH) {
		sleep(30);
		_exit(0);
	}
	if (fk_mode & F_BYE_SEARCH) {
		fk_say("* BYE going down for maintenance\r\n");
		_exit(0);
	}
	if (fk_mode & F_LONG_LINE) {
		big = malloc(5u << 20);
		if (big == NULL)
			_exit(1);
		for (i = 0; i + 2 <= (5u << 20); i += 2)
			memcpy(big + i, "1 ", 2);
		fk_say("* SEARCH ");
		fk_write(big, 5u << 20);
		fk_say("\r\n%s OK done\r\n", tag);
		free(big);
		return;
	}
	if (fk_mode & F_BAD_SEARCH) {
		fk_say("* SEARCH 3 0 5\r\n%s OK done\r\n", tag);
		return;
	}
	p = strstr(args, "UID ");
	from = p != NULL ? (uint32_t)strtoul(p + 4, NULL, 10) : 1;
	/* Out of order and twice over; n:* always holds the last. */
	fk_say("* SEARCH");
	if (7 >= from)
		fk_say(" 7");
	for (i = 0; i < sizeof fk_msgs / sizeof fk_msgs[0]; i++) {
		if (fk_msgs[i].uid >= from && fk_msgs[i].uid != 7)
			fk_say(" %u %u", fk_msgs[i].uid, fk_msgs[i].uid);
	}
	if (from > 7)
		fk_say(" 7");
	fk_say("\r\n%s OK Search completed\r\n", tag);
}

/* src into dst, cut to fit. */
static void
fk_copy(char *dst, size_t size, const char *src)
{
	size_t	 n = strlen(src);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* One session, as the fake's mode says. */
static void
fk_session(FILE *log)
{
	char	 line[4096], tag[64], cmd[64];
	char	*sp, *args;

	fk_len = 0;
	fk_say("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] fake ready\r\n");
	if (fk_mode & F_CLOSE_GREET)
		return;
	while (fk_line(line, sizeof line) == 0) {
		fprintf(log, "%s\n", line);
		fflush(log);
		sp = strchr(line, ' ');
		if (sp == NULL)
			continue;
		*sp = '\0';
		fk_copy(tag, sizeof tag, line);
		args = sp + 1;
		sp = strchr(args, ' ');
		if (sp != NULL)
			*sp = '\0';
		fk_copy(cmd, sizeof cmd, args);
		args = sp != NULL ? sp + 1 : (char *)"";
		if (strcasecmp(cmd, "UID") == 0) {
			sp = strchr(args, ' ');
			if (sp != NULL)
				*sp = '\0';
			fk_copy(cmd, sizeof cmd, "UID ");
			fk_copy(cmd + 4, sizeof cmd - 4, args);
			args = sp != NULL ? sp + 1 : (char *)"";
		}
		if (strcasecmp(cmd, "CAPABILITY") == 0) {
			fk_say("* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN\r\n"
			    "%s OK done\r\n", tag);
		} else if (strcasecmp(cmd, "AUTHENTICATE") == 0) {
			if (fk_mode & F_LOGIN_TEMP)
				fk_say("%s NO [UNAVAILABLE] the password "
				    "database is down\r\n", tag);
			else
				fk_say("%s OK Logged in\r\n", tag);
		} else if (strcasecmp(cmd, "EXAMINE") == 0) {
			fk_say("* 3 EXISTS\r\n* 0 RECENT\r\n");
			if (!(fk_mode & F_NO_VALIDITY))
				fk_say("* OK [UIDVALIDITY 42] UIDs valid\r\n");
			fk_say("* OK [UIDNEXT 8] Predicted next UID\r\n"
			    "%s OK [READ-ONLY] Examine completed\r\n", tag);
		} else if (strcasecmp(cmd, "UID SEARCH") == 0) {
			fk_search(tag, args);
		} else if (strcasecmp(cmd, "UID FETCH") == 0) {
			fk_fetch(tag, args);
		} else if (strcasecmp(cmd, "NOOP") == 0) {
			fk_say("%s OK NOOP completed\r\n", tag);
		} else if (strcasecmp(cmd, "LOGOUT") == 0) {
			fk_say("* BYE bye\r\n%s OK Logout completed\r\n", tag);
			return;
		} else {
			fk_say("%s BAD unknown command\r\n", tag);
		}
	}
}

static void
fake_start(unsigned int mode)
{
	struct sigaction	 sa;
	FILE			*log;
	int			 lfd, cfd;

	snprintf(fk.log, sizeof fk.log, "%s/fake%d.log", top, nextdir++);
	lfd = listener(INADDR_LOOPBACK, &fk.port);
	fk.pid = fork();
	assert_true(fk.pid >= 0);
	if (fk.pid > 0) {
		close(lfd);
		return;
	}
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	fk_mode = mode;
	log = fopen(fk.log, "w");
	if (log == NULL)
		_exit(1);
	for (;;) {
		cfd = accept(lfd, NULL, NULL);
		if (cfd < 0)
			_exit(1);
		fk_fd = cfd;
		fk_session(log);
		close(cfd);
	}
}

static struct imap_conf	 fconf;
static char		 furl[128];

static const struct imap_conf *
fake_conf(long timeout_ms)
{
	conf_init(&fconf, furl, sizeof furl, "imap", fk.port, NULL);
	fconf.timeout_ms = timeout_ms;
	return &fconf;
}

/* ---- no server needed ------------------------------------------------- */

static void
test_open_refuses(void **state)
{
	struct imap_conf	 c;
	struct imap		*m;
	struct err		 e;
	static const char	*bad[] = {
		"http://127.0.0.1/INBOX",
		"127.0.0.1",
		"imap://",
		"imap://127.0.0.1/INBOX;UID=3",
		"imap://127.0.0.1/INBOX?SUBJECT%20hi",
		"imap://127.0.0.1/Entw%C3%BCrfe",
		"imap://127.0.0.1/a%0Ab",
		"imap://127.0.0.1/a%00b",
		"imap://127.0.0.2/INBOX",
		"imap://mail.example.com/INBOX",
		"imaps://mail.example.com/INBOX",
	};
	size_t			 i;
	char			 url[600];

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&c, 0, sizeof c);
		c.url = bad[i];
		c.tls = IMAP_TLS_NONE;
		c.user = "tend";
		c.password = PASSWORD;
		m = (struct imap *)&c;
		memset(&e, 0, sizeof e);
		if (imap_open(&c, &m, &e) != TEND_EINVAL)
			fail_msg("'%s' was not refused: %s", bad[i], e.msg);
		assert_null(m);
		assert_int_equal(e.code, TEND_EINVAL);
	}
	memset(&c, 0, sizeof c);
	c.tls = IMAP_TLS_NONE;
	c.user = "tend";
	c.url = "imap://mail.example.com/INBOX";
	assert_int_equal(imap_open(&c, &m, &e), TEND_EINVAL);
	assert_non_null(strstr(e.msg, "imap.tls none is only for a server "
	    "on this machine"));
	c.url = "imap://127.0.0.1/Entw%C3%BCrfe";
	assert_int_equal(imap_open(&c, &m, &e), TEND_EINVAL);
	assert_non_null(strstr(e.msg, "not ASCII"));
	c.url = "";
	assert_int_equal(imap_open(&c, &m, &e), TEND_EINVAL);
	assert_string_equal(e.msg, "imap.url is not set");
	c.url = "imap://127.0.0.1/";
	c.user = NULL;
	assert_int_equal(imap_open(&c, &m, &e), TEND_EINVAL);
	assert_string_equal(e.msg, "imap.user is not set");
	c.user = "tend\r\nA1 DELETE INBOX";
	assert_int_equal(imap_open(&c, &m, &e), TEND_EINVAL);
	c.user = "tend";
	c.password = PASSWORD "\r\nA1 DELETE INBOX";
	assert_int_equal(imap_open(&c, &m, &e), TEND_EINVAL);
	assert_null(strstr(e.msg, PASSWORD));
	c.password = PASSWORD;
	c.timeout_ms = -1;
	assert_int_equal(imap_open(&c, &m, &e), TEND_EINVAL);
	c.timeout_ms = 0;
	memset(url, 'a', sizeof url);
	memcpy(url, "imap://127.0.0.1/", 17);
	url[sizeof url - 1] = '\0';
	c.url = url;
	assert_int_equal(imap_open(&c, &m, &e), TEND_EINVAL);
	assert_non_null(strstr(e.msg, "over 255 bytes"));

	/* Credentials in the URL: refused, not repeated. */
	c.tls = IMAP_TLS_REQUIRED;
	c.url = "imaps://tend:" PASSWORD "@mail.example.com/INBOX";
	assert_int_equal(imap_open(&c, &m, &e), TEND_EINVAL);
	assert_null(strstr(e.msg, PASSWORD));
	assert_non_null(strstr(e.msg, "must not hold a user or password"));
	c.url = "imap:// " PASSWORD "@";
	assert_int_equal(imap_open(&c, &m, &e), TEND_EINVAL);
	assert_null(strstr(e.msg, PASSWORD));
}

/* tls NONE to another host: refused before any connection is tried. */
static void
test_tls_none_no_connection(void **state)
{
	struct imap_conf	 c;
	struct imap		*m;
	struct err		 e;
	char			 url[64];
	int			 fd, port, cfd;

	(void)state;
	/* All of 127/8 is this machine, but only 127.0.0.1 is allowed. */
	fd = listener(0x7f000002, &port);
	snprintf(url, sizeof url, "imap://127.0.0.2:%d/INBOX", port);
	memset(&c, 0, sizeof c);
	c.url = url;
	c.tls = IMAP_TLS_NONE;
	c.user = "tend";
	c.password = PASSWORD;
	assert_int_equal(imap_open(&c, &m, &e), TEND_EINVAL);
	assert_non_null(strstr(e.msg, "not '127.0.0.2'"));
	assert_int_equal(fcntl(fd, F_SETFL, O_NONBLOCK), 0);
	cfd = accept(fd, NULL, NULL);
	assert_int_equal(cfd, -1);
	assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
	close(fd);
}

static void
test_connection_refused(void **state)
{
	struct imap_conf	 c;
	struct imap		*m;
	struct err		 e;
	char			 url[64];
	double			 t;

	(void)state;
	conf_init(&c, url, sizeof url, "imap", free_port(), NULL);
	t = now_s();
	assert_int_equal(imap_open(&c, &m, &e), TEND_EMAIL_TEMP);
	assert_true(now_s() - t < 2.0);
	assert_null(m);
	assert_non_null(strstr(e.msg, "cannot connect"));

	/* ::1 and localhost are this machine too: tried, not refused */
	snprintf(url, sizeof url, "imap://[::1]:%d/", free_port());
	c.url = url;
	assert_int_equal(imap_open(&c, &m, &e), TEND_EMAIL_TEMP);
	snprintf(url, sizeof url, "imap://LocalHost:%d/", free_port());
	assert_int_equal(imap_open(&c, &m, &e), TEND_EMAIL_TEMP);
	assert_non_null(strstr(e.msg, "cannot connect"));
}

/* A server that takes the connection and never says a word. */
static void
test_silent_server(void **state)
{
	struct imap_conf	 c;
	struct imap		*m;
	struct err		 e;
	char			 url[64];
	double			 t;
	int			 fd, port;

	(void)state;
	fd = listener(INADDR_LOOPBACK, &port);
	conf_init(&c, url, sizeof url, "imap", port, NULL);
	c.timeout_ms = 500;
	t = now_s();
	assert_int_equal(imap_open(&c, &m, &e), TEND_EMAIL_TEMP);
	t = now_s() - t;
	assert_true(t >= 0.45 && t < 2.5);
	assert_non_null(strstr(e.msg, "did not answer within 500 ms"));
	close(fd);
}

/* ---- dovecot ---------------------------------------------------------- */

static void
test_login_and_examine(void **state)
{
	struct imap_conf	 c;
	struct imap		*m;
	uint32_t		 v, next;
	char			 url[128], log[256], *data;
	size_t			 len;

	(void)state;
	NEED_DOVECOT();
	dovecot_start(0);
	deliver(CORPUS "/dsn-postfix.eml", NULL);
	deliver(CORPUS "/reply-mailinglist-plain.eml", NULL);
	deliver(CORPUS "/inquiry-qp-latin1-encoded-word-subject.eml", NULL);
	conf_init(&c, url, sizeof url, "imap", dv.port, NULL);
	m = open_ok(&c);
	imap_status(m, &v, &next);
	assert_int_equal(v, dovecot_status("uidvalidity", NULL));
	assert_true(v != 0);
	assert_int_equal(next, 4);
	imap_close(m);

	/* INBOX named, in any case */
	conf_init(&c, url, sizeof url, "imap", dv.port, "inbox");
	m = open_ok(&c);
	imap_status(m, &v, &next);
	assert_int_equal(next, 4);
	imap_close(m);
	/* each session ended with a LOGOUT */
	stop(&dv.pid);
	snprintf(log, sizeof log, "%s/dovecot.log", dv.dir);
	data = slurp(log, &len);
	assert_non_null(data);
	assert_int_equal(count(data, "Login: user=<tend>"), 2);
	assert_int_equal(count(data, "Info: Disconnected: Logged out"), 2);
	free(data);
}

static void
test_wrong_password(void **state)
{
	struct imap_conf	 c;
	struct imap		*m;
	struct err		 e;
	char			 url[128], log[256];

	(void)state;
	NEED_DOVECOT();
	dovecot_start(0);
	conf_init(&c, url, sizeof url, "imap", dv.port, NULL);
	c.password = WRONG;
	assert_int_equal(imap_open(&c, &m, &e), TEND_EMAIL_PERM);
	assert_null(m);
	assert_non_null(strstr(e.msg, "refused the login of 'tend'"));
	assert_non_null(strstr(e.msg, "AUTHENTICATIONFAILED"));
	assert_null(strstr(e.msg, WRONG));
	assert_null(strstr(e.msg, PASSWORD));

	/* an unknown user is the same */
	c.password = PASSWORD;
	c.user = "nobody-here";
	assert_int_equal(imap_open(&c, &m, &e), TEND_EMAIL_PERM);
	assert_null(strstr(e.msg, PASSWORD));

	/* and the right one still works */
	c.user = "tend";
	m = open_ok(&c);
	imap_close(m);
	snprintf(log, sizeof log, "%s/dovecot.log", dv.dir);
	assert_true(file_has(log, "Login: user=<tend>"));
	assert_false(file_has(log, PASSWORD));
}

static void
test_missing_mailbox(void **state)
{
	struct imap_conf	 c;
	struct imap		*m;
	struct err		 e;
	char			 url[128];

	(void)state;
	NEED_DOVECOT();
	dovecot_start(0);
	conf_init(&c, url, sizeof url, "imap", dv.port, "No%20Such%20Box");
	assert_int_equal(imap_open(&c, &m, &e), TEND_EMAIL_PERM);
	assert_null(m);
	assert_non_null(strstr(e.msg, "cannot open mailbox 'No Such Box': "
	    "NO"));
	assert_null(strstr(e.msg, PASSWORD));
}

static void
test_uids_after(void **state)
{
	struct imap_conf	 c;
	struct imap		*m;
	struct err		 e;
	uint32_t		*uids;
	size_t			 n, i;
	char			 url[128];

	(void)state;
	NEED_DOVECOT();
	dovecot_start(0);
	conf_init(&c, url, sizeof url, "imap", dv.port, NULL);

	/* an empty mailbox */
	m = open_ok(&c);
	assert_int_equal(imap_uids_after(m, 0, &uids, &n, &e), 0);
	assert_int_equal(n, 0);
	assert_null(uids);
	imap_close(m);

	for (i = 0; i < 5; i++)
		deliver(CORPUS "/dsn-postfix.eml", NULL);
	m = open_ok(&c);
	assert_int_equal(imap_uids_after(m, 0, &uids, &n, &e), 0);
	assert_int_equal(n, 5);
	for (i = 0; i < n; i++)
		assert_int_equal(uids[i], i + 1);
	free(uids);
	assert_int_equal(imap_uids_after(m, 3, &uids, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(uids[0], 4);
	assert_int_equal(uids[1], 5);
	free(uids);
	/* 5:* and 100:* both hold message 5: not above 5 */
	assert_int_equal(imap_uids_after(m, 5, &uids, &n, &e), 0);
	assert_int_equal(n, 0);
	assert_null(uids);
	assert_int_equal(imap_uids_after(m, 100, &uids, &n, &e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(imap_uids_after(m, UINT32_MAX, &uids, &n, &e), 0);
	assert_int_equal(n, 0);

	/* one more arrives while the mailbox is open */
	deliver(CORPUS "/dsn-postfix.eml", NULL);
	assert_int_equal(imap_uids_after(m, 5, &uids, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(uids[0], 6);
	free(uids);
	imap_close(m);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every corpus message comes back as delivered, and stays unread. */
static void
test_fetch_corpus(void **state)
{
	struct imap_conf	 c;
	struct imap		*m;
	struct err		 e;
	DIR			*d;
	struct dirent		*de;
	char			*names[64], path[512], url[128], flags[128];
	char			*want, *file, *got;
	uint32_t		*uids;
	size_t			 n = 0, i, nu, wlen, flen, glen;

	(void)state;
	NEED_DOVECOT();
	d = opendir(CORPUS);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL && n < 64) {
		if (strstr(de->d_name, ".eml") != NULL)
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	assert_true(n >= 10);
	qsort(names, n, sizeof names[0], name_cmp);
	dovecot_start(0);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", CORPUS, names[i]);
		deliver_fast(path, (int)i);
	}
	conf_init(&c, url, sizeof url, "imap", dv.port, NULL);
	m = open_ok(&c);
	assert_int_equal(imap_uids_after(m, 0, &uids, &nu, &e), 0);
	assert_int_equal(nu, n);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", CORPUS, names[i]);
		file = slurp(path, &flen);
		assert_non_null(file);
		want = crlf(file, flen, &wlen);
		memset(&e, 0, sizeof e);
		if (imap_fetch(m, uids[i], MAX, &got, &glen, &e) != 0)
			fail_msg("%s: %s", names[i], e.msg);
		if (glen != wlen || memcmp(got, want, wlen) != 0)
			fail_msg("%s: %zu bytes back, %zu expected", names[i],
			    glen, wlen);
		assert_int_equal(got[glen], '\0');
		free(got);
		free(want);
		free(file);
	}
	/* a UID that is not there */
	assert_int_equal(imap_fetch(m, 999, MAX, &got, &glen, &e),
	    TEND_ENOTFOUND);
	assert_null(got);
	assert_int_equal(glen, 0);
	assert_int_equal(imap_fetch(m, 0, MAX, &got, &glen, &e),
	    TEND_EINVAL);
	imap_close(m);
	free(uids);

	/* nothing was marked read: the first and last message as
	 * dovecot-run.sh says, and all of them as doveadm does */
	shell_line(flags, sizeof flags, "sh " RUN " flags %s 1", dv.dir);
	assert_null(strstr(flags, "Seen"));
	shell_line(flags, sizeof flags, "sh " RUN " flags %s %zu", dv.dir, n);
	assert_null(strstr(flags, "Seen"));
	assert_int_equal(dovecot_status("unseen", NULL), n);
	shell_line(flags, sizeof flags, DOVEADM " -c %s/dovecot.conf fetch "
	    "-u tend flags mailbox INBOX all | grep -c Seen; true", dv.dir);
	assert_string_equal(flags, "0");
	for (i = 0; i < n; i++)
		free(names[i]);
}

static void
test_max_size(void **state)
{
	struct imap_conf	 c;
	struct imap		*m;
	struct err		 e;
	char			 url[128], *got, *file, *want;
	size_t			 glen, flen, wlen;

	(void)state;
	NEED_DOVECOT();
	dovecot_start(0);
	deliver(CORPUS "/dsn-postfix.eml", NULL);
	deliver(CORPUS "/reply-mailinglist-plain.eml", NULL);
	file = slurp(CORPUS "/dsn-postfix.eml", &flen);
	assert_non_null(file);
	want = crlf(file, flen, &wlen);
	conf_init(&c, url, sizeof url, "imap", dv.port, NULL);
	m = open_ok(&c);
	assert_int_equal(imap_fetch(m, 1, wlen - 1, &got, &glen, &e),
	    TEND_EINVAL);
	assert_null(got);
	assert_non_null(strstr(e.msg, "over the maximum"));
	/* exactly the maximum is fine, and the connection goes on */
	assert_int_equal(imap_fetch(m, 1, wlen, &got, &glen, &e), 0);
	assert_int_equal(glen, wlen);
	assert_memory_equal(got, want, wlen);
	free(got);
	assert_int_equal(imap_fetch(m, 2, MAX, &got, &glen, &e), 0);
	free(got);
	imap_close(m);
	free(want);
	free(file);
}

/* A mailbox deleted and made again: a new UIDVALIDITY. */
static void
test_uidvalidity_change(void **state)
{
	struct imap_conf	 c;
	struct imap		*m;
	struct err		 e;
	uint32_t		 v1, v2, next, *uids;
	size_t			 n;
	char			 url[128];

	(void)state;
	NEED_DOVECOT();
	dovecot_start(0);
	assert_int_equal(shell("sh " RUN " mailbox %s create Archive",
	    dv.dir), 0);
	deliver(CORPUS "/dsn-postfix.eml", "Archive");
	deliver(CORPUS "/dsn-postfix.eml", "Archive");
	conf_init(&c, url, sizeof url, "imap", dv.port, "Archive");
	m = open_ok(&c);
	imap_status(m, &v1, &next);
	assert_int_equal(next, 3);
	assert_int_equal(v1, dovecot_status("uidvalidity", "Archive"));
	imap_close(m);

	assert_int_equal(shell("sh " RUN " mailbox %s delete Archive",
	    dv.dir), 0);
	assert_int_equal(imap_open(&c, &m, &e), TEND_EMAIL_PERM);
	assert_int_equal(shell("sh " RUN " mailbox %s create Archive",
	    dv.dir), 0);
	deliver(CORPUS "/reply-mailinglist-plain.eml", "Archive");
	m = open_ok(&c);
	imap_status(m, &v2, &next);
	assert_true(v2 != v1);
	assert_int_equal(next, 2);
	assert_int_equal(imap_uids_after(m, 0, &uids, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(uids[0], 1);
	free(uids);
	imap_close(m);
}

static void
test_starttls(void **state)
{
	struct imap_conf	 c;
	struct imap		*m;
	struct err		 e;
	char			 url[128], log[256], *got;
	uint32_t		*uids;
	size_t			 n, glen;

	(void)state;
	NEED_DOVECOT();
	dovecot_start(1);
	deliver(CORPUS "/dsn-postfix.eml", NULL);

	/* STARTTLS on imap://, checked against the test's CA */
	conf_init(&c, url, sizeof url, "imap", dv.port, NULL);
	c.tls = IMAP_TLS_REQUIRED;
	c.ca_file = dv.ca;
	m = open_ok(&c);
	assert_int_equal(imap_uids_after(m, 0, &uids, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(imap_fetch(m, uids[0], MAX, &got, &glen, &e), 0);
	assert_true(glen > 2000);
	free(got);
	free(uids);
	imap_close(m);

	/* imaps:// */
	conf_init(&c, url, sizeof url, "imaps", dv.sport, NULL);
	c.tls = IMAP_TLS_REQUIRED;
	c.ca_file = dv.ca;
	m = open_ok(&c);
	imap_close(m);
	snprintf(log, sizeof log, "%s/dovecot.log", dv.dir);
	assert_true(file_has(log, "method=PLAIN, rip=127.0.0.1, "
	    "lip=127.0.0.1, mpid="));
	assert_true(file_has(log, "TLS"));

	/* the system's CAs do not vouch for it: no login */
	conf_init(&c, url, sizeof url, "imap", dv.port, NULL);
	c.tls = IMAP_TLS_REQUIRED;
	assert_int_equal(imap_open(&c, &m, &e), TEND_EMAIL_TEMP);
	assert_non_null(strstr(e.msg, "TLS failed, the password was not "
	    "sent"));
	conf_init(&c, url, sizeof url, "imaps", dv.sport, NULL);
	assert_int_equal(imap_open(&c, &m, &e), TEND_EMAIL_TEMP);
	assert_non_null(strstr(e.msg, "TLS failed"));
}

/* TLS required, no STARTTLS offered: the password is never sent. */
static void
test_tls_required_no_starttls(void **state)
{
	struct imap_conf	 c;
	struct imap		*m;
	struct err		 e;
	char			 url[128], log[256];

	(void)state;
	NEED_DOVECOT();
	dovecot_start(0);
	conf_init(&c, url, sizeof url, "imap", dv.port, NULL);
	c.tls = IMAP_TLS_REQUIRED;
	assert_int_equal(imap_open(&c, &m, &e), TEND_EMAIL_TEMP);
	assert_null(m);
	assert_non_null(strstr(e.msg, "does not offer STARTTLS"));
	stop(&dv.pid);
	snprintf(log, sizeof log, "%s/dovecot.log", dv.dir);
	assert_false(file_has(log, "Login: "));
	assert_false(file_has(log, "auth failed"));
}

/* ---- the fake server -------------------------------------------------- */

/* The dialogue, and every literal parsed, one byte at a time too. */
static void
check_fake_session(unsigned int mode)
{
	struct imap		*m;
	struct err		 e;
	uint32_t		 v, next, *uids;
	size_t			 n, len;
	char			*got;

	fake_start(mode);
	m = open_ok(fake_conf(5000));
	imap_status(m, &v, &next);
	assert_int_equal(v, 42);
	assert_int_equal(next, 8);
	assert_int_equal(imap_uids_after(m, 0, &uids, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_int_equal(uids[0], 3);
	assert_int_equal(uids[1], 5);
	assert_int_equal(uids[2], 7);
	free(uids);
	assert_int_equal(imap_uids_after(m, 4, &uids, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(uids[0], 5);
	free(uids);
	assert_int_equal(imap_uids_after(m, 7, &uids, &n, &e), 0);
	assert_int_equal(n, 0);

	assert_int_equal(imap_fetch(m, 3, MAX, &got, &len, &e), 0);
	assert_int_equal(len, sizeof M3 - 1);
	assert_memory_equal(got, M3, len);
	free(got);
	assert_int_equal(imap_fetch(m, 5, MAX, &got, &len, &e), 0);
	assert_int_equal(len, sizeof M5 - 1);
	assert_memory_equal(got, M5, len);
	free(got);
	assert_int_equal(imap_fetch(m, 7, MAX, &got, &len, &e), 0);
	assert_string_equal(got, M7);
	free(got);
	assert_int_equal(imap_fetch(m, 99, MAX, &got, &len, &e),
	    TEND_ENOTFOUND);
	imap_close(m);
	stop(&fk.pid);

	assert_true(file_has(fk.log, "T1 EXAMINE \"INBOX\"\n"));
	assert_true(file_has(fk.log, " UID SEARCH UID 1:*\n"));
	assert_true(file_has(fk.log, " UID SEARCH UID 5:*\n"));
	assert_true(file_has(fk.log, " UID FETCH 3 (UID RFC822.SIZE)\n"));
	assert_true(file_has(fk.log, " UID FETCH 3 (UID BODY.PEEK[])\n"));
	assert_false(file_has(fk.log, "BODY[]"));
	assert_true(file_has(fk.log, " LOGOUT\n"));
}

static void
test_fake_plain(void **state)
{
	(void)state;
	check_fake_session(0);
}

static void
test_fake_bytewise(void **state)
{
	(void)state;
	check_fake_session(F_BYTEWISE);
}

static void
test_fake_body_first(void **state)
{
	(void)state;
	check_fake_session(F_BODY_FIRST);
}

static void
test_fake_noise(void **state)
{
	(void)state;
	check_fake_session(F_NOISE | F_BODY_FIRST);
}

static void
test_fake_drop_in_literal(void **state)
{
	struct imap	*m;
	struct err	 e;
	uint32_t	*uids;
	size_t		 n, len;
	char		*got;

	(void)state;
	fake_start(F_DROP_LITERAL);
	m = open_ok(fake_conf(5000));
	assert_int_equal(imap_fetch(m, 3, MAX, &got, &len, &e),
	    TEND_EMAIL_TEMP);
	assert_null(got);
	assert_int_equal(len, 0);
	assert_non_null(strstr(e.msg, "dropped the connection during UID "
	    "FETCH"));
	/* the connection is gone: said, not tried */
	assert_int_equal(imap_uids_after(m, 0, &uids, &n, &e),
	    TEND_EMAIL_TEMP);
	assert_non_null(strstr(e.msg, "lost before NOOP"));
	imap_close(m);
}

static void
test_fake_close_after_greeting(void **state)
{
	struct imap	*m;
	struct err	 e;

	(void)state;
	fake_start(F_CLOSE_GREET);
	assert_int_equal(imap_open(fake_conf(5000), &m, &e),
	    TEND_EMAIL_TEMP);
	assert_null(m);
	assert_null(strstr(e.msg, PASSWORD));
}

static void
test_fake_stall(void **state)
{
	struct imap	*m;
	struct err	 e;
	uint32_t	*uids;
	size_t		 n;
	double		 t;

	(void)state;
	fake_start(F_STALL_SEARCH);
	m = open_ok(fake_conf(500));
	t = now_s();
	assert_int_equal(imap_uids_after(m, 0, &uids, &n, &e),
	    TEND_EMAIL_TEMP);
	assert_non_null(strstr(e.msg, "did not answer UID SEARCH within 500 "
	    "ms"));
	/* and closing does not wait on it again */
	imap_close(m);
	t = now_s() - t;
	assert_true(t >= 0.45 && t < 2.5);
}

static void
test_fake_bye(void **state)
{
	struct imap	*m;
	struct err	 e;
	uint32_t	*uids;
	size_t		 n;

	(void)state;
	fake_start(F_BYE_SEARCH);
	m = open_ok(fake_conf(5000));
	assert_int_equal(imap_uids_after(m, 0, &uids, &n, &e),
	    TEND_EMAIL_TEMP);
	assert_non_null(strstr(e.msg, "closed the connection during UID "
	    "SEARCH: going down for maintenance"));
	imap_close(m);
}

static void
test_fake_long_line(void **state)
{
	struct imap	*m;
	struct err	 e;
	uint32_t	*uids;
	size_t		 n;

	(void)state;
	fake_start(F_LONG_LINE);
	m = open_ok(fake_conf(5000));
	assert_int_equal(imap_uids_after(m, 0, &uids, &n, &e),
	    TEND_EMAIL_TEMP);
	assert_null(uids);
	assert_non_null(strstr(e.msg, "sent a line over 4194304 bytes"));
	imap_close(m);
}

static void
test_fake_login_temporary(void **state)
{
	struct imap	*m;
	struct err	 e;

	(void)state;
	fake_start(F_LOGIN_TEMP);
	assert_int_equal(imap_open(fake_conf(5000), &m, &e),
	    TEND_EMAIL_TEMP);
	assert_non_null(strstr(e.msg, "[UNAVAILABLE]"));
	assert_null(strstr(e.msg, PASSWORD));
}

static void
test_fake_no_uidvalidity(void **state)
{
	struct imap	*m;
	struct err	 e;

	(void)state;
	fake_start(F_NO_VALIDITY);
	assert_int_equal(imap_open(fake_conf(5000), &m, &e),
	    TEND_EMAIL_PERM);
	assert_non_null(strstr(e.msg, "gave no UIDVALIDITY"));
	stop(&fk.pid);
	/* the session was healthy: it was ended politely */
	assert_true(file_has(fk.log, " LOGOUT\n"));
}

/* RFC822.SIZE says 10, the literal is over the maximum: not read. */
static void
test_fake_literal_over_max(void **state)
{
	struct imap	*m;
	struct err	 e;
	char		*got;
	size_t		 len;

	(void)state;
	fake_start(F_LIE_SIZE);
	m = open_ok(fake_conf(5000));
	assert_int_equal(imap_fetch(m, 3, MAX, &got, &len, &e),
	    TEND_EINVAL);
	assert_null(got);
	assert_non_null(strstr(e.msg, "over the maximum"));
	imap_close(m);
}

static void
test_fake_bad_search(void **state)
{
	struct imap	*m;
	struct err	 e;
	uint32_t	*uids;
	size_t		 n;

	(void)state;
	fake_start(F_BAD_SEARCH);
	m = open_ok(fake_conf(5000));
	assert_int_equal(imap_uids_after(m, 0, &uids, &n, &e),
	    TEND_EMAIL_TEMP);
	assert_null(uids);
	assert_non_null(strstr(e.msg, "not IMAP"));
	imap_close(m);
}

static void
test_fake_expunged(void **state)
{
	struct imap	*m;
	struct err	 e;
	char		*got;
	size_t		 len;

	(void)state;
	fake_start(F_NO_FETCH);
	m = open_ok(fake_conf(5000));
	assert_int_equal(imap_fetch(m, 3, MAX, &got, &len, &e),
	    TEND_ENOTFOUND);
	assert_non_null(strstr(e.msg, "was deleted"));
	imap_close(m);
}

/* Names are quoted, with "&" as modified UTF-7 has it. */
static void
test_fake_quoting(void **state)
{
	struct imap_conf	 c;
	struct imap		*m;

	(void)state;
	fake_start(0);
	conf_init(&c, furl, sizeof furl, "imap", fk.port,
	    "R%26D/a%22b%5Cc%20d");
	m = open_ok(&c);
	imap_close(m);
	stop(&fk.pid);
	assert_true(file_has(fk.log, "T1 EXAMINE \"R&-D/a\\\"b\\\\c d\"\n"));
}

/* ---- fixtures --------------------------------------------------------- */

static int
group_setup(void **state)
{
	(void)state;
	snprintf(top, sizeof top, "/tmp/tend-imap-XXXXXX");
	if (mkdtemp(top) == NULL)
		return -1;
	/* dovecot's mail processes (nobody, when run by root) look in. */
	if (chmod(top, 0711) != 0)
		return -1;
	have_dovecot = access(DOVECOT, X_OK) == 0 &&
	    access(DOVEADM, X_OK) == 0 && access(DOVECOT_IMAP, X_OK) == 0 &&
	    access(RUN, R_OK) == 0;
	setenv("IMAP_PASS", PASSWORD, 1);
	return 0;
}

/* Every server a test started stops, even when an assertion failed. */
static int
teardown(void **state)
{
	(void)state;
	stop(&dv.pid);
	stop(&fk.pid);
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
		T(test_open_refuses),
		T(test_tls_none_no_connection),
		T(test_connection_refused),
		T(test_silent_server),
		T(test_login_and_examine),
		T(test_wrong_password),
		T(test_missing_mailbox),
		T(test_uids_after),
		T(test_fetch_corpus),
		T(test_max_size),
		T(test_uidvalidity_change),
		T(test_starttls),
		T(test_tls_required_no_starttls),
		T(test_fake_plain),
		T(test_fake_bytewise),
		T(test_fake_body_first),
		T(test_fake_noise),
		T(test_fake_drop_in_literal),
		T(test_fake_close_after_greeting),
		T(test_fake_stall),
		T(test_fake_bye),
		T(test_fake_long_line),
		T(test_fake_login_temporary),
		T(test_fake_no_uidvalidity),
		T(test_fake_literal_over_max),
		T(test_fake_bad_search),
		T(test_fake_expunged),
		T(test_fake_quoting),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
