#!/usr/bin/env python3
"""Identity checks of registrants (R21, R22) end to end: the real registryd
over TLS EPP with `[idcheck] enabled = true` and the test eID provider,
staff decisions with `regctl idcheck`, time moved with `regctl jobs run
--now`, mail read back from the spool. Runs on SQLite and PostgreSQL; every
frame the server sends is validated against schema/all.xsd.

R21  a domain create makes its registrant's check pending with a deadline
     (25 days), shown to the sponsor in <regc:idCheck>; the registrant is
     mailed; the test provider verifies on matching evidence, fails on
     other evidence; staff verify and fail with a method and a note.
R22  past the deadline the job fails the check, puts the registrant's
     domains on serverHold (domain info shows it, with why) and deletes
     them 30 days later (autoPurge poll message); verified in between, the
     hold is lifted and nothing is deleted; a failed registrant cannot
     register (2306), nor become a domain's registrant (2306)."""
import glob
import os
import re
import sys
import unittest
from datetime import datetime, timedelta, timezone
from email import message_from_bytes

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon import Daemon  # noqa: E402
from eppclient import REGD_NS, EPPClient, regd_verified, with_terms  # noqa: E402
from test_epp_session import Recorder  # noqa: E402

DOMAIN_NS = "urn:ietf:params:xml:ns:domain-1.0"
CONTACT_NS = "urn:ietf:params:xml:ns:contact-1.0"
REGC_NS = "https://registryd.org/epp/contact-ext-1.0"
CHANGE_NS = "urn:ietf:params:xml:ns:changePoll-1.0"
DOMAIN = 'xmlns:domain="%s"' % DOMAIN_NS
CONTACT = 'xmlns:contact="%s"' % CONTACT_NS
HOLD_MESSAGE = ("identity check of the registrant failed: out of the zone until the registrant "
                "proves their identity to the registry")
IDENT = "0102031234"
DAY = timedelta(days=1)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(s):
    return datetime.strptime(s.split(".")[0].rstrip("Z"), "%Y-%m-%dT%H:%M:%S").replace(
        tzinfo=timezone.utc)


class Idcheck:
    backend = None

    def setUp(self):
        self.d = Daemon(backend=self.backend, name="idcheck",
                        settings={"mail.from": "registry@nic.example",
                                  "idcheck.enabled": "true",
                                  "idcheck.provider": "test"})
        self.spool = os.path.join(self.d.var, "spool", "mail")
        self.recorder = Recorder(os.path.join(self.d.dir, "responses"))
        self.d.add_registrar("IDREG", "idreg-pass1", name="Identity Registrar")
        self.d.add_registrar("OTHER", "other-pass1")
        self.d.start()
        self.c = self.login("IDREG", "idreg-pass1")
        self.seen = set()

    def tearDown(self):
        self.c.close()
        rc = self.d.stop()
        ok, report = self.recorder.validate()
        self.d.cleanup()
        self.assertEqual(rc, 0)
        self.assertTrue(ok, report)

    # --- helpers ---------------------------------------------------------

    def login(self, clid, pw):
        c = EPPClient(self.d.host, self.d.port, recorder=self.recorder)
        self.assertEqual(c.login(clid, pw, ext_uris=[REGC_NS, REGD_NS]).code, 1000)
        return c

    def change_registrant(self, name, registrant, verified=False):
        """domain update chg registrant; verified adds <regd:verified/> (R8)."""
        ext = regd_verified("update") if verified else ""
        return self.c.command(
            '<update><domain:update %s><domain:name>%s</domain:name><domain:chg>'
            '<domain:registrant>%s</domain:registrant></domain:chg></domain:update></update>'
            % (DOMAIN, name, registrant), extension=ext)

    def contact(self, cid, email, ident=IDENT):
        """A Danish ident, an address in GB (no language of its own): the
        registry writes to it in English."""
        ext = ('<regc:create xmlns:regc="%s"><regc:type>person</regc:type>'
               '<regc:ident type="priv" cc="DK">%s</regc:ident></regc:create>'
               % (REGC_NS, ident)) if ident else ""
        r = self.c.command(
            '<create><contact:create %s><contact:id>%s</contact:id><contact:postalInfo '
            'type="loc"><contact:name>Jens Hansen</contact:name><contact:addr><contact:city>'
            'London</contact:city><contact:cc>GB</contact:cc></contact:addr>'
            '</contact:postalInfo><contact:email>%s</contact:email><contact:authInfo>'
            '<contact:pw>Cpw-12345</contact:pw></contact:authInfo></contact:create></create>'
            % (CONTACT, cid, email), extension=ext)
        self.assertEqual(r.code, 1000, r.raw)
        return "IDREG:" + cid.upper()

    def create(self, name, registrant, client=None):
        """domain create; returns the response."""
        return (client or self.c).command(
            '<create><domain:create %s><domain:name>%s</domain:name><domain:period unit="y">1'
            '</domain:period><domain:registrant>%s</domain:registrant><domain:authInfo>'
            '<domain:pw>Dpw-12345</domain:pw></domain:authInfo></domain:create></create>'
            % (DOMAIN, name, registrant), extension=with_terms())

    def domain(self, name, registrant):
        r = self.create(name, registrant)
        self.assertEqual(r.code, 1000, r.raw)
        return parse_time(r.findtext(".//domain:crDate"))

    def domain_info(self, name):
        return self.c.command('<info><domain:info %s><domain:name>%s</domain:name>'
                              '</domain:info></info>' % (DOMAIN, name))

    def statuses(self, name):
        r = self.domain_info(name)
        self.assertEqual(r.code, 1000, r.raw)
        return {e.get("s"): (e.text or "") for e in r.root.iter("{%s}status" % DOMAIN_NS)}

    def idcheck(self, handle, client=None, authinfo=None):
        """The regc:idCheck element of contact info (None if absent)."""
        auth = ("<contact:authInfo><contact:pw>%s</contact:pw></contact:authInfo>" % authinfo
                if authinfo else "")
        r = (client or self.c).command(
            '<info><contact:info %s><contact:id>%s</contact:id>%s</contact:info></info>'
            % (CONTACT, handle, auth))
        self.assertEqual(r.code, 1000, r.raw)
        return r.root.find(".//{%s}infData/{%s}idCheck" % (REGC_NS, REGC_NS))

    def regctl(self, *args, rc=0):
        r = self.d.regctl(*args, check=False)
        self.assertEqual(r.returncode, rc, "regctl %s\nstdout: %s\nstderr: %s"
                         % (" ".join(args), r.stdout, r.stderr))
        if rc:  # one line on stderr, nothing on stdout
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
            self.assertEqual(r.stdout, "")
        return r

    def jobs(self, when):
        out = self.regctl("jobs", "run", "--force", "--now", iso(when)).stdout
        self.assertNotRegex(out, r"(?m)^\S+\s+failed\b")
        m = re.search(r"(?m)^idcheck-deadline\s+ran\s+(.*)$", out)
        self.assertTrue(m, out)
        return m.group(1)

    def new_mail(self):
        """The spooled messages not seen before, as (to, subject, body)."""
        self.d.regctl("jobs", "run", "--force", "outbox-deliver")
        out = []
        for path in sorted(glob.glob(os.path.join(self.spool, "*.eml"))):
            if path in self.seen:
                continue
            self.seen.add(path)
            with open(path, "rb") as f:
                msg = message_from_bytes(f.read())
            out.append((msg["To"], msg["Subject"],
                        msg.get_payload(decode=True).decode("utf-8").replace("\r\n", "\n")))
        return out

    def polls(self):
        """Every queued poll message (text, changePoll reason), acknowledged."""
        out = []
        while True:
            r = self.c.poll_req()
            if r.code != 1301:
                self.assertEqual(r.code, 1300, r.raw)
                return out
            reason = r.root.find(".//{%s}reason" % CHANGE_NS)
            out.append((r.findtext(".//epp:msgQ/epp:msg"),
                        reason.text if reason is not None else None))
            self.assertEqual(self.c.poll_ack(r.msgq.get("id")).code, 1000)

    def suspend(self):
        """A registrant with two domains whose check has failed at its
        deadline; returns (handle, the moment of failure)."""
        holder = self.contact("holder", "holder@example.test")
        created = self.domain("first.dk", holder)
        self.domain("second.dk", holder)
        self.new_mail()
        self.polls()
        deadline = created + 25 * DAY
        self.assertRegex(self.jobs(deadline - timedelta(seconds=1)),
                         r"^0 checks started, 0 past their deadline, 0 domains suspended")
        self.assertRegex(self.jobs(deadline),
                         r"^0 checks started, 1 past their deadline, 2 domains suspended, "
                         r"0 released, 0 deleted$")
        return holder, deadline

    # --- R21 -------------------------------------------------------------

    def test_R21_create_makes_registrant_pending(self):
        holder = self.contact("holder", "holder@example.test")
        self.assertEqual(self.idcheck(holder).attrib, {"state": "none"})
        created = self.domain("pending.dk", holder)
        el = self.idcheck(holder)
        deadline = created + 25 * DAY
        self.assertEqual(el.get("state"), "pending")
        self.assertEqual(parse_time(el.get("deadline")), deadline)
        self.assertIsNone(el.get("method"))
        # another registrar, even with the auth info, does not see the check
        other = self.login("OTHER", "other-pass1")
        self.addCleanup(other.close)
        self.assertIsNone(self.idcheck(holder, client=other, authinfo="Cpw-12345"))
        self.assertIsNone(self.idcheck(holder, client=other))
        # the registrant is told what to do and by when
        mails = self.new_mail()
        self.assertEqual(len(mails), 1, mails)
        to, subject, body = mails[0]
        self.assertEqual(to, "holder@example.test")
        self.assertEqual(subject, "Please confirm your identity by %s"
                         % deadline.strftime("%Y-%m-%d"))
        self.assertIn("registrant (holder) of the domain pending.dk", body)
        self.assertIn("Quote your contact id %s." % holder, body)
        self.assertIn("deleted 30 days later", body)
        # a second domain keeps the deadline and mails nobody
        self.domain("again.dk", holder)
        self.assertEqual(parse_time(self.idcheck(holder).get("deadline")), deadline)
        self.assertEqual(self.new_mail(), [])
        # a contact without regc:type shows its check to the sponsor too
        plain = self.contact("plain", "plain@example.test", ident=None)
        self.domain("plain.dk", plain)
        self.assertEqual(self.idcheck(plain).get("state"), "pending")
        # a change of registrant starts the new registrant's check when it
        # is applied: at once with <regd:verified/> (R8), not while it
        # waits for the registrant's confirmation (R7)
        buyer = self.contact("buyer", "buyer@example.test")
        self.assertEqual(self.change_registrant("again.dk", buyer).code, 1001)
        self.assertEqual(self.idcheck(buyer).attrib, {"state": "none"})
        later = self.contact("later", "later@example.test")
        self.assertEqual(self.change_registrant("plain.dk", later, verified=True).code, 1000)
        self.assertEqual(self.idcheck(later).get("state"), "pending")
        subjects = [m[1] for m in self.new_mail() if m[0] == "later@example.test"]
        self.assertTrue(any(s.startswith("Please confirm your identity by") for s in subjects),
                        subjects)
        # staff see it
        out = self.regctl("idcheck", "list", "--state", "pending").stdout
        self.assertRegex(out, r"(?m)^%s\s+pending\s+%s\s+-\s+IDREG\s+2\s+IDREG\s*$"
                         % (re.escape(holder), re.escape(iso(deadline))))
        self.assertIn("idcheck-pending", self.regctl("history", holder).stdout)

    def test_R21_verify_by_test_provider(self):
        holder = self.contact("holder", "holder@example.test")
        liar = self.contact("liar", "liar@example.test", ident="0909091111")
        self.domain("holder.dk", holder)
        self.domain("liar.dk", liar)
        # evidence the provider cannot read: an error, nothing decided
        r = self.regctl("idcheck", "eid", holder, "--evidence", "match", rc=1)
        self.assertIn("eID provider test: the test provider takes evidence CC:IDENT", r.stderr)
        self.assertEqual(self.idcheck(holder).get("state"), "pending")
        # the eID identity is the contact's ident: verified
        r = self.regctl("idcheck", "eid", holder.lower(), "--evidence", "DK:" + IDENT)
        self.assertEqual(r.stdout, "contact %s: identity verified by eID provider test; "
                                   "0 suspended domains released\n" % holder)
        el = self.idcheck(holder)
        self.assertEqual((el.get("state"), el.get("method")), ("verified", "eid"))
        self.assertIsNone(el.get("deadline"))
        self.assertTrue(el.get("date"))
        self.regctl("idcheck", "eid", holder, "--evidence", "DK:" + IDENT, rc=1)
        # someone else's identity: failed, and the domain suspended at once
        r = self.regctl("idcheck", "eid", liar, "--evidence", "DK:" + IDENT)
        self.assertEqual(r.stdout, "contact %s: identity check failed by eID provider test; "
                                   "1 domain suspended\n" % liar)
        self.assertEqual(self.idcheck(liar).get("state"), "failed")
        self.assertEqual(self.statuses("liar.dk").get("serverHold"), HOLD_MESSAGE)
        out = self.regctl("idcheck", "list").stdout
        self.assertRegex(out, r"(?m)^%s\s+verified\s+\S+\s+eid\s+staff\s+1\s+IDREG\s+eID "
                              r"provider test: the eID identity matches" % re.escape(holder))
        self.assertRegex(out, r"(?m)^%s\s+failed\s+\S+\s+eid\s+staff\s+1\s+IDREG\s+eID "
                              r"provider test: the eID identity does not match" % re.escape(liar))

    def test_R21_regctl_errors(self):
        holder = self.contact("holder", "holder@example.test")
        self.regctl("idcheck", "verify", holder, "--method", "documents", rc=2)  # no --note
        self.regctl("idcheck", "verify", "--method", "documents", "--note", "x", rc=2)
        self.regctl("idcheck", "verify", holder, "--method", "documents", "--note", "x",
                    "--bogus", "y", rc=2)
        r = self.regctl("idcheck", "verify", holder, "--method", "letter", "--note", "x", rc=1)
        self.assertIn('method "letter" is not eid or documents', r.stderr)
        r = self.regctl("idcheck", "fail", "IDREG:NOBODY", "--method", "documents", "--note",
                        "x", rc=1)
        self.assertIn("contact IDREG:NOBODY does not exist", r.stderr)
        r = self.regctl("idcheck", "list", "--state", "expired", rc=1)
        self.assertIn('state "expired" is not none, pending, verified or failed', r.stderr)
        self.regctl("idcheck", "eid", holder, rc=2)  # no --evidence
        self.assertEqual(self.regctl("idcheck", "list").stdout,
                         "no contacts with an identity check\n")
        self.assertEqual(self.idcheck(holder).get("state"), "none")

    # --- R22 -------------------------------------------------------------

    def test_R22_deadline_suspends_then_deletes(self):
        holder, failed_at = self.suspend()
        el = self.idcheck(holder)
        self.assertEqual(el.get("state"), "failed")
        self.assertEqual(parse_time(el.get("date")), failed_at)
        for name in ("first.dk", "second.dk"):
            self.assertEqual(self.statuses(name).get("serverHold"), HOLD_MESSAGE)
        delete_on = (failed_at + 30 * DAY).strftime("%Y-%m-%d")
        polls = self.polls()
        self.assertEqual(sorted(p[0] for p in polls), [
            "Registry update of %s: registrant failed identity check; deletion on %s"
            % (name, delete_on) for name in ("first.dk", "second.dk")])
        self.assertEqual({p[1] for p in polls}, {"registrant failed identity check"})
        mails = self.new_mail()
        self.assertEqual([(m[0], m[1]) for m in mails],
                         [("holder@example.test",
                           "Identity check failed: your domains are suspended")])
        self.assertIn("  first.dk  deleted on %s\n  second.dk  deleted on %s\n"
                      % (delete_on, delete_on), mails[0][2])
        # a day before the deletion nothing goes; on the day both do
        self.assertRegex(self.jobs(failed_at + 29 * DAY), r" 0 deleted$")
        self.assertEqual(self.domain_info("first.dk").code, 1000)
        self.assertRegex(self.jobs(failed_at + 30 * DAY), r" 2 deleted$")
        for name in ("first.dk", "second.dk"):
            self.assertEqual(self.domain_info(name).code, 2303)
        self.assertEqual(sorted(p[0] for p in self.polls()),
                         ["Registry autoPurge of first.dk", "Registry autoPurge of second.dk"])

    def test_R22_verified_meanwhile_lifts_hold(self):
        holder, failed_at = self.suspend()
        self.polls()
        r = self.regctl("idcheck", "verify", holder, "--method", "documents", "--note",
                        "passport AB123456 seen")
        self.assertEqual(r.stdout, "contact %s: identity verified (documents); 2 suspended "
                                   "domains released\n" % holder)
        self.assertNotIn("serverHold", self.statuses("first.dk"))
        self.assertEqual(sorted(p[0] for p in self.polls()), [
            "Registry update of first.dk: identity verified: hold lifted",
            "Registry update of second.dk: identity verified: hold lifted"])
        el = self.idcheck(holder)
        self.assertEqual((el.get("state"), el.get("method")), ("verified", "documents"))
        self.assertRegex(self.jobs(failed_at + 31 * DAY), r" 0 released, 0 deleted$")
        self.assertEqual(self.domain_info("first.dk").code, 1000)
        self.assertEqual(self.domain_info("second.dk").code, 1000)
        history = self.regctl("history", holder).stdout
        for action in ("idcheck-pending", "idcheck-failed", "idcheck-verified"):
            self.assertIn(action, history)
        self.assertRegex(self.regctl("history", "first.dk").stdout,
                         r"idcheck-hold[\s\S]*idcheck-lift")

    def test_R22_failed_registrant_2306(self):
        bad = self.contact("bad", "bad@example.test")
        good = self.contact("good", "good@example.test")
        self.domain("good.dk", good)
        r = self.regctl("idcheck", "fail", bad, "--method", "documents", "--note",
                        "forged passport")
        self.assertEqual(r.stdout, "contact %s: identity check failed (documents); "
                                   "0 domains suspended\n" % bad)
        r = self.create("bad.dk", bad)
        self.assertEqual(r.code, 2306, r.raw)
        self.assertEqual(r.reason, "registrant %s failed its identity check" % bad)
        self.assertEqual(self.domain_info("bad.dk").code, 2303)
        r = self.c.command(
            '<update><domain:update %s><domain:name>good.dk</domain:name><domain:chg>'
            '<domain:registrant>%s</domain:registrant></domain:chg></domain:update></update>'
            % (DOMAIN, bad))
        self.assertEqual(r.code, 2306, r.raw)
        self.assertEqual(r.reason, "registrant %s failed its identity check" % bad)
        self.assertEqual(self.domain_info("good.dk").findtext(".//domain:registrant"), good)


class SqliteIdcheck(Idcheck, unittest.TestCase):
    backend = "sqlite"


class PgsqlIdcheck(Idcheck, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
