#!/usr/bin/env python3
"""Auth info, auth-code requests, one-time passwords and the manual route
(DESIGN §6 R13-R17) end to end: the real registryd over TLS EPP, the
outbox delivered by `regctl jobs run outbox-deliver` to a real SMTP
listener (tests/system/smtpsink.py) from which the one-time password is
read as the registrant would read it, time moved with `regctl --now`.
Runs on SQLite and PostgreSQL; every server frame is validated against
schema/all.xsd at the end of each class.

R13  only the sponsor sets, changes or removes auth info (domains and
     contacts: 2201); others see regd:authInfoSet, never the value.
R14  a transfer of a domain without auth info and without a one-time
     password is refused (2202, saying to ask with <regd:otp>).
R15  regctl authinfo request: the sponsor's poll message, a deadline of
     5 working days over a weekend and a holiday ([authinfo] holidays),
     overdue listing and the overdue reminder; closed by setting auth info.
R16  <regd:otp channel="email|sms"/> answers 1001 and sends the password;
     a transfer with it completes at once (1000, also in pending mode);
     wrong passwords 2202 and counted; reuse 2202; expiry by the
     otp-expire job; SMS to the registrant's regc:mobile (2306 without).
R17  regctl otp manual: documents recorded, the registrant's new e-mail
     (history, channel regctl), a one-off invoice the monthly run leaves
     alone, then a password by e-mail to the new address."""
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import unittest
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon import Daemon, scratch_root  # noqa: E402
from eppclient import REGD_NS, EPPClient, is_domain_create, with_terms, xml_escape  # noqa: E402
from harness import psql  # noqa: E402
from smtpsink import SMTPSink  # noqa: E402
from test_epp_session import Recorder  # noqa: E402

SCHEMA_DIR = os.environ.get("REG_SCHEMA_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "schema")
DOMAIN_NS = "urn:ietf:params:xml:ns:domain-1.0"
CONTACT_NS = "urn:ietf:params:xml:ns:contact-1.0"
REGC_NS = "https://registryd.org/epp/contact-ext-1.0"
NS = {"epp": "urn:ietf:params:xml:ns:epp-1.0", "domain": DOMAIN_NS, "contact": CONTACT_NS,
      "regd": REGD_NS, "regc": REGC_NS}

LOSE, GAIN, THIRD = "LOSE", "GAIN", "THIRD"
PASSWORDS = {LOSE: "lose-Pass-1", GAIN: "gain-Pass-1", THIRD: "third-Pass-1"}
HOLDER, NOMOBILE = "LOSE:HOLDER", "LOSE:NOMOBILE"
HOLDER_MAIL, MOBILE = "holder@example.test", "+45.12345678"
FROM = "registry@nic.example"
# the holders live in Norway: the registry writes to them in Norwegian
CODE_RE = re.compile(r"Engangskoden din:\s+([2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5})")
OTP_SUBJECT = "Engangskode for å flytte domenet %s"


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def dom(verb, body, attrs=""):
    return '<%s><domain:%s xmlns:domain="%s"%s>%s</domain:%s></%s>' % (
        verb, verb, DOMAIN_NS, attrs, body, verb, verb)


def auth(pw):
    return ("<domain:authInfo><domain:pw>%s</domain:pw></domain:authInfo>" % xml_escape(pw)
            if pw else "")


def transfer_xml(name, pw=None):
    return ('<transfer op="request"><domain:transfer xmlns:domain="%s"><domain:name>%s'
            '</domain:name>%s</domain:transfer></transfer>' % (DOMAIN_NS, name, auth(pw)))


def create_xml(name, registrant, pw=None):
    """authInfo is required in a create: an empty <domain:pw/> sets none."""
    return dom("create", "<domain:name>%s</domain:name><domain:registrant>%s</domain:registrant>"
                         "%s" % (name, registrant,
                                 auth(pw) or "<domain:authInfo><domain:pw/></domain:authInfo>"))


def otp_ext(channel):
    return '<regd:transfer xmlns:regd="%s"><regd:otp channel="%s"/></regd:transfer>' % (
        REGD_NS, channel)


class AuthOtp:
    backend = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="authotp-%s-" % cls.backend, dir=scratch_root())
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.recorder = Recorder(os.path.join(cls.tmp, "responses"))
        cls.sink = SMTPSink().start()
        cls.addClassCleanup(cls.sink.close)
        cls.d = Daemon(backend=cls.backend, name="authotp",
                       settings={"mail.from": FROM, "mail.smtp": cls.sink.url,
                                 "tld.name": "no", "billing.currency": "NOK",
                                 "authinfo.holidays": "2026-12-24,2026-12-25,2027-01-06"})
        cls.addClassCleanup(cls.d.cleanup)
        for handle, pw in PASSWORDS.items():
            cls.d.add_registrar(handle, pw, name="Registrar " + handle.title())
        cls.d.start()
        cls.sessions = {}
        cls.make_contact(HOLDER, HOLDER_MAIL, MOBILE)
        cls.make_contact(NOMOBILE, "nomobile@example.test", None)

    @classmethod
    def tearDownClass(cls):
        for s in cls.sessions.values():
            s.close()
        rc = cls.d.stop()
        problems = []
        if rc != 0:
            problems.append("registryd exited with %s:\n%s" % (rc, cls.d.stderr()[-3000:]))
        ok, report = cls.recorder.validate()
        if not ok:
            problems.append("responses do not validate against %s/all.xsd: %s"
                            % (SCHEMA_DIR, report))
        if problems:
            raise AssertionError("\n\n".join(problems))

    # --- EPP -----------------------------------------------------------------

    @classmethod
    def session(cls, clid):
        if clid not in cls.sessions:
            c = EPPClient(cls.d.host, cls.d.port, recorder=cls.recorder)
            r = c.login(clid, PASSWORDS[clid], ext_uris=[REGD_NS, REGC_NS])
            assert r.code == 1000, r
            cls.sessions[clid] = c
        return cls.sessions[clid]

    @classmethod
    def cmd(cls, clid, inner, extension=""):
        if is_domain_create(inner):
            extension = with_terms(extension)  # R20
        return cls.session(clid).command(inner, extension=extension)

    @classmethod
    def make_contact(cls, handle, email, mobile):
        ext = '<regc:create xmlns:regc="%s"><regc:type>person</regc:type>%s</regc:create>' % (
            REGC_NS, "<regc:mobile>%s</regc:mobile>" % mobile if mobile else "")
        r = cls.cmd(LOSE,
                    '<create><contact:create xmlns:contact="%s"><contact:id>%s</contact:id>'
                    '<contact:postalInfo type="loc"><contact:name>Hanne Holder</contact:name>'
                    '<contact:addr><contact:city>Bergen</contact:city><contact:cc>NO</contact:cc>'
                    '</contact:addr></contact:postalInfo><contact:email>%s</contact:email>'
                    '<contact:authInfo><contact:pw>Contact-Pw-1</contact:pw></contact:authInfo>'
                    '</contact:create></create>' % (CONTACT_NS, handle.split(":")[1], email),
                    extension=ext)
        assert r.code == 1000, r

    def create(self, name, pw=None, registrant=HOLDER):
        r = self.cmd(LOSE, create_xml(name, registrant, pw))
        self.assertEqual(r.code, 1000, r)

    def transfer(self, clid, name, pw=None):
        return self.cmd(clid, transfer_xml(name, pw))

    def ask_otp(self, clid, name, channel="email", pw=None):
        return self.cmd(clid, transfer_xml(name, pw), extension=otp_ext(channel))

    def outbox_body(self, subject):
        """The stored text of the outbox message with this subject."""
        q = "SELECT body FROM outbox WHERE subject = '%s'" % subject.replace("'", "''")
        if self.backend == "sqlite":
            con = sqlite3.connect(self.d.url[len("sqlite:"):], timeout=30)
            try:
                return con.execute(q).fetchone()[0]
            finally:
                con.close()
        return psql(self.d.url, q)

    def info(self, clid, name):
        return self.cmd(clid, dom("info", "<domain:name>%s</domain:name>" % name))

    def sponsor(self, name):
        r = self.info(LOSE, name)
        self.assertEqual(r.code, 1000, r)
        return r.findtext(".//domain:clID")

    def poll_texts(self, clid):
        """Every queued message of clid, oldest first (acknowledged)."""
        texts = []
        c = self.session(clid)
        while True:
            r = c.poll_req()
            if r.code == 1300:
                return texts
            self.assertEqual(r.code, 1301, r)
            texts.append(r.findtext("epp:response/epp:msgQ/epp:msg"))
            self.assertEqual(c.poll_ack(r.find("epp:response/epp:msgQ").get("id")).code, 1000)

    # --- mail, regctl -----------------------------------------------------------

    def regctl(self, *args, check=True):
        return self.d.regctl(*args, check=check)

    def deliver(self):
        out = self.regctl("jobs", "run", "--force", "outbox-deliver").stdout
        self.assertRegex(out, r"outbox-deliver\s+ran")

    def mails_to(self, rcpt, subject_part=""):
        return [m for m in self.sink.messages
                if m.rcpt_to == [rcpt] and subject_part in m.message["Subject"]]

    def password(self, domain, rcpt=HOLDER_MAIL):
        """Delivers the outbox; the password of the newest OTP mail for domain."""
        self.deliver()
        mails = self.mails_to(rcpt, OTP_SUBJECT % domain)
        self.assertTrue(mails, "no one-time password mail for %s to %s" % (domain, rcpt))
        m = mails[-1]
        self.assertEqual(m.mail_from, FROM)
        body = m.message.get_content()
        code = CODE_RE.search(body)
        self.assertIsNotNone(code, body)
        return code.group(1), body

    def otp_rows(self, domain):
        """regctl otp list DOMAIN: [(registrar, via, sent to, state, wrong tries)]."""
        lines = self.regctl("otp", "list", domain).stdout.splitlines()[1:]
        return [tuple(line.split()[2:7]) for line in lines]

    # --- R13 -----------------------------------------------------------------------

    def test_R13_only_the_sponsor_sets_auth_info_others_see_that_it_is_set(self):
        name = "r13-guarded.no"
        self.create(name, pw="Secret-Pw-13")
        # another registrar can neither set, change nor remove it
        for chg in (auth("Stolen-Pw-1"), "<domain:authInfo><domain:null/></domain:authInfo>"):
            r = self.cmd(GAIN, dom("update", "<domain:name>%s</domain:name><domain:chg>%s"
                                             "</domain:chg>" % (name, chg)))
            self.assertEqual(r.code, 2201, r)
            self.assertIn("sponsored by another registrar", r.reason)
        # others see that it is set, never the value
        r = self.info(GAIN, name)
        self.assertEqual(r.code, 1000, r)
        self.assertEqual(r.root.findtext(".//regd:infData/regd:authInfoSet", namespaces=NS), "true")
        self.assertIsNone(r.find(".//domain:authInfo"), r.raw)
        self.assertNotIn("Secret-Pw-13", r.raw)
        # the sponsor sees an empty <domain:pw/> (RFC 9154 §4.1), not the value
        r = self.info(LOSE, name)
        self.assertEqual(r.find(".//domain:authInfo/domain:pw").text, None)
        self.assertNotIn("Secret-Pw-13", r.raw)
        # the sponsor changes it
        r = self.cmd(LOSE, dom("update", "<domain:name>%s</domain:name><domain:chg>%s"
                                         "</domain:chg>" % (name, auth("Secret-Pw-14"))))
        self.assertEqual(r.code, 1000, r)
        self.assertEqual(self.transfer(THIRD, name, "Secret-Pw-13").code, 2202)
        # contacts alike: only the sponsor changes auth info; the value is never shown
        r = self.cmd(GAIN, '<update><contact:update xmlns:contact="%s"><contact:id>%s'
                           '</contact:id><contact:chg><contact:authInfo><contact:pw>Stolen-2'
                           '</contact:pw></contact:authInfo></contact:chg></contact:update>'
                           '</update>' % (CONTACT_NS, HOLDER))
        self.assertEqual(r.code, 2201, r)
        for clid, pw in ((GAIN, None), (GAIN, "Contact-Pw-1"), (LOSE, None)):
            r = self.cmd(clid, '<info><contact:info xmlns:contact="%s"><contact:id>%s'
                               '</contact:id>%s</contact:info></info>'
                         % (CONTACT_NS, HOLDER, "<contact:authInfo><contact:pw>%s</contact:pw>"
                            "</contact:authInfo>" % pw if pw else ""))
            self.assertEqual(r.code, 1000, r)
            self.assertNotIn("Contact-Pw-1", r.raw)
            pw_el = r.find(".//contact:authInfo/contact:pw")
            if clid == LOSE or pw:  # the full view says it is set, with an empty value
                self.assertIsNotNone(pw_el, r.raw)
                self.assertIsNone(pw_el.text)
            else:  # the public view says nothing of it
                self.assertIsNone(pw_el, r.raw)

    # --- R14, R16 -------------------------------------------------------------------

    def test_R14_no_auth_info_no_password_no_transfer(self):
        name = "r14-bare.no"
        self.create(name)
        for pw in (None, "Guess-Pw-1"):
            r = self.transfer(GAIN, name, pw)
            self.assertEqual(r.code, 2202, r)
            self.assertIn('<regd:otp channel="email"/>', r.reason)
            self.assertIn("has no auth info", r.reason)
        self.assertEqual(self.sponsor(name), LOSE)

    def test_R16_otp_transfer_completes(self):
        name = "r16-email.no"
        self.create(name)
        r = self.ask_otp(GAIN, name, "email")
        self.assertEqual(r.code, 1001, r)
        self.assertRegex(r.msg, r"^A one-time password for r16-email\.no was sent to the "
                                r"registrant by e-mail, valid until \S+Z; nothing is transferred "
                                r"yet")
        self.assertIsNone(r.find("epp:response/epp:resData"), r.raw)
        self.assertEqual(self.sponsor(name), LOSE)
        code, body = self.password(name)
        self.assertIn("Registraren Registrar Gain (GAIN) har bedt registerenheten om en "
                      "engangskode\nfor å flytte domenet %s" % name, body.replace("\r\n", "\n"))
        self.assertEqual(self.mails_to(HOLDER_MAIL, name)[-1].message["Subject"],
                         OTP_SUBJECT % name)
        # stored hashed, never in a listing
        self.assertNotIn(code, self.regctl("otp", "list").stdout)
        self.assertEqual(self.otp_rows(name), [(GAIN, "email", HOLDER_MAIL, "active", "0")])
        # bound to the registrar that asked
        r = self.transfer(THIRD, name, code)
        self.assertEqual(r.code, 2202, r)
        # the transfer with it completes at once
        r = self.transfer(GAIN, name, code.lower())
        self.assertEqual(r.code, 1000, r)
        self.assertEqual(r.findtext(".//domain:trStatus"), "serverApproved")
        self.assertEqual(self.sponsor(name), GAIN)
        self.assertEqual(self.otp_rows(name), [(GAIN, "email", HOLDER_MAIL, "used", "0")])
        # poll messages as for every completed transfer
        self.assertTrue(any("Transfer of %s serverApproved" % name in t and "one-time password"
                            in t for t in self.poll_texts(LOSE)))
        self.assertTrue(any("Transfer of %s serverApproved" % name in t
                            for t in self.poll_texts(GAIN)))
        # single use: the domain goes back with auth info, then the old password again
        self.assertEqual(self.cmd(GAIN, dom("update", "<domain:name>%s</domain:name><domain:chg>"
                                                      "%s</domain:chg>" % (name, auth("Back-Pw-1")))
                                  ).code, 1000)
        self.assertEqual(self.transfer(LOSE, name, "Back-Pw-1").code, 1000)
        r = self.transfer(GAIN, name, code)
        self.assertEqual(r.code, 2202, r)
        self.assertEqual(self.sponsor(name), LOSE)

    def test_R16_wrong_password_counted_then_void(self):
        name = "r16-wrong.no"
        self.create(name, pw="Real-Pw-16")
        self.assertEqual(self.ask_otp(GAIN, name).code, 1001)
        code, _ = self.password(name)
        for i in (1, 2, 3, 4):
            r = self.transfer(GAIN, name, "ABCDE-FGHJK" if code != "ABCDE-FGHJK" else "BBBBB-BBBBB")
            self.assertEqual(r.code, 2202, r)
            self.assertIn("%d more wrong %s" % (5 - i, "try" if i == 4 else "tries"), r.reason)
            self.assertEqual(self.otp_rows(name)[0][3:], ("active", str(i)))
        r = self.transfer(GAIN, name, "wrong")
        self.assertEqual(r.code, 2202, r)
        self.assertIn("that was the last try", r.reason)
        self.assertEqual(self.otp_rows(name)[0][3:], ("void", "5"))
        r = self.transfer(GAIN, name, code)
        self.assertEqual(r.code, 2202, r)
        self.assertEqual(self.sponsor(name), LOSE)
        # a new request works again; it voids nothing but the requester's own
        self.assertEqual(self.ask_otp(THIRD, name).code, 1001)
        third, _ = self.password(name)
        self.assertEqual(self.ask_otp(GAIN, name).code, 1001)
        code, _ = self.password(name)
        states = sorted((row[0], row[3]) for row in self.otp_rows(name))
        self.assertEqual(states, [(GAIN, "active"), (GAIN, "void"), (THIRD, "active")])
        self.assertEqual(self.transfer(GAIN, name, code).code, 1000)
        # the move voided THIRD's password
        self.assertEqual(self.transfer(THIRD, name, third).code, 2202)

    def test_R16_otp_expires_when_the_clock_moves_and_the_job_runs(self):
        name = "r16-late.no"
        self.create(name)
        self.assertEqual(self.ask_otp(GAIN, name).code, 1001)
        code, _ = self.password(name)
        subject = OTP_SUBJECT % name
        # delivered: the stored copy keeps the text, not the password
        kept = self.outbox_body(subject)
        self.assertNotIn(code, kept)
        self.assertIn("Engangskoden din:  [redacted]\n", kept)
        now = datetime.now(timezone.utc)
        out = self.regctl("jobs", "run", "--force", "--now", iso(now + timedelta(days=13)),
                          "otp-expire").stdout
        self.assertRegex(out, r"otp-expire\s+ran\s+\d+ expired one-time passwords removed")
        self.assertEqual(len(self.otp_rows(name)), 1)
        self.assertNotIn(code, self.outbox_body(subject))
        self.assertIn(subject, self.regctl("outbox", "list", "sent").stdout)
        out = self.regctl("jobs", "run", "--force", "--now", iso(now + timedelta(days=14, hours=1)),
                          "otp-expire").stdout
        self.assertRegex(out, r"otp-expire\s+ran\s+[1-9]\d* expired one-time passwords removed")
        self.assertEqual(self.otp_rows(name), [])
        r = self.transfer(GAIN, name, code)
        self.assertEqual(r.code, 2202, r)
        self.assertEqual(self.sponsor(name), LOSE)

    def test_R16_sms_to_the_registrant_mobile(self):
        name, bare = "r16-sms.no", "r16-nomobile.no"
        self.create(name)
        self.create(bare, registrant=NOMOBILE)
        r = self.ask_otp(GAIN, name, "sms")
        self.assertEqual(r.code, 1001, r)
        self.assertIn("sent to the registrant by SMS", r.msg)
        rows = [line.split() for line in self.regctl("outbox", "list").stdout.splitlines()[1:]]
        sms = [f for f in rows if f[1] == "sms"]
        self.assertEqual(len(sms), 1, rows)
        self.assertEqual(sms[0][5], "+4512345678")
        self.assertEqual(self.otp_rows(name), [(GAIN, "sms", "+4512345678", "active", "0")])
        r = self.ask_otp(GAIN, bare, "sms")
        self.assertEqual(r.code, 2306, r)
        self.assertIn("no mobile number", r.reason)
        self.assertEqual(self.otp_rows(bare), [])
        # the other refusals of a password request
        self.assertEqual(self.ask_otp(LOSE, name).code, 2106)
        self.assertEqual(self.ask_otp(GAIN, "nothing-here.no").code, 2303)
        r = self.ask_otp(GAIN, name, pw="Some-Pw-1")
        self.assertEqual(r.code, 2306, r)
        self.assertIn("without <domain:authInfo>", r.reason)

    def test_R16_pending_mode_password_transfer_is_immediate(self):
        """[transfer] mode = pending: auth info waits for the sponsor, a password does not."""
        d = Daemon(backend=self.backend, name="authotp-pending",
                   settings={"mail.from": FROM, "mail.smtp": self.sink.url,
                             "tld.name": "no", "transfer.mode": "pending"})
        self.addCleanup(d.cleanup)
        for handle, pw in PASSWORDS.items():
            d.add_registrar(handle, pw)
        d.start()
        clients = {}
        for handle in (LOSE, GAIN):
            c = EPPClient(d.host, d.port, recorder=self.recorder)
            self.addCleanup(c.close)
            self.assertEqual(c.login(handle, PASSWORDS[handle], ext_uris=[REGD_NS]).code, 1000)
            clients[handle] = c
        r = clients[LOSE].command(
            '<create><contact:create xmlns:contact="%s"><contact:id>PEND</contact:id>'
            '<contact:postalInfo type="int"><contact:name>P</contact:name><contact:addr>'
            '<contact:city>Oslo</contact:city><contact:cc>NO</contact:cc></contact:addr>'
            '</contact:postalInfo><contact:email>pending-holder@example.test</contact:email>'
            '<contact:authInfo><contact:pw>Cpw-1</contact:pw></contact:authInfo>'
            '</contact:create></create>' % CONTACT_NS)
        self.assertEqual(r.code, 1000, r)
        for name in ("pend-auth.no", "pend-otp.no"):
            r = clients[LOSE].command(create_xml(name, "LOSE:PEND", "Pend-Pw-1"),
                                      extension=with_terms())
            self.assertEqual(r.code, 1000, r)
        r = clients[GAIN].command(transfer_xml("pend-auth.no", "Pend-Pw-1"))
        self.assertEqual(r.code, 1001, r)
        self.assertEqual(r.findtext(".//domain:trStatus"), "pending")
        r = clients[GAIN].command(transfer_xml("pend-otp.no"), extension=otp_ext("email"))
        self.assertEqual(r.code, 1001, r)
        d.regctl("jobs", "run", "--force", "outbox-deliver")
        mails = self.mails_to("pending-holder@example.test", "pend-otp.no")
        self.assertEqual(len(mails), 1)
        code = CODE_RE.search(mails[0].message.get_content()).group(1)
        r = clients[GAIN].command(transfer_xml("pend-otp.no", code))
        self.assertEqual(r.code, 1000, r)
        self.assertEqual(r.findtext(".//domain:trStatus"), "serverApproved")

    # --- R15 ----------------------------------------------------------------------------

    def test_R15_authinfo_request_poll_deadline_and_overdue(self):
        name = "r15-wanted.no"
        self.create(name)
        self.poll_texts(LOSE)  # start from an empty queue
        # Monday 4 January 2027; Wednesday 6 is a holiday ([authinfo] holidays)
        out = self.regctl("--now", "2027-01-04T10:00:00Z", "authinfo", "request", name,
                          "--note", "registrant called on 2027-01-04").stdout
        self.assertIn("auth-code request for %s recorded" % name, out)
        self.assertIn("by 2027-01-12T23:59:59Z (5 working days)", out)
        texts = self.poll_texts(LOSE)
        self.assertEqual(len(texts), 1, texts)
        self.assertEqual(texts[0],
                         "Auth-code request for %s: the registrant asked for the auth info on "
                         "2027-01-04; give it to them by the end of 2027-01-12 (UTC, 5 working "
                         "days). Note: registrant called on 2027-01-04" % name)
        again = self.regctl("--now", "2027-01-05T10:00:00Z", "authinfo", "request", name).stdout
        self.assertIn("already has an open auth-code request", again)
        self.assertEqual(self.poll_texts(LOSE), [])

        def listed(cmd, when):
            lines = self.regctl("--now", when, "authinfo", cmd).stdout.splitlines()[1:]
            return [line.split()[:4] for line in lines if line.split()[0] == name]

        row = [name, LOSE, "2027-01-04T10:00:00Z", "2027-01-12T23:59:59Z"]
        self.assertEqual(listed("list", "2027-01-08T12:00:00Z"), [row])
        # over the weekend and the holiday: not overdue until Tuesday is over
        self.assertEqual(listed("overdue", "2027-01-12T23:59:59Z"), [])
        self.assertEqual(listed("overdue", "2027-01-13T00:00:00Z"), [row])
        out = self.regctl("jobs", "run", "--force", "--now", "2027-01-13T00:00:00Z",
                          "authinfo-overdue").stdout
        self.assertRegex(out, r"authinfo-overdue\s+ran\s+1 overdue")
        texts = self.poll_texts(LOSE)
        self.assertEqual(len(texts), 1, texts)
        self.assertIn("Auth-code request for %s is overdue" % name, texts[0])
        out = self.regctl("jobs", "run", "--force", "--now", "2027-01-13T01:00:00Z",
                          "authinfo-overdue").stdout
        self.assertRegex(out, r"authinfo-overdue\s+ran\s+0 overdue")
        # the sponsor sets auth info: the request is answered
        r = self.cmd(LOSE, dom("update", "<domain:name>%s</domain:name><domain:chg>%s"
                                         "</domain:chg>" % (name, auth("Given-Pw-15"))))
        self.assertEqual(r.code, 1000, r)
        self.assertEqual(listed("overdue", "2027-01-14T00:00:00Z"), [])
        lines = [line for line in self.regctl("authinfo", "list", "--all").stdout.splitlines()
                 if line.startswith(name)]
        self.assertEqual(len(lines), 1)
        self.assertIn("closed:authinfo-set", lines[0])
        # done by staff, and the refusals
        r = self.regctl("authinfo", "done", name, check=False)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr, "regctl: authinfo done: %s has no open auth-code request\n"
                         % name)
        self.regctl("authinfo", "request", name)
        self.assertIn("closed", self.regctl("authinfo", "done", name).stdout)
        r = self.regctl("authinfo", "request", "nothing-here.no", check=False)
        self.assertEqual((r.returncode, r.stderr),
                         (1, "regctl: authinfo request: domain nothing-here.no does not exist\n"))

    # --- R17 ----------------------------------------------------------------------------

    def test_R17_manual_route_end_to_end(self):
        name = "r17-lost.no"
        self.create(name, registrant=NOMOBILE)
        self.regctl("price", "set", "transfer", "150.00")
        r = self.regctl("otp", "manual", name, "--registrar", GAIN, "--email",
                        "found@example.test", "--documents", "firmaattest; passport",
                        "--by", "alice", check=False)
        self.assertEqual(r.returncode, 1, r)
        self.assertIn("otp manual: ", r.stderr)  # 2104: no credit for the fee, nothing done
        self.assertEqual(self.regctl("otp", "manual-list", name).stdout, "")
        self.regctl("credit", "add", GAIN, "1000.00", "--text", "payment")
        out = self.regctl("otp", "manual", name, "--registrar", GAIN, "--email",
                          "found@example.test", "--documents", "firmaattest; passport",
                          "--by", "alice").stdout
        self.assertIn("manual route for %s, record " % name, out)
        self.assertIn("documents checked by alice at ", out)
        self.assertIn(": firmaattest; passport", out)
        self.assertIn("registrant contact %s: e-mail nomobile@example.test -> found@example.test"
                      % NOMOBILE, out)
        m = re.search(r"fee 20000 \(200\.00 NOK\) charged to GAIN on one-off invoice (\d+)", out)
        self.assertIsNotNone(m, out)
        number = m.group(1)
        # the registrant contact's history says staff did it through regctl (R40)
        hist = self.regctl("history", NOMOBILE).stdout.splitlines()
        self.assertRegex(hist[-1], r"\bupdate\s+staff\s+regctl\b")
        # the invoice: one line, its own, at once
        csv = self.regctl("invoice", "show", number, "--csv").stdout.splitlines()
        self.assertEqual(len(csv), 2, csv)
        self.assertIn("oneoff", csv[1])
        self.assertIn("20000", csv[1])
        # GAIN asks for a password: it goes to the new address; the transfer
        self.assertEqual(self.ask_otp(GAIN, name).code, 1001)
        code, _ = self.password(name, rcpt="found@example.test")
        self.assertEqual(self.transfer(GAIN, name, code).code, 1000)
        self.assertEqual(self.sponsor(name), GAIN)
        # the R10 notices of the e-mail change went to the old and the new address
        for rcpt in ("nomobile@example.test", "found@example.test"):
            self.assertTrue(self.mails_to(rcpt, "e-postadressen er endret"), rcpt)
        # the monthly run bills the transfer, not the fee again
        now = datetime.now(timezone.utc)
        month = now.strftime("%Y-%m")
        after = (now.replace(day=1) + timedelta(days=32)).replace(day=1, hour=1)
        self.regctl("--now", iso(after), "invoice", "run", "--month", month)
        listing = self.regctl("invoice", "list", "--registrar", GAIN).stdout.splitlines()[1:]
        kinds = sorted(line.split()[3] for line in listing)
        self.assertEqual(kinds, ["monthly", "oneoff"], listing)
        monthly = [line.split()[0] for line in listing if line.split()[3] == "monthly"][0]
        lines = self.regctl("invoice", "show", monthly, "--csv").stdout
        self.assertIn(name, lines)
        self.assertNotIn("Manual handling", lines)
        self.regctl("ledger", "verify")
        r = self.regctl("otp", "manual", name, "--registrar", GAIN, "--email", "x@example.test",
                        "--documents", "again", check=False)
        self.assertEqual((r.returncode, r.stderr),
                         (1, "regctl: otp manual: GAIN already sponsors %s\n" % name))


class SqliteAuthOtp(AuthOtp, unittest.TestCase):
    backend = "sqlite"


class PgsqlAuthOtp(AuthOtp, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
