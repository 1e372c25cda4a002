#!/usr/bin/env python3
"""Registrant confirmations end to end (R7, R8; issue 6 item 7): a change of
registrant or a delete asked for over EPP without <regd:verified/> answers
1001 and sets pendingUpdate / pendingDelete; the outbox-deliver job sends
the current registrant a mail over SMTP (a real listener,
tests/system/smtpsink.py) with the link {base_url}/confirm/{token}; the
page behind the link, fetched over HTTP from `registryd --only epp,http`,
shows what is asked and posts the answer back with a CSRF cookie and form
field; the registrar hears the outcome by poll message (RFC 5731 §3.3
panData). Every EPP response is checked against the schemas.

base_url is a public https URL with a path, as behind a TLS reverse proxy
(docs/operations.md "HTTP"): the test plays the proxy, stripping
https://self.nic.example/reg from the link. Runs on SQLite and PostgreSQL."""
import html.parser
import http.client
import itertools
import os
import re
import shutil
import sys
import tempfile
import unittest
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon import Daemon, scratch_root  # noqa: E402
from harness import psql, sql  # noqa: E402
from eppclient import EPPClient, with_terms, xml_escape  # noqa: E402
from smtpsink import SMTPSink  # noqa: E402
from test_epp_domain import (CONTACT_NS, DOMAIN_NS, EXT_URIS, NS, SCHEMA_DIR,  # noqa: E402
                             create_xml, delete_xml, info_xml, rtext, statuses, update_xml)
from test_epp_session import Recorder  # noqa: E402

BASE = "https://self.nic.example/reg"
ORIGIN = "https://self.nic.example"
LINK_RE = re.compile(re.escape(BASE) + r"/confirm/([A-Za-z0-9_-]+)")
COOKIE = "confirm_csrf"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                               "img-src 'self'; form-action 'self'; frame-ancestors 'none'",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Type": "text/html; charset=utf-8",
}
_registrars = itertools.count(1)


class PageParser(html.parser.HTMLParser):
    """The parts of a page the tests look at: the heading, forms with their
    inputs and buttons, the <dt>/<dd> rows and <time datetime=…>."""

    def __init__(self):
        super().__init__()
        self.h1 = ""
        self.forms, self.inputs, self.buttons, self.rows, self.times = [], [], [], [], []
        self._in = None
        self._dt = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(a)
        elif tag == "input":
            self.inputs.append(a)
        elif tag == "button":
            self.buttons.append(a)
        elif tag == "time":
            self.times.append(a.get("datetime"))
        if tag in ("h1", "dt", "dd"):
            self._in = tag
            if tag == "dd":
                self.rows.append([self._dt, ""])

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "h1":
            self.h1 += data
        elif self._in == "dt":
            self._dt = data
        elif self._in == "dd":
            self.rows[-1][1] += data

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


class Page:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers      # list of (name, value)
        self.body = body
        self.parsed = PageParser()
        self.parsed.feed(body)

    def header(self, name):
        values = [v for k, v in self.headers if k.lower() == name.lower()]
        return values[0] if values else None

    @property
    def h1(self):
        return self.parsed.h1

    @property
    def rows(self):
        return {k: v for k, v in self.parsed.rows}

    def csrf_field(self):
        return [i.get("value") for i in self.parsed.inputs if i.get("name") == "csrf"][0]

    def csrf_cookie(self):
        m = re.match(COOKIE + r"=([^;]*)", self.header("Set-Cookie") or "")
        return m.group(1) if m else None


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


class Confirmations:
    backend = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="confirm-%s-" % cls.backend, dir=scratch_root())
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.recorder = Recorder(os.path.join(cls.tmp, "responses"))
        cls.sink = SMTPSink().start()
        cls.addClassCleanup(cls.sink.close)
        cls.d = Daemon(backend=cls.backend, name="confirm", only="epp,http",
                       settings={"mail.from": "registry@nic.example", "mail.smtp": cls.sink.url,
                                 "http.base_url": BASE})
        cls.addClassCleanup(cls.d.cleanup)
        cls.d.start()

    @classmethod
    def tearDownClass(cls):
        rc = cls.d.stop()
        ok, report = cls.recorder.validate()
        sys.stderr.write("%s: %d server frames checked with xmllint against %s/all.xsd\n"
                         % (cls.__name__, len(cls.recorder.files), SCHEMA_DIR))
        problems = []
        if rc != 0:
            problems.append("registryd exited with %s:\n%s" % (rc, cls.d.stderr()[-3000:]))
        if not ok:
            problems.append(report)
        if problems:
            raise AssertionError("\n\n".join(problems))

    def setUp(self):
        """Each test is its own registrar with its own contacts and domain."""
        n = next(_registrars)
        self.clid = "CONF%d" % n
        self.tag = "t%d" % n
        self.d.add_registrar(self.clid, "conf-pass1", name="Registrar Nr. %d & Co" % n)
        self.c = EPPClient(self.d.host, self.d.port, recorder=self.recorder)
        self.addCleanup(self.c.close)
        self.assertEqual(self.c.login(self.clid, "conf-pass1", ext_uris=EXT_URIS).code, 1000)
        self.holder = self.contact("holder", "\u00c6r\u00f8 & S\u00f8n")
        self.buyer = self.contact("buyer", "New <Holder>")
        self.domain = "bl\u00e5b\u00e6r-%s.dk" % self.tag
        self.alabel = self.domain.encode("idna").decode("ascii")
        r = self.c.command(create_xml(self.domain, self.holder, pw="Dpw-12345"),
                           extension=with_terms())
        self.assertEqual(r.code, 1000, r.raw)

    # --- EPP -----------------------------------------------------------------

    def email(self, who):
        return "%s-%s@example.test" % (who, self.tag)

    def contact(self, cid, name, cc="GB"):
        """A contact in GB by default (no language of its own): its mails
        are in English."""
        r = self.c.command(
            '<create><contact:create xmlns:contact="%s"><contact:id>%s</contact:id>'
            '<contact:postalInfo type="loc"><contact:name>%s</contact:name><contact:addr>'
            '<contact:city>London</contact:city><contact:cc>%s</contact:cc></contact:addr>'
            '</contact:postalInfo><contact:email>%s</contact:email><contact:authInfo>'
            '<contact:pw>Cpw-12345</contact:pw></contact:authInfo></contact:create></create>'
            % (CONTACT_NS, cid, xml_escape(name), cc, self.email(cid)))
        self.assertEqual(r.code, 1000, r.raw)
        return "%s:%s" % (self.clid, cid.upper())

    def ask_change(self):
        """R7: a change of registrant without <regd:verified/> waits."""
        r = self.c.command(update_xml(self.domain, registrant=self.buyer), cltrid="ASK-CHG")
        self.assertEqual(r.code, 1001, r.raw)
        info = self.info()
        self.assertIn("pendingUpdate", statuses(info))
        self.assertEqual(rtext(info, ".//regd:pendingAction"), "registrantChange")

    def ask_delete(self):
        r = self.c.command(delete_xml(self.domain), cltrid="ASK-DEL")
        self.assertEqual(r.code, 1001, r.raw)
        info = self.info()
        self.assertIn("pendingDelete", statuses(info))
        self.assertEqual(rtext(info, ".//regd:pendingAction"), "delete")

    def info(self):
        r = self.c.command(info_xml(self.domain))
        self.assertEqual(r.code, 1000, r.raw)
        return r

    def registrant(self):
        return rtext(self.info(), ".//domain:registrant")

    def poll(self):
        """The registrar's poll messages (acknowledged), oldest first."""
        got = []
        for _ in range(20):
            r = self.c.poll_req()
            if r.code == 1300:
                return got
            self.assertEqual(r.code, 1301, r.raw)
            got.append(r)
            self.assertEqual(self.c.poll_ack(r.msgq.get("id")).code, 1000)
        self.fail("the poll queue does not drain")

    def assertPanData(self, r, result, cltrid):
        """RFC 5731 §3.3: <domain:panData> naming the domain, the outcome
        and the TRIDs of the command that was answered 1001."""
        name = r.root.find(".//domain:panData/domain:name", NS)
        self.assertIsNotNone(name, r.raw)
        self.assertEqual((name.text, name.get("paResult")), (self.alabel, result), r.raw)
        self.assertEqual(rtext(r, ".//domain:panData/domain:paTRID/epp:clTRID"), cltrid, r.raw)

    # --- mail ----------------------------------------------------------------

    def deliver(self):
        out = self.d.regctl("jobs", "run", "--force", "outbox-deliver").stdout
        self.assertNotRegex(out, r"(?m)^\S+\s+failed\b")

    def mails_to(self, who):
        self.deliver()
        addr = self.email(who)
        return [m for m in self.sink.messages if m.rcpt_to == [addr]]

    def link(self, what):
        """The link in the one confirmation mail the holder got (R7)."""
        mails = [m for m in self.mails_to("holder") if "please confirm" in m.message["Subject"]]
        self.assertEqual(len(mails), 1, [m.message["Subject"] for m in mails])
        msg = mails[0].message
        self.assertIn("please confirm %s" % what, msg["Subject"])
        body = msg.get_content()
        links = LINK_RE.findall(body)
        self.assertEqual(len(links), 1, body)
        return "/confirm/" + links[0]

    # --- HTTP (the test is the TLS proxy: it strips BASE) ---------------------

    def http(self, method, path, body=None, headers=None):
        c = http.client.HTTPConnection(self.d.http_host, self.d.http_port, timeout=20)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return Page(r.status, r.getheaders(), r.read().decode("utf-8"))
        finally:
            c.close()

    def get(self, path):
        page = self.http("GET", path)
        for name, value in SECURITY_HEADERS.items():
            self.assertEqual(page.header(name), value, name)
        self.assertIn('<meta name="viewport" content="width=device-width, initial-scale=1">',
                      page.body)
        self.assertNotIn("<script", page.body)
        return page

    def post(self, path, decision, cookie=None, csrf=None, origin=ORIGIN):
        fields = ["decision=%s" % decision] if decision else []
        if csrf is not None:
            fields.append("csrf=%s" % csrf)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if cookie is not None:
            headers["Cookie"] = "theme=dark; %s=%s" % (COOKIE, cookie)
        if origin:
            headers["Origin"] = origin
        page = self.http("POST", path, "&".join(fields), headers)
        for name, value in SECURITY_HEADERS.items():
            self.assertEqual(page.header(name), value, name)
        return page

    def answer(self, path, decision):
        """What a browser does: load the form, post it with its cookie."""
        form = self.get(path)
        self.assertEqual(form.status, 200, form.body)
        return self.post(path, decision, form.csrf_cookie(), form.csrf_field())

    def assertForm(self, page):
        """Confirm and Reject buttons posting back here, with the CSRF value
        both in a hidden field and in the cookie."""
        self.assertEqual(page.status, 200, page.body)
        self.assertEqual(len(page.parsed.forms), 1)
        self.assertEqual(page.parsed.forms[0].get("method"), "post")
        self.assertNotIn("action", page.parsed.forms[0])
        self.assertEqual([(b.get("name"), b.get("value")) for b in page.parsed.buttons],
                         [("decision", "confirm"), ("decision", "reject")])
        cookie = page.header("Set-Cookie")
        self.assertEqual(
            cookie, "%s=%s; Path=/reg/confirm/; HttpOnly; SameSite=Strict; Secure"
            % (COOKIE, page.csrf_field()))
        self.assertRegex(page.csrf_field(), r"^[A-Za-z0-9_-]{43}$")

    def assertTimes(self, page):
        """Requested and answer-by times in UTC, 48 h apart by default."""
        asked, until = [datetime.strptime(t, "%Y-%m-%dT%H:%M:%SZ") for t in page.parsed.times]
        self.assertEqual(until - asked, timedelta(hours=48))
        self.assertLess(abs(asked.replace(tzinfo=timezone.utc) - datetime.now(timezone.utc)),
                        timedelta(hours=1))
        self.assertIn(asked.strftime("%Y-%m-%d %H:%M UTC"), page.rows["Requested"])

    # === R7: change of registrant ===============================================

    def test_R7_confirm_registrant_change(self):
        self.ask_change()
        self.assertEqual(self.registrant(), self.holder)  # nothing yet
        path = self.link("the change of registrant")
        page = self.get(path)
        self.assertForm(page)
        self.assertEqual(page.h1, "Confirm a change of registrant")
        rows = page.rows
        self.assertEqual(rows["Domain"], "%s (%s)" % (self.domain, self.alabel))
        self.assertEqual(rows["Registrar"], "Registrar Nr. %s & Co (%s)"
                         % (self.clid[4:], self.clid))
        self.assertEqual(rows["Current registrant"], "\u00c6r\u00f8 & S\u00f8n (%s)" % self.holder)
        self.assertEqual(rows["New registrant"], "New <Holder> (%s)" % self.buyer)
        self.assertIn("New &lt;Holder&gt;", page.body)       # escaped on the page
        self.assertIn("\u00c6r\u00f8 &amp; S\u00f8n", page.body)
        self.assertTimes(page)

        done = self.post(path, "confirm", page.csrf_cookie(), page.csrf_field())
        self.assertEqual(done.status, 200, done.body)
        self.assertEqual(done.h1, "The change of registrant has been made")
        self.assertEqual(self.registrant(), self.buyer)
        info = self.info()
        self.assertNotIn("pendingUpdate", statuses(info))
        self.assertIsNone(rtext(info, ".//regd:pendingAction"))
        polls = self.poll()
        self.assertEqual(len(polls), 1, [p.raw for p in polls])
        self.assertPanData(polls[0], "1", "ASK-CHG")
        # R10: now that it happened, both registrants are told
        for who in ("holder", "buyer"):
            subjects = [m.message["Subject"] for m in self.mails_to(who)]
            self.assertIn("Domain %s (%s): change of registrant" % (self.domain, self.alabel),
                          subjects)

    def test_R7_reject_registrant_change(self):
        self.ask_change()
        path = self.link("the change of registrant")
        done = self.answer(path, "reject")
        self.assertEqual(done.status, 200, done.body)
        self.assertEqual(done.h1, "Request rejected")
        self.assertIn("Nothing was changed.", done.body)
        self.assertEqual(self.registrant(), self.holder)
        self.assertNotIn("pendingUpdate", statuses(self.info()))
        polls = self.poll()
        self.assertEqual(len(polls), 1)
        self.assertPanData(polls[0], "0", "ASK-CHG")
        self.assertEqual([m for m in self.mails_to("buyer")], [])  # no change, no notice
        # the domain can be updated again (R9 no longer blocks)
        r = self.c.command(update_xml(self.domain, add={"statuses": ["clientHold"]}))
        self.assertEqual(r.code, 1000, r.raw)

    def test_R7_confirmed_change_that_no_longer_applies_fails(self):
        self.ask_change()
        path = self.link("the change of registrant")
        form = self.get(path)
        # the new registrant contact goes away before the answer
        r = self.c.command('<delete><contact:delete xmlns:contact="%s"><contact:id>%s'
                           '</contact:id></contact:delete></delete>' % (CONTACT_NS, self.buyer))
        self.assertEqual(r.code, 1000, r.raw)
        done = self.post(path, "confirm", form.csrf_cookie(), form.csrf_field())
        self.assertEqual(done.status, 200, done.body)
        self.assertEqual(done.h1, "The request could not be carried out")
        self.assertIn("Reason: ", done.body)
        self.assertIn(self.buyer, done.body)
        self.assertEqual(self.registrant(), self.holder)
        self.assertNotIn("pendingUpdate", statuses(self.info()))
        self.assertPanData(self.poll()[0], "0", "ASK-CHG")
        again = self.get(path)
        self.assertEqual((again.status, again.h1),
                         (410, "This request could not be carried out"), again.body)

    # === R7: delete =============================================================

    def test_R7_delete_confirm(self):
        self.ask_delete()
        path = self.link("the deletion")
        page = self.get(path)
        self.assertForm(page)
        self.assertEqual(page.h1, "Confirm the deletion of a domain")
        self.assertEqual(page.rows["Registrant"], "\u00c6r\u00f8 & S\u00f8n (%s)" % self.holder)
        self.assertNotIn("New registrant", page.rows)
        self.assertTimes(page)
        done = self.post(path, "confirm", page.csrf_cookie(), page.csrf_field())
        self.assertEqual(done.status, 200, done.body)
        self.assertEqual(done.h1, "The domain has been deleted")
        # deleted: in the redemption period (RFC 3915), no longer waiting
        info = self.info()
        self.assertEqual(info.root.find(".//rgp:infData/rgp:rgpStatus", NS).get("s"),
                         "redemptionPeriod", info.raw)
        self.assertIsNone(rtext(info, ".//regd:pendingAction"))
        polls = self.poll()
        self.assertEqual(len(polls), 1, [p.raw for p in polls])
        self.assertPanData(polls[0], "1", "ASK-DEL")

    def test_R7_delete_reject(self):
        self.ask_delete()
        done = self.answer(self.link("the deletion"), "reject")
        self.assertEqual((done.status, done.h1), (200, "Request rejected"), done.body)
        info = self.info()
        self.assertNotIn("pendingDelete", statuses(info))
        self.assertIsNone(info.root.find(".//rgp:infData", NS))
        self.assertPanData(self.poll()[0], "0", "ASK-DEL")

    # === the link is not kept (issue 12 item 6) ===================================

    def stored_bodies(self):
        """The outbox's stored text of each confirmation request to the holder."""
        where = ("cause = 'confirmation-request' AND recipient = '%s' ORDER BY id"
                 % self.email("holder"))
        if self.backend == "sqlite":
            ids = [r[0] for r in sql(self.d, "SELECT id FROM outbox WHERE " + where)]
            return [sql(self.d, "SELECT body FROM outbox WHERE id = %s" % i)[0][0] for i in ids]
        ids = psql(self.d.url, "SELECT id FROM outbox WHERE " + where).split()
        return [psql(self.d.url, "SELECT body FROM outbox WHERE id = %s" % i) for i in ids]

    def test_R7_sent_link_is_not_kept(self):
        self.ask_delete()
        queued = self.stored_bodies()
        self.assertEqual(len(queued), 1)
        self.assertIsNotNone(LINK_RE.search(queued[0]), queued[0])  # to be sent
        listing = self.d.regctl("outbox", "list").stdout
        self.assertNotIn("/confirm/", listing)
        # the SMTP listener gets the live link ...
        path = self.link("the deletion")
        token = path[len("/confirm/"):]
        # ... and the database keeps the text without it
        kept = self.stored_bodies()
        self.assertEqual(len(kept), 1)
        self.assertNotIn(token, kept[0])
        self.assertNotIn("/confirm/", kept[0])
        self.assertIn("To confirm or reject, open:\n\n  [redacted]\n\nThe link works once",
                      kept[0])
        self.assertIn("The registrar Registrar Nr. %s & Co (%s) asked to delete the domain"
                      % (self.clid[4:], self.clid), kept[0])
        self.assertEqual(sql(self.d, "SELECT state, secrets, redacted FROM outbox WHERE "
                                     "cause = 'confirmation-request' AND recipient = '%s'"
                                     % self.email("holder")), [("sent", None, "1")])
        for text in (self.d.regctl("outbox", "list", "sent").stdout, self.d.stderr()):
            self.assertNotIn(token, text)
        # the link works, once
        done = self.answer(path, "confirm")
        self.assertEqual((done.status, done.h1), (200, "The domain has been deleted"), done.body)
        again = self.get(path)
        self.assertEqual(again.status, 410, again.body)
        self.assertNotIn(token, self.d.stderr())

    # === CSRF ===================================================================

    def test_R7_csrf_post_without_cookie_or_field_refused(self):
        self.ask_change()
        path = self.link("the change of registrant")
        first = self.get(path)
        second = self.get(path)  # a second tab: a new value
        self.assertNotEqual(first.csrf_field(), second.csrf_field())
        attempts = {
            "no cookie, no field": (None, None, ORIGIN),
            "field only": (None, second.csrf_field(), ORIGIN),
            "cookie only": (second.csrf_cookie(), None, ORIGIN),
            "cookie and field of different pages": (second.csrf_cookie(), first.csrf_field(),
                                                    ORIGIN),
            "another site's Origin": (second.csrf_cookie(), second.csrf_field(),
                                      "https://evil.example"),
            "plain-http Origin": (second.csrf_cookie(), second.csrf_field(),
                                  "http://self.nic.example"),
            "opaque Origin": (second.csrf_cookie(), second.csrf_field(), "null"),
        }
        for what, (cookie, csrf, origin) in attempts.items():
            page = self.post(path, "confirm", cookie, csrf, origin)
            self.assertEqual(page.status, 403, what)
            self.assertEqual(page.h1, "Please reload the page", what)
            self.assertIn("Reload the page and try again", page.body)
        # nothing changed, nobody told
        self.assertEqual(self.registrant(), self.holder)
        self.assertIn("pendingUpdate", statuses(self.info()))
        self.assertEqual(self.poll(), [])
        # the link still works; no decision chosen is 400
        self.assertEqual(self.post(path, None, second.csrf_cookie(), second.csrf_field()).status,
                         400)
        page = self.post(path, "confirm", second.csrf_cookie(), second.csrf_field(), origin=None)
        self.assertEqual(page.status, 200, page.body)  # no Origin: cookie + field decide
        self.assertEqual(self.registrant(), self.buyer)

    # === single use, expiry, unknown tokens ======================================

    def test_R7_token_single_use(self):
        self.ask_change()
        path = self.link("the change of registrant")
        self.assertEqual(self.answer(path, "confirm").status, 200)
        again = self.get(path)
        self.assertEqual(again.status, 410, again.body)
        self.assertEqual(again.h1, "This request was already confirmed")
        self.assertEqual(again.parsed.forms, [])
        self.assertIsNone(again.header("Set-Cookie"))
        # a form kept open from before cannot answer twice
        first = self.http("GET", path)
        self.assertEqual(first.status, 410)
        late = self.post(path, "reject", "x" * 43, "x" * 43)
        self.assertEqual(late.status, 403)  # not even a valid form
        form = self.get(self.link_of_another_request())
        late = self.post(path, "reject", form.csrf_cookie(), form.csrf_field())
        self.assertEqual(late.status, 410, late.body)
        self.assertEqual(late.h1, "This request was already confirmed")
        self.assertEqual(self.registrant(), self.buyer)
        self.assertEqual(len(self.poll()), 1)

    def link_of_another_request(self):
        """A second pending request (a delete of another domain) for a valid
        CSRF pair: the cookie path covers every /confirm/ page."""
        other = "other-%s.dk" % self.tag
        r = self.c.command(create_xml(other, self.holder, pw="Dpw-1"), extension=with_terms())
        self.assertEqual(r.code, 1000)
        self.assertEqual(self.c.command(delete_xml(other)).code, 1001)
        self.deliver()
        mails = [m for m in self.sink.messages if m.rcpt_to == [self.email("holder")]
                 and other in m.message["Subject"]]
        return "/confirm/" + LINK_RE.findall(mails[-1].message.get_content())[0]

    def test_R7_expired_link_gone(self):
        self.ask_change()
        path = self.link("the change of registrant")
        form = self.get(path)
        later = datetime.now(timezone.utc) + timedelta(hours=49)
        out = self.d.regctl("jobs", "run", "--force", "--now", iso(later),
                            "pending-expire").stdout
        self.assertRegex(out, r"pending-expire\s+ran\s+1\b")
        page = self.get(path)
        self.assertEqual((page.status, page.h1), (410, "This request has expired"), page.body)
        late = self.post(path, "confirm", form.csrf_cookie(), form.csrf_field())
        self.assertEqual((late.status, late.h1), (410, "This request has expired"))
        self.assertEqual(self.registrant(), self.holder)
        self.assertPanData(self.poll()[0], "0", "ASK-CHG")

    def test_R7_page_in_the_language_of_the_mail(self):
        """The confirmation page speaks the registrant's language, the one
        its mail came in, unless the browser asks for one of the four."""
        dk = self.contact("dkholder", "Dansk Holder", cc="DK")
        domain = "dansk-%s.dk" % self.tag
        r = self.c.command(create_xml(domain, dk, pw="Dpw-12345"), extension=with_terms())
        self.assertEqual(r.code, 1000, r.raw)
        self.assertEqual(self.c.command(delete_xml(domain), cltrid="ASK-DK").code, 1001)
        mails = [m for m in self.mails_to("dkholder")
                 if LINK_RE.search(m.message.get_content())]
        self.assertEqual(len(mails), 1)
        self.assertIn("bekræft", mails[0].message["Subject"])
        path = "/confirm/" + LINK_RE.findall(mails[0].message.get_content())[0]

        page = self.get(path)  # no Accept-Language: the mail's language
        self.assertEqual(page.status, 200, page.body)
        self.assertIn('<html lang="da">', page.body)
        self.assertEqual(page.h1, "Bekræft sletning af et domæne")
        self.assertEqual(page.rows["Domæne"], domain)
        self.assertIn(">Bekræft</button>", page.body)
        self.assertIn(">Afvis</button>", page.body)
        for header, lang, h1 in (
                ("et", "et", "Domeeni kustutamise kinnitamine"),
                ("nb-NO, nb;q=0.9", "nb", "Bekreft sletting av et domene"),
                ("no", "nb", "Bekreft sletting av et domene"),
                ("en-GB, en;q=0.8", "en", "Confirm the deletion of a domain"),
                ("fr-FR, de;q=0.5", "da", "Bekræft sletning af et domæne")):
            page = self.http("GET", path, headers={"Accept-Language": header})
            self.assertEqual(page.status, 200, header)
            self.assertIn('<html lang="%s">' % lang, page.body, header)
            self.assertEqual(page.h1, h1, header)

        # an unknown link has no registrant: the browser's language
        page = self.http("GET", "/confirm/" + "A" * 43, headers={"Accept-Language": "et"})
        self.assertEqual((page.status, page.h1), (404, "Link ei kehti"))

        form = self.get(path)
        done = self.post(path, "reject", form.csrf_cookie(), form.csrf_field())
        self.assertEqual((done.status, done.h1), (200, "Anmodningen er afvist"), done.body)
        self.assertIn("Registratoren har fået besked.", done.body)
        again = self.get(path)
        self.assertEqual((again.status, again.h1), (410, "Denne anmodning er allerede afvist"))

    def test_R7_unknown_or_malformed_token_404(self):
        self.ask_change()
        real = self.link("the change of registrant")
        form = self.get(real)
        token = real[len("/confirm/"):]
        unknown = ("A" if token[0] != "A" else "B") + token[1:]
        for t in (unknown, token[:-1], token + "A", token[:-1] + "+", token[:-2] + "%41",
                  "", "x", "../" + token):
            page = self.http("GET", "/confirm/" + t)
            self.assertEqual(page.status, 404, t)
            self.assertEqual(page.h1, "Link not valid", t)
            page = self.post("/confirm/" + t, "confirm", form.csrf_cookie(), form.csrf_field())
            self.assertEqual(page.status, 404, t)
        self.assertEqual(self.registrant(), self.holder)
        self.assertEqual(self.poll(), [])


class SqliteConfirm(Confirmations, unittest.TestCase):
    backend = "sqlite"


class PgsqlConfirm(Confirmations, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
