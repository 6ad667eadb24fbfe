/*
 * The mail plugin's one exported symbol: its table of functions.
 */
#include "mail/imap.h"
#include "mail/mime.h"
#include "mail/parse.h"
#include "mail/plugin.h"
#include "mail/smtp.h"

const struct mail_plugin tend_mail_plugin = {
	.abi = MAIL_PLUGIN_ABI,
	.mime_init = mime_init,
	.mime_shutdown = mime_shutdown,
	.mime_idn_addr = mime_idn_addr,
	.mime_body = mime_body,
	.smtp_new = smtp_new,
	.smtp_free = smtp_free,
	.smtp_send = smtp_send,
	.smtp_global_cleanup = smtp_global_cleanup,
	.mime_parse = mime_parse,
	.mime_msg_free = mime_msg_free,
	.imap_open = imap_open,
	.imap_status = imap_status,
	.imap_uids_after = imap_uids_after,
	.imap_fetch = imap_fetch,
	.imap_close = imap_close
};
