#!/bin/sh
# tend mail and tend outbox: queuing a message (rendered, built with its
# Message-ID fixed, checked against the respect rules), looking at it,
# cancelling and retrying it; tend unsubscribe.  Every refusal leaves
# the database as it was.  Sending is t1730.
. "$(dirname "$0")/lib.sh"

run tend add "Ann Lee" --email ann@example.com --company Acme --met BNI \
    --met-on 2026-11-20
run tend add "Bob Stone" --email bob@example.com --tz America/Los_Angeles
run tend add "Cleo Park"
run tend add "Dan Wu" --email dan@example.com --dnc
run tend add "Eve Hart" --email eve@example.com --need "a shop
and a blog"

snapshot
run tend mail ann met-at-event
expect_rc 2 "no sender address yet"
expect_err "tend config mail.from" "says how to set it"
expect_unchanged "nothing queued"

run tend config mail.from "Sam Smith <sam@example.org>"
run tend config sender.name "Sam"
run tend mail ann met-at-event
expect_rc 0 "queue a message"
expect_out "queued message 1 to Ann Lee <ann@example.com>: Good to meet you at BNI" \
    "says what and to whom"
run tend outbox --json
expect_json '[(m["id"], m["state"], m["to"], m["template"], m["automated"], m["attempts"]) for m in j]' \
    '[[1, "queued", "ann@example.com", "met-at-event", false, 0]]' "it waits in the outbox"
expect_json 'j[0]["next_attempt"]' "2026-11-23T09:00:00+00:00" "due now"
mid=$(json 'j[0]["message_id"]')
run tend outbox show 1
expect_rc 0 "show the exact message"
expect_has "Message-ID: <$mid>" "with its Message-ID"
expect_has "From: Sam Smith <sam@example.org>" "from"
expect_has "To: Ann Lee <ann@example.com>" "to"
expect_has "Date: Mon, 23 Nov 2026 09:00:00 +0000" "a Date"
expect_lacks "List-Unsubscribe" "a message by hand has no unsubscribe header"
run tend outbox show 1
expect_has "Message-ID: <$mid>" "the same Message-ID every time"
run tend outbox show 1 --json
printf '%s' "$out" | "$PY" -c 'import json,sys; sys.stdout.write(json.load(sys.stdin)["message"])' >"$T/m1.eml"
run "$PY" "$(dirname "$0")/../mail/parse-check.py" "$T/m1.eml" --subject "Good to meet you at BNI" --to ann@example.com
expect_rc 0 "Python's email package reads it"

# later, and cancel
run tend mail ann check-in --at 2026-11-25
expect_rc 0 "queue for later"
expect_out "queued message 2 to Ann Lee <ann@example.com> for 2026-11-25: How are things, Ann?" \
    "says when"
run tend outbox cancel 2
expect_rc 0 "cancel it"
expect_out "cancelled message 2 to ann@example.com" "says so"
run tend outbox --state cancelled --json
expect_json '[(m["id"], m["reason"]) for m in j]' '[[2, "cancelled by you"]]' "cancelled, and why"
run tend outbox retry 2
expect_rc 0 "retry a cancelled one"
expect_out "queued again message 2 to ann@example.com" "says so"
run tend outbox --state queued --json
expect_json '[m["id"] for m in j]' '[1, 2]' "both queued"
run tend outbox cancel 2

# automated mail: an unsubscribe link, caps and quiet hours
run tend mail ann check-in --auto
expect_rc 2 "automated mail needs public_url"
expect_err "public_url" "says which setting"
run tend config public_url https://tend.example.org/
run tend mail bob check-in --auto --json
expect_rc 0 "queue an automated message"
expect_json '[j[0]["state"], j[0]["next_attempt"]]' '["deferred", "2026-11-23T16:00:00+00:00"]' \
    "01:00 in Los Angeles: deferred to 08:00 there"
expect_json 'j[0]["reason"]' "quiet hours in America/Los_Angeles (now Mon 01:00) until Mon 2026-11-23 08:00" \
    "and says why, in Bob's time"
run tend outbox show 3
expect_has "List-Unsubscribe: <https://tend.example.org/u/" "an automated message has the link"
expect_has "List-Unsubscribe-Post: List-Unsubscribe=One-Click" "and one-click"
run tend outbox show 3 --json
printf '%s' "$out" | "$PY" -c 'import json,sys; sys.stdout.write(json.load(sys.stdin)["message"])' >"$T/m3.eml"
run "$PY" "$(dirname "$0")/../mail/parse-check.py" "$T/m3.eml" --expect-unsub
expect_rc 0 "Python's email package reads the unsubscribe headers"
token=$(sed -n 's|^List-Unsubscribe: <https://tend.example.org/u/\([^>]*\)>.*|\1|p' "$T/m3.eml" | tr -d '\r')
run tend outbox
expect_has "quiet hours in America/Los_Angeles" "tend outbox says why it waits"

# never: do-not-contact, unsubscribed, bounced; no address
snapshot
run tend mail dan check-in
expect_rc 65 "do-not-contact, even by hand"
expect_err "not sending to Dan Wu <dan@example.com>: " "says why"
run tend mail cleo check-in
expect_rc 65 "no address"
expect_err "contact 'Cleo Park' has no e-mail address" "says so"
run tend mail eve nosuch
expect_rc 65 "an unknown template"
run tend template add need -s "About {{contact.need}}" -b "x"
snapshot
run tend mail eve need
expect_rc 65 "a line break from a field into a header"
expect_err "line break" "header injection is refused"
run tend mail ann need
expect_rc 65 "a field the contact lacks"
expect_err "'contact.need', which is empty" "names the field"
run tend mail ann check-in --at "not a date"
expect_rc 65 "a bad date"
run tend mail ann
expect_rc 2 "no template"
run tend mail ann check-in extra
expect_rc 2 "too many arguments"
run tend mail ann check-in --keep-going
expect_rc 2 "--keep-going without --tag"
expect_unchanged "no refusal queued anything"

# unsubscribe by the token from the link, then by address
run tend unsubscribe "$token"
expect_rc 0 "unsubscribe by token"
expect_out "unsubscribed bob@example.com: no more mail goes there" "names the address"
run tend unsubscribe "$token"
expect_out "bob@example.com was already unsubscribed" "twice is fine"
run tend unsubscribe "x$token"
expect_rc 65 "a forged token"
expect_err "invalid unsubscribe token" "says so"
run tend unsubscribe not-an-address@
expect_rc 65 "a bad address"
snapshot
run tend mail bob check-in
expect_rc 65 "an unsubscribed address gets nothing, even by hand"
expect_err "unsubscribed" "says why"
expect_unchanged "nothing queued"
run tend unsubscribe --list --json
expect_json '[(s["address"], s["reason"], s["detail"]) for s in j]' '[["bob@example.com", "unsubscribed", "by token"]]' \
    "the suppression list"
run tend rm bob
run tend unsubscribe --list --json
expect_json 'len(j)' 1 "kept after the contact is gone"
run tend unsubscribe --remove bob@example.com
expect_rc 0 "lift it"
run tend unsubscribe --remove bob@example.com
expect_rc 65 "not on the list"

# to a tag
run tend edit ann --tag news
run tend edit dan --tag news
run tend edit eve --tag news
snapshot
run tend mail --tag news check-in
expect_rc 65 "a tag with someone who cannot get it: all or nothing"
expect_unchanged "nothing queued"
run tend mail --tag news check-in --keep-going
expect_rc 0 "--keep-going skips them"
expect_out "queued 2 messages to contacts tagged 'news' (some skipped: see above)" "says how many"
expect_err "skipped: not sending to Dan Wu" "and who was skipped, why"
run tend mail --tag nobody check-in
expect_rc 65 "a tag nobody has"

# the mail plugin (tend-mail.so) is loaded by the mail commands only
snapshot
TEND_MAIL_PLUGIN=$T/nosuch.so run tend mail eve check-in
expect_rc 1 "without the mail plugin, mail cannot be built"
expect_err "mail support is not installed" "says so"
expect_unchanged "nothing queued"
printf 'not a plugin' >"$T/bad.so"
TEND_MAIL_PLUGIN=$T/bad.so run tend mail eve check-in
expect_rc 1 "a file that is not the plugin"
TEND_MAIL_PLUGIN=$T/nosuch.so run tend list --json
expect_rc 0 "every other command works without it"
TEND_MAIL_PLUGIN=$T/nosuch.so run tend say eve check-in
expect_rc 0 "tend say needs no plugin"
