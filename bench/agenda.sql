-- The raw-SQLite baseline of `tend today --limit N`: the same first N
-- agenda items in the same order, and the same total, in ONE statement.
--
-- It reads the candidates as src/store/agenda.c does (the same WHERE
-- clauses, so the same partial indexes: followups_pending_due,
-- followups_inquiry, deals_open_due, deals_open_nostep, deals_open_since,
-- cadences_due) and ranks them as src/core/agenda.c does (categories,
-- score, tie-breaks), only without writing the "why" sentences.
--
-- Parameters, bound by bench/run.sh with `.parameter set` from TEND_NOW,
-- as tend binds them from its clock:
--   :now       the clock, UTC seconds
--   :today     the start of today, :tomorrow the start of tomorrow
--   :stuck     :today minus agenda.stuck_days (14) days
--   :limit     how many items (50)
-- The user's zone is UTC (run.sh sets TZ=UTC), so a calendar day is
-- 86400 seconds and days between two instants is a difference of
-- instant / 86400.
WITH
cand(k, id, cid, name, ckind, company, met_where, met_on, via, last_touch,
    created, what, channel, title, stage, cents, since, due)
AS MATERIALIZED (
	-- follow-ups and inquiries due before tomorrow
	SELECT CASE f.kind WHEN 'inquiry' THEN 0 ELSE 1 END, f.id,
	    f.contact_id, c.name, c.kind, c.company, c.met_where, c.met_on,
	    (SELECT v.name FROM contacts v WHERE v.id = c.via_id),
	    c.last_touch, f.created, f.reason, f.channel, d.title, d.stage,
	    d.value_cents, d.stage_since, f.due
	FROM followups f JOIN contacts c ON c.id = f.contact_id
	    LEFT JOIN deals d ON d.id = f.deal_id
	WHERE f.state IN ('open', 'snoozed') AND f.due < :tomorrow AND
	    c.archived = 0
	UNION ALL
	-- open inquiries, whatever their due
	SELECT 0, f.id, f.contact_id, c.name, c.kind, c.company,
	    c.met_where, c.met_on,
	    (SELECT v.name FROM contacts v WHERE v.id = c.via_id),
	    c.last_touch, f.created, f.reason, f.channel, d.title, d.stage,
	    d.value_cents, d.stage_since, f.due
	FROM followups f JOIN contacts c ON c.id = f.contact_id
	    LEFT JOIN deals d ON d.id = f.deal_id
	WHERE f.kind = 'inquiry' AND f.state IN ('open', 'snoozed') AND
	    f.state = 'open' AND +f.due >= :tomorrow AND c.archived = 0
	UNION ALL
	-- deal next steps due before tomorrow
	SELECT 2, d.id, d.contact_id, c.name, c.kind, c.company, c.met_where,
	    c.met_on, (SELECT v.name FROM contacts v WHERE v.id = c.via_id),
	    c.last_touch, d.created, d.next_step, NULL, d.title, d.stage,
	    d.value_cents, d.stage_since, d.next_due
	FROM deals d JOIN contacts c ON c.id = d.contact_id
	WHERE d.closed = 0 AND d.next_due IS NOT NULL AND
	    d.next_due < :tomorrow AND c.archived = 0
	UNION ALL
	-- open deals without a next step
	SELECT 3, d.id, d.contact_id, c.name, c.kind, c.company, c.met_where,
	    c.met_on, (SELECT v.name FROM contacts v WHERE v.id = c.via_id),
	    c.last_touch, d.created, NULL, NULL, d.title, d.stage,
	    d.value_cents, d.stage_since, d.stage_since
	FROM deals d JOIN contacts c ON c.id = d.contact_id
	WHERE d.closed = 0 AND d.next_step IS NULL AND c.archived = 0
	UNION ALL
	-- stuck deals, unless their step is due (then they show as a step)
	SELECT 4, d.id, d.contact_id, c.name, c.kind, c.company, c.met_where,
	    c.met_on, (SELECT v.name FROM contacts v WHERE v.id = c.via_id),
	    c.last_touch, d.created, d.next_step, NULL, d.title, d.stage,
	    d.value_cents, d.stage_since, d.stage_since
	FROM deals d JOIN contacts c ON c.id = d.contact_id
	WHERE d.closed = 0 AND d.stage_since < :stuck AND
	    d.next_step IS NOT NULL AND c.archived = 0 AND
	    NOT (d.next_due IS NOT NULL AND d.next_due < :tomorrow)
),
-- keep-in-touch: only the first :limit by due can make the list
keep AS (
	SELECT * FROM (
		SELECT 5, k.contact_id, k.contact_id, c.name, c.kind,
		    c.company, c.met_where, c.met_on,
		    (SELECT v.name FROM contacts v WHERE v.id = c.via_id),
		    c.last_touch, c.created, NULL, NULL, NULL, NULL, NULL,
		    NULL, coalesce(k.level_due, k.next_due)
		FROM cadences k JOIN contacts c ON c.id = k.contact_id
		WHERE coalesce(k.level_due, k.next_due) < :tomorrow AND
		    c.archived = 0 AND c.do_not_contact = 0 AND NOT EXISTS
		    (SELECT 1 FROM followups f WHERE f.contact_id =
		    k.contact_id AND f.state IN ('open', 'snoozed'))
		ORDER BY coalesce(k.level_due, k.next_due), k.contact_id
		LIMIT :limit)
),
weighed AS (
	SELECT x.*, :now / 86400 - x.due / 86400 AS od,
	    CASE x.ckind WHEN 'client' THEN 1.5 WHEN 'prospect' THEN 1.3
	    WHEN 'partner' THEN 1.2 ELSE 1.0 END *
	    CASE WHEN x.cents > 0 THEN 1.0 + log10(1.0 + x.cents / 100.0 /
	    1000.0) ELSE 1.0 END AS w
	FROM (SELECT * FROM cand UNION ALL SELECT * FROM keep) x
),
scored AS (
	SELECT *, floor((CASE
	    WHEN k = 0 THEN 5000 + max(0, min(999, (:now - created) / 3600.0))
	    WHEN k IN (1, 2) AND od > 0 THEN
		4000 + max(0, min(999, od * w * 10.0))
	    WHEN k IN (1, 2) THEN 2000 + max(0, min(999,
		(1.0 - (due - :today) / 86400.0) * 500.0 + w * 100.0))
	    WHEN k = 3 THEN 3000 + max(0, min(999, od * w * 5.0 + 100.0))
	    WHEN k = 4 THEN 3000 + max(0, min(999, od * w * 5.0))
	    ELSE 1000 + max(0, min(999, od))
	    END) * 10.0 + 0.5) / 10.0 AS score
	FROM weighed
)
SELECT CASE k WHEN 0 THEN 'inquiry' WHEN 1 THEN 'follow-up'
	WHEN 2 THEN 'deal-step' WHEN 3 THEN 'deal-no-step'
	WHEN 4 THEN 'deal-stuck' ELSE 'keep-in-touch' END AS kind,
    id, cid, name, company, met_where, via, what, title, stage, cents,
    due, max(od, 0) AS overdue_days, score,
    (SELECT count(*) FROM cand) + (SELECT count(*)
	FROM cadences k JOIN contacts c ON c.id = k.contact_id
	WHERE coalesce(k.level_due, k.next_due) < :tomorrow AND
	    c.archived = 0 AND c.do_not_contact = 0 AND NOT EXISTS
	    (SELECT 1 FROM followups f WHERE f.contact_id = k.contact_id AND
	    f.state IN ('open', 'snoozed'))) AS total
FROM scored
ORDER BY score DESC, due, k, id
LIMIT :limit;
