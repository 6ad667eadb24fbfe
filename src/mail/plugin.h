/*
 * The mail plugin: the code that needs GMime and libcurl (src/mail/mime.c
 * and src/mail/smtp.c), built as tend-mail.so and loaded by the commands
 * that build or send mail.  Linked into tend, GMime, GLib, libcurl and
 * what they pull in (some forty libraries) added 20 ms to the start of
 * every command (tend today: 31 ms instead of 11); loaded on demand,
 * only mail pays.
 *
 * A program that links the plugin's objects itself (the unit tests, a
 * fuzz target) gets them directly: tend_mail_plugin is then defined, and
 * nothing is loaded.
 */
#ifndef TEND_MAIL_PLUGIN_H
#define TEND_MAIL_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#include "mail/imap.h"
#include "mail/inbound.h"
#include "mail/smtp.h"
#include "util/err.h"

#define MAIL_PLUGIN_ABI	2	/* raise when the table changes */

struct mail_plugin {
	int	  abi;
	void	(*mime_init)(void);
	void	(*mime_shutdown)(void);
	char	*(*mime_idn_addr)(const char *);
	int	(*mime_body)(const char *, const char *, const char *,
		    char **, size_t *, struct err *);
	int	(*smtp_new)(const struct smtp_conf *, struct smtp **,
		    struct err *);
	void	(*smtp_free)(struct smtp *);
	int	(*smtp_send)(struct smtp *, const char *, const char *,
		    const char *, size_t, struct smtp_result *, struct err *);
	void	(*smtp_global_cleanup)(void);
	int	(*mime_parse)(const char *, size_t, struct inbound_msg **,
		    struct err *);
	void	(*mime_msg_free)(struct inbound_msg *);
	int	(*imap_open)(const struct imap_conf *, struct imap **,
		    struct err *);
	void	(*imap_status)(const struct imap *, uint32_t *, uint32_t *);
	int	(*imap_uids_after)(struct imap *, uint32_t, uint32_t **,
		    size_t *, struct err *);
	int	(*imap_fetch)(struct imap *, uint32_t, size_t, char **,
		    size_t *, struct err *);
	void	(*imap_close)(struct imap *);
};

/* Defined by src/mail/plugin-entry.c, in the plugin (or a test). */
extern const struct mail_plugin tend_mail_plugin;

/*
 * The plugin, loaded at the first call (thread-safe): from
 * $TEND_MAIL_PLUGIN if set, else tend-mail.so beside the running
 * program, else in TEND_LIBDIR (where make install puts it).  NULL with
 * TEND_EIO "mail support is not installed: ..." when it cannot be
 * loaded; the answer is the same for the life of the process.
 */
const struct mail_plugin *mail_plugin_get(struct err *);

/* The plugin if it was loaded, else NULL (for shutting down). */
const struct mail_plugin *mail_plugin_loaded(void);

#endif
