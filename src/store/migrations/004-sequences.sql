-- tend schema, version 4: sequences and enrollments.
--
-- A sequence is kept as its canonical text (core/sequence.h reads it):
-- the steps are positions in that text, and an enrollment remembers the
-- position of its next step, so editing a sequence changes only the
-- steps an enrollment has not run yet.
CREATE TABLE sequences (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL UNIQUE COLLATE NOCASE,
	source		TEXT NOT NULL,
	paused		INTEGER NOT NULL DEFAULT 0,
	created		INTEGER NOT NULL,
	updated		INTEGER NOT NULL
);

-- next_at: when the next step fires; NULL while a task step's follow-up
-- (hold_followup_id) holds it.  base_at: what the next step's delay
-- counts from (enrolment, the last step, the task's completion).
-- hold_until: an out-of-office's return date; nothing fires before it.
-- deal_stage: the enrolled deal's stage at enrolment, for the exit rule
-- "stage"; a deal_stage with deal_id NULL is a deal since removed.
CREATE TABLE enrollments (
	id		INTEGER PRIMARY KEY,
	contact_id	INTEGER NOT NULL REFERENCES contacts(id)
			    ON DELETE CASCADE,
	sequence_id	INTEGER NOT NULL REFERENCES sequences(id)
			    ON DELETE CASCADE,
	deal_id		INTEGER REFERENCES deals(id) ON DELETE SET NULL,
	deal_stage	TEXT,
	state		TEXT NOT NULL DEFAULT 'active' CHECK (state IN
			    ('active', 'ended')),
	step		INTEGER NOT NULL DEFAULT 0,
	next_at		INTEGER,
	base_at		INTEGER NOT NULL,
	hold_until	INTEGER,
	hold_followup_id INTEGER REFERENCES followups(id)
			    ON DELETE SET NULL,
	tz		TEXT,
	cycles		INTEGER NOT NULL DEFAULT 0,
	sent		INTEGER NOT NULL DEFAULT 0,
	started		INTEGER NOT NULL,
	ended		INTEGER,
	end_reason	TEXT,
	updated		INTEGER NOT NULL
);
-- the due steps: one index serves every tick
CREATE INDEX enrollments_due ON enrollments(next_at)
	WHERE state = 'active';
-- a contact's active enrollments, and at most one per sequence
CREATE UNIQUE INDEX enrollments_active ON enrollments(contact_id,
	sequence_id) WHERE state = 'active';
CREATE INDEX enrollments_contact ON enrollments(contact_id);
CREATE INDEX enrollments_sequence ON enrollments(sequence_id);
-- task steps waiting for their follow-up
CREATE INDEX enrollments_held ON enrollments(hold_followup_id)
	WHERE state = 'active' AND next_at IS NULL;

ALTER TABLE followups ADD COLUMN enrollment_id INTEGER
	REFERENCES enrollments(id) ON DELETE SET NULL;

-- the messages an enrollment queued, so that ending it can stop them
ALTER TABLE outbox ADD COLUMN enrollment_id INTEGER
	REFERENCES enrollments(id) ON DELETE SET NULL;
CREATE INDEX outbox_enrollment ON outbox(enrollment_id)
	WHERE enrollment_id IS NOT NULL;
CREATE INDEX followups_enrollment ON followups(enrollment_id)
	WHERE enrollment_id IS NOT NULL;
