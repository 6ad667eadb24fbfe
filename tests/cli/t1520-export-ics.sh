#!/bin/sh
# tend export --format ics: the calendar feed, read back by an independent
# parser (python3-icalendar) and expanded by dateutil; a bad agenda.block
# writes nothing.
. "$(dirname "$0")/lib.sh"

if ! "$PY" -c 'import icalendar, dateutil' 2>/dev/null; then
	skip_all "needs python3-icalendar (and dateutil) to read the feed"
fi

# What python3-icalendar reads: one line per entry, in file order, and the
# first occurrences of each recurring one by dateutil.rrule.
cat >"$T/read.py" <<'EOF'
import sys
from datetime import datetime
from itertools import islice
from dateutil.rrule import rrulestr
import icalendar

data = open(sys.argv[1], 'rb').read()
cal = icalendar.Calendar.from_ical(data)
lines = data.split(b'\r\n')
assert lines[-1] == b'' and all(b'\n' not in l for l in lines), 'CRLF'
assert all(len(l) <= 75 for l in lines), 'folded at 75 bytes'

def when(v):
    if isinstance(v, datetime):
        zone = getattr(v.tzinfo, 'zone', str(v.tzinfo))
        return v.strftime('%Y-%m-%dT%H:%M') + ' ' + zone
    return v.isoformat()

print('calendar', cal['PRODID'], cal['VERSION'],
      'zones=' + ','.join(str(z['TZID']) for z in cal.walk('VTIMEZONE')))
for c in cal.walk():
    if c.name not in ('VTODO', 'VEVENT'):
        continue
    out = [c.name, str(c['UID']), str(c['SUMMARY'])]
    for p in ('DUE', 'DTSTART', 'DTEND'):
        if p in c:
            out.append(p + '=' + when(c.decoded(p)))
    if 'RRULE' in c:
        rule = c['RRULE'].to_ical().decode()
        start = c.decoded('DTSTART')
        if not isinstance(start, datetime):
            start = datetime(start.year, start.month, start.day)
        occ = islice(rrulestr(rule, dtstart=start), int(sys.argv[2]))
        out.append('RRULE=' + rule)
        out.append('next=' + ','.join(t.strftime('%m-%d') for t in occ))
    print(' | '.join(out))
EOF

# read FILE [N]: what python sees in the feed, N occurrences per rule.
read_feed() {
	run "$PY" "$T/read.py" "$1" "${2:-3}"
}

run tend config tz Europe/Paris
run tend config agenda.block "mon-fri 08:30-09:00"
expect_rc 0 "agenda.block is a setting"
run tend config agenda.block
expect_out "mon-fri 08:30-09:00" "read back"

# 2026-11-23 is a Monday.
run tend add "Ann Lee" --kind client -t bni --every 6w
run tend add "Bob Stone, Jr" --kind prospect --every "FREQ=MONTHLY;BYDAY=1MO"
run tend add "Dee Quiet" --dnc --every 2w
run tend add "Gus Gone" --every 2w
run tend follow Gus "gone with the archive"
run tend rm Gus
run tend follow Ann "send the proposal; v2" --due fri --via email
run tend follow Bob "asked about prices" --inquiry --due "2026-11-23 14:30"
run tend deal add Ann Website --next "call back" --due "2026-11-25 10:00" \
    --value 4500
expect_rc 0 "a deal with a next step"

run tend export --format ics -o "$T/tend.ics"
expect_rc 0 "export --format ics -o FILE"
expect_out "" "nothing on stdout with -o"
read_feed "$T/tend.ics"
expect_rc 0 "python3-icalendar reads the feed"
expect_out "calendar -//tend//tend 0.1//EN 2.0 zones=Europe/Paris
VEVENT | block@tend | Follow-ups | DTSTART=2026-11-23T08:30 Europe/Paris | DTEND=2026-11-23T09:00 Europe/Paris | RRULE=FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR | next=11-23,11-24,11-25
VTODO | followup-2@tend | Follow up with Ann Lee: send the proposal; v2 | DUE=2026-11-27
VTODO | followup-3@tend | Answer the inquiry from Bob Stone, Jr: asked about prices | DUE=2026-11-23T14:30 Europe/Paris
VTODO | deal-1@tend | Next step on Website (Ann Lee): call back | DUE=2026-11-25T10:00 Europe/Paris
VEVENT | keep-1@tend | Keep in touch with Ann Lee | DTSTART=2027-01-04 | RRULE=FREQ=WEEKLY;INTERVAL=6 | next=01-04,02-15,03-29
VEVENT | keep-2@tend | Keep in touch with Bob Stone, Jr | DTSTART=2026-12-07 | RRULE=FREQ=MONTHLY;BYDAY=1MO | next=12-07,01-04,02-01" \
    "the block, follow-ups, the deal step and the cadences; not the archived or do-not-contact contacts"

# The block skips the weekend.
read_feed "$T/tend.ics" 6
expect_has "next=11-23,11-24,11-25,11-26,11-27,11-30" "the block is on weekdays"

# The feed agrees with tend: the next keep-in-touch dates tend shows.
run tend show Ann --json
expect_json 'j["next_keep_in_touch"][:10]' "2027-01-04" "Ann's cadence date as tend show"
run tend show Bob --json
expect_json 'j["next_keep_in_touch"][:10]' "2026-12-07" "Bob's cadence date as tend show"

# Stable: the same data and clock give the same bytes; stdout too.
run tend export --format ics
expect_rc 0 "export to stdout"
"$TEND" export --format ics >"$T/stdout.ics" 2>&1
if cmp -s "$T/tend.ics" "$T/stdout.ics"; then
	_ok "stdout holds the same feed"
else
	_notok "stdout holds the same feed" "$(diff "$T/tend.ics" "$T/stdout.ics" | head)"
fi
run tend export --format ics -o "$T/again.ics"
if cmp -s "$T/tend.ics" "$T/again.ics"; then
	_ok "a second export is byte-identical"
else
	_notok "a second export is byte-identical"
fi

# Filters.
run tend export --format ics --tag bni -o "$T/bni.ics"
read_feed "$T/bni.ics"
expect_has "followup-2@tend" "--tag keeps Ann's follow-up"
expect_lacks "Bob Stone" "--tag leaves Bob out"
expect_has "block@tend" "the block is not a contact's"
run tend export --format ics --kind prospect -o "$T/prospect.ics"
read_feed "$T/prospect.ics"
expect_has "keep-2@tend" "--kind keeps Bob"
expect_lacks "Ann Lee" "--kind leaves Ann out"

# --events: to-dos become events, for calendars that show no to-dos.
run tend export --format ics --events -o "$T/events.ics"
expect_rc 0 "--events"
read_feed "$T/events.ics"
expect_lacks "VTODO" "no to-dos"
expect_has "VEVENT | followup-2@tend | Follow up with Ann Lee: send the proposal; v2 | DTSTART=2026-11-27" \
    "a follow-up due on a day is an all-day event"
expect_has "VEVENT | deal-1@tend | Next step on Website (Ann Lee): call back | DTSTART=2026-11-25T10:00 Europe/Paris | DTEND=2026-11-25T10:15 Europe/Paris" \
    "a step at a time is a short event"

# Without a tz setting the zone is TZ's: UTC, no VTIMEZONE, times in UTC.
run tend config --unset tz
run tend config --unset agenda.block
run tend export --format ics -o "$T/utc.ics"
read_feed "$T/utc.ics"
expect_has "calendar -//tend//tend 0.1//EN 2.0 zones=" "no VTIMEZONE for UTC"
expect_has "DUE=2026-11-23T13:30 UTC" "a time in UTC"
expect_lacks "block@tend" "no block without agenda.block"

# A bad agenda.block edited into the config file: exit 65, no file.
printf 'agenda.block = mon-fri 25:00-26:00\n' >>"$TEND_CONFIG"
snapshot
run tend export --format ics -o "$T/bad.ics"
expect_rc 65 "a bad agenda.block is bad input"
expect_err "tend: setting 'agenda.block': invalid block 'mon-fri 25:00-26:00': '25:00' is not a time of day" \
    "the message names the setting, the value and why"
if [ -e "$T/bad.ics" ]; then _notok "no file is written" "$(ls -l "$T"/bad.ics*)"
else _ok "no file is written"; fi
if ls "$T"/bad.ics?* >/dev/null 2>&1; then _notok "no temporary file is left" "$(ls "$T")"
else _ok "no temporary file is left"; fi
run tend export --format ics
expect_rc 65 "to stdout too"
expect_out "" "nothing on stdout"
expect_unchanged "failed exports wrote nothing"

# tend config refuses a bad block in the first place.
run tend config agenda.block "someday 9:00-9:30"
expect_rc 65 "config checks agenda.block"
expect_err "invalid block 'someday 9:00-9:30': unknown day 'someday'" "and says why"
run tend config agenda.block "mon-fri 09:00-08:30"
expect_rc 65 "an end before the start"
expect_err "the end 08:30 is not after the start 09:00" "says so"
expect_unchanged "a refused setting wrote nothing"

# An -o path that cannot be written: exit 1, nothing left.
sed -i '/^agenda.block/d' "$TEND_CONFIG"
run tend export --format ics -o "$T/no/such/dir/x.ics"
expect_rc 1 "an unwritable -o is a runtime failure"
if [ -e "$T/no" ]; then _notok "nothing created"; else _ok "nothing created"; fi
