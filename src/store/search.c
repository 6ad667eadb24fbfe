/*
 * Full-text search (FTS5) over contacts and interaction summaries.
 */
#include <ctype.h>
#include <string.h>

#include "store/internal.h"
#include "util/arena.h"
#include "util/xmalloc.h"

/*
 * Turn the user's words into an FTS5 query of quoted prefix terms, so
 * that nothing the user types is read as FTS syntax: ann "acme -> "ann"*
 * """acme"*.  Returns NULL when there is no word.
 */
static char *
search_fts_query(struct arena *a, const char *q)
{
	size_t		 n, i = 0;
	char		*out;
	int		 words = 0, inword = 0;

	n = strlen(q);
	out = arena_alloc(a, n * 2 + n * 4 + 8);
	for (; *q != '\0'; q++) {
		unsigned char	c = (unsigned char)*q;

		/* separators: white space and ASCII punctuation but ' - _ */
		if (isspace(c) || (c < 0x80 && ispunct(c) && c != '\'' &&
		    c != '-' && c != '_' && c != '@' && c != '.')) {
			if (inword) {
				memcpy(out + i, "\"* ", 3);
				i += 3;
				inword = 0;
			}
			continue;
		}
		if (!inword) {
			out[i++] = '"';
			inword = 1;
			words++;
		}
		if (c == '"')
			out[i++] = '"';
		out[i++] = (char)c;
	}
	if (inword) {
		memcpy(out + i, "\"*", 2);
		i += 2;
	}
	out[i] = '\0';
	return words > 0 ? out : NULL;
}

int
store_search(struct store *s, struct arena *a, const char *query,
    size_t limit, struct search_hit **out, size_t *n, struct err *e)
{
	static const char sql[] =
	    "WITH hits AS ("
	    " SELECT rowid AS cid, bm25(contacts_fts, 10.0, 5.0, 2.0, 1.0) "
	    "  AS rank, snippet(contacts_fts, -1, '[', ']', '...', 8) AS snip, "
	    "  'contact' AS field "
	    " FROM contacts_fts WHERE contacts_fts MATCH ?1"
	    " UNION ALL"
	    " SELECT i.contact_id, bm25(interactions_fts) + 1.0, "
	    "  snippet(interactions_fts, 0, '[', ']', '...', 8), 'interaction' "
	    " FROM interactions_fts JOIN interactions i ON i.id = "
	    "  interactions_fts.rowid WHERE interactions_fts MATCH ?1"
	    ") "
	    "SELECT c.id, c.name, c.company, h.field, h.snip, min(h.rank) AS r "
	    "FROM hits h JOIN contacts c ON c.id = h.cid WHERE c.archived = 0 "
	    "GROUP BY c.id ORDER BY r, c.name_key LIMIT ?2";
	sqlite3_stmt		*st;
	struct search_hit	*v;
	char			*fq;
	int			 rc;

	*out = NULL;
	*n = 0;
	fq = search_fts_query(a, query);
	/* only punctuation ("*", "(" ...): no word, so nothing matches */
	if (fq == NULL)
		return 0;
	if ((rc = store_prepare(s, sql, &st, e)) != 0)
		return rc;
	store_bind_text(st, 1, fq);
	store_bind_int(st, 2, (int64_t)limit);
	v = arena_alloc(a, (limit == 0 ? 1 : limit) * sizeof *v);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < limit) {
		v[*n].contact_id = store_col_int(st, 0);
		v[*n].name = store_col_text(a, st, 1);
		v[*n].company = store_col_text(a, st, 2);
		v[*n].field = store_col_text(a, st, 3);
		v[*n].snippet = store_col_text(a, st, 4);
		v[*n].rank = sqlite3_column_double(st, 5);
		(*n)++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_fail(s, rc, "cannot search", e);
	*out = v;
	return 0;
}
