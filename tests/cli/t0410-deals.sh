#!/bin/sh
# tend deals: the pipeline by stage with totals and flags, --all, --json,
# configured stages, and the deals on the agenda.
. "$(dirname "$0")/lib.sh"

run tend deals
expect_rc 0 "deals on an empty database"
expect_out 'No deals yet. Add one:
  tend deal add ann "Website redesign" --value 4500 --next "send the proposal"' \
    "an empty pipeline says how to start"
run tend deals --json
expect_json '[s["stage"] for s in j["stages"]]' \
    '["inquiry", "consult", "proposal", "contract", "won", "lost"]' \
    "every default stage, in order"
expect_json '[s["count"] for s in j["stages"]]' '[0, 0, 0, 0, 0, 0]' \
    "all empty"

run tend today --json
expect_json '[i["kind"] for i in j["items"]]' '[]' "nothing on the agenda yet"

run tend add "Ann Lee"
run tend add "Bob Stone"
run tend add "Chloé Martin"
run tend deal add ann "Website redesign" --value 4500 \
    --next "send the proposal" --due 2026-11-20
run tend deal add bob "SEO audit"
run tend deal add chloé "Brand book" --stage proposal --value 12,000.50 \
    --next "call about the quote" --due 2026-11-26
run tend deal add ann "Retainer" --stage won --value 3000
run tend deal add bob "Hosting" --stage lost --value 250
run tend deal add bob "Training" --value 1500 --next "book a date"
expect_out "6" "six deals"

run tend deals
expect_rc 0 "deals"
expect_out "inquiry: 3 deals, 6,000
  #2  SEO audit         Bob Stone             -  -                                 NO NEXT STEP
  #1  Website redesign  Ann Lee           4,500  send the proposal     2026-11-20  OVERDUE 3d
  #6  Training          Bob Stone         1,500  book a date           2026-11-24
consult: none
proposal: 1 deal, 12,000.50
  #3  Brand book        Chloé Martin  12,000.50  call about the quote  2026-11-26
contract: none
won: 1 deal, 3,000
lost: 1 deal, 250

open: 4 deals, 18,000.50" \
    "the pipeline: stages in order, totals, open deals with flags"

run tend deals --all
expect_rc 0 "deals --all"
expect_has "won: 1 deal, 3,000
  #4  Retainer          Ann Lee           3,000  -
lost: 1 deal, 250
  #5  Hosting           Bob Stone           250  -" \
    "--all lists the closed deals too, without flags"

run tend deals --json
expect_rc 0 "deals --json"
expect_json '[s["stage"] for s in j["stages"]]' \
    '["inquiry", "consult", "proposal", "contract", "won", "lost"]' \
    "stages in order"
expect_json '[s["count"] for s in j["stages"]]' '[3, 0, 1, 0, 1, 1]' \
    "counts per stage"
expect_json '[s["value"] for s in j["stages"]]' \
    '[6000, 0, 12000.5, 0, 3000, 250]' "values per stage"
expect_json '[s["closed"] for s in j["stages"]]' \
    '[false, false, false, false, true, true]' "won and lost close"
expect_json '[d["id"] for d in j["stages"][0]["deals"]]' '[2, 1, 6]' \
    "no step first, then by due"
expect_json 'j["stages"][0]["deals"][0]' \
    '{"id": 2, "title": "SEO audit", "contact": {"id": 2, "name": "Bob Stone"}, "value": null, "value_cents": null, "next_step": null, "next_due": null, "flag": "no-next-step", "overdue_days": 0}' \
    "a deal without a next step"
expect_json 'j["stages"][0]["deals"][1]' \
    '{"id": 1, "title": "Website redesign", "contact": {"id": 1, "name": "Ann Lee"}, "value": 4500, "value_cents": 450000, "next_step": "send the proposal", "next_due": "2026-11-20T00:00:00+00:00", "flag": "overdue", "overdue_days": 3}' \
    "an overdue deal"
expect_json 'j["stages"][0]["deals"][2]["flag"]' "null" \
    "a step due tomorrow is not flagged"
expect_json 'j["stages"][4]["deals"]' '[]' "closed stages list no deals"
expect_json 'j["stages"][2]["deals"][0]["contact"]["name"]' "Chloé Martin" \
    "UTF-8 names"
run tend deals --all --json
expect_json '[d["id"] for d in j["stages"][4]["deals"]]' '[4]' \
    "--all --json lists won deals"
expect_json 'j["stages"][5]["deals"][0]["flag"]' "null" \
    "closed deals carry no flag"

# ---- the agenda sees deal steps and deals without one ----

run tend today --json
expect_rc 0 "today"
expect_json '[(i["kind"], i["id"]) for i in j["items"]]' \
    '[["deal-step", 1], ["deal-no-step", 2]]' \
    "an overdue step and a deal without a step are on the agenda"
expect_json 'j["items"][0]["overdue_days"]' "3" "the step is 3 days overdue"
expect_json 'j["items"][0]["action"]' "send the proposal" "the action is the step"

# a closed deal leaves the agenda; a step for tomorrow is not there yet
run tend deal move 1 won
run tend deal next 2 "ask for the site access"
run tend today --json
expect_json '[i["kind"] for i in j["items"]]' '[]' \
    "closed and scheduled deals leave the agenda"
run tend deals
expect_has "open: 3 deals, 13,500.50" "the open total follows moves"
expect_has "won: 2 deals, 7,500" "won total follows moves"
TEND_NOW=2026-11-26T09:00
run tend deals --json
expect_json '[(d["id"], d["flag"], d["overdue_days"]) for d in j["stages"][0]["deals"]]' \
    '[[2, "overdue", 2], [6, "overdue", 2]]' "steps become overdue with time"
TEND_NOW=2026-11-23T09:00

# ---- configured stages ----

run tend config deal.stages lead,pitch,signed,dropped
run tend deals
expect_out "lead: none
pitch: none
signed: none
dropped: none
inquiry: 2 deals, 1,500
  #2  SEO audit   Bob Stone             -  ask for the site access  2026-11-24
  #6  Training    Bob Stone         1,500  book a date              2026-11-24
lost: 1 deal, 250
proposal: 1 deal, 12,000.50
  #3  Brand book  Chloé Martin  12,000.50  call about the quote     2026-11-26
won: 2 deals, 7,500

open: 3 deals, 13,500.50" \
    "stages deals still hold after a change are listed after the configured ones"
run tend deal move 2 pitch
expect_rc 0 "move into a configured stage"
run tend deals --json
expect_json '[s["stage"] for s in j["stages"]][:4]' \
    '["lead", "pitch", "signed", "dropped"]' "configured stages first"
expect_json '[d["id"] for d in j["stages"][1]["deals"]]' '[2]' \
    "the moved deal is in its stage"
run tend config deal.stages --unset

# ---- bad input ----

snapshot
run tend deals extra
expect_rc 2 "deals takes no arguments"
expect_unchanged "extra argument wrote nothing"
run tend deals --bogus
expect_rc 2 "unknown option"
expect_unchanged "unknown option wrote nothing"
run tend deals --stage won
expect_rc 2 "deal options do not apply to deals"
expect_unchanged "stray option wrote nothing"
run tend config deal.stages "Won,Lost"
expect_rc 65 "config rejects bad stages"
expect_unchanged "bad stages were not saved"
# a damaged setting (written behind tend's back) is reported, not guessed
sqlite3 "$TEND_DB" "INSERT INTO settings VALUES ('deal.stages', 'a,,b')"
snapshot
run tend deals
expect_rc 65 "a damaged deal.stages setting"
expect_err "invalid deal.stages 'a,,b'" "names the setting"
run tend deal add ann "X"
expect_rc 65 "deal add with a damaged setting"
expect_unchanged "nothing written with a damaged setting"
