/*
 * The retry schedule of the outbox.
 */
#include "core/outbox.h"

const char *const outbox_states[] = {
	"queued", "sending", "sent", "deferred", "failed", "cancelled", NULL
};

int64_t
outbox_backoff(int attempts, int64_t first_try, int64_t now)
{
	int64_t	wait = 5 * 60;
	int	i;

	/*
	 * RFC 5321 asks for at least 30 minutes between tries and 4-5 days
	 * before giving up; a greylisting server wants a quick second try,
	 * so the first waits are shorter and grow.
	 */
	for (i = 1; i < attempts && wait < 4 * 3600; i++)
		wait *= 2;
	if (wait > 4 * 3600)
		wait = 4 * 3600;
	if (now + wait > first_try + OUTBOX_GIVE_UP)
		return 0;
	return wait;
}
