#!/usr/bin/python3
"""A scripted SMTP server for tend's tests (python3-aiosmtpd).

It listens on 127.0.0.1 (or --host ::1) on a free port, stores every
message it accepts and answers as the command line says, so that a test
can make a server refuse, defer, drop or hang at a chosen point:

  smtpd.py DIR [options]

  --script 451,250     the answers to the end of DATA of successive
                       messages (across connections); after the list, 250
  --rcpt 550           the same for RCPT TO (550 is "550 5.1.1 ...")
  --mail 421           the same for MAIL FROM
  --bad-rcpt ADDR      always refuse RCPT TO:<ADDR> with 550 5.1.1
                       (repeatable)
  --greet 421          answer the connection with this instead of 220,
                       and hang up
  --drop-in-data N     close the connection in the middle of the Nth
                       DATA (counted from 1 across connections)
  --stall-data N       never answer the end of the Nth message's DATA
                       (the message is not stored)
  --silent             accept connections and never say anything
  --slow MS            wait MS milliseconds before every reply
  --idle S             close a connection idle for S seconds, without a
                       word (as a server's timeout does); default 300
  --auth USER:PASS     offer AUTH PLAIN LOGIN (without TLS) and accept
                       only these credentials
  --starttls CERT,KEY  offer STARTTLS with this certificate and key
  --host ADDR          127.0.0.1 (default) or ::1; nothing else
  --port N             listen on N instead of a free port

A code in a list may end in "*" to mean "this, from now on" ("451*").
A 421 reply always closes the connection after it is sent, as RFC 5321
says.  Codes get a standard text ("451 4.3.0 try again later").

Once it listens it writes the port to DIR/port (atomically, so a reader
never sees half of it) and to standard output.  It writes:

  DIR/msg.0001 ...  every accepted message: the exact bytes of DATA
                    after the transparent dots are removed (CRLF lines,
                    as sent), numbered in the order they were accepted
  DIR/log           one line per event: "CONN > COMMAND" for a command
                    received (AUTH without its credentials), "CONN <
                    REPLY" for the first line of a reply, "CONN open
                    PEER", "CONN close", "CONN stored msg.NNNN FROM TO"
                    and "CONN drop" / "CONN stall" for the faults; CONN
                    numbers connections from 1, so the number of
                    connections is the number of "open" lines

It exits when its parent process goes away (so a test killed with -9
does not leave it behind), on SIGTERM and on SIGINT.
"""

import argparse
import asyncio
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult

TEXTS = {
    "2": "2.0.0 ok",
    "421": "4.3.2 service not available, closing channel",
    "450": "4.2.0 mailbox unavailable",
    "451": "4.3.0 try again later",
    "452": "4.3.1 insufficient system storage",
    "550": "5.1.1 mailbox unavailable",
    "552": "5.3.4 message too big",
    "553": "5.1.3 bad address",
    "554": "5.6.0 transaction failed",
}


def reply_for(code, what):
    """The full reply line for a scripted code."""
    text = TEXTS.get(code) or TEXTS.get(code[0]) or "scripted reply"
    if code == "550" and what:
        return f"{code} {text}: <{what}> no such user"
    return f"{code} {text}"


class Script:
    """Successive answers to one command: a list, then 250."""

    def __init__(self, spec):
        self.codes = []
        self.forever = None
        for c in (spec or "").split(","):
            c = c.strip()
            if not c:
                continue
            if c.endswith("*"):
                self.forever = c[:-1]
                break
            self.codes.append(c)
        for c in self.codes + ([self.forever] if self.forever else []):
            if len(c) != 3 or not c.isdigit():
                raise SystemExit(f"smtpd.py: bad reply code '{c}'")

    def next(self):
        if self.codes:
            return self.codes.pop(0)
        return self.forever or "250"


class State:
    """What all connections share: counters, scripts and the log."""

    def __init__(self, opts):
        self.opts = opts
        self.dir = opts.dir
        self.conns = 0
        self.datas = 0
        self.stored = 0
        self.mail = Script(opts.mail)
        self.rcpt = Script(opts.rcpt)
        self.data = Script(opts.script)
        self.bad_rcpt = {a.lower() for a in opts.bad_rcpt}
        self.log_file = open(os.path.join(self.dir, "log"), "a",
                             buffering=1, encoding="utf-8",
                             errors="backslashreplace")

    def log(self, conn, text):
        self.log_file.write(f"{conn} {text}\n")


class Handler:
    """aiosmtpd hooks: the scripted answers and the stored messages."""

    def __init__(self, state):
        self.st = state

    async def handle_MAIL(self, server, session, envelope, address, options):
        code = self.st.mail.next()
        if code[0] != "2":
            return reply_for(code, None)
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 2.1.0 ok"

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address.lower() in self.st.bad_rcpt:
            return reply_for("550", address)
        code = self.st.rcpt.next()
        if code[0] != "2":
            return reply_for(code, address)
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 2.1.5 ok"

    async def handle_DATA(self, server, session, envelope):
        st = self.st
        if server.stall_this:
            st.log(server.conn, "stall")
            await asyncio.sleep(3600 * 24)
        code = st.data.next()
        if code[0] != "2":
            return reply_for(code, None)
        st.stored += 1
        name = "msg.%04d" % st.stored
        path = os.path.join(st.dir, name)
        with open(path + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(path + ".tmp", path)
        st.log(server.conn, "stored %s %s %s" % (
            name, envelope.mail_from, ",".join(envelope.rcpt_tos)))
        return "250 2.0.0 ok: queued as %s" % name


class Server(SMTP):
    """aiosmtpd's server with logging and the faults that need the wire."""

    def __init__(self, state, **kw):
        self.st = state
        self.conn = 0
        self.stall_this = False
        super().__init__(Handler(state), **kw)
        # Log every command as it arrives (aiosmtpd keeps its command
        # methods in this table; 1.4 is what Debian 12 ships).
        self._smtp_methods = {k: self._logged(k, m)
                              for k, m in self._smtp_methods.items()}

    def _logged(self, name, method):
        async def call(arg):
            shown = arg or ""
            if name == "AUTH":
                shown = shown.split(" ")[0]
            self.st.log(self.conn, ("> %s %s" % (name, shown)).rstrip())
            return await method(arg)
        return call

    def connection_made(self, transport):
        if self.transport is None:
            self.st.conns += 1
            self.conn = self.st.conns
            peer = transport.get_extra_info("peername")
            self.st.log(self.conn, "open %s:%s" % (peer[0], peer[1]))
        super().connection_made(transport)

    def connection_lost(self, error):
        self.st.log(self.conn, "close")
        super().connection_lost(error)

    async def _handle_client(self):
        opts = self.st.opts
        if opts.silent:
            await asyncio.sleep(3600 * 24)
            return
        if opts.greet:
            # Refuse the session: say so and hang up.
            await self.push(reply_for(opts.greet, None))
            if self.transport is not None:
                self.transport.close()
            await asyncio.sleep(3600 * 24)
            return
        await super()._handle_client()

    async def push(self, status):
        if self.st.opts.slow:
            await asyncio.sleep(self.st.opts.slow / 1000.0)
        text = status if isinstance(status, str) else status.decode(
            "utf-8", "replace")
        self.st.log(self.conn, "< " + text)
        await super().push(status)
        if text.startswith("421") and self.transport is not None:
            self.transport.close()

    async def smtp_DATA(self, arg):
        ok = (self.session.host_name and self.envelope.rcpt_tos
              and not arg)
        if not ok:
            return await super().smtp_DATA(arg)
        self.st.datas += 1
        n = self.st.datas
        self.stall_this = (n == self.st.opts.stall_data)
        if n != self.st.opts.drop_in_data:
            return await super().smtp_DATA(arg)
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        # Read the first line of the message, then hang up on the client
        # while it is still sending.
        await self._reader.readuntil(b"\r\n")
        self.st.log(self.conn, "drop")
        self.transport.abort()
        # Wait to be cancelled by connection_lost() rather than read the
        # rest of the message as commands.
        await asyncio.sleep(3600 * 24)


def check_parent(loop, ppid):
    if os.getppid() != ppid:
        loop.stop()
        return
    loop.call_later(0.5, check_parent, loop, ppid)


def main():
    p = argparse.ArgumentParser(description="scripted SMTP server")
    p.add_argument("dir")
    p.add_argument("--script")
    p.add_argument("--rcpt")
    p.add_argument("--mail")
    p.add_argument("--bad-rcpt", action="append", default=[])
    p.add_argument("--greet")
    p.add_argument("--drop-in-data", type=int, default=0)
    p.add_argument("--stall-data", type=int, default=0)
    p.add_argument("--silent", action="store_true")
    p.add_argument("--slow", type=int, default=0)
    p.add_argument("--idle", type=float, default=300)
    p.add_argument("--auth")
    p.add_argument("--starttls")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    opts = p.parse_args()
    if opts.host not in ("127.0.0.1", "::1"):
        raise SystemExit("smtpd.py: only 127.0.0.1 or ::1")
    if opts.greet and (len(opts.greet) != 3 or not opts.greet.isdigit()):
        raise SystemExit(f"smtpd.py: bad reply code '{opts.greet}'")
    st = State(opts)

    kw = {"hostname": "smtpd.test", "enable_SMTPUTF8": True,
          "timeout": opts.idle}
    if opts.auth:
        user, _, password = opts.auth.partition(":")
        creds = (user.encode(), password.encode())

        def check(server, session, envelope, mechanism, data):
            ok = (data.login, data.password) == creds
            return AuthResult(success=ok, handled=False)
        kw["authenticator"] = check
        kw["auth_require_tls"] = False
    if opts.starttls:
        cert, _, key = opts.starttls.partition(",")
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(cert, key)
        kw["tls_context"] = ctx

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    def factory():
        return Server(st, loop=loop, **kw)

    server = loop.run_until_complete(
        loop.create_server(factory, host=opts.host, port=opts.port))
    port = server.sockets[0].getsockname()[1]
    tmp = os.path.join(opts.dir, "port.tmp")
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.rename(tmp, os.path.join(opts.dir, "port"))
    print(port, flush=True)

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, loop.stop)
    check_parent(loop, os.getppid())
    try:
        loop.run_forever()
    finally:
        server.close()
        st.log(0, "exit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
