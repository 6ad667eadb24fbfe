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
