#!/bin/sh
# tend config: read and write settings git-style; personal settings in
# the config file, deal stages in the database.  Bad keys are usage
# errors, bad values bad data, and a broken settings file is reported.
. "$(dirname "$0")/lib.sh"

expect_file() {
	got=$(cat "$1" 2>&1)
	if [ "$got" = "$2" ]; then _ok "$3"
	else _notok "$3" "expected:" "$2" "got:" "$got"
	fi
}

run tend config
expect_rc 0 "config lists the settings"
expect_out "agenda.block =   # default; in the config file
agenda.capacity = 15  # default; in the config file
agenda.stuck_days = 14  # default; in the config file
booking_url =   # default; in the config file
deal.stages = inquiry,consult,proposal,contract,won,lost  # default; in the database
imap.ca_file =   # default; in the config file
imap.interval = 60  # default; in the config file
imap.password_file =   # default; in the config file
imap.timeout = 60  # default; in the config file
imap.tls = required  # default; in the config file
imap.url =   # default; in the config file
imap.user =   # default; in the config file
inbound.address =   # default; in the config file
inbound.bounces = 3  # default; in the config file
inbound.own =   # default; in the config file
inbound.unknown = other  # default; in the config file
inquiry.escalate = 15  # default; in the config file
inquiry.notify =   # default; in the config file
inquiry.questions = What are you looking for?|Why now?|Who decides?|By when do you need it?  # default; in the config file
mail.connections = 1  # default; in the config file
mail.from =   # default; in the config file
mail.lease = 300  # default; in the config file
mail.sender_daily_cap = 0  # default; in the config file
mail.signature =   # default; in the config file
public_url =   # default; in the config file
respect.daily_cap = 1  # default; in the config file
respect.hours = mon-fri 08:00-19:00  # default; in the config file
respect.window_cap = 3  # default; in the config file
respect.window_days = 30  # default; in the config file
seq.holidays =   # default; in the database
sender.name =   # default; in the config file
sender.signature =   # default; in the config file
smtp.password_file =   # default; in the config file
smtp.timeout = 60  # default; in the config file
smtp.tls = required  # default; in the config file
smtp.url =   # default; in the config file
smtp.user =   # default; in the config file
tz =   # default; in the config file
work.hours = mon-fri 09:00-17:00  # default; in the config file
worker.interval = 5  # default; in the config file

config file: $TEND_CONFIG" "every setting, its default and where it lives"
run tend config --json
expect_json 'j' '{"agenda.block": null, "agenda.capacity": "15", "agenda.stuck_days": "14", "booking_url": null, "deal.stages": "inquiry,consult,proposal,contract,won,lost", "imap.ca_file": null, "imap.interval": "60", "imap.password_file": null, "imap.timeout": "60", "imap.tls": "required", "imap.url": null, "imap.user": null, "inbound.address": null, "inbound.bounces": "3", "inbound.own": null, "inbound.unknown": "other", "inquiry.escalate": "15", "inquiry.notify": null, "inquiry.questions": "What are you looking for?|Why now?|Who decides?|By when do you need it?", "mail.connections": "1", "mail.from": null, "mail.lease": "300", "mail.sender_daily_cap": "0", "mail.signature": null, "public_url": null, "respect.daily_cap": "1", "respect.hours": "mon-fri 08:00-19:00", "respect.window_cap": "3", "respect.window_days": "30", "seq.holidays": null, "sender.name": null, "sender.signature": null, "smtp.password_file": null, "smtp.timeout": "60", "smtp.tls": "required", "smtp.url": null, "smtp.user": null, "tz": null, "work.hours": "mon-fri 09:00-17:00", "worker.interval": "5"}' \
    "--json lists them"
if [ -e "$TEND_CONFIG" ]; then _notok "reading does not create the file"
else _ok "reading does not create the file"
fi

run tend config agenda.capacity 12
expect_rc 0 "set a number"
expect_out "" "setting prints nothing"
run tend config agenda.capacity
expect_out "12" "get it back"
run tend config agenda.capacity --json
expect_json 'j' '{"agenda.capacity": "12"}' "get --json"
run tend config tz Europe/Paris
expect_rc 0 "set the zone"
run tend config sender.name "Zoë Martin = Studio Z # design"
expect_rc 0 "a text value with '=' and '#'"
run tend config sender.name
expect_out "Zoë Martin = Studio Z # design" "read back as written"
expect_file "$TEND_CONFIG" "# tend settings: 'tend config' reads and writes this.
agenda.capacity = 12
tz = Europe/Paris
sender.name = Zoë Martin = Studio Z # design" "the file written"
run tend config agenda.capacity 1000
run tend config agenda.capacity
expect_out "1000" "a new value replaces the old one"
run tend config agenda.capacity 1
expect_file "$TEND_CONFIG" "# tend settings: 'tend config' reads and writes this.
agenda.capacity = 1
tz = Europe/Paris
sender.name = Zoë Martin = Studio Z # design" "in place, in the same order"
run tend config
expect_has "agenda.capacity = 1  # in the config file" "the list shows a set value"
expect_has "tz = Europe/Paris  # in the config file" "and the zone"
run tend today --json
expect_json 'j["capacity"]' 1 "today reads the capacity"

run tend config --unset tz
expect_rc 0 "--unset KEY"
run tend config tz --unset
expect_rc 0 "KEY --unset, already unset"
run tend config tz
expect_out "" "an unset key without a default prints nothing"
run tend config agenda.capacity --unset
run tend config agenda.capacity
expect_out "15" "an unset key is back to its default"
expect_file "$TEND_CONFIG" "# tend settings: 'tend config' reads and writes this.
sender.name = Zoë Martin = Studio Z # design" "unset keys leave the file"

# deal stages live in the database
run tend config deal.stages "lead,call,offer,signed,lost"
expect_rc 0 "set the deal stages"
got=$(sqlite3 "$TEND_DB" "SELECT value FROM settings WHERE key = 'deal.stages'")
if [ "$got" = "lead,call,offer,signed,lost" ]; then _ok "stored in the database"
else _notok "stored in the database" "got: $got"
fi
run tend config deal.stages --unset
run tend config deal.stages
expect_out "inquiry,consult,proposal,contract,won,lost" "back to the default"

# the settings file's folder is created
TEND_CONFIG="$T/deep/er/config"
export TEND_CONFIG
run tend config tz UTC
expect_rc 0 "the config folder is created"
expect_file "$T/deep/er/config" "# tend settings: 'tend config' reads and writes this.
tz = UTC" "there"
(
	unset TEND_CONFIG
	XDG_CONFIG_HOME="$T/xdg"
	export XDG_CONFIG_HOME
	"$TEND" config agenda.capacity 7
)
expect_file "$T/xdg/tend/config" "# tend settings: 'tend config' reads and writes this.
agenda.capacity = 7" "XDG_CONFIG_HOME is honoured"
TEND_CONFIG="$T/config"
export TEND_CONFIG

# bad keys and values: nothing written, in the file or the database
cp "$TEND_CONFIG" "$T/config.before"
snapshot
run tend config nope
expect_rc 2 "an unknown key"
expect_err "config: unknown setting 'nope'; 'tend config' lists them" \
    "names it and says where to look"
run tend config nope 3
expect_rc 2 "setting an unknown key"
run tend config Agenda.Capacity 3
expect_rc 2 "keys are case-sensitive"
run tend config agenda.capacity 0
expect_rc 65 "capacity 0"
expect_err "agenda.capacity: '0' is not a number from 1 to 1000" \
    "names the value and the range"
run tend config agenda.capacity 1001
expect_rc 65 "capacity 1001"
run tend config agenda.capacity abc
expect_rc 65 "capacity abc"
run tend config agenda.capacity 1.5
expect_rc 65 "capacity 1.5"
run tend config agenda.capacity ""
expect_rc 65 "an empty capacity"
run tend config agenda.capacity -- -5
expect_rc 65 "a negative capacity"
run tend config agenda.stuck_days 3651
expect_rc 65 "stuck days over ten years"
run tend config tz Mars/Olympus
expect_rc 65 "an unknown zone"
expect_err "unknown time zone 'Mars/Olympus'" "names the zone"
run tend config tz ../../etc/passwd
expect_rc 65 "a path is not a zone"
run tend config tz right/UTC
expect_rc 65 "a zone with leap seconds"
run tend config sender.name "$(printf 'two\nlines')"
expect_rc 65 "a newline would break the file"
expect_err "sender.name contains a control character (0x0a)" "names it"
run tend config sender.name "$(printf 'bad \377')"
expect_rc 65 "invalid UTF-8"
run tend config sender.signature "$(head -c 1001 /dev/zero | tr '\0' s)"
expect_rc 65 "an over-long value"
run tend config deal.stages "won,lost"
expect_rc 65 "too few deal stages"
expect_err "invalid deal.stages 'won,lost'" "names the value"
run tend config deal.stages "a,b,a"
expect_rc 65 "duplicate deal stages"
run tend config agenda.capacity 5 --unset
expect_rc 2 "a value and --unset"
expect_err "give a VALUE or --unset, not both" "says so"
run tend config --unset
expect_rc 2 "--unset without a key"
run tend config a b c
expect_rc 2 "three arguments"
expect_unchanged "failed configs wrote nothing to the database"
if cmp -s "$TEND_CONFIG" "$T/config.before"; then _ok "nor to the file"
else _notok "nor to the file" "$(diff "$T/config.before" "$TEND_CONFIG")"
fi

# a settings file edited by hand, with a garbage line
printf 'tz = UTC\nthis is not a setting\n' >"$TEND_CONFIG"
snapshot
run tend list
expect_rc 65 "a garbage line in the settings file"
expect_err "tend: $TEND_CONFIG:2: expected 'key = value'" \
    "names the file and the line"
run tend config agenda.capacity 3
expect_rc 65 "config refuses to rewrite a broken file"
expect_file "$TEND_CONFIG" "tz = UTC
this is not a setting" "the broken file is left as it was"
printf ' = 3\n' >"$TEND_CONFIG"
run tend today
expect_rc 65 "a line without a key"
expect_err "$TEND_CONFIG:1: bad setting" "names the line"
printf 'tz = Mars/Olympus\n' >"$TEND_CONFIG"
run tend today
expect_rc 65 "an unknown zone in the file"
expect_err "unknown time zone 'Mars/Olympus' in setting 'tz'" \
    "names the zone and the setting"
printf 'agenda.capacity = many\n' >"$TEND_CONFIG"
run tend today
expect_rc 65 "a capacity that is not a number in the file"
expect_err "setting 'agenda.capacity': 'many' is not a number from 1 to 1000" \
    "names the setting and the value"
head -c 5000 /dev/zero | tr '\0' x >"$TEND_CONFIG"
run tend list
expect_rc 65 "a line too long"
expect_err "$TEND_CONFIG:1: line too long" "says so"
expect_unchanged "a broken settings file writes nothing"
printf '# a comment\n\n   # another\nagenda.capacity = 4   \nfuture.key = kept\n' \
    >"$TEND_CONFIG"
run tend config agenda.capacity
expect_out "4" "comments, blank lines and spaces are fine"
run tend config sender.name Zoe
expect_file "$TEND_CONFIG" "# tend settings: 'tend config' reads and writes this.
agenda.capacity = 4
future.key = kept
sender.name = Zoe" "unknown keys from a newer tend are kept"
