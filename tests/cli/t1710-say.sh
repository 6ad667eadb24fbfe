#!/bin/sh
# tend say: what to say, merged with what tend knows about the person,
# printed to paste.  Without a template the starter that fits the
# situation is chosen, and the reason is given.  Strict: a field the
# contact does not have is refused by name, never "Hi ,".
. "$(dirname "$0")/lib.sh"

run tend config sender.name "Sam Smith"
run tend add "Ann Lee" --email ann@example.com --company Acme \
    --met "the BNI breakfast" --met-on 2026-11-20 --need "a new website"
run tend add "Bob Stone" --email bob@example.com
run tend add "Cleo Park" --email cleo@example.com
run tend add "Dan Wu" --email dan@example.com --via "Cleo Park"
run tend add "Eve Hart" --email eve@example.com
run tend deal add eve "Shop redesign" --stage proposal --next "call about the price"
run tend add "Fay Ng" --email fay@example.com
run tend follow fay --inquiry "wants a quote" >/dev/null
run tend add "Gus Roy" --email gus@example.com
run tend deal add gus "Audit" --stage consult --next "send the recap"
run tend add "Hal Ito"
run tend log hal call "old friend" --when 2026-08-01

run tend say ann
expect_rc 0 "say, choosing a starter"
expect_out "# met-at-event: you met 3 days ago at the BNI breakfast and have not written since
To: Ann Lee <ann@example.com>
Subject: Good to meet you at the BNI breakfast

Hi Ann,

It was good to meet you at the BNI breakfast. You mentioned a new website; I have helped others with much the same, and I would be glad to share what worked.

Would you have twenty minutes for a call next week?

Best,
Sam Smith" "the whole message, with why it was chosen"

run tend say cleo --json
expect_json '[j["template"], j["why"]]' '["referral-thanks", "Cleo Park introduced you to Dan Wu, and you have not thanked them yet"]' \
    "a referrer gets thanked"
expect_json '"to Dan Wu" in j["body"]' true "naming who they introduced"
run tend say eve --json
expect_json 'j["template"]' "proposal-followup" "a proposal out: follow it up"
expect_json 'j["subject"]' "Following up on the proposal for Shop redesign" "with the deal's title"
run tend say fay --json
expect_json 'j["template"]' "inquiry-ack" "an inquiry waiting: acknowledge it"
run tend say gus --json
expect_json 'j["template"]' "consult-recap" "after a consult: the recap"
expect_json '"- Next step: send the recap" in j["body"]' true "with the next step"
run tend say hal --json
expect_json '[j["template"], j["why"]]' '["check-in", "the last touch was 3 months ago"]' \
    "an old friend: a check-in"
expect_json 'j["to"]' "null" "no address: still something to say"
expect_json '"since 1 August 2026" in j["body"]' true "the last touch as a date"
run tend say bob --json
expect_json 'j["template"]' "check-in" "nothing on record: a check-in"

# a named template, with --set for a value of your own
run tend template add busy -s "Busy" \
    -b "I am with a client until {{busy_until}} and will call you then."
run tend say fay busy --set "busy_until=3 pm" --json
expect_json 'j["why"]' "null" "a named template has no why"
expect_json '"I am with a client until 3 pm and will call you then." in j["body"]' true \
    "--set fills the template's own names"
run tend config booking_url https://cal.example.com/sam
run tend say fay inquiry-ack --json
expect_json '"pick a time that suits you here: https://cal.example.com/sam" in j["body"]' true \
    "the booking link when there is one"

# strict: an empty field is refused by name
run tend template add co -s "About {{contact.company}}" -b "Hi {{contact.first_name}}"
run tend say bob co
expect_rc 65 "a field the contact does not have"
expect_err "template 'co' for Bob Stone: template uses 'contact.company', which is empty" \
    "names the template, the contact and the field"
expect_lacks "About" "nothing printed"
run tend say ann co
expect_rc 0 "the same template for a contact who has it"
expect_has "Subject: About Acme" "merged"
run tend config --unset sender.name
run tend say bob check-in
expect_rc 65 "no sender name"
expect_err "set it with 'tend config sender.name" "says how to fix it"

# bad input
run tend say nobody
expect_rc 65 "an unknown contact"
run tend say bob nosuch
expect_rc 65 "an unknown template"
expect_err "template 'nosuch' not found" "says so"
run tend say bob check-in --set novalue
expect_rc 2 "--set without ="
run tend say bob check-in --set contact=x
expect_rc 2 "--set cannot replace tend's names"
run tend say bob check-in --deal 99
expect_rc 65 "a missing deal"
run tend say bob check-in --deal 1
expect_rc 65 "someone else's deal"
run tend say
expect_rc 2 "no contact"
