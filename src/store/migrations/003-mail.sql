-- tend schema, version 3: mail out.  Templates (with the starters tend
-- ships), the outbox every message waits in, and the suppression list.

CREATE TABLE templates (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL UNIQUE COLLATE NOCASE,
	subject		TEXT NOT NULL,
	body		TEXT NOT NULL,
	html		TEXT,
	starter		INTEGER NOT NULL DEFAULT 0,
	created		INTEGER NOT NULL,
	updated		INTEGER NOT NULL
);

-- due: when the row next needs a sender: the next attempt of a queued or
-- deferred message, the end of the lease of one being sent (a sender
-- that died leaves it claimable again).  One index serves every claim.
CREATE TABLE outbox (
	id		INTEGER PRIMARY KEY,
	contact_id	INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
	deal_id		INTEGER REFERENCES deals(id) ON DELETE SET NULL,
	template	TEXT,
	automated	INTEGER NOT NULL DEFAULT 0,
	rcpt		TEXT NOT NULL,
	rcpt_key	TEXT NOT NULL,
	sender		TEXT NOT NULL,
	subject		TEXT NOT NULL,
	message_id	TEXT NOT NULL UNIQUE,
	state		TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued',
			    'sending', 'sent', 'deferred', 'failed',
			    'cancelled')),
	queued		INTEGER NOT NULL,
	due		INTEGER NOT NULL,
	attempts	INTEGER NOT NULL DEFAULT 0,
	date		INTEGER,
	lease_owner	TEXT,
	sent_at		INTEGER,
	last_reply	TEXT,
	reason		TEXT
);
-- The message itself, apart: a change of state rewrites a short row, not
-- the whole message with it.
CREATE TABLE outbox_data (
	id		INTEGER PRIMARY KEY REFERENCES outbox(id)
			    ON DELETE CASCADE,
	data		BLOB NOT NULL
);

CREATE INDEX outbox_due ON outbox(due, id)
	WHERE state IN ('queued', 'sending', 'deferred');
-- the attention caps: what one person got, and what went out in all
CREATE INDEX outbox_rcpt ON outbox(rcpt_key, sent_at)
	WHERE state IN ('sent', 'sending');
CREATE INDEX outbox_sent ON outbox(sent_at)
	WHERE state = 'sent' AND automated = 1;
CREATE INDEX outbox_contact ON outbox(contact_id);
CREATE INDEX outbox_state ON outbox(state, id);

-- By address, not by contact: an unsubscribe outlives the contact.
CREATE TABLE suppressions (
	address_key	TEXT NOT NULL,
	reason		TEXT NOT NULL CHECK (reason IN ('unsubscribed',
			    'bounced')),
	address		TEXT NOT NULL,
	at		INTEGER NOT NULL,
	detail		TEXT,
	PRIMARY KEY (address_key, reason)
) WITHOUT ROWID;

-- The starters: written for real use, and editable (tend template edit).
-- created and updated 0: shipped with tend, not yet edited.
INSERT INTO templates (name, subject, body, starter, created, updated)
VALUES ('met-at-event',
'Good to meet you{{#contact.met_where}} at {{contact.met_where}}{{/contact.met_where}}',
'Hi {{contact.first_name}},

It was good to meet you{{#contact.met_where}} at {{contact.met_where}}{{/contact.met_where}}.{{#contact.need}} You mentioned {{contact.need}}; I have helped others with much the same, and I would be glad to share what worked.{{/contact.need}}

Would you have twenty minutes for a call next week?{{#booking_url}} You can pick a time that suits you here: {{booking_url}}{{/booking_url}}

Best,
{{#sender.signature}}{{sender.signature}}{{/sender.signature}}{{^sender.signature}}{{sender.name}}{{/sender.signature}}
', 1, 0, 0),

('consult-recap',
'Recap of our conversation{{#deal.title}}: {{deal.title}}{{/deal.title}}',
'Hi {{contact.first_name}},

Thank you for your time today. To make sure I understood you well, here is what I took away:

{{#contact.need}}- What you need: {{contact.need}}
{{/contact.need}}{{#deal.next_step}}- Next step: {{deal.next_step}}
{{/deal.next_step}}

I will send you a proposal that covers this. If I missed or misread anything, just reply and tell me; it will only make the proposal better.

Best,
{{#sender.signature}}{{sender.signature}}{{/sender.signature}}{{^sender.signature}}{{sender.name}}{{/sender.signature}}
', 1, 0, 0),

('proposal-followup',
'Following up on the proposal{{#deal.title}} for {{deal.title}}{{/deal.title}}',
'Hi {{contact.first_name}},

I wanted to check that the proposal{{#deal.title}} for {{deal.title}}{{/deal.title}} reached you, and whether any questions have come up{{#contact.company}} at {{contact.company}}{{/contact.company}}.

If it would help, I am happy to walk through it on a short call, or to adjust the scope so it fits your budget and timing better.{{#booking_url}} Here is my calendar: {{booking_url}}{{/booking_url}}

Best,
{{#sender.signature}}{{sender.signature}}{{/sender.signature}}{{^sender.signature}}{{sender.name}}{{/sender.signature}}
', 1, 0, 0),

('nudge',
'Quick question, {{contact.first_name}}',
'Hi {{contact.first_name}},

I know things get busy, so I am bringing this back to the top of your inbox{{#deal.next_step}}: {{deal.next_step}}{{/deal.next_step}}.

Is this still something you would like to pursue? A one-line answer is plenty, and "not now" is a fine answer too.

Best,
{{#sender.signature}}{{sender.signature}}{{/sender.signature}}{{^sender.signature}}{{sender.name}}{{/sender.signature}}
', 1, 0, 0),

('check-in',
'How are things, {{contact.first_name}}?',
'Hi {{contact.first_name}},

It has been a while{{#contact.last_touch}} (since {{contact.last_touch}}, if my notes are right){{/contact.last_touch}}, and you came to mind. How are things going{{#contact.company}} at {{contact.company}}{{/contact.company}}?

Nothing to sell; I would just like to hear what you are working on these days. Coffee or a call sometime?

Best,
{{#sender.signature}}{{sender.signature}}{{/sender.signature}}{{^sender.signature}}{{sender.name}}{{/sender.signature}}
', 1, 0, 0),

('referral-thanks',
'Thank you for the introduction',
'Hi {{contact.first_name}},

Thank you for thinking of me and passing my name along{{#referral.name}} to {{referral.name}}{{/referral.name}}. Introductions like yours are how most of my work begins, and I do not take them for granted.

I will let you know how it goes. And if I can ever return the favour, please ask.

Best,
{{#sender.signature}}{{sender.signature}}{{/sender.signature}}{{^sender.signature}}{{sender.name}}{{/sender.signature}}
', 1, 0, 0),

('inquiry-ack',
'Thanks for getting in touch{{#contact.company}}, {{contact.company}}{{/contact.company}}',
'Hi {{contact.first_name}},

Thank you for your message; it reached me and I will answer it properly soon.{{#busy_until}} I am with a client until {{busy_until}} and will call you then.{{/busy_until}}{{#booking_url}}

If it is easier, pick a time for a call that suits you here: {{booking_url}}{{/booking_url}}

Best,
{{#sender.signature}}{{sender.signature}}{{/sender.signature}}{{^sender.signature}}{{sender.name}}{{/sender.signature}}
', 1, 0, 0);
