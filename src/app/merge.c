/*
 * Merging two contacts by hand: one survives with everything of both.
 */
#include <string.h>

#include "app/merge.h"
#include "app/touch.h"
#include "core/contact.h"
#include "core/interaction.h"
#include "core/sequence.h"
#include "store/store.h"
#include "util/arena.h"

/*
 * One person is in a sequence once: where both were active in the same
 * sequence, keep's enrollment goes on and gone's ends ("merged"), with
 * what it queued cancelled and a note on keep's timeline, as any exit
 * is noted.  gone's other enrollments move over with the rest.
 */
static int
merge_enrollments(struct store *s, struct arena *a, int64_t keep,
    int64_t gone, int64_t now, struct err *e)
{
	struct enrollment_filter	 f;
	struct enrollment		*kv, *gv;
	struct interaction		 note;
	const char			*why;
	size_t				 nk, ng, i, k;
	int				 rc, n;

	memset(&f, 0, sizeof f);
	f.contact_id = keep;
	if ((rc = store_enrollment_list(s, a, &f, &kv, &nk, e)) != 0)
		return rc;
	f.contact_id = gone;
	if ((rc = store_enrollment_list(s, a, &f, &gv, &ng, e)) != 0)
		return rc;
	for (i = 0; i < ng; i++) {
		for (k = 0; k < nk; k++)
			if (kv[k].sequence_id == gv[i].sequence_id)
				break;
		if (k == nk)
			continue;
		why = arena_printf(a, "sequence '%s' ended: merged",
		    gv[i].sequence_name);
		if ((rc = store_enrollment_end(s, gv[i].id, "merged", now,
		    e)) != 0 ||
		    (rc = store_outbox_cancel_automated(s, gone, gv[i].id, why,
		    &n, e)) != 0)
			return rc;
		memset(&note, 0, sizeof note);
		note.contact_id = keep;
		note.kind = "note";
		note.direction = "out";
		note.at = note.created = now;
		note.summary = (char *)why;
		note.system = 1;
		if ((rc = store_interaction_add(s, &note, e)) != 0)
			return rc;
	}
	return 0;
}

int
merge_contacts(struct store *s, int64_t keep, int64_t gone, int64_t now,
    const char *tz, struct err *e)
{
	struct arena	*a;
	struct contact	*k, *g;
	int		 rc;

	if (keep == gone)
		return err_set(e, TEND_EINVAL, "cannot merge contact %lld "
		    "with itself", (long long)keep);
	a = arena_new();
	if ((rc = store_contact_get(s, a, keep, &k, e)) != 0 ||
	    (rc = store_contact_get(s, a, gone, &g, e)) != 0)
		goto out;
	if (k->via_id == gone)
		k->via_id = 0;
	if (g->via_id == keep)
		g->via_id = 0;
	contact_merge(a, k, g, CONTACT_MERGE_JOIN);
	if ((rc = merge_enrollments(s, a, keep, gone, now, e)) != 0 ||
	    (rc = store_contact_move_history(s, keep, gone, e)) != 0 ||
	    (rc = store_contact_purge(s, gone, e)) != 0 ||
	    (rc = store_contact_update(s, k, now, e)) != 0)
		goto out;
	/* one of the two is still in use: so is the merged contact */
	if (k->archived && !g->archived)
		rc = store_contact_restore(s, keep, now, e);
	if (rc == 0)
		rc = app_cadence_refresh(s, keep, now, tz, e);
out:
	arena_free(a);
	return rc;
}
