#!/usr/bin/env python3
"""Mail over SMTP (issue 6 item 6, DESIGN §3, §8): with `[mail] smtp` set,
the outbox-deliver job hands each queued e-mail to the relay with libcurl
— envelope sender = [mail] from, one recipient, the same RFC 5322 text the
spool writer produces. Refusals (4xx/5xx) and an unreachable relay keep the
message queued with last_error and backoff; STARTTLS, smtps:// and AUTH.
The relay is tests/system/smtpsink.py, a real SMTP server on loopback; the
mail is the low-balance warning of test_outbox.py. Runs on SQLite and
PostgreSQL."""
import datetime
import glob
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import unittest
from email import message_from_bytes

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon import Daemon  # noqa: E402
from harness import psql  # noqa: E402
from eppclient import EPPClient, with_terms  # noqa: E402
from test_epp_contact import c_create, postal  # noqa: E402
from smtpsink import SMTPSink, localhost_cert, server_tls_context  # noqa: E402

DOMAIN = 'xmlns:domain="urn:ietf:params:xml:ns:domain-1.0"'
FROM = "Registry of Example <registry@nic.example>"
TO = "billing@registrar.example"
SUMMARY = re.compile(r"^outbox-deliver\s+ran\s+(.*)$", re.M)


def rfc3339(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def free_port():
    """A loopback port with nothing listening on it (closed at once)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpDelivery:
    backend = None

    def setUp(self):
        self.sink = SMTPSink().start()
        self.addCleanup(self.sink.close)
        self.d = Daemon(backend=self.backend, name="smtp",
                        settings={"mail.from": FROM, "mail.smtp": self.sink.url})
        self.addCleanup(self.d.cleanup)
        self.spool = os.path.join(self.d.var, "spool", "mail")
        self.d.regctl("registrar", "add", "MAILR", "--name", "Mail Registrar", "--password",
                      "mail-pass1", "--email", TO)
        self.d.regctl("price", "set", "create", "100")
        self.d.regctl("credit", "add", "MAILR", "10.00", "--text", "payment")
        self.d.regctl("registrar", "billing", "MAILR", "--low-balance", "750")
        self.d.start()
        self.c = EPPClient(self.d.host, self.d.port)
        self.addCleanup(self.c.close)
        self.assertEqual(self.c.login("MAILR", "mail-pass1").code, 1000)
        r = self.c.command(
            c_create("HOLDER", [postal("int", "Holder", street=(), city="Vejle", pc=None)],
                     voice=None, email="h@example.dk", pw="Cpw-123"))
        self.assertEqual(r.code, 1000, r)
        self.domains = 0
        # every --now below is after the mail was queued (at the real time)
        self.t0 = int(time.time()) + 60

    # --- helpers -----------------------------------------------------------

    def create(self, n=1):
        for _ in range(n):
            self.domains += 1
            r = self.c.command(
                '<create><domain:create %s><domain:name>smtp%d.dk</domain:name><domain:registrant>'
                'MAILR:HOLDER</domain:registrant><domain:authInfo><domain:pw>Dpw-123</domain:pw>'
                '</domain:authInfo></domain:create></create>' % (DOMAIN, self.domains),
                extension=with_terms())
            self.assertEqual(r.code, 1000, r)

    def cross(self):
        """Takes the balance from 1000 to 700, crossing 750: one mail."""
        self.create(3)

    def top_up(self):
        """From 700 back to 1000, which re-arms the warning."""
        self.d.regctl("credit", "add", "MAILR", "3.00", "--text", "top-up")

    def config(self, **mail):
        """This daemon's configuration with [mail] settings replaced; regctl,
        which runs the job, reads it."""
        return self.d.config_with("mail", mail)

    def deliver(self, at=None, config=None):
        """regctl jobs run --force outbox-deliver [--now at]; returns its summary."""
        argv = [self.d.regctl_path, "--config", config or self.d.config, "jobs", "run",
                "--force", "outbox-deliver"]
        if at is not None:
            argv += ["--now", rfc3339(at)]
        r = subprocess.run(argv, cwd=self.d.dir, capture_output=True, text=True, timeout=120,
                           stdin=subprocess.DEVNULL)
        self.assertEqual(r.returncode, 0, r)
        m = SUMMARY.search(r.stdout)
        self.assertIsNotNone(m, r.stdout)
        return m.group(1).strip()

    def outbox(self, state=None):
        """[(id, state, attempts, rest of the line)] from regctl outbox list."""
        args = ["outbox", "list"] + ([state] if state else [])
        rows = []
        for line in self.d.regctl(*args).stdout.splitlines()[1:]:
            f = line.split(None, 6)
            rows.append((int(f[0]), f[2], int(f[3]), line))
        return rows

    def low_balance_text(self):
        r = self.c.poll_req()
        self.assertEqual(r.code, 1301, r)
        return r.findtext("epp:response/epp:msgQ/epp:msg")

    def assert_warning(self, m, text):
        """m is exactly the low-balance warning to the registrar."""
        self.assertEqual(m.mail_from, "registry@nic.example")
        self.assertEqual(m.rcpt_to, [TO])
        self.assertTrue(m.esmtp)
        head, sep, body = m.data.partition(b"\r\n\r\n")
        self.assertEqual(sep, b"\r\n\r\n")
        self.assertNotIn(b"\n", head.replace(b"\r\n", b""), "bare LF in the header")
        msg = m.message
        self.assertEqual(msg["From"], FROM)
        self.assertEqual(msg["To"], TO)
        self.assertEqual(msg["Subject"], "Low prepaid balance")
        self.assertRegex(msg["Message-ID"], r"^<\d+\.[-_A-Za-z0-9]{16}@registryd>$")
        self.assertIsNotNone(msg["Date"].datetime)
        self.assertIn(b"\r\nContent-Type: text/plain; charset=utf-8\r\n", head)
        self.assertEqual(msg.get_content_charset(), "utf-8")
        self.assertEqual(
            body, ("Dear registrar MAILR,\r\n\r\n%s.\r\n\r\n-- \r\nThe registry\r\n" % text).encode())

    # --- tests ---------------------------------------------------------------

    def test_delivered_over_smtp(self):
        self.create(2)  # 800: above the level
        self.assertEqual(self.deliver(), "0 sent, 0 kept for a retry, 0 given up")
        self.assertEqual(self.sink.sessions, 0, "nothing to send opens no session")
        self.create(2)  # 700 crosses 750, 600 stays below: one mail
        self.assertEqual(self.deliver(), "1 sent, 0 kept for a retry, 0 given up")
        got = self.sink.wait(1)
        self.assertEqual(len(got), 1, got)
        self.assert_warning(got[0], self.low_balance_text())
        self.assertEqual(got[0].peer[0], "127.0.0.1")
        self.assertFalse(got[0].tls)
        self.assertEqual(got[0].helo, socket.gethostname().split(".")[0])  # no URL path
        self.assertEqual(self.sink.commands,
                         ["EHLO", "MAIL", "RCPT", "DATA", "QUIT"], self.sink.commands)
        self.assertEqual(glob.glob(os.path.join(self.spool, "*")), [], "spool used with a relay")
        [(mid, state, attempts, line)] = self.outbox()
        self.assertEqual((state, attempts), ("sent", 1), line)
        self.assertIn("<%d." % mid, got[0].message["Message-ID"])
        # sent once only
        self.assertEqual(self.deliver(self.t0 + 86400), "0 sent, 0 kept for a retry, 0 given up")
        self.assertEqual(len(self.sink.messages), 1)

    def test_registryd_scheduler_delivers(self):
        """The daemon's own job runner (not regctl) sends the mail."""
        self.cross()
        self.c.close()
        self.d.stop()
        self.d.only = "epp,jobs"  # the scheduler runs every due job at start
        self.d.start()
        got = self.sink.wait(1, timeout=30)
        self.assertEqual(len(got), 1, self.d.stderr())
        self.c = EPPClient(self.d.host, self.d.port)
        self.addCleanup(self.c.close)
        self.assertEqual(self.c.login("MAILR", "mail-pass1").code, 1000)
        self.assert_warning(got[0], self.low_balance_text())
        self.assertIn("sub=mail", self.d.stderr())
        self.assertIn("event=delivered", self.d.stderr())

    def test_relay_gets_the_spool_text(self):
        """One formatting function: the relay and the spool get the same bytes
        (apart from Date and Message-ID)."""
        self.cross()
        self.assertTrue(self.deliver().startswith("1 sent"))
        self.top_up()
        self.cross()
        self.assertTrue(self.deliver(config=self.config(smtp="")).startswith("1 sent"))
        [path] = glob.glob(os.path.join(self.spool, "*.eml"))
        with open(path, "rb") as f:
            spooled = f.read()
        [sent] = self.sink.messages

        def mask(b):
            return re.sub(rb"(?m)^(Date|Message-ID): .*$", rb"\1: -", b)

        self.assertEqual(mask(sent.data), mask(spooled))
        self.assertEqual(message_from_bytes(spooled)["From"], FROM)

    def test_refusals_are_retried_after_the_backoff(self):
        self.cross()
        self.top_up()
        self.cross()  # two mails queued
        t = self.t0

        def states():
            return [(state, attempts) for _, state, attempts, _ in self.outbox()]

        # 450 to RCPT TO: a refusal of the message, not of the relay, so the
        # run goes on to the next; both kept, next try 2 min later
        self.sink.rcpt_reply = "450 4.2.1 Mailbox busy"
        self.assertEqual(self.deliver(t), "0 sent, 2 kept for a retry, 0 given up")
        self.assertEqual(states(), [("queued", 1)] * 2)
        self.assertIn("relay refused the message at RCPT TO: 450 4.2.1 Mailbox busy",
                      self.outbox()[0][3])
        # not due before the backoff: no connection at all
        sessions = self.sink.sessions
        self.assertEqual(self.deliver(t + 119), "0 sent, 0 kept for a retry, 0 given up")
        self.assertEqual(self.sink.sessions, sessions)
        # 451 to DATA
        self.sink.rcpt_reply = None
        self.sink.data_reply = "451 4.3.0 Greylisted, try again later"
        t += 120
        self.assertEqual(self.deliver(t), "0 sent, 2 kept for a retry, 0 given up")
        self.assertIn("DATA", self.sink.commands)
        self.assertEqual(self.sink.messages, [])
        self.assertEqual(states(), [("queued", 2)] * 2)
        self.assertIn("at DATA: 451 4.3.0 Greylisted", self.outbox()[1][3])
        # 451 after the data (transmitted, then refused)
        self.sink.data_reply = None
        self.sink.eod_reply = "451 4.7.1 Temporary local problem"
        self.assertEqual(self.deliver(t + 239), "0 sent, 0 kept for a retry, 0 given up")
        t += 240
        self.assertEqual(self.deliver(t), "0 sent, 2 kept for a retry, 0 given up")
        self.assertEqual(self.sink.messages, [])
        self.assertEqual(states(), [("queued", 3)] * 2)
        self.assertIn("at end of data: 451 4.7.1 Temporary local problem", self.outbox()[0][3])
        # a 5xx is kept too (after 10 attempts the message is failed)
        self.sink.eod_reply = "554 5.7.1 Rejected for policy reasons"
        t += 480
        self.assertEqual(self.deliver(t), "0 sent, 2 kept for a retry, 0 given up")
        self.assertEqual(states(), [("queued", 4)] * 2)
        self.assertIn("554 5.7.1", self.outbox()[0][3])
        # accepted: each delivered once, exactly the warning
        self.sink.eod_reply = None
        t += 960
        self.assertEqual(self.deliver(t), "2 sent, 0 kept for a retry, 0 given up")
        self.assertEqual(len(self.sink.messages), 2)
        text = self.low_balance_text()
        for m in self.sink.messages:
            self.assert_warning(m, text)
        self.assertEqual(states(), [("sent", 5)] * 2)
        self.assertNotIn(" — ", self.outbox()[0][3], "last_error cleared once sent")
        self.assertEqual(self.deliver(t + 86400), "0 sent, 0 kept for a retry, 0 given up")
        self.assertEqual(len(self.sink.messages), 2)

    def test_given_up_after_ten_attempts(self):
        self.cross()
        self.sink.rcpt_reply = "550 5.1.1 No such user"
        t = self.t0
        for attempt in range(1, 10):
            self.assertEqual(self.deliver(t), "0 sent, 1 kept for a retry, 0 given up")
            t += 60 << attempt
        self.assertEqual(self.deliver(t), "0 sent, 0 kept for a retry, 1 given up")
        [(mid, state, attempts, line)] = self.outbox()
        self.assertEqual((state, attempts), ("failed", 10), line)
        self.assertIn("550 5.1.1 No such user", line)
        self.assertEqual(self.deliver(t + 86400 * 30), "0 sent, 0 kept for a retry, 0 given up")
        # staff put it back once the address is fixed; it goes out at once
        self.sink.rcpt_reply = None
        self.d.regctl("outbox", "retry", mid)
        self.assertEqual(self.deliver(), "1 sent, 0 kept for a retry, 0 given up")
        self.assert_warning(self.sink.messages[0], self.low_balance_text())
        self.assertEqual(self.outbox()[0][1:3], ("sent", 11))

    def test_dot_stuffing_and_utf8_subject(self):
        """Lines starting with "." survive the SMTP transparency rule, a
        non-ASCII subject goes as RFC 2047 words, CR/LF never reach a header.
        The row is queued directly (no template has such a body yet)."""
        subject = "Lav saldo på kontoen — ærø, ÆØÅ og én lang emnelinje ✓\r\nBcc: x@evil.example"
        body = ".leading dot\n..two dots\n.\n\nmidt i æøå\r\nlast line, no newline"
        sql = ("INSERT INTO outbox (channel, recipient, subject, body, cause, next_try, created_at) "
               "VALUES ('email', '%s', '%s', '%s', 'test', 0, 0)" % (TO, subject, body))
        if self.backend == "sqlite":
            con = sqlite3.connect(self.d.url[len("sqlite:"):])
            with con:
                con.execute(sql)
            con.close()
        else:
            psql(self.d.url, sql)
        self.assertEqual(self.deliver(), "1 sent, 0 kept for a retry, 0 given up")
        [m] = self.sink.messages
        head, _, got = m.data.partition(b"\r\n\r\n")
        self.assertEqual(got, b".leading dot\r\n..two dots\r\n.\r\n\r\nmidt i \xc3\xa6\xc3\xb8"
                              b"\xc3\xa5\r\nlast line, no newline\r\n")
        head.decode("ascii")  # 7-bit header
        for line in head.split(b"\r\n"):
            self.assertLessEqual(len(line), 78, line)
        self.assertNotIn(b"\r\nBcc:", head)
        self.assertEqual(m.message["Subject"], subject.replace("\r\n", "  "))
        self.assertEqual(m.message.get_content(), got.decode())

    def test_unreachable_relay(self):
        port = free_port()
        conf = self.config(smtp="smtp://127.0.0.1:%d/nic.example" % port)  # EHLO nic.example
        self.cross()
        self.top_up()
        self.cross()  # two mails queued
        t = self.t0
        # connection refused: the first is kept with the error, the run
        # stops, the second waits untried
        self.assertEqual(self.deliver(t, conf),
                         "0 sent, 1 kept for a retry, 0 given up, 1 waiting (relay unreachable)")
        rows = self.outbox()
        self.assertEqual([(s, a) for _, s, a, _ in rows], [("queued", 1), ("queued", 0)], rows)
        self.assertIn("SMTP relay:", rows[0][3])
        self.assertIn("onnect", rows[0][3])  # "Couldn't connect" / "Failed to connect"
        self.assertEqual(self.sink.sessions, 0)
        # the relay comes up on that port; both go out once due
        with SMTPSink(port=port) as relay:
            self.assertEqual(self.deliver(t + 120, conf), "2 sent, 0 kept for a retry, 0 given up")
            self.assertEqual(len(relay.messages), 2)
            for m in relay.messages:
                self.assertEqual(m.mail_from, "registry@nic.example")
                self.assertEqual(m.rcpt_to, [TO])
                self.assertEqual(m.helo, "nic.example")
        self.assertEqual([s for _, s, _, _ in self.outbox()], ["sent", "sent"])

    def test_tls_and_auth(self):
        cert, key = localhost_cert(self.d.dir)
        ctx = server_tls_context(cert, key)
        creds = ("mailer", "s3cret pass#1")
        t = self.t0
        self.cross()
        with SMTPSink(tls=ctx, auth=creds) as relay:
            # STARTTLS required but the plain sink does not offer it: kept
            plain = self.config(starttls="true")
            self.assertEqual(self.deliver(t, plain), "0 sent, 1 kept for a retry, 0 given up")
            self.assertIn("SMTP relay:", self.outbox()[0][3])
            self.assertNotIn("MAIL", self.sink.commands)
            # a wrong password: 535 before MAIL FROM, kept, password not in the error
            t += 120
            wrong = self.config(smtp=relay.url, starttls="true", ca=cert, user=creds[0],
                                password='"wrong pass"')
            self.assertEqual(self.deliver(t, wrong), "0 sent, 1 kept for a retry, 0 given up")
            line = self.outbox()[0][3]
            self.assertIn("535", line)
            self.assertNotIn("wrong pass", line)
            self.assertEqual(relay.messages, [])
            # STARTTLS + AUTH: sent
            t += 240
            good = self.config(smtp=relay.url, starttls="true", ca=cert, user=creds[0],
                               password=creds[1])
            self.assertEqual(self.deliver(t, good), "1 sent, 0 kept for a retry, 0 given up")
            [m] = relay.messages
            self.assertTrue(m.tls)
            self.assertEqual(m.auth_user, "mailer")
            self.assertEqual(relay.commands[-8:], ["EHLO", "STARTTLS", "EHLO", "AUTH", "MAIL",
                                                   "RCPT", "DATA", "QUIT"])
            self.assertIn("STARTTLS", relay.commands)
            self.assert_warning(m, self.low_balance_text())
            # config show never prints the password
            shown = subprocess.run([self.d.regctl_path, "--config", good, "config", "show"],
                                   capture_output=True, text=True, check=True).stdout
            self.assertNotIn(creds[1], shown)
            self.assertIn("# password = (set; not shown)", shown)
        # smtps:// (implicit TLS), no AUTH
        self.top_up()
        self.cross()
        with SMTPSink(tls=ctx, implicit_tls=True) as relay:
            self.assertTrue(relay.url.startswith("smtps://"))
            conf = self.config(smtp=relay.url, ca=cert)
            self.assertEqual(self.deliver(t + 1, conf), "1 sent, 0 kept for a retry, 0 given up")
            [m] = relay.messages
            self.assertTrue(m.tls)
            # an untrusted certificate is a relay failure, not a message failure
        self.top_up()
        self.cross()
        with SMTPSink(tls=ctx, implicit_tls=True) as relay:
            conf = self.config(smtp=relay.url)
            self.assertEqual(self.deliver(t + 2, conf), "0 sent, 1 kept for a retry, 0 given up")
            self.assertEqual(relay.messages, [])
            self.assertIn("SMTP relay:", self.outbox("queued")[0][3])


class SqliteSmtp(SmtpDelivery, unittest.TestCase):
    backend = "sqlite"


class PgsqlSmtp(SmtpDelivery, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
