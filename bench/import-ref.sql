-- The import benchmark's second reference: the rows of the generated CSV
-- (already in the table people, by the sqlite3 shell's .import) written
-- into tend's own schema by plain set-based SQL in one transaction: the
-- same tables, indexes and search index, without reading CSV in C,
-- checking fields or looking for duplicates.  What tend import costs
-- beyond this is its own work.
BEGIN;
INSERT INTO contacts (id, name, name_key, company, title, source, created,
    updated)
SELECT rowid, Name, lower(Name), nullif(Company, ''), nullif(Title, ''),
    'import', 1795424400, 1795424400 FROM people;
INSERT OR IGNORE INTO emails (contact_id, address, address_key, is_primary)
SELECT rowid, "E-mail", lower("E-mail"), 1 FROM people WHERE "E-mail" <> '';
INSERT INTO phones (contact_id, number, digits, is_primary)
SELECT rowid, Phone, '+' || replace(replace(substr(Phone, 2), ' ', ''), '-',
    ''), 1 FROM people WHERE Phone <> '';
INSERT OR IGNORE INTO tags (name) SELECT DISTINCT Tags FROM people
    WHERE Tags <> '';
INSERT INTO contact_tags (contact_id, tag_id)
SELECT p.rowid, t.id FROM people p JOIN tags t ON t.name = p.Tags;
DROP TABLE people;
COMMIT;
