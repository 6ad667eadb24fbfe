-- tend schema, version 2: what an import brings that tend has no field
-- for, kept per contact so that an export gives it back (a vCard
-- property in its 4.0 form, or a CSV column as X-TEND-CSV).
CREATE TABLE contact_extras (
	id		INTEGER PRIMARY KEY,
	contact_id	INTEGER NOT NULL REFERENCES contacts(id)
			    ON DELETE CASCADE,
	grp		TEXT,
	name		TEXT NOT NULL,
	params		TEXT,
	value		TEXT NOT NULL
);
CREATE INDEX contact_extras_contact ON contact_extras(contact_id);


-- the importer's "same name and company" rule reads this index alone
CREATE INDEX contacts_name_company ON contacts(name_key,
	company COLLATE NOCASE);

-- A bulk write (tend import, tend restore) indexes its new rows for
-- search in one statement at the end, not one row at a time: FTS5 writes
-- its pending terms out at every statement, which made a large import
-- spend most of its time there.  While fts_pending holds an id for a
-- table, its triggers leave the rows from that id on alone;
-- store_index_catch_up() indexes them and empties it, in the same
-- transaction.
CREATE TABLE fts_pending (
	tbl		TEXT PRIMARY KEY,
	from_id		INTEGER NOT NULL
);
DROP TRIGGER contacts_fts_ai;
DROP TRIGGER contacts_fts_ad;
DROP TRIGGER contacts_fts_au;
CREATE TRIGGER contacts_fts_ai AFTER INSERT ON contacts
    WHEN NOT EXISTS (SELECT 1 FROM fts_pending WHERE tbl = 'contacts' AND
    from_id <= new.id) BEGIN
	INSERT INTO contacts_fts(rowid, name, company, needs, notes)
	VALUES (new.id, new.name, new.company, new.needs, new.notes);
END;
CREATE TRIGGER contacts_fts_ad AFTER DELETE ON contacts
    WHEN NOT EXISTS (SELECT 1 FROM fts_pending WHERE tbl = 'contacts' AND
    from_id <= old.id) BEGIN
	INSERT INTO contacts_fts(contacts_fts, rowid, name, company, needs,
	    notes)
	VALUES ('delete', old.id, old.name, old.company, old.needs, old.notes);
END;
CREATE TRIGGER contacts_fts_au AFTER UPDATE OF name, company, needs, notes
    ON contacts
    WHEN NOT EXISTS (SELECT 1 FROM fts_pending WHERE tbl = 'contacts' AND
    from_id <= old.id) BEGIN
	INSERT INTO contacts_fts(contacts_fts, rowid, name, company, needs,
	    notes)
	VALUES ('delete', old.id, old.name, old.company, old.needs, old.notes);
	INSERT INTO contacts_fts(rowid, name, company, needs, notes)
	VALUES (new.id, new.name, new.company, new.needs, new.notes);
END;
DROP TRIGGER interactions_fts_ai;
DROP TRIGGER interactions_fts_ad;
DROP TRIGGER interactions_fts_au;
CREATE TRIGGER interactions_fts_ai AFTER INSERT ON interactions
    WHEN NOT EXISTS (SELECT 1 FROM fts_pending WHERE tbl = 'interactions'
    AND from_id <= new.id) BEGIN
	INSERT INTO interactions_fts(rowid, summary)
	VALUES (new.id, new.summary);
END;
CREATE TRIGGER interactions_fts_ad AFTER DELETE ON interactions
    WHEN NOT EXISTS (SELECT 1 FROM fts_pending WHERE tbl = 'interactions'
    AND from_id <= old.id) BEGIN
	INSERT INTO interactions_fts(interactions_fts, rowid, summary)
	VALUES ('delete', old.id, old.summary);
END;
CREATE TRIGGER interactions_fts_au AFTER UPDATE OF summary ON interactions
    WHEN NOT EXISTS (SELECT 1 FROM fts_pending WHERE tbl = 'interactions'
    AND from_id <= old.id) BEGIN
	INSERT INTO interactions_fts(interactions_fts, rowid, summary)
	VALUES ('delete', old.id, old.summary);
	INSERT INTO interactions_fts(rowid, summary)
	VALUES (new.id, new.summary);
END;
