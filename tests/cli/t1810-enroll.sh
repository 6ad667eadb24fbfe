#!/bin/sh
# tend enroll, unenroll, enrollments and firing with tend seq run as the
# clock moves: the right outbox rows at the right times, a task that
# holds the sequence until it is done, repeat/every, the stage and
# do-not-contact exits, refusals, pause/resume without a burst, and two
# runs at once that never fire a step twice.  No SMTP: the outbox is
# checked.
. "$(dirname "$0")/lib.sh"

seqfile() {
	printf '%s\n' "$2" >"$T/$1.seq"
	"$TEND" seq add "$T/$1.seq" >/dev/null || echo "# cannot add $1"
}
# at TIME tend-args...: one command with the clock at TIME
at() {
	_at=$1
	shift
	run env TEND_NOW="$_at" "$TEND" "$@"
}

seqfile three "[sequence]
name = three
[step]
email = met-at-event
[step]
task = Call them about the proposal
after = 2
[step]
email = nudge
after = 1"
seqfile calls "[sequence]
name = calls
[step]
task = Call
[step]
task = Call again
after = 3"

run tend add "Ann Lee" --email ann@example.com --met BNI
run tend add "Cleo Park"
run tend add "Dan Wu" --email dan@example.com --dnc
run tend add "Eve Hart" --email eve@example.com

# refusals: nothing written
snapshot
run tend enroll ann three
expect_rc 2 "no sender address yet"
expect_err "sequence 'three' sends e-mail: set the sender with 'tend config mail.from" "says how"
run tend config mail.from "Sam Smith <sam@example.org>"
run tend config sender.name Sam
snapshot
run tend enroll ann three
expect_rc 2 "no public_url"
expect_err "needs an unsubscribe link" "says why"
run tend config public_url https://tend.example.org
snapshot
run tend enroll dan three
expect_rc 65 "do-not-contact"
expect_err "tend: not enrolling Dan Wu: do-not-contact" "says why"
run tend enroll cleo three
expect_rc 65 "no address for an e-mail sequence"
expect_err "tend: not enrolling Cleo Park: no e-mail address" "says why"
run tend unsubscribe eve@example.com
snapshot
run tend enroll eve three
expect_rc 65 "unsubscribed"
expect_err "tend: not enrolling Eve Hart: eve@example.com is unsubscribed" "says why"
run tend enroll ann nosuch
expect_rc 65 "an unknown sequence"
expect_err "tend: sequence 'nosuch' not found" "says so"
run tend enroll nobody three
expect_rc 65 "an unknown contact"
run tend enroll ann three --at "not a date"
expect_rc 65 "a bad date"
run tend enroll ann three --deal 7
expect_rc 65 "an unknown deal"
run tend enroll ann
expect_rc 2 "a sequence is needed"
run tend unenroll ann
expect_rc 65 "unenroll someone in no sequence"
expect_err "tend: Ann Lee is not in any sequence" "says so"
expect_unchanged "no refusal wrote anything"
run tend enroll cleo calls
expect_rc 0 "no address is fine for a sequence of tasks"
run tend unenroll cleo calls

# a three-step sequence, Monday 2026-11-23 09:00
run tend enroll ann three
expect_rc 0 "enroll"
expect_out "enrolled Ann Lee in 'three' (3 steps); next: email 'met-at-event' at 2026-11-23 09:00" "says what comes next"
snapshot
run tend enroll ann three --also
expect_rc 65 "not twice in one sequence"
expect_err "tend: Ann Lee is already in sequence 'three'" "says so"
run tend enroll ann calls
expect_rc 65 "one sequence at a time"
expect_err "tend: Ann Lee is already in sequence 'three' (--also adds another)" "says how"
expect_unchanged "refused"
run tend enrollments
expect_out "ID  CONTACT  SEQUENCE  STEP  SENT  NEXT
2   Ann Lee  three     1/3   0     email 'met-at-event' at 2026-11-23 09:00" "enrollments"
run tend seq run
expect_out "queued 1 e-mail, gave you 0 tasks, passed 0 waits" "the first step fires"
run tend seq run
expect_out "queued 0 e-mails, gave you 0 tasks, passed 0 waits" "and only once"
run tend outbox --json
expect_json '[(m["id"], m["template"], m["automated"], m["state"], m["next_attempt"]) for m in j]' \
    '[[1, "met-at-event", true, "queued", "2026-11-23T09:00:00+00:00"]]' "an automated message in the outbox"
run tend enrollments --json
expect_json '[j[0]["step"], j[0]["steps"], j[0]["next"], j[0]["next_at"], j[0]["sent"]]' \
    '[2, 3, {"kind": "task", "what": "Call them about the proposal"}, "2026-11-25T09:00:00+00:00", 1]' \
    "the task is two business days later"
at 2026-11-24T09:00 seq run
expect_out "queued 0 e-mails, gave you 0 tasks, passed 0 waits" "not yet on Tuesday"
at 2026-11-25T10:00 seq run
expect_out "queued 0 e-mails, gave you 1 task, passed 0 waits" "the task on Wednesday"
at 2026-11-25T10:00 today --json
expect_has "Call them about the proposal" "on the agenda"
run tend enrollments
expect_has "2/3   1     waiting for task 1" "the task holds the sequence"
at 2026-11-27T10:00 seq run
expect_out "queued 0 e-mails, gave you 0 tasks, passed 0 waits" "still held on Friday"
at 2026-11-27T10:00 done 1
at 2026-11-27T10:05 seq run
expect_out "queued 0 e-mails, gave you 0 tasks, passed 0 waits; 1 task done" "done releases it"
run tend enrollments --json
expect_json '[j[0]["next"]["what"], j[0]["next_at"], j[0]["held_by"]]' \
    '["nudge", "2026-11-30T10:00:00+00:00", null]' "the next step counts from when the task was done"
at 2026-11-30T09:59 seq run
expect_out "queued 0 e-mails, gave you 0 tasks, passed 0 waits" "not a minute early"
at 2026-11-30T10:00 seq run
expect_out "queued 1 e-mail, gave you 0 tasks, passed 0 waits; 1 completed" "the last step, and done"
run tend outbox --json
expect_json '[(m["template"], m["next_attempt"]) for m in j]' \
    '[["met-at-event", "2026-11-23T09:00:00+00:00"], ["nudge", "2026-11-30T10:00:00+00:00"]]' \
    "two messages at the right times"
run tend enrollments
expect_out "no one is in a sequence; enroll someone with 'tend enroll CONTACT SEQUENCE'" "none active"
run tend enrollments --all --contact ann --json
expect_json '[(e["sequence"], e["state"], e["reason"]) for e in j]' '[["three", "ended", "completed"]]' "ended: completed"
run tend show ann --json
expect_has "sequence 'three' ended: completed" "on the timeline"

# repeat every 6 weeks, bound by the window
seqfile keep "[sequence]
name = keep
window = tue-thu 10:00-12:00
repeat = 1
every = 6w
[step]
email = check-in"
run tend add "Gil Roy" --email gil@example.com
run tend enroll gil keep
expect_out "enrolled Gil Roy in 'keep' (1 step); next: email 'check-in' at 2026-11-24 10:00" \
    "moved into the window: Tuesday 10:00"
at 2026-11-24T10:00 seq run
expect_out "queued 1 e-mail, gave you 0 tasks, passed 0 waits" "the first"
run tend enrollments --contact gil --json
expect_json '[j[0]["next_at"], j[0]["cycles"], j[0]["step"]]' '["2027-01-05T10:00:00+00:00", 1, 1]' \
    "again six weeks later"
at 2027-01-05T11:00 seq run
expect_out "queued 1 e-mail, gave you 0 tasks, passed 0 waits" "the second round"
run tend outbox --contact gil --json
expect_json '[m["next_attempt"] for m in j]' '["2026-11-24T10:00:00+00:00", "2027-01-05T11:00:00+00:00"]' \
    "two check-ins, six weeks apart"

# the stage exit
run tend add "Fay Ng" --email fay@example.com
run tend deal add fay Website --stage consult
run tend enroll fay three --also --json
expect_json 'j["deal"]' 1 "the only open deal"
at 2026-11-23T09:00 seq run
run tend deal move 1 proposal
at 2026-11-25T09:00 seq run
expect_out "queued 0 e-mails, gave you 0 tasks, passed 0 waits; 1 ended (see 'tend enrollments --all')" "the deal moved"
run tend enrollments --all --contact fay --json
expect_json '[j[0]["state"], j[0]["reason"]]' '["ended", "deal '"'"'Website'"'"' moved to proposal"]' "why"

# do-not-contact stops it, and its queued mail
seqfile later "[sequence]
name = later
[step]
email = check-in
[step]
email = nudge
after = 1"
run tend add "Hal Bo" --email hal@example.com
run tend enroll hal later
at 2026-11-23T09:00 seq run
run tend edit hal --dnc
at 2026-11-24T09:00 seq run
expect_has "1 ended" "do-not-contact ends it"
run tend enrollments --all --contact hal --json
expect_json 'j[0]["reason"]' "do-not-contact" "why"
run tend outbox --contact hal --json
expect_json '[(m["state"], m["reason"]) for m in j]' '[["cancelled", "sequence '"'"'later'"'"' ended: do-not-contact"]]' \
    "its queued message is cancelled"

# unenroll cancels what it queued
run tend add "Ida Ko" --email ida@example.com
run tend enroll ida later
at 2026-11-23T09:00 seq run
run tend unenroll ida later
expect_out "Ida Ko left sequence 'later'
cancelled 1 queued message" "unenroll"
run tend enrollments --all --contact ida --json
expect_json '[j[0]["state"], j[0]["reason"]]' '["ended", "unenrolled"]' "ended: unenrolled"
run tend outbox --contact ida --json
expect_json '[m["state"] for m in j]' '["cancelled"]' "cancelled"
run tend unenroll ida later
expect_rc 65 "unenroll twice"
expect_err "tend: Ida Ko is not in sequence 'later'" "says so"

# a template that cannot be rendered ends the enrollment with the reason
run tend template add co -s "About {{contact.company}}" -b "Hi"
seqfile co "[sequence]
name = co
[step]
email = co"
run tend add "Jo Li" --email jo@example.com
run tend enroll jo co
at 2026-11-23T09:00 seq run
expect_has "1 ended" "a render error ends it"
run tend enrollments --all --contact jo --json
expect_json 'j[0]["reason"]' "template 'co' for Jo Li: template uses 'contact.company', which is empty" "with the error"

# pause and resume: no burst of old steps
run tend add "Kim Su" --email kim@example.com
seqfile slow "[sequence]
name = slow
[step]
email = check-in
[step]
email = nudge
after = 1"
run tend enroll kim slow
run tend seq pause slow
at 2026-11-27T09:00 seq run
expect_out "queued 0 e-mails, gave you 0 tasks, passed 0 waits" "paused: nothing fires"
run tend seq resume slow
at 2026-11-27T09:00 seq run
expect_out "queued 1 e-mail, gave you 0 tasks, passed 0 waits" "resumed: one step"
run tend enrollments --contact kim --json
expect_json 'j[0]["next_at"]' "2026-11-30T09:00:00+00:00" "the next with its delay from now"

# holidays (the database setting seq.holidays)
sqlite3 "$TEND_DB" "INSERT INTO settings (key, value) VALUES ('seq.holidays', '2026-11-30, 2026-12-01')"
run tend add "Lou Ma" --email lou@example.com
at 2026-11-27T09:00 enroll lou slow
at 2026-11-27T09:00 seq run
run tend enrollments --contact lou --json
expect_json 'j[0]["next_at"]' "2026-12-02T09:00:00+00:00" "holidays skipped"
sqlite3 "$TEND_DB" "UPDATE settings SET value = 'xmas' WHERE key = 'seq.holidays'"
run tend seq run
expect_rc 65 "a bad seq.holidays stops the run"
expect_err "seq.holidays: 'xmas' is not a date (YYYY-MM-DD)" "says why"
sqlite3 "$TEND_DB" "DELETE FROM settings WHERE key = 'seq.holidays'"

# editing moves the steps not run yet
"$TEND" seq show slow | sed 's/^after = 1$/after = 3/' >"$T/slow3.seq"
run tend seq edit slow "$T/slow3.seq"
expect_out "saved sequence 'slow' (2 steps); 2 active enrollments go on from their next step" \
    "edit a running sequence"
run tend enrollments --sequence slow --json
expect_json '[(e["contact"]["name"], e["step"], e["next_at"]) for e in j]' \
    '[["Kim Su", 2, "2026-12-02T09:00:00+00:00"], ["Lou Ma", 2, "2026-12-02T09:00:00+00:00"]]' \
    "the new delay counts from the step that ran"

# rm refuses while enrollments are active
snapshot
run tend seq rm slow
expect_rc 65 "rm with active enrollments"
expect_err "tend: sequence 'slow' has 2 active enrollments (end them with 'tend unenroll', or use --force)" "says how"
expect_unchanged "refused"
run tend seq rm slow --force
expect_out "removed sequence 'slow'; ended 2 enrollments" "--force"
run tend show kim --json
expect_has "sequence 'slow' ended: sequence removed" "on the timeline"

# two runs at once never fire a step twice
seqfile once "[sequence]
name = once
[step]
email = check-in"
i=0
while [ $i -lt 20 ]; do
	"$TEND" add "Many $i" --email "many$i@example.com" >/dev/null
	"$TEND" enroll "many$i@example.com" once >/dev/null
	i=$((i + 1))
done
TEND_BUSY_MS=5000 TEND_NOW=2026-12-02T10:00 "$TEND" seq run >"$T/r1" 2>&1 &
p1=$!
TEND_BUSY_MS=5000 TEND_NOW=2026-12-02T10:00 "$TEND" seq run >"$T/r2" 2>&1 &
p2=$!
wait $p1
rc1=$?
wait $p2
rc2=$?
rc=$((rc1 + rc2))
expect_rc 0 "both runs end well"
n=$(sqlite3 "$TEND_DB" "SELECT count(*) FROM outbox WHERE template = 'check-in' AND rcpt LIKE 'many%'")
d=$(sqlite3 "$TEND_DB" "SELECT count(DISTINCT rcpt) FROM outbox WHERE rcpt LIKE 'many%'")
if [ "$n" = 20 ] && [ "$d" = 20 ]; then _ok "20 messages, one each"
else _notok "20 messages, one each" "$n messages to $d people" "$(cat "$T/r1" "$T/r2")"; fi
