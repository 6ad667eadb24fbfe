/*
 * Touches and the keep-in-touch clock.
 */
#include <stdio.h>
#include <string.h>

#include "app/touch.h"
#include "core/cadence.h"
#include "core/when.h"
#include "store/store.h"
#include "util/arena.h"

static int64_t
touch_base(const struct contact *c, int64_t now)
{
	if (c->last_touch != 0)
		return c->last_touch;
	if (c->met_on != 0 && c->met_on <= now)
		return c->met_on;
	return now;
}

int
app_cadence_set(struct store *s, int64_t contact_id, const char *spec,
    int64_t now, const char *tz, struct err *e)
{
	struct arena	*a;
	struct contact	*c;
	struct cadence	 cad;
	char		 canon[600];
	int64_t		 next;
	int		 rc;

	if (spec == NULL)
		return store_cadence_set(s, contact_id, NULL, 0, e);
	if ((rc = cadence_parse(spec, &cad, e)) != 0)
		return rc;
	if (cad.unit == CADENCE_NEVER)
		return store_cadence_set(s, contact_id, NULL, 0, e);
	a = arena_new();
	rc = store_contact_get(s, a, contact_id, &c, e);
	if (rc == 0) {
		/* keep-in-touch is a day, not an instant */
		next = when_day_start(cadence_next(&cad, touch_base(c, now),
		    tz), tz);
		cadence_format(&cad, canon, sizeof canon);
		rc = store_cadence_set(s, contact_id, canon, next, e);
	}
	arena_free(a);
	return rc;
}

int
app_cadence_refresh(struct store *s, int64_t contact_id, int64_t now,
    const char *tz, struct err *e)
{
	struct arena	*a;
	struct contact	*c;
	int		 rc;

	a = arena_new();
	rc = store_contact_get(s, a, contact_id, &c, e);
	if (rc == 0 && c->cadence != NULL)
		rc = app_cadence_set(s, contact_id, c->cadence, now, tz, e);
	arena_free(a);
	return rc;
}

int
app_log(struct store *s, struct interaction *i, const char *tz,
    struct err *e)
{
	char	 note[64];
	int	 rc, n;

	if ((rc = interaction_check(i, e)) != 0)
		return rc;
	if ((rc = store_interaction_add(s, i, e)) != 0)
		return rc;
	/* reaching out to someone who inquired answers the inquiry */
	if (i->direction == NULL || strcmp(i->direction, "out") == 0) {
		snprintf(note, sizeof note, "answered by %s", i->kind);
		if ((rc = store_followup_answer(s, i->contact_id, i->at, note,
		    i->created, &n, e)) != 0)
			return rc;
	}
	return app_cadence_refresh(s, i->contact_id, i->created, tz, e);
}
