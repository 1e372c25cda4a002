"""A real SMTP listener for system tests (RFC 5321), standard library only.

    with SMTPSink() as sink:                      # binds 127.0.0.1:0, serves in a thread
        ... point [mail] smtp at sink.url ...
        sink.wait(1)
        m = sink.messages[0]
        m.mail_from, m.rcpt_to, m.data, m.message["Subject"]

It speaks HELO/EHLO, MAIL FROM, RCPT TO, DATA (with dot-unstuffing), RSET,
NOOP, VRFY, QUIT, and optionally STARTTLS (RFC 3207; `tls=` a server
SSLContext), implicit TLS (`implicit_tls=True`, for smtps://) and AUTH
PLAIN/LOGIN (RFC 4954; `auth=(user, password)`; MAIL before AUTH gets 530).
Every received message is kept with its envelope.

Failure modes, settable at any time (each is one reply line, e.g.
"451 4.3.0 Try again later"):
  rcpt_reply   answered to every RCPT TO instead of 250
  data_reply   answered to the DATA command instead of 354
  eod_reply    answered after the final "." instead of 250; the message is
               not kept
`sessions` counts connections, `commands` lists every command verb
received (AUTH arguments are not kept).

Run directly (`python3 smtpsink.py [PORT]`) it prints each message it gets.
"""

import base64
import email
import email.policy
import os
import socketserver
import ssl
import subprocess
import sys
import threading

MAX_LINE = 65536


class Received:
    """One message the sink accepted."""

    def __init__(self, helo, esmtp, tls, auth_user, mail_from, rcpt_to, data, peer):
        self.helo = helo
        self.esmtp = esmtp          # EHLO (True) or HELO
        self.tls = tls              # over STARTTLS or implicit TLS
        self.auth_user = auth_user  # user name after a successful AUTH, else None
        self.mail_from = mail_from  # reverse path without <>
        self.rcpt_to = rcpt_to      # forward paths without <>
        self.data = data            # bytes, CRLF line ends, unstuffed, without the final "."
        self.peer = peer            # (host, port) of the client

    @property
    def message(self):
        """The data parsed with the standard library (RFC 2047 words decoded)."""
        return email.message_from_bytes(self.data, policy=email.policy.default)

    def __repr__(self):
        return f"<Received from={self.mail_from!r} to={self.rcpt_to!r} {len(self.data)} bytes>"


class _Session(socketserver.StreamRequestHandler):
    timeout = 30

    def setup(self):
        self.sink = self.server.sink
        self.broken = False
        if self.sink.implicit_tls:
            try:
                self.request = self.sink.tls.wrap_socket(self.request, server_side=True)
            except (ssl.SSLError, OSError):
                self.broken = True  # e.g. the client does not trust the certificate
                return
        super().setup()

    def finish(self):
        if self.broken:
            return
        try:
            super().finish()
        finally:
            if isinstance(self.request, ssl.SSLSocket):
                self.request.close()  # wrapping detached it from what the server closes

    def reply(self, *lines):
        """A reply; several lines make a multi-line reply (code-text, code text)."""
        out = []
        for i, line in enumerate(lines):
            code, text = line[:3], line[4:]
            out.append(f"{code}{'-' if i < len(lines) - 1 else ' '}{text}\r\n")
        self.wfile.write("".join(out).encode())
        self.wfile.flush()

    def readline(self):
        line = self.rfile.readline(MAX_LINE)
        if not line:
            raise EOFError
        return line

    def reset(self):
        self.mail_from = None
        self.rcpt_to = []

    def handle(self):
        if self.broken:
            return
        self.helo = None
        self.esmtp = False
        self.tls = self.sink.implicit_tls
        self.auth_user = None
        self.reset()
        with self.sink.lock:
            self.sink.sessions += 1
        try:
            self.reply("220 sink.test ESMTP smtpsink")
            while True:
                line = self.readline().rstrip(b"\r\n").decode("utf-8", "replace")
                verb, _, arg = line.partition(" ")
                verb = verb.upper()
                with self.sink.lock:
                    self.sink.commands.append(verb)
                handler = getattr(self, "smtp_" + verb, None)
                if handler is None:
                    self.reply("502 5.5.2 Command not implemented")
                elif handler(arg.strip()) is False:
                    return
        except (EOFError, ConnectionError, ssl.SSLError, OSError):
            return

    # --- commands ------------------------------------------------------------

    def smtp_HELO(self, arg):
        if not arg:
            return self.reply("501 5.5.4 HELO needs a name")
        self.helo, self.esmtp = arg, False
        self.reset()
        self.reply("250 sink.test")

    def smtp_EHLO(self, arg):
        if not arg:
            return self.reply("501 5.5.4 EHLO needs a name")
        self.helo, self.esmtp = arg, True
        self.reset()
        lines = ["250 sink.test greets " + arg, "250 8BITMIME", "250 SIZE 10485760"]
        if self.sink.tls and not self.tls:
            lines.append("250 STARTTLS")
        if self.sink.auth and not self.auth_user:
            lines.append("250 AUTH PLAIN LOGIN")
        lines.append("250 HELP")
        self.reply(*lines)

    def smtp_STARTTLS(self, arg):
        if not self.sink.tls or self.tls:
            return self.reply("502 5.5.1 STARTTLS not available")
        self.reply("220 2.0.0 Ready to start TLS")
        self.request = self.sink.tls.wrap_socket(self.request, server_side=True)
        self.rfile = self.request.makefile("rb")
        self.wfile = self.request.makefile("wb")
        self.tls = True
        self.helo, self.esmtp = None, False  # RFC 3207: start over
        self.reset()

    def smtp_AUTH(self, arg):
        if not self.sink.auth or not self.esmtp:
            return self.reply("503 5.5.1 AUTH not available")
        if self.auth_user:
            return self.reply("503 5.5.1 Already authenticated")
        mech, _, initial = arg.partition(" ")
        mech = mech.upper()
        try:
            if mech == "PLAIN":
                if not initial:
                    self.reply("334 ")
                    initial = self.readline().strip().decode()
                if initial == "*":
                    return self.reply("501 5.7.0 Cancelled")
                _, user, password = base64.b64decode(initial).decode().split("\0", 2)
            elif mech == "LOGIN":
                if initial:
                    user = base64.b64decode(initial).decode()
                else:
                    self.reply("334 " + base64.b64encode(b"Username:").decode())
                    user = base64.b64decode(self.readline().strip()).decode()
                self.reply("334 " + base64.b64encode(b"Password:").decode())
                password = base64.b64decode(self.readline().strip()).decode()
            else:
                return self.reply("504 5.5.4 Unrecognized authentication type")
        except (ValueError, UnicodeDecodeError):
            return self.reply("501 5.5.2 Cannot decode the response")
        if (user, password) != tuple(self.sink.auth):
            return self.reply("535 5.7.8 Authentication credentials invalid")
        self.auth_user = user
        self.reply("235 2.7.0 Authentication successful")

    @staticmethod
    def _path(arg, prefix):
        if not arg.upper().startswith(prefix):
            return None
        rest = arg[len(prefix):].strip()
        if not rest.startswith("<") or ">" not in rest:
            return None
        return rest[1:rest.index(">")]

    def smtp_MAIL(self, arg):
        if not self.helo:
            return self.reply("503 5.5.1 Send HELO/EHLO first")
        if self.sink.auth and not self.auth_user:
            return self.reply("530 5.7.0 Authentication required")
        if self.mail_from is not None:
            return self.reply("503 5.5.1 Nested MAIL command")
        path = self._path(arg, "FROM:")
        if path is None:
            return self.reply("501 5.5.4 Syntax: MAIL FROM:<address>")
        self.mail_from = path
        self.reply("250 2.1.0 Ok")

    def smtp_RCPT(self, arg):
        if self.mail_from is None:
            return self.reply("503 5.5.1 Need MAIL before RCPT")
        path = self._path(arg, "TO:")
        if not path:
            return self.reply("501 5.5.4 Syntax: RCPT TO:<address>")
        if self.sink.rcpt_reply:
            return self.reply(self.sink.rcpt_reply)
        self.rcpt_to.append(path)
        self.reply("250 2.1.5 Ok")

    def smtp_DATA(self, arg):
        if arg:
            return self.reply("501 5.5.4 DATA takes no argument")
        if self.mail_from is None or not self.rcpt_to:
            return self.reply("503 5.5.1 Need RCPT before DATA")
        if self.sink.data_reply:
            self.reset()
            return self.reply(self.sink.data_reply)
        self.reply("354 End data with <CR><LF>.<CR><LF>")
        lines = []
        while True:
            line = self.readline()
            if line in (b".\r\n", b".\n"):
                break
            if line.startswith(b"."):
                line = line[1:]  # RFC 5321 4.5.2 transparency
            lines.append(line)
        data = b"".join(lines)
        envelope = (self.mail_from, list(self.rcpt_to))
        self.reset()
        if self.sink.eod_reply:
            return self.reply(self.sink.eod_reply)
        m = Received(self.helo, self.esmtp, self.tls, self.auth_user, envelope[0], envelope[1],
                     data, self.client_address)
        with self.sink.lock:
            self.sink.messages.append(m)
            n = len(self.sink.messages)
            self.sink.arrived.notify_all()
        self.reply(f"250 2.0.0 Ok: queued as {n}")

    def smtp_RSET(self, arg):
        self.reset()
        self.reply("250 2.0.0 Ok")

    def smtp_NOOP(self, arg):
        self.reply("250 2.0.0 Ok")

    def smtp_VRFY(self, arg):
        self.reply("252 2.1.5 Cannot VRFY user")

    def smtp_QUIT(self, arg):
        self.reply("221 2.0.0 Bye")
        return False


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class SMTPSink:
    """An SMTP server on 127.0.0.1 (port 0 = any free one) in a thread."""

    def __init__(self, port=0, tls=None, implicit_tls=False, auth=None, rcpt_reply=None,
                 data_reply=None, eod_reply=None):
        if implicit_tls and not tls:
            raise ValueError("implicit_tls needs a tls context")
        self.tls = tls
        self.implicit_tls = implicit_tls
        self.auth = auth
        self.rcpt_reply = rcpt_reply
        self.data_reply = data_reply
        self.eod_reply = eod_reply
        self.messages = []
        self.commands = []
        self.sessions = 0
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        self._server = _Server(("127.0.0.1", port), _Session)
        self._server.sink = self
        self.host, self.port = self._server.server_address[:2]
        self._thread = None

    @property
    def url(self):
        return f"{'smtps' if self.implicit_tls else 'smtp'}://{self.host}:{self.port}"

    def start(self):
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def close(self):
        if self._thread:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def wait(self, count, timeout=10):
        """Blocks until at least `count` messages arrived; returns them."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.messages) >= count, timeout)
            return list(self.messages)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()


def localhost_cert(directory):
    """A self-signed P-256 server certificate for 127.0.0.1 (openssl CLI),
    made in directory/tls; returns (certfile, keyfile)."""
    tmp = os.path.join(directory, "tls")
    os.mkdir(tmp)
    cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                    "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True, timeout=60)
    return cert, key


def server_tls_context(certfile, keyfile):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(certfile, keyfile)
    return ctx


def _text(m):
    """A message's plain text, decoded (for the JSON lines of --json)."""
    msg = m.message
    part = msg.get_body(preferencelist=("plain",)) if msg.is_multipart() else msg
    return part.get_content() if part is not None else ""


if __name__ == "__main__":
    # python3 smtpsink.py [--json] [PORT]: prints each message it gets, or
    # with --json one line per message, {"from", "to", "subject", "text"}
    # (the browser tests read their mails so, tests/browser/lib.mjs)
    import json
    import time
    args = sys.argv[1:]
    as_json = "--json" in args
    args = [a for a in args if a != "--json"]
    with SMTPSink(port=int(args[0]) if args else 0) as s:
        print(json.dumps({"url": s.url}) if as_json else f"listening on {s.url}", flush=True)
        seen = 0
        try:
            while True:
                for m in s.wait(seen + 1, timeout=1)[seen:]:
                    if as_json:
                        print(json.dumps({"from": m.mail_from, "to": m.rcpt_to,
                                          "subject": str(m.message["Subject"]),
                                          "text": _text(m)}), flush=True)
                    else:
                        print(f"--- from {m.mail_from} to {', '.join(m.rcpt_to)}")
                        print(m.data.decode("utf-8", "replace"), flush=True)
                    seen += 1
                time.sleep(0.1)
        except KeyboardInterrupt:
            pass
