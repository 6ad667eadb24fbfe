#!/bin/sh
# tend template: the starters tend ships, adding, showing, editing and
# removing templates, and every way a template can be refused (a parse
# error, an unknown field, a bad name, a file too large), with the
# database unchanged after each refusal.
. "$(dirname "$0")/lib.sh"

run tend template list --json
expect_rc 0 "list the starters"
expect_json '[t["name"] for t in j]' '["check-in", "consult-recap", "inquiry-ack", "met-at-event", "nudge", "proposal-followup", "referral-thanks"]' \
    "seven starters, by name"
expect_json 'all(t["starter"] for t in j)' 'true' "marked as starters"

run tend template show met-at-event
expect_rc 0 "show a starter"
expect_has "Subject: Good to meet you{{#contact.met_where}}" "its subject"
expect_has "Hi {{contact.first_name}}," "its body"

run tend template add thanks --subject "Thanks, {{contact.first_name}}" \
    --body "Hi {{contact.first_name}},

thank you for {{#contact.need}}telling me about {{contact.need}}{{/contact.need}}{{^contact.need}}your time{{/contact.need}}.
"
expect_rc 0 "add a template"
expect_out "added template 'thanks'" "says so"
run tend template show thanks --json
expect_json 'j["subject"]' "Thanks, {{contact.first_name}}" "the subject is kept"
expect_json 'j["starter"]' "false" "not a starter"
expect_json 'j["html"]' "null" "no html"

printf 'Hello {{contact.name}}\r\nsecond line\r\n' >"$T/body.txt"
printf '<p>Hello {{contact.name}}</p>\n' >"$T/body.html"
run tend template add hello -s "Hello" -f "$T/body.txt" --html-file "$T/body.html"
expect_rc 0 "add from files"
run tend template show hello --json
expect_json 'j["body"] == "Hello {{contact.name}}\nsecond line\n"' true \
    "CRLF in a file becomes LF"
expect_json 'j["html"] == "<p>Hello {{contact.name}}</p>\n"' true \
    "the html body"
run tend template edit hello --html-file ""
expect_rc 0 "remove the html"
run tend template show hello --json
expect_json 'j["html"]' "null" "html gone"

printf 'from stdin {{contact.company}}\n' | "$TEND" template edit thanks --body-file - >/dev/null
run tend template show thanks --json
expect_json 'j["body"] == "from stdin {{contact.company}}\n"' true \
    "edit the body from stdin"

# edit in $EDITOR: the first line is the subject
cat >"$T/ed.sh" <<'EOS'
#!/bin/sh
printf 'Subject: Edited {{contact.name}}\n\nNew body.\n' >"$1"
EOS
chmod +x "$T/ed.sh"
EDITOR="$T/ed.sh" run tend template edit nudge
expect_rc 0 "edit a starter in \$EDITOR"
run tend template show nudge --json
expect_json '[j["subject"], j["body"], j["starter"]]' '["Edited {{contact.name}}", "New body.\n", true]' \
    "the editor's file is read back"
run tend template list
expect_has "starter, edited" "an edited starter says so"

# refusals: nothing changes
snapshot
run tend template add thanks -s x -b y
expect_rc 65 "a taken name"
expect_err "template 'thanks' already exists" "names it"
run tend template add THANKS -s x -b y
expect_rc 65 "names match without case"
run tend template add bad -s "Hi" -b "Hi {{contact.frist_name}}"
expect_rc 65 "an unknown field"
expect_err "unknown field 'contact.frist_name'" "names the field"
run tend template add bad -s "Hi" -b "{{#contact.company}}open"
expect_rc 65 "an unclosed section"
expect_err "unclosed section" "says what is wrong"
run tend template add bad -s "Hi {{contact.name" -b "x"
expect_rc 65 "an unclosed tag in the subject"
expect_err "subject" "says which part"
run tend template add bad -s "Hi" -b "{{>footer}}"
expect_rc 65 "partials are not for messages"
run tend template add "bad name" -s x -b y
expect_rc 65 "a name with a space"
run tend template add bad -s "line
break" -b y
expect_rc 65 "a subject with a line break"
run tend template add bad -s x
expect_rc 2 "no body"
run tend template add bad -s x -b y -f "$T/body.txt"
expect_rc 2 "--body and --body-file"
run tend template add bad -s x -f "$T/missing.txt"
expect_rc 65 "a missing file"
head -c 300000 /dev/zero | tr '\0' 'a' >"$T/big.txt"
run tend template add bad -s x -f "$T/big.txt"
expect_rc 65 "a file too large"
printf 'a\000b' >"$T/nul.txt"
run tend template add bad -s x -f "$T/nul.txt"
expect_rc 65 "a NUL byte"
printf '\377\376bad' >"$T/latin.txt"
run tend template add bad -s x -f "$T/latin.txt"
expect_rc 65 "not UTF-8"
run tend template show nosuch
expect_rc 65 "show a missing template"
expect_err "template 'nosuch' not found" "says so"
run tend template rm nosuch
expect_rc 65 "remove a missing template"
run tend template frob
expect_rc 2 "an unknown subcommand"
run tend template list --subject x
expect_rc 2 "an option that does not apply"
EDITOR=false run tend template edit thanks
expect_rc 1 "an editor that fails"
expect_err "unchanged" "leaves it unchanged"
cat >"$T/ed2.sh" <<'EOS'
#!/bin/sh
printf 'no subject line\n' >"$1"
EOS
chmod +x "$T/ed2.sh"
EDITOR="$T/ed2.sh" run tend template edit thanks
expect_rc 65 "an edited file without its subject line"
env -u EDITOR -u VISUAL "$TEND" template edit thanks >/dev/null 2>&1
rc=$?
expect_rc 2 "no editor and no options"
expect_unchanged "no refusal changed the database"

run tend template rm thanks
expect_rc 0 "remove"
expect_out "removed template 'thanks'" "says so"
run tend template show thanks
expect_rc 65 "gone"
