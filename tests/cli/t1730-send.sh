#!/bin/sh
# tend send against a real SMTP server (postfix's smtp-sink on
# 127.0.0.1): what arrives is exactly what was queued, read back by an
# independent parser (Python's email package); a sent message becomes an
# outgoing e-mail on the timeline; the respect rules are asked again
# when a sender claims a message; the settings are checked.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../mail/servers.sh"
servers_need_sink
servers_trap
CHECK="$(dirname "$0")/../mail/parse-check.py"

sink_start "$T/sink" || exit 1
run tend config mail.from "Sam Smith <sam@example.org>"
run tend config sender.name "Sam"
run tend config public_url https://tend.example.org
run tend add "Ann Lee" --email ann@example.com --company Acme --met BNI \
    --met-on 2026-11-20 --every 6w
run tend add "Émile Zoë Ågren" --email emile@example.com
run tend add "Eve Hart" --email eve@example.com
run tend add "Dan Wu" --email dan@example.com
run tend add "Lou Cruz" --email lou@example.com --tz America/Los_Angeles

run tend mail ann met-at-event
run tend template add long -s "Ça va, {{contact.first_name}}? Une très longue ligne d'objet qui dépasse largement soixante-dix-huit caractères" \
    -b ".a line that starts with a dot
$(head -c 1500 /dev/zero | tr '\0' 'x')
From the start of a line
Grüße, {{sender.name}}"
run tend mail emile@example.com long
run tend mail eve check-in --auto

snapshot
run tend send --once
expect_rc 2 "no smtp.url yet"
expect_err "tend config smtp.url" "says how to set it"
expect_unchanged "nothing sent"

run tend config smtp.url "smtp://127.0.0.1:$SINK_PORT"
run tend send --once
expect_rc 0 "smtp.tls required: smtp-sink offers no STARTTLS"
expect_out "sent 0, deferred 1, failed 0, cancelled 0; 3 waiting, next at 2026-11-23 09:00" \
    "nothing goes in clear; the run stops at the first such failure"
expect_json_n=$(sink_count "$T/sink")
[ "$expect_json_n" = 0 ] && _ok "nothing reached the server" || _notok "nothing reached the server" "$expect_json_n arrived"
run tend outbox --json
expect_json '[m["state"] for m in j]' '["deferred", "queued", "queued"]' \
    "the first deferred, the others not tried"
expect_json '"TLS" in j[0]["last_reply"] or "STARTTLS" in j[0]["last_reply"] or "SSL" in j[0]["last_reply"]' true \
    "the last reply says why"

run tend config smtp.tls none
TEND_NOW=2026-11-23T09:06 run tend send --once --json
expect_rc 0 "send over a relay on this machine"
expect_json '[j["sent"], j["deferred"], j["failed"], j["waiting"]]' '[3, 0, 0, 0]' "all three sent"
n=$(sink_count "$T/sink")
[ "$n" = 3 ] && _ok "three messages arrived" || _notok "three messages arrived" "got $n"

run tend outbox --json
expect_json '[m["state"] for m in j]' '["sent", "sent", "sent"]' "sent"
expect_json '[m["attempts"] for m in j]' '[2, 1, 1]' "attempts counted"
expect_json 'j[0]["sent_at"]' "2026-11-23T09:06:00+00:00" "when"
mids=$(json '" ".join(m["message_id"] for m in j)')

# every message, read by Python's email package
for f in "$T"/sink/msg.*; do
	sink_message "$f" >"$T/one.eml"
	mid=$(sed -n 's/^Message-ID: <\(.*\)>$/\1/p' "$T/one.eml")
	case " $mids " in
	*" $mid "*) _ok "arrived with its queued Message-ID ($mid)" ;;
	*) _notok "arrived with its queued Message-ID" "got '$mid', queued: $mids" ;;
	esac
	to=$(sed -n 's/^To: .*<\(.*\)>$/\1/p' "$T/one.eml")
	cp "$f" "$T/$to.eml"
done
run "$PY" "$CHECK" --sink "$T/ann@example.com.eml" --to ann@example.com \
    --subject "Good to meet you at BNI" --body-has "Hi Ann,"
expect_rc 0 "Ann's message parses"
expect_has '"list_unsubscribe": null' "by hand: no unsubscribe header"
run "$PY" "$CHECK" --sink "$T/emile@example.com.eml" --to emile@example.com \
    --subject "Ça va, Émile? Une très longue ligne d'objet qui dépasse largement soixante-dix-huit caractères" \
    --body-has ".a line that starts with a dot" --body-has "From the start of a line" \
    --body-has "Grüße, Sam"
expect_rc 0 "encoded words, a long line and a leading dot survive"
expect_has '"from": "sam@example.org", "from_name": "Sam Smith"' "from"
expect_has 'Émile Zoë Ågren' "the name in To, decoded"
run "$PY" "$CHECK" --sink "$T/eve@example.com.eml" --to eve@example.com --expect-unsub
expect_rc 0 "the automated message has List-Unsubscribe and -Post"
grep -q '^Date: Mon, 23 Nov 2026 09:00:00 +0000$' "$T/ann@example.com.eml" &&
    _ok "the Date is the first try's" || _notok "the Date is the first try's" "$(grep ^Date "$T/ann@example.com.eml")"

# the timeline
run tend show ann --json
expect_json '[(i["kind"], i["direction"], i["summary"]) for i in j["interactions"]]' \
    '[["email", "out", "Good to meet you at BNI"]]' "an outgoing e-mail on the timeline"
expect_json 'j["last_touch"]' "2026-11-23T09:06:00+00:00" "a touch"
expect_json 'j["next_keep_in_touch"]' "2027-01-04T00:00:00+00:00" "the keep-in-touch clock starts again"

# caps: one automated message a day to one person
TEND_NOW=2026-11-23T10:00 run tend mail eve nudge --auto --json
expect_json '[j[0]["state"], j[0]["next_attempt"]]' '["deferred", "2026-11-24T09:06:00+00:00"]' \
    "a second automated message the same day waits 24 hours"
expect_json '"cap" in j[0]["reason"]' true "says it is the cap"
TEND_NOW=2026-11-23T10:00 run tend mail eve nudge --json
expect_json 'j[0]["state"]' "queued" "a message by hand is never held"
TEND_NOW=2026-11-23T10:00 run tend send --once
expect_out "sent 1, deferred 0, failed 0, cancelled 0; 1 waiting, next at 2026-11-24 09:06" \
    "the one by hand goes, the automated one waits"
TEND_NOW=2026-11-24T09:06 run tend send --once
expect_out "sent 0, deferred 1, failed 0, cancelled 0; 1 waiting, next at 2026-11-24 10:00" \
    "claimed again: the message by hand at 10:00 counts too"
TEND_NOW=2026-11-24T10:00 run tend send --once
expect_out "sent 1, deferred 0, failed 0, cancelled 0" "then it goes"

# the rules are asked again when a sender claims a message
TEND_NOW=2026-11-25T09:00 run tend mail dan check-in --auto
TEND_NOW=2026-11-25T09:00 run tend mail ann check-in --auto
run tend edit dan --dnc
run tend unsubscribe ann@example.com
TEND_NOW=2026-11-25T09:00 run tend send --once
expect_out "sent 0, deferred 0, failed 0, cancelled 2" "both cancelled when claimed"
run tend outbox --state cancelled --json
expect_json '[(m["to"], m["reason"]) for m in j]' '[["dan@example.com", "this person is marked do-not-contact"], ["ann@example.com", "this address unsubscribed"]]' \
    "with the reasons" 
# quiet hours at the recipient's end when claimed
TEND_NOW=2026-11-25T17:00 run tend mail lou check-in --auto --json
expect_json 'j[0]["state"]' "queued" "09:00 in Los Angeles: queued"
TEND_NOW=2026-11-26T03:30 run tend send --once
expect_out "sent 0, deferred 1, failed 0, cancelled 0; 1 waiting, next at 2026-11-26 16:00" \
    "claimed at 19:30 there: deferred to 08:00"
before=$(sink_count "$T/sink")
TEND_NOW=2026-11-26T16:00 run tend send --once
expect_out "sent 1, deferred 0, failed 0, cancelled 0" "sent at 08:00 there"
after=$(sink_count "$T/sink")
[ $((after - before)) = 1 ] && _ok "one more arrived" || _notok "one more arrived" "$before -> $after"

# an automated acknowledgement is a touch, not an answer: the inquiry
# waits for the person; a message by hand answers it
run tend add "Fay Ng" --email fay@example.com
TEND_NOW=2026-11-26T16:00 run tend follow fay --inquiry "wants a quote"
TEND_NOW=2026-11-26T16:00 run tend mail fay inquiry-ack --auto
TEND_NOW=2026-11-26T16:01 run tend send --once
expect_out "sent 1, deferred 0, failed 0, cancelled 0" "the acknowledgement goes"
run tend show fay --json
expect_json '[f["state"] for f in j["followups"]]' '["open"]' "the inquiry is still open"
expect_json 'j["last_touch"]' "2026-11-26T16:01:00+00:00" "but it was a touch"
TEND_NOW=2026-11-26T17:00 run tend mail fay nudge
TEND_NOW=2026-11-26T17:00 run tend send --once
run tend show fay --json
expect_json '[f["state"] for f in j["followups"]]' '["done"]' "a message by hand answers it"

# without --once, tend send keeps watching: new mail goes at once, and
# SIGTERM lets it finish and exit
TEND_NOW=2026-11-26T18:00 "$TEND" send >"$T/watch.out" 2>&1 &
wpid=$!
sleep 1
before=$(sink_count "$T/sink")
TEND_NOW=2026-11-26T18:00 run tend mail fay check-in
i=0
while [ "$(sink_count "$T/sink")" = "$before" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ $i -lt 50 ] && _ok "a watching sender sends new mail within a moment (polled $((i * 100)) ms)" ||
    _notok "a watching sender sends new mail" "nothing arrived in 5 s"
kill -TERM "$wpid"
wait "$wpid"
rc=$?
expect_rc 0 "SIGTERM: it stops cleanly"
grep -q "^sent 1," "$T/watch.out" && _ok "and says what it sent" ||
    _notok "and says what it sent" "$(cat "$T/watch.out")"

# settings
snapshot
run tend config smtp.url "smtp://192.0.2.1:25"
TEND_NOW=2026-11-26T16:00 run tend mail eve check-in
run tend send --once
expect_rc 65 "smtp.tls none is for this machine only"
expect_err "only for a relay on this machine" "says so"
run tend config smtp.url "smtp://127.0.0.1:$SINK_PORT"
run tend config smtp.password_file "$T/pw"
printf 'secret\n' >"$T/pw"
chmod 644 "$T/pw"
run tend send --once
expect_rc 65 "a password file others may read"
expect_err "chmod 600" "says how to fix it"
run tend config smtp.password_file "$T/nosuch"
run tend send --once
expect_rc 65 "a missing password file"
run tend config --unset smtp.password_file
run tend config smtp.url "http://127.0.0.1"
expect_rc 65 "smtp.url must be smtp:// or smtps://"
run tend config smtp.url "smtp://sam:secret@127.0.0.1:25"
expect_rc 65 "smtp.url with a password in it"
expect_err "must not hold a user or password" "says where the password goes"
grep -q secret "$TEND_CONFIG" && _notok "the password was not written" || _ok "the password was not written"
run tend config smtp.tls maybe
expect_rc 65 "smtp.tls is required or none"
run tend config mail.from "not an address"
expect_rc 65 "mail.from is checked"
run tend config public_url "ftp://x"
expect_rc 65 "public_url is checked"
run tend send --once extra
expect_rc 2 "no arguments"
