#!/bin/sh
# tend every CONTACT INTERVAL: the keep-in-touch cadence.  Next due = last
# touch (else the day you met, else now) + the interval, as a day.
. "$(dirname "$0")/lib.sh"

run tend add "Ann Lee" --met-on 2026-10-01
run tend add "Bob Stone"
run tend add "Carl Diaz"
run tend log carl call --when 2026-11-02T15:00

run tend every ann 6w
expect_rc 0 "every 6w"
expect_out "keep in touch with Ann Lee every 6 weeks; next 2026-11-12" \
    "says the interval and the next date"
run tend every bob 2w --json
expect_rc 0 "every --json"
expect_json 'j' '{"id": 2, "name": "Bob Stone", "cadence": "2w", "next_due": "2026-12-07T00:00:00+00:00"}' \
    "no touch, no meeting: counted from today"
run tend every carl 3m --json
expect_json 'j["next_due"]' "2027-02-02T00:00:00+00:00" \
    "counted from the last touch, as a day"

every_is() {
	# every_is INTERVAL CANONICAL NEXT WHAT (for Ann, met 2026-10-01)
	run tend every ann "$1" --json
	if [ "$rc" -eq 0 ] && [ "$(json '[j["cadence"], j["next_due"]]')" = "[\"$2\", \"$3\"]" ]
	then _ok "$4"
	else _notok "$4" "exit $rc" "stdout: $out" "stderr: $err"
	fi
}
every_is 10d 10d 2026-10-11T00:00:00+00:00 "days"
every_is 1y 1y 2027-10-01T00:00:00+00:00 "a year"
every_is 3m 3m 2027-01-01T00:00:00+00:00 "calendar months"
every_is "every 6 weeks" 6w 2026-11-12T00:00:00+00:00 "'every 6 weeks'"
every_is monthly 1m 2026-11-01T00:00:00+00:00 "'monthly'"
every_is weekly 1w 2026-10-08T00:00:00+00:00 "'weekly'"
every_is 2W 2w 2026-10-15T00:00:00+00:00 "upper case"
every_is 3653d 3653d 2036-10-01T00:00:00+00:00 "ten years is the maximum"
every_is "FREQ=MONTHLY;BYDAY=1MO" "FREQ=MONTHLY;BYDAY=1MO" \
    2026-10-05T00:00:00+00:00 "an RRULE: the first Monday of the month"
every_is "RRULE:FREQ=WEEKLY;INTERVAL=2" "FREQ=WEEKLY;INTERVAL=2" \
    2026-10-15T00:00:00+00:00 "an RRULE with its prefix"

run tend show ann
expect_has "keep in touch on schedule FREQ=WEEKLY;INTERVAL=2, next 2026-10-15" \
    "the card shows an RRULE as it is"
run tend every ann 2w
run tend show ann
expect_has "keep in touch every 2 weeks, next 2026-10-15" \
    "the card describes the cadence"
run tend today --json
expect_json '[[i["contact"]["name"], i["kind"], i["overdue_days"]] for i in j["items"]]' \
    '[["Ann Lee", "keep-in-touch", 39]]' "a due cadence is on the agenda"

run tend every ann never
expect_rc 0 "every never"
expect_out "no keep-in-touch reminders for Ann Lee" "says there are none"
run tend show ann --json
expect_json '[j["cadence"], j["next_keep_in_touch"]]' '[null, null]' \
    "the cadence is gone"
run tend today --json
expect_json 'j["items"]' '[]' "and so is the reminder"
run tend every ann never --json
expect_rc 0 "never twice is fine"
expect_json 'j' '{"id": 1, "name": "Ann Lee", "cadence": null, "next_due": null}' \
    "never --json"

# bad input: nothing written
run tend every ann 6w
snapshot
bad_every() {
	run tend every ann "$1"
	expect_rc 65 "interval '$1' is refused"
	expect_err "invalid interval '$1'" "the message names '$1'"
}
bad_every 0d
bad_every -3w
bad_every 1.5w
bad_every ""
bad_every w
bad_every 3654d
bad_every 11y
bad_every "2 fortnights"
bad_every "FREQ=HOURLY"
bad_every "FREQ=WEEKLY;INTERVAL=0"
bad_every "FREQ=SOMETIMES"
run tend every ann "$(printf '2w\001')"
expect_rc 65 "a control character in the interval"
expect_err "invalid interval '2w\\x01'" "shown escaped in the message"
run tend every ann "$(head -c 600 /dev/zero | tr '\0' 1)d"
expect_rc 65 "an over-long interval"
expect_err "invalid interval '1111111111" "the message shows its start"
expect_err "...': too long" "and says it is too long"
run tend every nobody 2w
expect_rc 65 "an unknown contact"
expect_err "contact 'nobody' not found" "names it"
run tend every 0 2w
expect_rc 2 "contact id 0"
run tend every ann
expect_rc 2 "no interval"
expect_err "usage: tend every CONTACT INTERVAL" "prints the usage"
run tend every ann 2w 3w
expect_rc 2 "two intervals"
expect_unchanged "failed everys wrote nothing"
run tend show ann --json
expect_json 'j["cadence"]' "6w" "the cadence is unchanged"
