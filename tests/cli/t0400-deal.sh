#!/bin/sh
# tend deal add, move, next and show: the happy paths, and bad input that
# must write nothing.
. "$(dirname "$0")/lib.sh"

run tend add "Ann Lee" -e ann@example.com
run tend add "Bob Stone"

# ---- add ----

run tend deal add ann "Website redesign" --value 4,500 \
    --next "send the proposal" --due 2026-11-25
expect_rc 0 "add with every option"
expect_out "1" "add prints the new id"

run tend deal show 1 --json
expect_json 'j["title"]' "Website redesign" "title stored"
expect_json 'j["contact"]' '{"id": 1, "name": "Ann Lee"}' "contact resolved"
expect_json 'j["stage"]' "inquiry" "the first stage is the default"
expect_json 'j["closed"]' "false" "an inquiry is open"
expect_json 'j["value"]' "4500" "value in units"
expect_json 'j["value_cents"]' "450000" "value in cents"
expect_json 'j["next_step"]' "send the proposal" "next step stored"
expect_json 'j["next_due"]' "2026-11-25T00:00:00+00:00" "due stored"
expect_json 'j["stage_since"]' "2026-11-23T09:00:00+00:00" \
    "stage clock starts now"
expect_json 'j["flag"]' "null" "no flag"
expect_json 'len(j["history"])' "1" "one history row"
expect_json 'j["history"][0]["stage"]' "inquiry" "history starts in inquiry"

run tend deal add bob "SEO audit" --stage Proposal --value 1200.5 \
    --next "call back" --json
expect_rc 0 "add with --json"
expect_json 'j["id"]' "2" "the record has the id"
expect_json 'j["stage"]' "proposal" "stage is case-insensitive and stored canonical"
expect_json 'j["value"]' "1200.5" "value with cents"
expect_json 'j["value_cents"]' "120050" "cents exact"
expect_json 'j["next_due"]' "2026-11-24T00:00:00+00:00" \
    "--next without --due is due tomorrow"
expect_json '"history" in j' "false" "add --json prints no history"

run tend deal add 2 "Logo"
expect_rc 0 "add without options"
expect_out "3" "third id"
run tend deal show 3 --json
expect_json 'j["value"]' "null" "no value"
expect_json 'j["next_step"]' "null" "no next step"
expect_json 'j["next_due"]' "null" "no due"
expect_json 'j["flag"]' "no-next-step" "flagged"

run tend deal add ann "Retainer" --stage won --value 3000
expect_rc 0 "add straight into a closing stage"
run tend deal show 4 --json
expect_json 'j["closed"]' "true" "won closes the deal"

run tend deal add ann "  Spaced title  "
expect_rc 0 "title with blanks around"
run tend deal show 5 --json
expect_json 'j["title"]' "Spaced title" "title trimmed"

# ---- add: bad input writes nothing ----

snapshot
run tend deal add nobody "X"
expect_rc 65 "unknown contact"
expect_err "contact 'nobody' not found" "names the contact"
expect_unchanged "unknown contact wrote nothing"
run tend deal add ann "X" --stage closing
expect_rc 65 "unknown stage"
expect_err "unknown stage 'closing' (expected inquiry, consult, proposal, contract, won or lost)" \
    "lists the valid stages"
expect_unchanged "unknown stage wrote nothing"
run tend deal add ann "X" --value -5
expect_rc 65 "negative value"
expect_err "invalid value '-5': must not be negative" "says why"
expect_unchanged "negative value wrote nothing"
run tend deal add ann "X" --value abc
expect_rc 65 "value abc"
expect_err "invalid value 'abc'" "names the value"
expect_unchanged "value abc wrote nothing"
run tend deal add ann "X" --value 1e9
expect_rc 65 "value 1e9"
expect_err "invalid value '1e9'" "names 1e9"
expect_unchanged "value 1e9 wrote nothing"
run tend deal add ann "X" --value 4500.505
expect_rc 65 "three decimals"
expect_err "at most two decimals" "says why"
expect_unchanged "three decimals wrote nothing"
run tend deal add ann "X" --value 1000000000000
expect_rc 65 "value too large"
expect_err "too large" "says why"
expect_unchanged "value too large wrote nothing"
run tend deal add ann "X" --next "call" --due 2026-02-30
expect_rc 65 "impossible due date"
expect_err "--due: invalid date '2026-02-30'" "names the date"
expect_unchanged "bad date wrote nothing"
run tend deal add ann "X" --next "call" --due someday
expect_rc 65 "unreadable due date"
expect_unchanged "unreadable date wrote nothing"
run tend deal add ann "X" --due fri
expect_rc 2 "--due without --next"
expect_err "--due needs --next" "says what is missing"
expect_unchanged "--due without --next wrote nothing"
run tend deal add ann "X" --stage won --next "send invoice"
expect_rc 65 "a next step on a closed deal"
expect_unchanged "next step on a closed deal wrote nothing"
run tend deal add ann "$(head -c 201 /dev/zero | tr '\0' x)"
expect_rc 65 "over-long title"
expect_err "title is too long" "says so"
expect_unchanged "over-long title wrote nothing"
run tend deal add ann "$(head -c 200 /dev/zero | tr '\0' x)" --json
expect_rc 0 "a 200-byte title is fine"
snapshot
run tend deal add ann "$(printf 'Web\001site')"
expect_rc 65 "control character in the title"
expect_err "title contains a control character (0x01)" "names the character"
expect_unchanged "control character wrote nothing"
run tend deal add ann "$(printf 'Line\nbreak')"
expect_rc 65 "newline in the title"
expect_unchanged "newline wrote nothing"
run tend deal add ann "$(printf 'Caf\351')"
expect_rc 65 "invalid UTF-8 in the title"
expect_unchanged "invalid UTF-8 wrote nothing"
run tend deal add ann "   "
expect_rc 65 "blank title"
expect_err "the deal needs a title" "says so"
expect_unchanged "blank title wrote nothing"
run tend deal add ann "X" --next "$(printf 'call\033[31m')"
expect_rc 65 "control character in the next step"
expect_unchanged "bad next step wrote nothing"
run tend deal add ann "X" --next "  "
expect_rc 65 "blank next step"
expect_unchanged "blank next step wrote nothing"
run tend deal add ann
expect_rc 2 "add without a title"
expect_err "usage: tend deal add CONTACT TITLE" "prints the usage"
expect_unchanged "missing title wrote nothing"
run tend deal add
expect_rc 2 "add without arguments"
expect_unchanged "add without arguments wrote nothing"
run tend deal add ann "X" extra
expect_rc 2 "add with too many arguments"
expect_unchanged "too many arguments wrote nothing"
run tend deal add ann "X" --bogus
expect_rc 2 "unknown option"
expect_unchanged "unknown option wrote nothing"
run tend deal add ann "X" --value
expect_rc 2 "--value without a value"
expect_unchanged "--value without a value wrote nothing"
run tend deal
expect_rc 2 "no subcommand"
expect_err "usage: tend deal add CONTACT TITLE" "lists the subcommands"
expect_unchanged "no subcommand wrote nothing"
run tend deal close 1
expect_rc 2 "unknown subcommand"
expect_err "unknown subcommand 'close' (expected add, move, next or show)" \
    "names it"
expect_unchanged "unknown subcommand wrote nothing"

# ---- move ----

run tend deal move 1 proposal
expect_rc 0 "move"
expect_out "deal 1 'Website redesign': inquiry -> proposal" "move says what moved"
run tend deal show 1 --json
expect_json 'j["stage"]' "proposal" "stage changed"
expect_json 'j["next_step"]' "send the proposal" "move keeps the next step"
expect_json 'len(j["history"])' "2" "move writes a history row"
expect_json 'j["history"][1]["stage"]' "proposal" "history row names the stage"

TEND_NOW=2026-11-24T10:00
run tend deal move 1 won --json
TEND_NOW=2026-11-23T09:00
expect_rc 0 "move to won"
expect_json 'j["closed"]' "true" "won closes"
expect_json 'j["stage_since"]' "2026-11-24T10:00:00+00:00" \
    "stage_since is when it entered the stage"
expect_json 'j["next_step"]' "send the proposal" "closing clears nothing"
run tend deal move 1 contract
expect_rc 0 "move a won deal back"
expect_out "deal 1 'Website redesign': won -> contract (reopened)" "says reopened"
run tend deal show 1 --json
expect_json 'j["closed"]' "false" "moving back reopens"
run tend deal move 1 lost
expect_out "deal 1 'Website redesign': contract -> lost (closed)" "says closed"
run tend deal move 1 inquiry --json
expect_json 'j["closed"]' "false" "lost back to inquiry reopens"

snapshot
run tend deal move 1 inquiry
expect_rc 65 "move to the same stage"
expect_err "deal '1' is already in stage 'inquiry'" "says so"
expect_unchanged "same stage wrote nothing"
run tend deal move 1 limbo
expect_rc 65 "move to an unknown stage"
expect_err "unknown stage 'limbo' (expected inquiry, consult, proposal, contract, won or lost)" \
    "lists the valid stages"
expect_unchanged "unknown stage wrote nothing"
run tend deal move 99 won
expect_rc 65 "move an unknown deal"
expect_err "deal '99' not found" "names the deal"
expect_unchanged "unknown deal wrote nothing"
run tend deal move abc won
expect_rc 2 "move with a deal id that is not a number"
expect_err "invalid deal id 'abc'" "names the id"
expect_unchanged "bad id wrote nothing"
run tend deal move 0 won
expect_rc 2 "deal id 0"
expect_unchanged "id 0 wrote nothing"
run tend deal move 1
expect_rc 2 "move without a stage"
expect_err "usage: tend deal move DEAL STAGE" "prints the usage"
expect_unchanged "move without a stage wrote nothing"
run tend deal move 1 won --value 5
expect_rc 2 "an option move does not take"
expect_err "deal move: option '--value' does not apply" "names the option"
expect_unchanged "stray option wrote nothing"
run tend deal move 1 "$(printf 'won\001')"
expect_rc 65 "control character in a stage"
expect_unchanged "control character in a stage wrote nothing"

# ---- next ----

run tend deal next 3 "intro call" --due fri
expect_rc 0 "next"
expect_out "deal 3 'Logo': next step 'intro call', due 2026-11-27" \
    "next says the step and the due"
run tend deal next 3 "send sketches" --json
expect_rc 0 "next with --json"
expect_json 'j["next_step"]' "send sketches" "step replaced"
expect_json 'j["next_due"]' "2026-11-24T00:00:00+00:00" \
    "without --due: tomorrow"
expect_json 'j["flag"]' "null" "no longer flagged"
run tend deal show 3 --json
expect_json 'len(j["history"])' "3" "each next writes a history row"
expect_json 'j["history"][1]["next_step"]' "intro call" "history keeps the old step"
expect_json 'j["stage"]' "inquiry" "next keeps the stage"

snapshot
run tend deal next 99 "call"
expect_rc 65 "next on an unknown deal"
expect_err "deal '99' not found" "names the deal"
expect_unchanged "unknown deal wrote nothing"
run tend deal next 3 "call" --due 2026-13-01
expect_rc 65 "next with a bad date"
expect_err "--due: invalid date '2026-13-01'" "names the date"
expect_unchanged "bad date wrote nothing"
run tend deal next 3 ""
expect_rc 65 "empty step"
expect_err "next step is empty" "says so"
expect_unchanged "empty step wrote nothing"
run tend deal next 3 "$(printf 'call\tnow\001')"
expect_rc 65 "control character in the step"
expect_unchanged "control character wrote nothing"
run tend deal next 3 "$(head -c 10001 /dev/zero | tr '\0' x)"
expect_rc 65 "over-long step"
expect_err "next step is too long" "says so"
expect_unchanged "over-long step wrote nothing"
run tend deal next 4 "send invoice"
expect_rc 65 "next on a closed deal"
expect_err "deal '4' is closed (won); move it to an open stage first" "says why"
expect_unchanged "closed deal wrote nothing"
run tend deal next 3
expect_rc 2 "next without a step"
expect_err "usage: tend deal next DEAL STEP" "prints the usage"
expect_unchanged "missing step wrote nothing"
run tend deal next 3 "call" --stage won
expect_rc 2 "an option next does not take"
expect_unchanged "stray option wrote nothing"

# ---- show ----

run tend deal show 3
expect_rc 0 "show"
expect_out "Logo (deal 3)
  contact     Bob Stone (2)
  stage       inquiry since 2026-11-23 09:00 (today)
  value       -
  next step   send sketches (due 2026-11-24)

history
  2026-11-23 09:00  created in inquiry
  2026-11-23 09:00  next step: intro call (due 2026-11-27)
  2026-11-23 09:00  next step: send sketches (due 2026-11-24)" \
    "show prints the deal and its history"
run tend deal show 1
expect_has "history
  2026-11-23 09:00  created in inquiry; next step: send the proposal (due 2026-11-25)
  2026-11-23 09:00  moved to proposal" "history starts with the creation"
expect_has "2026-11-24 10:00  moved to won" "history has each move"
expect_has "value       4,500" "value with separators"
run tend deal show 2
expect_has "value       1,200.50" "value with cents"
expect_has "stage       proposal since" "stage"
run tend deal show 4
expect_has "stage       won (closed) since" "a closed deal says so"
expect_lacks "flag" "a closed deal has no flag"
run tend deal show 5
expect_has "flag        NO NEXT STEP" "a deal without a step is flagged"

snapshot
run tend deal show 99
expect_rc 65 "show an unknown deal"
expect_err "deal '99' not found" "names the deal"
run tend deal show
expect_rc 2 "show without a deal"
run tend deal show x
expect_rc 2 "show with a bad id"
run tend deal show 1 --due fri
expect_rc 2 "an option show does not take"
expect_unchanged "show wrote nothing"

# ---- configured stages ----

run tend config deal.stages lead,quote,signed,dropped
expect_rc 0 "configure the stages"
run tend deal add ann "Custom"
run tend deal show 7 --json
expect_json 'j["stage"]' "lead" "the first configured stage is the default"
run tend deal move 7 signed --json
expect_json 'j["closed"]' "true" "the second last configured stage closes"
snapshot
run tend deal move 7 proposal
expect_rc 65 "a default stage that is no longer configured"
expect_err "(expected lead, quote, signed or dropped)" "lists the configured stages"
expect_unchanged "unconfigured stage wrote nothing"
run tend config deal.stages --unset
