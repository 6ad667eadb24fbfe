-- tend schema, version 5: mail in.  Every message tend read (once per
-- Message-ID), where IMAP polling got to, soft bounces, replies and
-- escalations on the agenda, and an acknowledgement that says when the
-- user will answer and asks what qualifies the lead.

-- key: the Message-ID, or "sha256:<hex>" of the bytes of a message
-- without one, so that the same message delivered twice is read once.
-- data keeps the message whole (at most 32 MB), so nothing is lost even
-- when the reading of it was wrong.
CREATE TABLE inbound (
	id		INTEGER PRIMARY KEY,
	key		TEXT NOT NULL UNIQUE,
	received	INTEGER NOT NULL,
	source		TEXT NOT NULL,
	class		TEXT NOT NULL CHECK (class IN ('reply', 'auto-reply',
			    'bounce', 'complaint', 'unsubscribe', 'inquiry',
			    'other')),
	contact_id	INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
	from_addr	TEXT,
	subject		TEXT,
	why		TEXT NOT NULL,
	effect		TEXT
);
CREATE INDEX inbound_received ON inbound(received);
CREATE INDEX inbound_contact ON inbound(contact_id);
CREATE TABLE inbound_data (
	id		INTEGER PRIMARY KEY REFERENCES inbound(id)
			    ON DELETE CASCADE,
	data		BLOB NOT NULL
);

-- Messages `tend inbound --queue` took in and the worker has not read
-- yet: the bytes only, stored in one short transaction without parsing,
-- so that a burst of deliveries costs each MTA pipe little.
CREATE TABLE inbound_spool (
	id		INTEGER PRIMARY KEY,
	received	INTEGER NOT NULL,
	source		TEXT NOT NULL,
	data		BLOB NOT NULL
);

-- One row per mailbox polled: its UIDVALIDITY and the last UID read.
CREATE TABLE imap_state (
	mailbox		TEXT PRIMARY KEY,
	uidvalidity	INTEGER NOT NULL,
	last_uid	INTEGER NOT NULL
) WITHOUT ROWID;

-- Temporary bounces by address: suppressed after inbound.bounces (3) in a
-- row, each within 30 days of the one before.
CREATE TABLE soft_bounces (
	address_key	TEXT PRIMARY KEY,
	count		INTEGER NOT NULL,
	last_at		INTEGER NOT NULL
) WITHOUT ROWID;

-- origin: why tend opened a follow-up itself ('reply': a reply to
-- answer); escalated: when an unanswered inquiry was escalated.
ALTER TABLE followups ADD COLUMN origin TEXT;
ALTER TABLE followups ADD COLUMN escalated INTEGER;

-- system: tend's own record on the timeline (an auto-reply read, a
-- bounce, a sequence ended), which is not a touch.
ALTER TABLE interactions ADD COLUMN system INTEGER NOT NULL DEFAULT 0;

-- "was this person acknowledged in the last 7 days?", and "which of our
-- messages does this reply name?" (message_id is UNIQUE already).
CREATE INDEX outbox_rcpt_queued ON outbox(rcpt_key, queued);

-- The acknowledgement says when the user will answer and asks the
-- questions that qualify a lead; replaced only if it was never edited.
UPDATE templates SET
subject = '{{#inquiry.subject}}Re: {{inquiry.subject}}{{/inquiry.subject}}{{^inquiry.subject}}Thanks for getting in touch{{/inquiry.subject}}',
body = 'Hi {{contact.first_name}},

Thank you for your message; it reached me, and I will answer it properly {{#inquiry.reply_by}}{{inquiry.reply_by}}{{/inquiry.reply_by}}{{^inquiry.reply_by}}soon{{/inquiry.reply_by}}.{{#inquiry.ask}}

So that my answer is useful from the start, could you tell me:
{{/inquiry.ask}}{{#inquiry.questions}}
- {{.}}{{/inquiry.questions}}{{#booking_url}}

If a call is easier, pick a time that suits you here: {{booking_url}}{{/booking_url}}

Best,
{{#sender.signature}}{{sender.signature}}{{/sender.signature}}{{^sender.signature}}{{sender.name}}{{/sender.signature}}
'
WHERE name = 'inquiry-ack' AND starter = 1 AND updated = 0;
