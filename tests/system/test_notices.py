#!/usr/bin/env python3
"""Contact ident changes (R5) and notification mails (R10, R11) end to end:
commands over EPP to a real registryd, mail read back from the spool the
outbox-deliver job writes (var/spool/mail/*.eml), time moved with
`regctl jobs run --now`. Runs on SQLite and PostgreSQL.

R5   a changed regc:ident is 2308 with the reason; the same ident again is
     1000; a stored birthday not written YYYY-MM-DD, or a stored ident
     without cc, may be corrected.
R10  a contact's new email mails the old and the new address; a change of
     registrant mails the old and the new registrant; a delete request
     mails the registrant.
R11  ([lifecycle] on_expiry = expire) one mail per unique address of the
     domain's contacts one day after expiry; not again for that expiry;
     after a renewal the next expiry is notified again.

The contacts live in London (GB: no language of its own), so the texts
are English; test_r10_language_by_country_over_smtp has a Danish contact
get the Danish text through a real SMTP relay (tests/system/smtpsink.py),
and `regctl contact lang` switch it."""
import glob
import os
import sys
import unittest
from datetime import datetime, timedelta, timezone
from email import message_from_bytes

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon import Daemon  # noqa: E402
from eppclient import REGD_NS, EPPClient, regd_verified, with_terms, xml_escape  # noqa: E402
from harness import sql  # noqa: E402
from smtpsink import SMTPSink  # noqa: E402

DOMAIN = 'xmlns:domain="urn:ietf:params:xml:ns:domain-1.0"'
CONTACT = 'xmlns:contact="urn:ietf:params:xml:ns:contact-1.0"'
REGC_NS = "https://registryd.org/epp/contact-ext-1.0"
R5_REASON = "the ident cannot change; create a new contact object instead"


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def regc(verb, ident=None, type_="person"):
    """<regc:create>/<regc:update>; ident = (type, cc or None, value)."""
    body = "<regc:type>%s</regc:type>" % type_ if type_ else ""
    if ident:
        typ, cc, value = ident
        body += '<regc:ident type="%s"%s>%s</regc:ident>' % (
            typ, ' cc="%s"' % cc if cc else "", xml_escape(value))
    return '<regc:%s xmlns:regc="%s">%s</regc:%s>' % (verb, REGC_NS, body, verb)


class Notices:
    backend = None

    def setUp(self):
        self.d = Daemon(backend=self.backend, name="notices",
                        settings={"mail.from": "registry@nic.example",
                                  "lifecycle.on_expiry": "expire",
                                  # no R19 contact-check mail among these
                                  "management.contact_check_interval": "3650d"})
        self.spool = os.path.join(self.d.var, "spool", "mail")
        self.d.add_registrar("NOTE", "note-pass1", name="Notice Registrar")
        self.d.start()
        self.c = EPPClient(self.d.host, self.d.port)
        self.assertEqual(self.c.login("NOTE", "note-pass1", ext_uris=[REGC_NS, REGD_NS]).code, 1000)
        self.seen = set()

    def tearDown(self):
        self.c.close()
        self.d.stop()
        self.d.cleanup()

    # --- helpers ---------------------------------------------------------

    def sql(self, statement):
        sql(self.d, statement)

    def contact(self, cid, email, name="Jens Hansen", ident=None, city="London", cc="GB"):
        r = self.c.command(
            '<create><contact:create %s><contact:id>%s</contact:id><contact:postalInfo '
            'type="loc"><contact:name>%s</contact:name><contact:addr><contact:city>%s'
            '</contact:city><contact:cc>%s</contact:cc></contact:addr></contact:postalInfo>'
            '<contact:email>%s</contact:email><contact:authInfo><contact:pw>Cpw-12345'
            '</contact:pw></contact:authInfo></contact:create></create>'
            % (CONTACT, cid, xml_escape(name), xml_escape(city), cc, email),
            extension=regc("create", ident) if ident else "")
        self.assertEqual(r.code, 1000, r)
        return "NOTE:" + cid.upper()

    def contact_update(self, cid, chg="", ident=None):
        body = '<contact:id>%s</contact:id>' % cid
        if chg:
            body += "<contact:chg>%s</contact:chg>" % chg
        return self.c.command('<update><contact:update %s>%s</contact:update></update>'
                              % (CONTACT, body),
                              extension=regc("update", ident, type_=None) if ident else "")

    def domain(self, name, registrant, contacts=()):
        r = self.c.command(
            '<create><domain:create %s><domain:name>%s</domain:name><domain:period unit="y">1'
            '</domain:period><domain:registrant>%s</domain:registrant>%s<domain:authInfo>'
            '<domain:pw>Dpw-12345</domain:pw></domain:authInfo></domain:create></create>'
            % (DOMAIN, name, registrant,
               "".join('<domain:contact type="%s">%s</domain:contact>' % c for c in contacts)),
            extension=with_terms())
        self.assertEqual(r.code, 1000, r)
        return datetime.strptime(r.findtext(".//domain:exDate"), "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=timezone.utc)

    def jobs(self, when, *only):
        out = self.d.regctl("jobs", "run", "--force", "--now", iso(when), *only).stdout
        self.assertNotRegex(out, r"(?m)^\S+\s+failed\b")
        return out

    def new_mail(self, when=None):
        """Delivers the outbox (at `when`, else now); returns the messages not
        seen before, as (to, subject, body)."""
        args = ["jobs", "run", "--force"] + (["--now", iso(when)] if when else [])
        self.d.regctl(*args, "outbox-deliver")
        out = []
        for path in sorted(glob.glob(os.path.join(self.spool, "*.eml"))):
            if path in self.seen:
                continue
            self.seen.add(path)
            with open(path, "rb") as f:
                msg = message_from_bytes(f.read())
            self.assertEqual(msg["From"], "registry@nic.example")
            out.append((msg["To"], msg["Subject"],
                        msg.get_payload(decode=True).decode("utf-8").replace("\r\n", "\n")))
        return out

    def by_recipient(self, mails):
        got = {}
        for to, subject, body in mails:
            self.assertNotIn(to, got, "two mails to %s" % to)
            got[to] = (subject, body)
        return got

    # --- R5 --------------------------------------------------------------

    def test_r5_ident_cannot_change(self):
        cid = self.contact("person", "p@example.test", ident=("priv", "DK", "0102031234"))
        r = self.contact_update(cid, ident=("priv", "DK", "0102039999"))
        self.assertEqual(r.code, 2308, r)
        self.assertEqual(r.reason, R5_REASON)
        r = self.contact_update(cid, ident=("passport", "DK", "0102031234"))
        self.assertEqual((r.code, r.reason), (2308, R5_REASON), r)
        r = self.contact_update(cid, ident=("priv", "SE", "0102031234"))
        self.assertEqual((r.code, r.reason), (2308, R5_REASON), r)
        # the same ident again is no change
        self.assertEqual(self.contact_update(cid, ident=("priv", "DK", "0102031234")).code, 1000)
        # still the old one
        r = self.c.command('<info><contact:info %s><contact:id>%s</contact:id></contact:info>'
                           '</info>' % (CONTACT, cid))
        ident = r.find(".//{%s}ident" % REGC_NS)
        self.assertEqual((ident.get("type"), ident.get("cc"), ident.text),
                         ("priv", "DK", "0102031234"), r.raw)

    def test_r5_exceptions(self):
        bday = self.contact("bday", "b@example.test", ident=("birthday", "DK", "1980-02-29"))
        nocc = self.contact("nocc", "n@example.test", ident=("priv", "DK", "0102031234"))
        # data as the old registry kept it (a create no longer accepts it)
        self.sql("UPDATE contact SET ident_value = '29.02.1980' WHERE handle = '%s'" % bday)
        self.sql("UPDATE contact SET ident_cc = NULL WHERE handle = '%s'" % nocc)
        # 1. a birthday not written YYYY-MM-DD may be corrected, once
        self.assertEqual(self.contact_update(bday, ident=("birthday", "DK", "1980-02-29")).code,
                         1000)
        r = self.contact_update(bday, ident=("birthday", "DK", "1980-03-01"))
        self.assertEqual((r.code, r.reason), (2308, R5_REASON), r)
        # 2. an ident without cc may get one, once
        self.assertEqual(self.contact_update(nocc, ident=("priv", "DK", "0102031234")).code, 1000)
        r = self.contact_update(nocc, ident=("priv", "DK", "0102035555"))
        self.assertEqual((r.code, r.reason), (2308, R5_REASON), r)
        # the new ident is still checked
        self.sql("UPDATE contact SET ident_cc = NULL WHERE handle = '%s'" % nocc)
        r = self.contact_update(nocc, ident=("birthday", "DK", "1.1.1990"))
        self.assertEqual(r.code, 2005, r)
        # other stored idents are fixed: a priv value that merely looks odd is
        self.sql("UPDATE contact SET ident_cc = 'DK', ident_value = '29.02.1980' "
                 "WHERE handle = '%s'" % nocc)
        r = self.contact_update(nocc, ident=("priv", "DK", "2902801234"))
        self.assertEqual((r.code, r.reason), (2308, R5_REASON), r)

    # --- R10 -------------------------------------------------------------

    def test_r10_contact_email_change(self):
        cid = self.contact("mail", "old@example.test")
        self.assertEqual(self.new_mail(), [])
        r = self.contact_update(cid, chg="<contact:email>new@example.test</contact:email>")
        self.assertEqual(r.code, 1000, r)
        got = self.by_recipient(self.new_mail())
        self.assertEqual(set(got), {"old@example.test", "new@example.test"})
        for to, (subject, body) in got.items():
            self.assertEqual(subject, "Contact NOTE:MAIL: e-mail address changed")
            self.assertIn("NOTE:MAIL", body)
            self.assertIn("Notice Registrar (NOTE)", body)
            self.assertIn("from old@example.test\nto   new@example.test", body)
        self.assertIn("will no longer receive", got["old@example.test"][1])
        # the same address again, or a refused change: nothing
        self.assertEqual(
            self.contact_update(cid, chg="<contact:email>new@example.test</contact:email>").code,
            1000)
        self.assertEqual(
            self.contact_update(cid, chg="<contact:email>broken</contact:email>").code, 2005)
        self.assertEqual(self.new_mail(), [])

    def test_r10_registrant_change_and_delete(self):
        holder = self.contact("holder", "holder@example.test", name="Old Holder")
        buyer = self.contact("buyer", "buyer@example.test", name="New Holder")
        self.domain("sold.dk", holder)
        self.assertEqual(self.new_mail(), [])
        r = self.c.command(
            '<update><domain:update %s><domain:name>sold.dk</domain:name><domain:chg>'
            '<domain:registrant>%s</domain:registrant></domain:chg></domain:update></update>'
            % (DOMAIN, buyer), extension=regd_verified("update"))
        self.assertEqual(r.code, 1000, r)  # R8: verified, so applied at once
        got = self.by_recipient(self.new_mail())
        self.assertEqual(set(got), {"holder@example.test", "buyer@example.test"})
        for subject, body in got.values():
            self.assertEqual(subject, "Domain sold.dk: change of registrant")
            self.assertIn("from contact %s\nto   contact %s" % (holder, buyer), body)
            self.assertIn("Notice Registrar (NOTE)", body)
        self.assertIn("no longer the registrant", got["holder@example.test"][1])
        self.assertIn("now the registrant", got["buyer@example.test"][1])

        r = self.c.command('<delete><domain:delete %s><domain:name>sold.dk</domain:name>'
                           '</domain:delete></delete>' % DOMAIN,
                           extension=regd_verified("delete"))
        self.assertEqual(r.code, 1001, r)  # redemption first ([lifecycle] defaults)
        mails = self.new_mail()
        self.assertEqual(len(mails), 1, mails)
        to, subject, body = mails[0]
        self.assertEqual(to, "buyer@example.test")
        self.assertEqual(subject, "Domain sold.dk: deletion requested")
        self.assertIn("Notice Registrar (NOTE) asked for the domain sold.dk to be deleted", body)

    def test_r10_language_by_country_over_smtp(self):
        """A contact with its address in Denmark gets the Danish text, one in
        Estonia the Estonian one, through a real SMTP relay; staff switch
        the Danish one to English with regctl contact lang."""
        dk = self.contact("dansk", "jens@example.dk", name="Jens Hansen", city="Aarhus C",
                          cc="DK")
        ee = self.contact("eesti", "mari@example.ee", name="Mari Maasikas", city="Tartu",
                          cc="EE")
        sink = SMTPSink().start()
        self.addCleanup(sink.close)
        relay = os.path.join(self.d.dir, "relay.conf")
        with open(self.d.config) as f, open(relay, "w") as out:
            out.write(f.read() + "[mail]\nsmtp = %s\n" % sink.url)

        def delivered(n):
            self.d.regctl("--config", relay, "jobs", "run", "--force", "outbox-deliver")
            got = sink.wait(n)
            self.assertEqual(len(got), n, got)
            return {m.rcpt_to[0]: m.message for m in got}  # the latest to each

        for cid, addr in ((dk, "jens@nyt.example.dk"), (ee, "mari@uus.example.ee")):
            r = self.contact_update(cid, chg="<contact:email>%s</contact:email>" % addr)
            self.assertEqual(r.code, 1000, r)
        got = delivered(4)
        for to in ("jens@example.dk", "jens@nyt.example.dk"):
            msg = got[to]
            self.assertEqual(msg["Subject"], "Kontakt NOTE:DANSK: e-mailadressen er ændret")
            self.assertEqual(msg.get_content_charset(), "utf-8")
            body = msg.get_content().replace("\r\n", "\n")
            self.assertTrue(body.startswith(
                "Kære Jens Hansen\n\nDen %s blev e-mailadressen for kontakten NOTE:DANSK i "
                "registret ændret\nfra jens@example.dk\ntil jens@nyt.example.dk\n"
                "af registratoren Notice Registrar (NOTE).\n\n" % self.today()), body)
            self.assertTrue(body.endswith("\n-- \nRegistreringsenheden\n"), body)
        self.assertIn("Denne adresse vil ikke længere modtage beskeder om kontakten.",
                      got["jens@example.dk"].get_content())
        self.assertIn("Beskeder om kontakten sendes nu til denne adresse.",
                      got["jens@nyt.example.dk"].get_content())
        msg = got["mari@uus.example.ee"]
        self.assertEqual(msg["Subject"], "Kontakt NOTE:EESTI: e-posti aadress on muudetud")
        self.assertIn("Lugupeetud Mari Maasikas!\n", msg.get_content().replace("\r\n", "\n"))
        self.assertIn("Muudatuse tegi registrar Notice Registrar (NOTE).", msg.get_content())

        # staff override: English for the Danish contact, then automatic again
        out = self.d.regctl("contact", "lang", dk).stdout
        self.assertEqual(out, "NOTE:DANSK: da (automatic: address in DK)\n")
        out = self.d.regctl("contact", "lang", dk.lower(), "en").stdout
        self.assertEqual(out, "NOTE:DANSK: en (set by staff)\n")
        r = self.d.regctl("contact", "lang", dk, "sv", check=False)
        self.assertEqual(r.returncode, 2, r)
        self.assertIn("language \"sv\" is not en, da, nb, et or auto", r.stderr)
        r = self.d.regctl("contact", "lang", "NOTE:NOBODY", "da", check=False)
        self.assertEqual((r.returncode, r.stderr.strip()),
                         (1, "regctl: contact lang: contact NOTE:NOBODY does not exist"))
        r = self.contact_update(dk, chg="<contact:email>jens@example.dk</contact:email>")
        self.assertEqual(r.code, 1000, r)
        got = delivered(6)
        for to in ("jens@example.dk", "jens@nyt.example.dk"):
            msg = got[to]
            self.assertEqual(msg["Subject"], "Contact NOTE:DANSK: e-mail address changed")
            self.assertIn("Hello Jens Hansen,", msg.get_content())
        self.assertEqual(self.d.regctl("contact", "lang", dk, "auto").stdout,
                         "NOTE:DANSK: da (automatic: address in DK)\n")
        # the override is kept in the contact's history (R40)
        self.assertIn("\n    lang: en\n", self.d.regctl("history", "--full", dk).stdout)

    def today(self):
        return datetime.now(timezone.utc).strftime("%Y-%m-%d")

    # --- R11 -------------------------------------------------------------

    def test_r11_expiry_notice(self):
        holder = self.contact("holder", "holder@example.test")
        admin = self.contact("admin", "admin@example.test", name="Anne Admin")
        tech = self.contact("tech", "admin@example.test", name="Tom Tech")  # same mailbox
        billing = self.contact("billing", "billing@example.test", name="Bill Billing")
        exp = self.domain("expiring.dk", holder,
                          (("admin", admin), ("tech", tech), ("billing", billing)))
        self.domain("fresh.dk", holder)  # the holder's second domain: a notice of its own
        self.new_mail()

        # before a day has passed: nothing
        self.assertRegex(self.jobs(exp + timedelta(hours=23)), r"expiry-notice\s+ran\s+0 ")
        self.assertEqual(self.new_mail(exp + timedelta(hours=23)), [])
        # a day and an hour after expiry: one mail per unique address (the
        # outbox-deliver job of the same run sends them)
        when = exp + timedelta(days=1, hours=1)
        out = self.jobs(when)
        self.assertRegex(out, r"expiry-notice\s+ran\s+2 ")
        mails = self.new_mail(when)
        self.assertEqual([m[0] for m in mails if "fresh.dk" in m[1]], ["holder@example.test"])
        got = self.by_recipient([m for m in mails if "expiring.dk" in m[1]])
        self.assertEqual(set(got), {"holder@example.test", "admin@example.test",
                                    "billing@example.test"})
        for subject, body in got.values():
            self.assertEqual(subject, "Domain expiring.dk has expired")
            self.assertIn("expired on %s" % exp.strftime("%Y-%m-%d"), body)
            self.assertIn("Notice Registrar (NOTE)", body)
        self.assertIn("administrative contact and technical contact",
                      got["admin@example.test"][1])
        # run again: none
        self.assertRegex(self.jobs(when + timedelta(hours=1)), r"expiry-notice\s+ran\s+0 ")
        self.assertEqual(self.new_mail(when + timedelta(hours=1)), [])

        # renewed: no longer expired, no notice; its next expiry is notified
        r = self.c.command(
            '<renew><domain:renew %s><domain:name>expiring.dk</domain:name><domain:curExpDate>'
            '%s</domain:curExpDate><domain:period unit="y">1</domain:period></domain:renew>'
            '</renew>' % (DOMAIN, exp.strftime("%Y-%m-%d")))
        self.assertEqual(r.code, 1000, r)
        self.assertRegex(self.jobs(when + timedelta(hours=2)), r"expiry-notice\s+ran\s+0 ")
        new_exp = datetime.strptime(r.findtext(".//domain:exDate"),
                                    "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        later = new_exp + timedelta(days=1, hours=1)
        self.assertRegex(self.jobs(later), r"expiry-notice\s+ran\s+1 ")
        mails = self.new_mail(later)
        self.assertEqual(len(mails), 3, mails)
        for _, subject, body in mails:
            self.assertEqual(subject, "Domain expiring.dk has expired")
            self.assertIn("expired on %s" % new_exp.strftime("%Y-%m-%d"), body)
        self.assertRegex(self.jobs(later + timedelta(hours=1)), r"expiry-notice\s+ran\s+0 ")


class SqliteNotices(Notices, unittest.TestCase):
    backend = "sqlite"


class PgsqlNotices(Notices, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
