#!/bin/sh
# tend seq: sequence files read strictly (exact errors with line numbers,
# exit 65, nothing written), the canonical text, list, show, edit, pause,
# resume and rm.  Enrolling and firing are t1810.
. "$(dirname "$0")/lib.sh"

cat >"$T/lead.seq" <<'SEQ'
# three touches after a first call
[sequence]
name = new-lead
description = Three touches after a first call
window = mon-fri 09:00-17:00     ; in the recipient's zone
exit = reply bounce unsubscribe stage
repeat = 1
every = 6w

[step]
email = met-at-event

[step]
task = Call them about the proposal
after = 2

[step]
wait = 3

[step]
email = nudge
after = 2
SEQ

run tend seq
expect_out "no sequences; add one with 'tend seq add FILE'" "none yet"
run tend seq add "$T/lead.seq"
expect_rc 0 "add a sequence"
expect_out "added sequence 'new-lead' (4 steps)" "says so"
run tend seq show new-lead
expect_out "[sequence]
name = new-lead
description = Three touches after a first call
window = mon-fri 09:00-17:00
exit = reply bounce unsubscribe do-not-contact stage
same_domain = no
repeat = 1
every = 6w

[step]
email = met-at-event
after = 0

[step]
task = Call them about the proposal
after = 2

[step]
wait = 3

[step]
email = nudge
after = 2" "show prints the canonical text"
"$TEND" seq show new-lead >"$T/canon.seq"
run tend seq show NEW-LEAD --json
expect_json '[j["name"], j["window"], j["exit"], j["repeat"], j["every"], j["paused"], j["active"]]' \
    '["new-lead", "mon-fri 09:00-17:00", ["reply", "bounce", "unsubscribe", "do-not-contact", "stage"], 1, "6w", false, 0]' \
    "show --json, names without case"
expect_json '[[s["kind"], s.get("template", s.get("task", s.get("days"))), s.get("after")] for s in j["steps"]]' \
    '[["email", "met-at-event", 0], ["task", "Call them about the proposal", 2], ["wait", 3, null], ["email", "nudge", 2]]' \
    "the steps"
run tend seq list
expect_out "NAME      STEPS  ACTIVE  STATE    DESCRIPTION
new-lead  4      0       running  Three touches after a first call" "list"
run tend seq list --json
expect_json '[(s["name"], s["steps"], s["paused"]) for s in j]' '[["new-lead", 4, false]]' "list --json"

# the canonical text reads back to itself
sed 's/new-lead/again/' "$T/canon.seq" >"$T/again.seq"
run tend seq add "$T/again.seq"
expect_rc 0 "the canonical text is a sequence file"
run tend seq show again
sed 's/new-lead/again/' "$T/canon.seq" >"$T/want"
if [ "$out" = "$(cat "$T/want")" ]; then echo "ok $((_n = _n + 1)) - and it reads back the same"
else echo "not ok $((_n = _n + 1)) - and it reads back the same"; fi

# bad files: exact errors, exit 65, nothing written
bad() {
	printf '%s\n' "$1" >"$T/bad.seq"
	snapshot
	run tend seq add "$T/bad.seq"
	expect_rc 65 "refused: $3"
	expect_err "tend: $2" "says: $2"
	expect_unchanged "nothing written: $3"
}
bad "[sequence]
name = x
[step]
emial = nudge" "sequence file line 4: unknown key 'emial'" "a typo in a key"
bad "[sequence]
name = x
[step]
email = nudg" "sequence file line 3: template 'nudg' not found" "an unknown template"
bad "[sequence]
name = x
[step]
wait = 2
after = 1" "sequence file line 5: a wait step has no 'after' (the wait is its delay)" "after on a wait"
bad "[sequence]
name = x" "sequence file: no [step]: a sequence needs at least one" "no steps"
bad "[sequence]
name = x
window = 9 to 5
[step]
wait = 1" "sequence file line 3: window: invalid block '9 to 5'" "a bad window"
bad "[sequence]
name = x
repeat = 1
[step]
email = nudge" "sequence file line 3: repeat needs 'every' (how long between rounds, like 6w)" "repeat without every"
bad "[sequence]
name = x
[step]
email = nudge
task = call" "sequence file line 5: a step does one thing: email, task or wait (start another [step])" "two actions"
bad "[sequence]
name = x
[step]
task = call
after = 2 days" "sequence file line 5: after: expected 0 to 365 business days, not '2 days'" "a bad delay"
bad "[sequence]
name = new-lead
[step]
task = call" "sequence 'new-lead' already exists" "a taken name"
bad "[sequence]
name = NEW-LEAD
[step]
task = call" "sequence 'NEW-LEAD' already exists" "names without case"
snapshot
run tend seq add "$T/nosuch.seq"
expect_rc 65 "a file that is not there"
expect_err "cannot open '$T/nosuch.seq'" "says so"
run tend seq add
expect_rc 2 "add without a file"
run tend seq frob
expect_rc 2 "an unknown subcommand"
expect_err "seq: unknown subcommand 'frob'" "says so"
run tend seq show nosuch
expect_rc 65 "show an unknown sequence"
expect_err "tend: sequence 'nosuch' not found" "says so"
run tend seq list --force
expect_rc 2 "--force is for rm"
expect_unchanged "no failure wrote anything"

# stdin
printf '[sequence]\nname = short\n[step]\ntask = Call\n' | "$TEND" seq add - >/dev/null
run tend seq show short --json
expect_json '[j["name"], len(j["steps"])]' '["short", 1]' "add from stdin"

# edit with a file, and with EDITOR
sed 's/after = 2$/after = 4/' "$T/canon.seq" >"$T/edit.seq"
run tend seq edit new-lead "$T/edit.seq"
expect_rc 0 "edit from a file"
expect_out "saved sequence 'new-lead' (4 steps)" "says so"
run tend seq show new-lead --json
expect_json '[s.get("after") for s in j["steps"]]' '[0, 4, null, 4]' "the delays changed"
cat >"$T/ed.sh" <<'ED'
#!/bin/sh
sed -i 's/^description = .*/description = Edited in an editor/' "$1"
ED
chmod +x "$T/ed.sh"
EDITOR="$T/ed.sh" run tend seq edit new-lead
expect_rc 0 "edit in EDITOR"
run tend seq show new-lead --json
expect_json 'j["description"]' "Edited in an editor" "the editor's change is kept"
cat >"$T/ed-bad.sh" <<'ED'
#!/bin/sh
sed -i 's/^wait = 3/wiat = 3/' "$1"
ED
chmod +x "$T/ed-bad.sh"
snapshot
EDITOR="$T/ed-bad.sh" run tend seq edit new-lead
expect_rc 65 "a broken edit is refused"
expect_err "tend: sequence 'new-lead' unchanged: sequence file line 19: unknown key 'wiat'" "with the line"
EDITOR=false run tend seq edit new-lead
expect_rc 1 "the editor failed"
expect_err "the editor failed; sequence 'new-lead' unchanged" "says so"
env -u EDITOR -u VISUAL "$TEND" seq edit new-lead >/dev/null 2>&1
rc=$?
expect_rc 2 "no EDITOR"
run tend seq edit nosuch "$T/edit.seq"
expect_rc 65 "edit an unknown sequence"
sed 's/^name = new-lead/name = again/' "$T/edit.seq" >"$T/taken.seq"
run tend seq edit new-lead "$T/taken.seq"
expect_rc 65 "a rename to a taken name"
expect_err "sequence 'again' already exists" "says so"
expect_unchanged "failed edits change nothing"
sed 's/^name = new-lead/name = renamed/' "$T/edit.seq" >"$T/renamed.seq"
run tend seq edit new-lead "$T/renamed.seq"
expect_out "saved sequence 'renamed' (4 steps)" "a rename"
run tend seq edit renamed "$T/edit.seq"
expect_out "saved sequence 'new-lead' (4 steps)" "and back"

# pause, resume
run tend seq pause new-lead
expect_out "paused sequence 'new-lead': no step fires until 'tend seq resume new-lead'" "pause"
run tend seq pause new-lead
expect_out "sequence 'new-lead' was already paused" "twice is fine"
run tend seq list
expect_has "new-lead  4      0       paused" "list shows it"
run tend seq resume new-lead --json
expect_json '[j["name"], j["paused"], j["changed"]]' '["new-lead", false, true]' "resume --json"
run tend seq pause nosuch
expect_rc 65 "pause an unknown sequence"

# rm
run tend seq rm again
expect_out "removed sequence 'again'" "rm"
run tend seq rm again
expect_rc 65 "rm twice"
expect_err "sequence 'again' not found" "says so"
run tend seq rm short --json
expect_json 'j' '{"removed": "short", "ended": 0}' "rm --json"
run tend seq list --json
expect_json '[s["name"] for s in j]' '["new-lead"]' "one left"

# run with nothing to do
run tend seq run
expect_out "queued 0 e-mails, gave you 0 tasks, passed 0 waits" "run: nothing due"
run tend seq run --json
expect_json 'j' '{"emails": 0, "tasks": 0, "waits": 0, "moved": 0, "released": 0, "completed": 0, "ended": 0, "errors": 0, "error": null}' \
    "run --json"
run tend seq run extra
expect_rc 2 "run takes no argument"
