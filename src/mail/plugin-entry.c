/*
 * The mail plugin's one exported symbol: its table of functions.
 */
#include "mail/mime.h"
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
	.smtp_global_cleanup = smtp_global_cleanup
};
