#!/usr/bin/env python3
"""Mail goes out promptly (issue 13 item 3): a transaction that queues a
message wakes registryd's scheduler when it commits, and outbox-deliver
sends it within about a second, although its periodic run ([outbox]
interval) and the scheduler's tick are an hour here. The mail is a
registrant's confirmation link, asked for over EPP (a delete without
<regd:verified/> answers 1001), received by a real SMTP listener
(tests/system/smtpsink.py). Nothing runs the job by hand: the test waits
for the wake-up itself, polling the sink against a deadline. Runs on
SQLite and PostgreSQL."""
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon import Daemon  # noqa: E402
from eppclient import EPPClient, with_terms  # noqa: E402
from smtpsink import SMTPSink  # noqa: E402
from test_epp_domain import CONTACT_NS, EXT_URIS, create_xml, delete_xml  # noqa: E402

DEADLINE = 3.0  # seconds from the EPP answer to the mail at the relay


class PromptMail:
    backend = None

    def setUp(self):
        self.sink = SMTPSink().start()
        self.addCleanup(self.sink.close)
        self.d = Daemon(backend=self.backend, name="prompt", only="epp,jobs",
                        settings={"mail.smtp": self.sink.url, "outbox.interval": "3600",
                                  "jobs.tick": "3600",
                                  "http.base_url": "https://nic.example"})
        self.addCleanup(self.d.cleanup)
        self.d.add_registrar("PROMPT", "prompt-pass1")
        self.d.start()
        self.addCleanup(self.d.stop)
        self.c = EPPClient(self.d.host, self.d.port)
        self.addCleanup(self.c.close)
        self.assertEqual(self.c.login("PROMPT", "prompt-pass1", ext_uris=EXT_URIS).code, 1000)

    def contact(self, cid, email):
        r = self.c.command(
            '<create><contact:create xmlns:contact="%s"><contact:id>%s</contact:id>'
            '<contact:postalInfo type="loc"><contact:name>Holder</contact:name><contact:addr>'
            '<contact:city>London</contact:city><contact:cc>GB</contact:cc></contact:addr>'
            '</contact:postalInfo><contact:email>%s</contact:email><contact:authInfo>'
            '<contact:pw>Cpw-12345</contact:pw></contact:authInfo></contact:create></create>'
            % (CONTACT_NS, cid, email))
        self.assertEqual(r.code, 1000, r.raw)
        return "PROMPT:%s" % cid.upper()

    def test_confirmation_mail_arrives_within_seconds(self):
        out = self.d.regctl("jobs", "list").stdout
        self.assertRegex(out, r"(?m)^outbox-deliver\s+3600\s", out)
        holder = self.contact("holder", "holder@example.test")
        r = self.c.command(create_xml("prompt.dk", holder, pw="Dpw-12345"),
                           extension=with_terms())
        self.assertEqual(r.code, 1000, r.raw)
        r = self.c.command(delete_xml("prompt.dk"))
        self.assertEqual(r.code, 1001, r.raw)
        asked = time.monotonic()
        deadline = asked + DEADLINE
        got = []
        while time.monotonic() < deadline:
            got = [m for m in self.sink.wait(1, timeout=0.1)
                   if m.rcpt_to == ["holder@example.test"]]
            if got:
                break
        took = time.monotonic() - asked
        self.assertEqual(len(got), 1, "no mail %.1fs after the EPP answer (the job runs "
                         "every hour here)\n%s" % (took, self.d.stderr()[-2000:]))
        self.assertIn("https://nic.example/confirm/", got[0].message.get_content())
        self.assertIn("name=outbox-deliver status=ok", self.d.stderr())


class SqlitePromptMail(PromptMail, unittest.TestCase):
    backend = "sqlite"


class PgsqlPromptMail(PromptMail, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
