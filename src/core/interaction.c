/*
 * Checks on interactions and follow-ups.
 */
#include <string.h>

#include "core/contact.h"
#include "core/interaction.h"
#include "util/text.h"

const char *const interaction_kinds[] = {
	"call", "email", "meeting", "in-person", "message", "note", NULL
};
const char *const followup_channels[] = {
	"call", "email", "meeting", "in-person", "message", "any", NULL
};

int
interaction_check(const struct interaction *i, struct err *e)
{
	if (i->kind == NULL || !contact_word_in(i->kind, interaction_kinds))
		return err_set(e, TEND_EINVAL, "unknown interaction kind '%s' "
		    "(expected call, email, meeting, in-person, message or "
		    "note)", i->kind == NULL ? "" : i->kind);
	if (i->direction != NULL && strcmp(i->direction, "in") != 0 &&
	    strcmp(i->direction, "out") != 0)
		return err_set(e, TEND_EINVAL, "unknown direction '%s'",
		    i->direction);
	if (i->summary != NULL)
		return text_check("summary", i->summary, TEXT_LONG_MAX, 1, e);
	return 0;
}

int
followup_check(const struct followup *f, struct err *e)
{
	int	rc;

	if (f->reason != NULL &&
	    (rc = text_check("reason", f->reason, TEXT_LONG_MAX, 0, e)) != 0)
		return rc;
	if (f->channel != NULL &&
	    !contact_word_in(f->channel, followup_channels))
		return err_set(e, TEND_EINVAL, "unknown channel '%s' (expected "
		    "call, email, meeting, in-person, message or any)",
		    f->channel);
	return 0;
}
