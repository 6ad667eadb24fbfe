#!/usr/bin/env python3
"""An independent check of a message tend wrote, with Python's email package.

    python3 tests/mail/parse-check.py FILE [--expect-unsub | --any-unsub]
        [--subject S] [--from ADDR] [--to ADDR] [--to-name NAME]
        [--in-reply-to ID] [--kind K] [--expect-date | --expect-no-date]
        [--body-has TEXT]... [--html-has TEXT]... [--text-file F]
        [--sink | --raw]

FILE is either the exact bytes of a message (--raw) or a file written by
postfix's smtp-sink -d (--sink).  Without either, a file whose first line
is "X-Client-Addr:" is taken as smtp-sink's.  smtp-sink's form: the text
of its -S option if any, then its own lines (X-Client-Addr,
X-Client-Proto, X-Helo-Args, X-Mail-Args, X-Rcpt-Args, a three-line
Received header), then the message with every line ending in LF (it
strips the CR of each CRLF and undoes the dot-stuffing), then one empty
line; all that is not the message is taken away here and the LFs made
CRLF again.

Checks (each failure is printed to stderr; the exit status is then 1):
  - the wire form: CRLF line endings only (--raw), no bare CR (--sink), no
    line over 998 octets, only 7-bit bytes and no NUL (tend encodes every
    header and body);
  - the message parses without defects (policy=default) and every header
    decodes; From, To, Message-ID and MIME-Version are there;
  - Message-ID (and In-Reply-To when present) is <dot-atom@dot-atom>;
  - a text/plain part (alone, or first in multipart/alternative) with
    charset utf-8;
  - List-Unsubscribe and List-Unsubscribe-Post: with --expect-unsub, both
    present, the first with an http(s) URL (and a mailto when given) and the
    second exactly "List-Unsubscribe=One-Click"; by default both absent;
    --any-unsub checks only their form when present;
  - a Date header that parses when present (--expect-date: must be there;
    --expect-no-date: must not be, as compose_build writes none);
  - the values asked for with the options.  --text-file F: the decoded text
    equals F's contents (line breaks compared as LF, and a final one added
    to F's text when it has none, as compose_build() does).

On success prints one JSON line: subject, from, from_name, to, to_name,
message_id (without <>), in_reply_to, list_unsubscribe (the URIs, a list),
list_unsubscribe_post, kind (X-Tend-Kind), date, text and html (decoded,
line breaks as LF; html null when none), and exits 0.  Exit 2: usage.
"""

import argparse
import email
import email.policy
import email.utils
import json
import re
import sys

ATEXT = r"[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+"
DOT_ATOM = ATEXT + r"(?:\." + ATEXT + r")*"
MSGID_RE = re.compile(r"^<(" + DOT_ATOM + r"@" + DOT_ATOM + r")>$")
SINK_HEADERS = ("X-Client-Addr:", "X-Client-Proto:", "X-Helo-Args:",
                "X-Mail-Args:", "X-Rcpt-Args:")


class Checker:
    def __init__(self, name):
        self.name = name
        self.problems = []

    def fail(self, why):
        self.problems.append(why)

    def check(self, cond, why):
        if not cond:
            self.fail(why)
        return cond


def strip_sink(data, ck):
    """The message inside an smtp-sink dump, with CRLF line endings."""
    lines = data.split(b"\n")
    # anything smtp-sink -S put before its own lines
    i = next((k for k, line in enumerate(lines[:20])
              if line.startswith(b"X-Client-Addr:")), 0)
    while i < len(lines) and lines[i].startswith(
            tuple(h.encode() for h in SINK_HEADERS)):
        i += 1
    if not ck.check(i < len(lines) and lines[i].startswith(b"Received:"),
                    "not an smtp-sink dump: no Received: after its lines"):
        return data
    i += 1
    while i < len(lines) and lines[i][:1] in (b" ", b"\t"):
        i += 1
    body = lines[i:]
    # the file ends "...\n" (last line) "\n" (smtp-sink's empty line)
    if ck.check(len(body) >= 2 and body[-1] == b"" and body[-2] == b"",
                "smtp-sink dump does not end with its empty line"):
        body = body[:-2]
    for n, line in enumerate(body, 1):
        if b"\r" in line:
            ck.fail("line %d has a bare CR" % n)
            break
    return b"".join(line + b"\r\n" for line in body)


def check_wire(data, ck):
    """CRLF only, lines within 998 octets, 7-bit, no NUL."""
    if not ck.check(data.endswith(b"\r\n"), "does not end with CRLF"):
        return
    for n, line in enumerate(data[:-2].split(b"\r\n"), 1):
        if b"\n" in line or b"\r" in line:
            ck.fail("line %d: a bare CR or LF" % n)
            return
        if len(line) > 998:
            ck.fail("line %d is %d octets long (over 998)" % (n, len(line)))
            return
        if b"\0" in line:
            ck.fail("line %d has a NUL byte" % n)
            return
        if any(b >= 0x80 for b in line):
            ck.fail("line %d has 8-bit bytes" % n)
            return


def one_address(msg, name, ck):
    """(addr, display name) of a header holding exactly one mailbox."""
    h = msg[name]
    if not ck.check(h is not None, "no %s header" % name):
        return None, None
    try:
        addrs = h.addresses
    except Exception as e:  # noqa: BLE001
        ck.fail("%s does not parse: %s" % (name, e))
        return None, None
    if not ck.check(len(addrs) == 1, "%s holds %d addresses, not 1"
                    % (name, len(addrs))):
        return None, None
    for d in h.defects:
        ck.fail("%s: %s" % (name, d))
    return addrs[0].addr_spec, addrs[0].display_name or None


def msgid(msg, name, ck, required):
    h = msg[name]
    if h is None:
        ck.check(not required, "no %s header" % name)
        return None
    m = MSGID_RE.match(str(h).strip())
    if not ck.check(m is not None, "%s %r is not <dot-atom@dot-atom>"
                    % (name, str(h))):
        return None
    return m.group(1)


def lf(s):
    return s.replace("\r\n", "\n")


def text_of(part, ck, what):
    ct = part.get_content_type()
    ck.check(part.get_content_charset() == "utf-8",
             "%s part has charset %r, not utf-8"
             % (ct, part.get_content_charset()))
    cte = part.get("Content-Transfer-Encoding", "7bit").lower()
    ck.check(cte in ("7bit", "quoted-printable", "base64"),
             "%s part has Content-Transfer-Encoding %r" % (what, cte))
    try:
        return lf(part.get_content())
    except Exception as e:  # noqa: BLE001
        ck.fail("%s part does not decode: %s" % (what, e))
        return None


def main():
    ap = argparse.ArgumentParser(description="check a message tend wrote")
    ap.add_argument("file")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--sink", action="store_true")
    mode.add_argument("--raw", action="store_true")
    unsub = ap.add_mutually_exclusive_group()
    unsub.add_argument("--expect-unsub", action="store_true")
    unsub.add_argument("--any-unsub", action="store_true")
    date = ap.add_mutually_exclusive_group()
    date.add_argument("--expect-date", action="store_true")
    date.add_argument("--expect-no-date", action="store_true")
    ap.add_argument("--subject")
    ap.add_argument("--from", dest="from_")
    ap.add_argument("--to")
    ap.add_argument("--to-name")
    ap.add_argument("--in-reply-to")
    ap.add_argument("--kind")
    ap.add_argument("--body-has", action="append", default=[])
    ap.add_argument("--html-has", action="append", default=[])
    ap.add_argument("--text-file")
    args = ap.parse_args()

    ck = Checker(args.file)
    with open(args.file, "rb") as f:
        data = f.read()
    sink = args.sink or (not args.raw and data.startswith(b"X-Client-Addr:"))
    if sink:
        data = strip_sink(data, ck)
    check_wire(data, ck)

    msg = email.message_from_bytes(data, policy=email.policy.default)
    for d in msg.defects:
        ck.fail("message: %s" % d)
    for name, value in msg.items():
        try:
            str(value)
        except Exception as e:  # noqa: BLE001
            ck.fail("header %s does not decode: %s" % (name, e))
            continue
        for d in getattr(value, "defects", ()):
            ck.fail("header %s: %s" % (name, d))
    ck.check(msg.get("MIME-Version", "").strip() == "1.0",
             "no MIME-Version: 1.0")

    out = {}
    out["subject"] = str(msg["Subject"]) if "Subject" in msg else None
    out["from"], out["from_name"] = one_address(msg, "From", ck)
    out["to"], out["to_name"] = one_address(msg, "To", ck)
    out["message_id"] = msgid(msg, "Message-ID", ck, True)
    out["in_reply_to"] = msgid(msg, "In-Reply-To", ck, False)

    lu = msg.get("List-Unsubscribe")
    lup = msg.get("List-Unsubscribe-Post")
    uris = None
    if lu is not None:
        raw = re.sub(r"\s+", "", str(lu))
        uris = re.findall(r"<([^<>]*)>", raw)
        ck.check(",".join("<%s>" % u for u in uris) == raw and uris,
                 "List-Unsubscribe %r is not a list of <URI>" % str(lu))
        ck.check(sum(1 for u in uris if re.match(r"^https?://[^/]", u)) <= 1
                 and sum(1 for u in uris if u.startswith("mailto:")) <= 1
                 and all(re.match(r"^(https?://[^/]|mailto:.)", u)
                         for u in uris),
                 "List-Unsubscribe %r: want one http(s) URL and/or one "
                 "mailto" % str(lu))
    if args.expect_unsub:
        ck.check(uris is not None and
                 any(re.match(r"^https?://", u) for u in uris),
                 "no List-Unsubscribe with an http(s) URL")
        ck.check(lup is not None and
                 str(lup).strip() == "List-Unsubscribe=One-Click",
                 "List-Unsubscribe-Post is %r, not "
                 "List-Unsubscribe=One-Click" % lup)
    elif not args.any_unsub:
        ck.check(lu is None, "unexpected List-Unsubscribe %r" % lu)
        ck.check(lup is None, "unexpected List-Unsubscribe-Post %r" % lup)
    elif lup is not None:
        ck.check(str(lup).strip() == "List-Unsubscribe=One-Click" and
                 uris is not None and
                 any(re.match(r"^https?://", u) for u in uris),
                 "List-Unsubscribe-Post %r without an http(s) "
                 "List-Unsubscribe" % str(lup))
    out["list_unsubscribe"] = uris
    out["list_unsubscribe_post"] = str(lup).strip() if lup else None
    out["kind"] = str(msg["X-Tend-Kind"]) if "X-Tend-Kind" in msg else None

    out["date"] = None
    if "Date" in msg:
        ck.check(len(msg.get_all("Date")) == 1, "more than one Date")
        try:
            out["date"] = email.utils.parsedate_to_datetime(
                str(msg["Date"])).isoformat()
        except (TypeError, ValueError) as e:
            ck.fail("Date %r does not parse: %s" % (str(msg["Date"]), e))
    if args.expect_date:
        ck.check("Date" in msg, "no Date header")
    if args.expect_no_date:
        ck.check("Date" not in msg, "unexpected Date header")

    out["text"] = out["html"] = None
    ct = msg.get_content_type()
    if ct == "text/plain":
        out["text"] = text_of(msg, ck, "text/plain")
    elif ct == "multipart/alternative":
        parts = list(msg.iter_parts())
        kinds = [p.get_content_type() for p in parts]
        if ck.check(kinds == ["text/plain", "text/html"],
                    "multipart/alternative holds %s, not text/plain and "
                    "text/html" % kinds):
            out["text"] = text_of(parts[0], ck, "text/plain")
            out["html"] = text_of(parts[1], ck, "text/html")
    else:
        ck.fail("Content-Type is %s" % ct)

    if args.subject is not None:
        ck.check(out["subject"] == args.subject, "Subject is %r, not %r"
                 % (out["subject"], args.subject))
    if args.from_ is not None:
        ck.check((out["from"] or "").lower() == args.from_.lower(),
                 "From is %r, not %r" % (out["from"], args.from_))
    if args.to is not None:
        ck.check((out["to"] or "").lower() == args.to.lower(),
                 "To is %r, not %r" % (out["to"], args.to))
    if args.to_name is not None:
        ck.check(out["to_name"] == args.to_name, "To name is %r, not %r"
                 % (out["to_name"], args.to_name))
    if args.in_reply_to is not None:
        ck.check(out["in_reply_to"] == args.in_reply_to,
                 "In-Reply-To is %r, not %r"
                 % (out["in_reply_to"], args.in_reply_to))
    if args.kind is not None:
        ck.check(out["kind"] == args.kind, "X-Tend-Kind is %r, not %r"
                 % (out["kind"], args.kind))
    for t in args.body_has:
        ck.check(out["text"] is not None and t in out["text"],
                 "text has no %r" % t)
    for t in args.html_has:
        ck.check(out["html"] is not None and t in out["html"],
                 "html has no %r" % t)
    if args.text_file is not None:
        with open(args.text_file, "rb") as f:
            want = lf(f.read().decode("utf-8")).replace("\r", "\n")
        if not want.endswith("\n"):
            want += "\n"
        ck.check(out["text"] == want, "text is %r, not %r"
                 % (out["text"], want))

    if ck.problems:
        for p in ck.problems:
            print("parse-check: %s: %s" % (ck.name, p), file=sys.stderr)
        return 1
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
