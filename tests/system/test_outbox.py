#!/usr/bin/env python3
"""The outbox and the low-balance warning (issue 5 item 5): crossing below
the warning level queues one poll message and one e-mail to the registrar
in the same transaction as the debit; the outbox-deliver job writes the
mail to the spool; no second mail until the balance has been back above
the level. Runs on SQLite and PostgreSQL."""
import glob
import os
import sys
import unittest
from email import message_from_bytes

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon import Daemon  # noqa: E402
from eppclient import EPPClient, with_terms  # noqa: E402
from test_epp_contact import c_create, postal  # noqa: E402

DOMAIN = 'xmlns:domain="urn:ietf:params:xml:ns:domain-1.0"'


class Outbox:
    backend = None

    def setUp(self):
        self.d = Daemon(backend=self.backend, name="outbox",
                        settings={"mail.from": "registry@nic.example"})
        self.spool = os.path.join(self.d.var, "spool", "mail")
        self.d.regctl("registrar", "add", "MAILR", "--name", "Mail Registrar", "--password",
                      "mail-pass1", "--email", "billing@registrar.example")
        self.d.regctl("price", "set", "create", "100")
        self.d.regctl("credit", "add", "MAILR", "10.00", "--text", "payment")
        self.d.regctl("registrar", "billing", "MAILR", "--low-balance", "750")
        self.d.start()
        self.c = EPPClient(self.d.host, self.d.port)
        self.assertEqual(self.c.login("MAILR", "mail-pass1").code, 1000)
        r = self.c.command(
            c_create("HOLDER", [postal("int", "Holder", street=(), city="Vejle", pc=None)],
                     voice=None, email="h@example.dk", pw="Cpw-123"))
        self.assertEqual(r.code, 1000, r)

    def tearDown(self):
        self.c.close()
        self.d.cleanup()

    def create(self, name):
        r = self.c.command(
            '<create><domain:create %s><domain:name>%s</domain:name><domain:registrant>MAILR:HOLDER'
            '</domain:registrant><domain:authInfo><domain:pw>Dpw-123</domain:pw>'
            '</domain:authInfo></domain:create></create>' % (DOMAIN, name),
            extension=with_terms())
        self.assertEqual(r.code, 1000, r)

    def deliver(self):
        out = self.d.regctl("jobs", "run", "--force", "outbox-deliver").stdout
        self.assertIn("outbox-deliver", out)
        return sorted(glob.glob(os.path.join(self.spool, "*.eml")))

    def test_one_mail_per_crossing(self):
        self.create("mail1.dk")   # 900
        self.create("mail2.dk")   # 800
        self.assertEqual(self.deliver(), [])
        self.create("mail3.dk")   # 700: crosses 750
        self.create("mail4.dk")   # 600: still below, no second warning
        files = self.deliver()
        self.assertEqual(len(files), 1, files)
        with open(files[0], "rb") as f:
            msg = message_from_bytes(f.read())
        self.assertEqual(msg["To"], "billing@registrar.example")
        self.assertEqual(msg["From"], "registry@nic.example")
        self.assertEqual(msg["Subject"], "Low prepaid balance")
        self.assertIn("below your warning level", msg.get_payload())
        listing = self.d.regctl("outbox", "list", "sent").stdout
        self.assertIn("billing@registrar.example", listing)
        # back above the level re-arms the warning; the next crossing mails again
        self.d.regctl("credit", "add", "MAILR", "5.00", "--text", "top-up")   # 1100
        for n in range(5, 9):
            self.create("mail%d.dk" % n)  # 1000, 900, 800, 700
        self.assertEqual(len(self.deliver()), 2)
        r = self.c.poll_req()
        self.assertEqual(r.code, 1301)
        self.assertEqual(r.find("epp:response/epp:msgQ").get("count"), "2")
        self.assertEqual(self.d.regctl("ledger", "verify").returncode, 0)

    def test_refused_debit_mails_nothing(self):
        self.d.regctl("credit", "adjust", "MAILR", "-950", "--text", "correction")  # 50
        r = self.c.command(
            '<create><domain:create %s><domain:name>broke.dk</domain:name><domain:registrant>'
            'MAILR:HOLDER</domain:registrant><domain:authInfo><domain:pw>Dpw-123</domain:pw>'
            '</domain:authInfo></domain:create></create>' % DOMAIN, extension=with_terms())
        self.assertEqual(r.code, 2104, r)
        self.assertEqual(len(self.deliver()), 1)  # the adjustment's crossing only
        self.assertNotIn("broke.dk", self.d.regctl("outbox", "list").stdout)


class SqliteOutbox(Outbox, unittest.TestCase):
    backend = "sqlite"


class PgsqlOutbox(Outbox, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
