#!/usr/bin/env python3
"""The self-service site's auth-code request and "My data" over real HTTP
(issue 17; R15-R17, R38, R5, R10, R21): the registrant asks for the auth
code on the domain page, the registrar's poll queue gets the request; the
clock is moved past the deadline and the authinfo-overdue job run, the
page then offers the one-time password (and the manual route with its
fee), whose mail reaches a real SMTP listener and whose password completes
another registrar's EPP transfer at once. My data: a2's e-mail changed
through the slot form mails the old and the new address (R10); a new
ident is refused at its field (R5); the WHOIS/RDAP disclosure choice shows
in RDAP; the identity check's state, its eID form and documents address.
Runs on SQLite and PostgreSQL, in test_selfservice.py's daemon set-up."""
import json
import os
import re
import sys
import unittest
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_selfservice as base  # noqa: E402
from eppclient import EPPClient  # noqa: E402
from harness import sql  # noqa: E402
from test_authotp import transfer_xml  # noqa: E402
from test_epp_account import a_update, slot  # noqa: E402
from test_epp_domain import EXT_URIS  # noqa: E402
from test_portal import Browser  # noqa: E402

P = base.P
REG = base.REG
GAIN = "SSGAIN"
CODE_RE = re.compile(r"Your one-time password:\s+([2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5})")
flash = base.flash


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


class SelfServiceData(base.SelfService):
    extra_settings = {"idcheck.enabled": "true"}  # R21: registrants' checks start

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.d.add_registrar(GAIN, "gain-pass-12", name="Gaining Registrar")
        cls.g = EPPClient(cls.d.host, cls.d.port)
        cls.addClassCleanup(cls.g.close)
        r = cls.g.login(GAIN, "gain-pass-12", ext_uris=EXT_URIS)
        assert r.code == 1000, r.raw

    def polls(self, client):
        """The registrar's queued messages, oldest first (acknowledged)."""
        texts = []
        while True:
            r = client.poll_req()
            if r.code == 1300:
                return texts
            self.assertEqual(r.code, 1301, r.raw)
            texts.append(r.findtext("epp:response/epp:msgQ/epp:msg"))
            self.assertEqual(client.poll_ack(r.msgq.get("id")).code, 1000)

    def post_form(self, b, page, form_id, path, fields):
        body = self.assertPage(b.get(page))
        self.assertIn('id="%s"' % form_id, body)
        return b.post(path, dict(fields, csrf=b.csrf(body)))

    def mails(self, rcpt, subject=""):
        return [m for m in self.sink.messages
                if m.rcpt_to == [rcpt] and subject in m.message["Subject"]]

    # === R15-R17 ================================================================

    def test_R15_R16_R17_authcode_request_then_overdue_otp_completes_a_transfer(self):
        name = "ss-move-%s.dk" % self.tag
        h = self.holder(name)
        b = self.logged_in(h)
        page = P + "/domains/" + name
        self.polls(self.c)
        body = self.assertPage(b.get(page))
        self.assertIn('id="authcode-ask"', body)
        self.assertNotIn('id="authcode-request"', body)
        self.assertNotIn('id="otp-form"', body)
        # without the session's token: refused, nothing asked
        self.assertEqual(b.post(P + "/authcode/" + name, {})[0], 403)
        self.assertRedirect(self.post_form(b, page, "authcode-form", P + "/authcode/" + name,
                                           {}), page)
        body = self.assertPage(b.get(page))
        self.assertEqual(flash(body), ("success",
                                       "Your registrar has been asked for the auth code."))
        self.assertIn('data-state="open">waiting for your registrar<', body)
        self.assertRegex(body, r'id="authcode-deadline"><time datetime="\d{4}-')
        self.assertNotIn('id="authcode-ask"', body)  # one open request at a time
        # the registrar's poll queue has it; the request row says who asked
        texts = self.polls(self.c)
        self.assertEqual(len(texts), 1, texts)
        self.assertRegex(texts[0], r"^Auth-code request for %s: the registrant asked for the "
                                   r"auth info on \d{4}-\d\d-\d\d; give it to them by the end "
                                   r"of \d{4}-\d\d-\d\d \(UTC, 5 working days\)$"
                         % re.escape(name))
        self.assertEqual(sql(self.d, "SELECT q.channel, q.actor FROM authinfo_request q JOIN "
                                     "domain d ON d.id = q.domain_id WHERE d.name = '%s'"
                                     % name), [("self-service", h)])
        # before the deadline there is no password to be had
        self.assertRedirect(b.post(P + "/otp/" + name, {"csrf": b.csrf(body),
                                                        "registrar": GAIN,
                                                        "channel": "email"}), page)
        self.assertIn("once your registrar has let the deadline", flash(self.assertPage(
            b.get(page)))[1])
        # the clock moves past the deadline and the job runs
        later = iso(datetime.now(timezone.utc) + timedelta(days=12))
        out = self.d.regctl("jobs", "run", "--force", "--now", later, "authinfo-overdue").stdout
        self.assertRegex(out, r"authinfo-overdue\s+ran\s+1 overdue")
        self.assertTrue(any("Auth-code request for %s is overdue" % name in t
                            for t in self.polls(self.c)))
        body = self.assertPage(b.get(page))
        self.assertIn('data-state="overdue">overdue: your registrar has let the deadline pass<',
                      body)
        self.assertIn('id="otp-form"', body)
        # the registrars to choose from: not the one that has it
        self.assertIn('<option value="%s">Gaining Registrar (%s)</option>' % (GAIN, GAIN), body)
        self.assertNotIn('<option value="%s">' % REG, body)
        self.assertRegex(body, r'id="manual-route">[^<]*Send the documents to: '
                               r'registry@nic\.example<')
        self.assertIn('id="manual-fee">Your new registrar is charged a fee for this route: '
                      '200.00 DKK<', body)
        # the registrar it is with already: refused at the field
        self.assertRedirect(b.post(P + "/otp/" + name, {"csrf": b.csrf(body), "registrar": REG,
                                                        "channel": "email"}), page)
        body = self.assertPage(b.get(page))
        self.assertRegex(body, r'class="form-select is-invalid"')
        self.assertIn('id="registrar-error">%s is with that registrar already<' % name, body)
        self.assertIsNone(flash(body))
        # no mobile number: refused with the reason
        self.assertRedirect(b.post(P + "/otp/" + name, {"csrf": b.csrf(body), "registrar": GAIN,
                                                        "channel": "sms"}), page)
        self.assertIn("has no mobile number", flash(self.assertPage(b.get(page)))[1])
        # by e-mail to the registrant, for the new registrar
        self.assertRedirect(b.post(P + "/otp/" + name, {"csrf": b.csrf(body), "registrar": GAIN,
                                                        "channel": "email"}), page)
        self.assertEqual(flash(self.assertPage(b.get(page))),
                         ("success", "The one-time password is on its way to %s."
                          % self.email("holder")))
        self.deliver()
        mails = self.mails(self.email("holder"), "One-time password to move the domain " + name)
        self.assertEqual(len(mails), 1)
        text = mails[0].message.get_content()
        self.assertIn("On the registry's self-service site a one-time password was asked for",
                      text)
        self.assertIn("to the registrar Gaining Registrar (%s)" % GAIN, text.replace("\r\n", "\n"))
        code = CODE_RE.search(text)
        self.assertIsNotNone(code, text)
        # it is the new registrar's: the old one cannot use it, the new one moves the domain
        self.assertEqual(self.c.command(transfer_xml(name, code.group(1))).code, 2106)
        r = self.g.command(transfer_xml(name, code.group(1)))
        self.assertEqual(r.code, 1000, r.raw)
        self.assertEqual(sql(self.d, "SELECT r.handle FROM domain d JOIN registrar r ON r.id = "
                                     "d.sponsor_id WHERE d.name = '%s'" % name), [(GAIN,)])
        # the request is answered by the move (the registrant's contact is the new
        # registrar's copy now: the domain has left this login)
        self.assertEqual(sql(self.d, "SELECT q.outcome FROM authinfo_request q JOIN domain d "
                                     "ON d.id = q.domain_id WHERE d.name = '%s'" % name),
                         [("transferred",)])
        # used once
        self.assertEqual(self.g.command(transfer_xml(name, code.group(1))).code, 2106)

    # === R38, R10, R5 ===========================================================

    def account_of(self, h):
        return sql(self.d, "SELECT a.handle FROM account a JOIN contact c ON c.id = a.a1_id "
                           "WHERE c.handle = '%s'" % h)[0][0]

    def test_R38_R10_R5_slot_form_email_change_mails_both_and_ident_is_locked(self):
        h = self.holder("ss-data-%s.dk" % self.tag)
        acct = self.account_of(h)
        second = self.contact("second", "Anna Admin", ident="1111111118")
        r = self.c.command(a_update(acct, add=[slot("a2", second)]))
        self.assertEqual(r.code, 1000, r.raw)
        b = self.logged_in(h)
        body = self.assertPage(b.get(P + "/data"))
        self.assertIn('data-account="%s"' % acct, body)
        aid = re.search(r'id="slot-(\d+)-a2"', body).group(1)
        pre = "slot-%s-a2" % aid
        self.assertIn('id="%s-email" name="email" type="email" autocomplete="email" '
                      'class="form-control" value="%s"' % (pre, self.email("second")), body)
        self.assertIn('id="slot-%s-b1"' % aid, body)  # empty slots are shown too

        def form(**change):
            body = self.assertPage(b.get(P + "/data"))
            fields = {k: v for k, v in re.findall(
                r'<input id="%s-(\w+)" name="\w+" type="\w+" autocomplete="[\w-]+" '
                r'class="form-control[^"]*" value="([^"]*)"' % pre, body)}
            fields.update(change, account=acct, slot="a2", csrf=b.csrf(body))
            return b.post(P + "/data/contact", fields)

        # nothing differs: nothing changed
        self.assertRedirect(form(), P + "/data")
        self.assertEqual(flash(self.assertPage(b.get(P + "/data"))),
                         ("success", "Nothing differed, so nothing was changed."))
        new = "anna-new-%s@example.test" % self.tag
        self.assertRedirect(form(email=new), P + "/data")
        body = self.assertPage(b.get(P + "/data"))
        self.assertEqual(flash(body), ("success", "Your changes are saved."))
        self.assertIn('value="%s"' % new, body)
        self.deliver()
        old_mail = self.mails(self.email("second"), "e-mail address changed")
        new_mail = self.mails(new, "e-mail address changed")
        self.assertEqual((len(old_mail), len(new_mail)), (1, 1))
        self.assertIn("from %s" % self.email("second"), old_mail[0].message.get_content())
        self.assertIn("to   %s" % new, new_mail[0].message.get_content())
        rows = sql(self.d, "SELECT channel, actor FROM history WHERE object_kind = 'contact' "
                           "AND object_key = '%s' ORDER BY id DESC LIMIT 1" % second)
        self.assertEqual(rows, [("self-service", h)])
        # R5: the ident is locked; the refusal stands at its field, nothing changed
        self.assertRedirect(form(ident_value="2222222229", city="Odense"), P + "/data")
        body = self.assertPage(b.get(P + "/data"))
        self.assertIsNone(flash(body))
        self.assertRegex(body, r'id="%s-ident_value" [^>]*class="form-control is-invalid"' % pre)
        err = re.search(r'id="%s-ident_value-error">([^<]*)<' % pre, body).group(1)
        self.assertIn("create a new contact", err)
        self.assertEqual(sql(self.d, "SELECT ident_value FROM contact WHERE handle = '%s'"
                             % second), [("1111111118",)])
        self.assertNotIn('value="Odense"', body)  # the whole form was rolled back
        # in Danish and Estonian
        b.headers = {"Accept-Language": "da"}
        body = self.assertPage(b.get(P + "/data"))
        self.assertIn("<h1 class=\"h3 mb-4\">Mine data</h1>", body)
        self.assertIn("Gem ændringer", body)
        b.headers = {"Accept-Language": "et"}
        body = self.assertPage(b.get(P + "/domains/ss-data-%s.dk" % self.tag))
        self.assertIn("Küsi registripidajalt autoriseerimiskoodi", body)
        b.headers = {}
        # a bad address is refused at that field
        self.assertRedirect(form(email="not-an-address"), P + "/data")
        body = self.assertPage(b.get(P + "/data"))
        self.assertIn('id="%s-email-error">' % pre, body)
        # another account's slots are not this registrant's to change
        stranger = self.contact("stranger", "Some One", ident="0505051234")
        self.domain("ss-other-%s.dk" % self.tag, stranger)
        theirs = self.account_of(stranger)
        if theirs != acct:
            r = b.post(P + "/data/contact", {"csrf": b.csrf(body), "account": theirs,
                                             "slot": "a1", "email": "x@example.test"})
            self.assertRedirect(r, P + "/data")
            self.assertIn("you administer no account",
                          flash(self.assertPage(b.get(P + "/data")))[1])

    def test_R16_a2_cannot_move_a1s_mail_away(self):
        """Only a contact itself or the account's a1 changes a slot's
        e-mail: an a2 could otherwise send a1's one-time passwords to
        itself."""
        h = self.holder("ss-a2-%s.dk" % self.tag)
        acct = self.account_of(h)
        second = self.contact("second2", "Bo Admin", ident="1111111118")
        self.assertEqual(self.c.command(a_update(acct, add=[slot("a2", second)])).code, 1000)
        out = self.d.regctl("account", "credentials", acct, "--slot", "a2").stdout
        link = re.search(r"^setup link  http://127\.0\.0\.1:8080(/self-service/setup/\S+)$", out,
                         re.M).group(1)
        b = Browser(self.d)
        self.assertRedirect(self.choose_password(b, link), P + "/login")
        self.assertRedirect(self.login(b, second), P + "/")
        body = self.assertPage(b.get(P + "/data"))
        aid = re.search(r'id="slot-(\d+)-a1"', body).group(1)
        pre = "slot-%s-a1" % aid
        fields = {k: v for k, v in re.findall(
            r'<input id="%s-(\w+)" name="\w+" type="\w+" autocomplete="[\w-]+" '
            r'class="form-control[^"]*" value="([^"]*)"' % pre, body)}
        fields.update(email="thief-%s@example.test" % self.tag, account=acct, slot="a1",
                      csrf=b.csrf(body))
        self.assertRedirect(b.post(P + "/data/contact", fields), P + "/data")
        body = self.assertPage(b.get(P + "/data"))
        err = re.search(r'id="%s-email-error">([^<]*)<' % pre, body).group(1)
        self.assertIn("first administrator (a1)", err)
        self.assertEqual(sql(self.d, "SELECT email FROM contact WHERE handle = '%s'" % h),
                         [(self.email("holder"),)])
        # its own address it may change
        pre2 = "slot-%s-a2" % aid
        fields = {k: v for k, v in re.findall(
            r'<input id="%s-(\w+)" name="\w+" type="\w+" autocomplete="[\w-]+" '
            r'class="form-control[^"]*" value="([^"]*)"' % pre2, body)}
        fields.update(email="bo-%s@example.test" % self.tag, account=acct, slot="a2",
                      csrf=b.csrf(body))
        self.assertRedirect(b.post(P + "/data/contact", fields), P + "/data")
        self.assertEqual(sql(self.d, "SELECT email FROM contact WHERE handle = '%s'" % second),
                         [("bo-%s@example.test" % self.tag,)])

    def test_disclosure_choice_shows_in_rdap(self):
        h = self.holder("ss-whois-%s.dk" % self.tag)
        acct = self.account_of(h)
        b = self.logged_in(h)

        def rdap():
            status, _, text = Browser(self.d).get("/rdap/entity/" + h)
            self.assertEqual(status, 200, text)
            return json.loads(text)

        self.assertNotIn(self.email("holder"), json.dumps(rdap()))
        body = self.assertPage(b.get(P + "/data"))
        pre = re.search(r'id="(slot-\d+-a1)-disclose"', body).group(1)
        self.assertRegex(body, r'id="%s-disclose-show_email" value="1">' % pre)  # not checked
        r = b.post(P + "/data/disclose", {"csrf": b.csrf(body), "account": acct, "slot": "a1",
                                          "show_email": "1"})
        self.assertRedirect(r, P + "/data")
        body = self.assertPage(b.get(P + "/data"))
        self.assertEqual(flash(body), ("success", "Your choice of what is public is saved."))
        self.assertRegex(body, r'id="%s-disclose-show_email" value="1" checked>' % pre)
        self.assertIn(self.email("holder"), json.dumps(rdap()))
        # and hidden again
        r = b.post(P + "/data/disclose", {"csrf": b.csrf(body), "account": acct, "slot": "a1"})
        self.assertRedirect(r, P + "/data")
        self.assertNotIn(self.email("holder"), json.dumps(rdap()))

    def test_R21_identity_check_state_and_what_to_do(self):
        h = self.holder("ss-ident-%s.dk" % self.tag)
        acct = self.account_of(h)
        b = self.logged_in(h)
        state = sql(self.d, "SELECT idcheck_state FROM contact WHERE handle = '%s'" % h)[0][0]
        body = self.assertPage(b.get(P + "/data"))
        pre = re.search(r'id="(slot-\d+-a1)"', body).group(1)
        self.assertIn('id="%s-idcheck" data-state="%s"' % (pre, state), body)
        self.assertEqual(state, "pending")
        self.assertIn("waiting for proof of identity, due by", body)
        self.assertIn("registry@nic.example", body)
        # someone else's identity: refused, the check stays pending
        r = b.post(P + "/data/eid", {"csrf": b.csrf(body), "account": acct, "slot": "a1",
                                     "evidence": "DK:0909091111"})
        self.assertRedirect(r, P + "/data")
        body = self.assertPage(b.get(P + "/data"))
        self.assertIn("the identity of the eID is not this contact", body)
        self.assertEqual(sql(self.d, "SELECT idcheck_state FROM contact WHERE handle = '%s'"
                             % h), [("pending",)])
        r = b.post(P + "/data/eid", {"csrf": b.csrf(body), "account": acct, "slot": "a1",
                                     "evidence": "DK:0102031234"})
        self.assertRedirect(r, P + "/data")
        body = self.assertPage(b.get(P + "/data"))
        self.assertEqual(flash(body), ("success", "Your identity is verified."))
        self.assertIn('id="%s-idcheck" data-state="verified"' % pre, body)


# only this file's tests: the base class's run in test_selfservice.py
for _name in [n for n in dir(base.SelfService) if n.startswith("test_")]:
    setattr(SelfServiceData, _name, None)


class SqliteSelfServiceData(SelfServiceData, unittest.TestCase):
    backend = "sqlite"


class PgsqlSelfServiceData(SelfServiceData, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
