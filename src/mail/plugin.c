/*
 * Loading the mail plugin (see plugin.h): dlopen once, check the table's
 * ABI, keep the answer.
 */
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mail/plugin.h"

#ifndef TEND_LIBDIR
#define TEND_LIBDIR	"/usr/local/lib/tend"
#endif
#define PLUGIN_NAME	"tend-mail.so"

/* Weak: set when the program links the plugin's objects itself. */
extern const struct mail_plugin tend_mail_plugin __attribute__((weak));

static pthread_once_t		 plugin_once = PTHREAD_ONCE_INIT;
static const struct mail_plugin	*plugin;
static char			 plugin_why[512];

static void *
plugin_open(const char *path)
{
	void	*h;

	/* RTLD_LOCAL: its libraries' symbols stay its own */
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL)
		snprintf(plugin_why, sizeof plugin_why, "%s", dlerror());
	return h;
}

static void
plugin_load(void)
{
	const struct mail_plugin	*p;
	const char			*env;
	char				 exe[PATH_MAX], path[PATH_MAX + 32];
	char				*slash;
	ssize_t				 n;
	void				*h = NULL;

	if (&tend_mail_plugin != NULL) {
		plugin = &tend_mail_plugin;
		return;
	}
	env = getenv("TEND_MAIL_PLUGIN");
	if (env != NULL && *env != '\0')
		h = plugin_open(env);
	else {
		n = readlink("/proc/self/exe", exe, sizeof exe - 1);
		if (n > 0) {
			exe[n] = '\0';
			if ((slash = strrchr(exe, '/')) != NULL) {
				*slash = '\0';
				snprintf(path, sizeof path, "%s/%s", exe,
				    PLUGIN_NAME);
				h = plugin_open(path);
			}
		}
		if (h == NULL)
			h = plugin_open(TEND_LIBDIR "/" PLUGIN_NAME);
	}
	if (h == NULL)
		return;
	p = dlsym(h, "tend_mail_plugin");
	if (p == NULL || p->abi != MAIL_PLUGIN_ABI) {
		snprintf(plugin_why, sizeof plugin_why, "%s is not this "
		    "tend's mail plugin", PLUGIN_NAME);
		dlclose(h);
		return;
	}
	/* never closed: its threads and GLib's state live to the end */
	plugin = p;
}

const struct mail_plugin *
mail_plugin_get(struct err *e)
{
	pthread_once(&plugin_once, plugin_load);
	if (plugin == NULL)
		err_set(e, TEND_EIO, "mail support is not installed: %s "
		    "(make install puts %s in %s)", plugin_why, PLUGIN_NAME,
		    TEND_LIBDIR);
	return plugin;
}

const struct mail_plugin *
mail_plugin_loaded(void)
{
	return plugin;
}
