/*
 * Merging two contacts by hand: one survives with everything of both.
 */
#include "app/merge.h"
#include "app/touch.h"
#include "core/contact.h"
#include "store/store.h"
#include "util/arena.h"

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
	if ((rc = store_contact_move_history(s, keep, gone, e)) != 0 ||
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
