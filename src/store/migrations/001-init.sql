-- tend schema, version 1.
-- Instants are UTC seconds (INTEGER).  Names ending in _key are folded
-- copies used for case-insensitive lookups.

CREATE TABLE contacts (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL,
	name_key	TEXT NOT NULL,
	company		TEXT,
	title		TEXT,
	kind		TEXT NOT NULL DEFAULT 'other' CHECK (kind IN
			    ('prospect', 'client', 'friend', 'partner', 'other')),
	tz		TEXT,
	met_where	TEXT,
	met_on		INTEGER,
	via_id		INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
	source		TEXT NOT NULL DEFAULT 'other' CHECK (source IN
			    ('event', 'referral', 'inbound', 'import', 'other')),
	needs		TEXT,
	notes		TEXT,
	do_not_contact	INTEGER NOT NULL DEFAULT 0,
	archived	INTEGER NOT NULL DEFAULT 0,
	last_touch	INTEGER,
	created		INTEGER NOT NULL,
	updated		INTEGER NOT NULL
);
CREATE INDEX contacts_name_key ON contacts(name_key);
CREATE INDEX contacts_via ON contacts(via_id) WHERE via_id IS NOT NULL;
CREATE INDEX contacts_kind ON contacts(kind);

CREATE TABLE emails (
	id		INTEGER PRIMARY KEY,
	contact_id	INTEGER NOT NULL REFERENCES contacts(id)
			    ON DELETE CASCADE,
	address		TEXT NOT NULL,
	address_key	TEXT NOT NULL UNIQUE,
	is_primary	INTEGER NOT NULL DEFAULT 0,
	label		TEXT
);
CREATE INDEX emails_contact ON emails(contact_id);

CREATE TABLE phones (
	id		INTEGER PRIMARY KEY,
	contact_id	INTEGER NOT NULL REFERENCES contacts(id)
			    ON DELETE CASCADE,
	number		TEXT NOT NULL,
	digits		TEXT NOT NULL,
	is_primary	INTEGER NOT NULL DEFAULT 0,
	label		TEXT
);
CREATE INDEX phones_contact ON phones(contact_id);
CREATE INDEX phones_digits ON phones(digits);

CREATE TABLE tags (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL UNIQUE COLLATE NOCASE
);
CREATE TABLE contact_tags (
	contact_id	INTEGER NOT NULL REFERENCES contacts(id)
			    ON DELETE CASCADE,
	tag_id		INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
	PRIMARY KEY (contact_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX contact_tags_tag ON contact_tags(tag_id, contact_id);

CREATE TABLE interactions (
	id		INTEGER PRIMARY KEY,
	contact_id	INTEGER NOT NULL REFERENCES contacts(id)
			    ON DELETE CASCADE,
	kind		TEXT NOT NULL CHECK (kind IN ('call', 'email',
			    'meeting', 'in-person', 'message', 'note')),
	direction	TEXT NOT NULL DEFAULT 'out' CHECK (direction IN
			    ('in', 'out')),
	at		INTEGER NOT NULL,
	summary		TEXT,
	created		INTEGER NOT NULL
);
CREATE INDEX interactions_contact_at ON interactions(contact_id, at);

-- Stages are checked in code: they are configurable (setting deal.stages).
CREATE TABLE deals (
	id		INTEGER PRIMARY KEY,
	contact_id	INTEGER NOT NULL REFERENCES contacts(id)
			    ON DELETE CASCADE,
	title		TEXT NOT NULL,
	value_cents	INTEGER,
	stage		TEXT NOT NULL,
	stage_since	INTEGER NOT NULL,
	closed		INTEGER NOT NULL DEFAULT 0,
	next_step	TEXT,
	next_due	INTEGER,
	created		INTEGER NOT NULL,
	updated		INTEGER NOT NULL
);
CREATE INDEX deals_contact ON deals(contact_id);
CREATE INDEX deals_open_due ON deals(next_due)
	WHERE closed = 0 AND next_due IS NOT NULL;
CREATE INDEX deals_open_since ON deals(stage_since) WHERE closed = 0;
CREATE INDEX deals_open_nostep ON deals(id)
	WHERE closed = 0 AND next_step IS NULL;

CREATE TABLE deal_history (
	id		INTEGER PRIMARY KEY,
	deal_id		INTEGER NOT NULL REFERENCES deals(id) ON DELETE CASCADE,
	at		INTEGER NOT NULL,
	stage		TEXT NOT NULL,
	next_step	TEXT,
	next_due	INTEGER
);
CREATE INDEX deal_history_deal ON deal_history(deal_id, at);

-- kind 'inquiry' is an inbound lead waiting for a first answer.
CREATE TABLE followups (
	id		INTEGER PRIMARY KEY,
	contact_id	INTEGER NOT NULL REFERENCES contacts(id)
			    ON DELETE CASCADE,
	deal_id		INTEGER REFERENCES deals(id) ON DELETE SET NULL,
	kind		TEXT NOT NULL DEFAULT 'task' CHECK (kind IN
			    ('task', 'inquiry')),
	reason		TEXT,
	channel		TEXT,
	due		INTEGER NOT NULL,
	state		TEXT NOT NULL DEFAULT 'open' CHECK (state IN
			    ('open', 'done', 'snoozed', 'cancelled')),
	created		INTEGER NOT NULL,
	updated		INTEGER NOT NULL
);
CREATE INDEX followups_pending_due ON followups(due)
	WHERE state IN ('open', 'snoozed');
CREATE INDEX followups_inquiry ON followups(created)
	WHERE kind = 'inquiry' AND state IN ('open', 'snoozed');
CREATE INDEX followups_contact ON followups(contact_id);
-- "has this contact a pending follow-up?", asked per due keep-in-touch row
CREATE INDEX followups_pending_contact ON followups(contact_id)
	WHERE state IN ('open', 'snoozed');
CREATE INDEX followups_deal ON followups(deal_id) WHERE deal_id IS NOT NULL;

CREATE TABLE followup_history (
	id		INTEGER PRIMARY KEY,
	followup_id	INTEGER NOT NULL REFERENCES followups(id)
			    ON DELETE CASCADE,
	at		INTEGER NOT NULL,
	state		TEXT NOT NULL,
	due		INTEGER NOT NULL,
	note		TEXT
);
CREATE INDEX followup_history_followup ON followup_history(followup_id, at);

-- next_due is derived (last touch + interval) and kept up to date by every
-- touch, so the agenda reads it from an index.  level_due, when set, is
-- the day `tend plan --level` moved it to.
CREATE TABLE cadences (
	contact_id	INTEGER PRIMARY KEY REFERENCES contacts(id)
			    ON DELETE CASCADE,
	spec		TEXT NOT NULL,
	next_due	INTEGER NOT NULL,
	level_due	INTEGER
);
CREATE INDEX cadences_due ON cadences(coalesce(level_due, next_due));

-- Settings that travel with the data (deal stages, ...).
CREATE TABLE settings (
	key		TEXT PRIMARY KEY,
	value		TEXT NOT NULL
);

CREATE VIRTUAL TABLE contacts_fts USING fts5(name, company, needs, notes,
	content = 'contacts', content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER contacts_fts_ai AFTER INSERT ON contacts BEGIN
	INSERT INTO contacts_fts(rowid, name, company, needs, notes)
	VALUES (new.id, new.name, new.company, new.needs, new.notes);
END;
CREATE TRIGGER contacts_fts_ad AFTER DELETE ON contacts BEGIN
	INSERT INTO contacts_fts(contacts_fts, rowid, name, company, needs,
	    notes)
	VALUES ('delete', old.id, old.name, old.company, old.needs, old.notes);
END;
CREATE TRIGGER contacts_fts_au AFTER UPDATE OF name, company, needs, notes
    ON contacts BEGIN
	INSERT INTO contacts_fts(contacts_fts, rowid, name, company, needs,
	    notes)
	VALUES ('delete', old.id, old.name, old.company, old.needs, old.notes);
	INSERT INTO contacts_fts(rowid, name, company, needs, notes)
	VALUES (new.id, new.name, new.company, new.needs, new.notes);
END;

CREATE VIRTUAL TABLE interactions_fts USING fts5(summary,
	content = 'interactions', content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER interactions_fts_ai AFTER INSERT ON interactions BEGIN
	INSERT INTO interactions_fts(rowid, summary)
	VALUES (new.id, new.summary);
END;
CREATE TRIGGER interactions_fts_ad AFTER DELETE ON interactions BEGIN
	INSERT INTO interactions_fts(interactions_fts, rowid, summary)
	VALUES ('delete', old.id, old.summary);
END;
CREATE TRIGGER interactions_fts_au AFTER UPDATE OF summary ON interactions
    BEGIN
	INSERT INTO interactions_fts(interactions_fts, rowid, summary)
	VALUES ('delete', old.id, old.summary);
	INSERT INTO interactions_fts(rowid, summary)
	VALUES (new.id, new.summary);
END;
