#!/usr/bin/env python3
"""The registrar portal's XML console (R12) and Billing pages over real
HTTP (issue 16). Console: a sample loaded into the textarea, a domain:info
and a domain:delete with <regd:verified/> sent as the portal user's
registrar through the EPP pipeline (the delete really applied, the EPP log
with session portal-console, history with channel portal-console), the
clTRID filled in when missing, the response indented and escaped, a
malformed document answered 2001, a <login> refused, a document over the
bound refused before it runs, 403 without the registrar role. Billing: the
balance and credit limit as regctl balance gives them, the statement CSV
equal to regctl statement --csv, the statement table's rows, an invoice's
page and downloads (equal to regctl invoice show), another registrar's
invoice not found, the prices with override and rebate, 403 without the
payer role. Runs on SQLite and PostgreSQL."""
import html
import os
import re
import sys
import time
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from eppclient import EPPClient, with_terms  # noqa: E402
from test_epp_contact import c_create  # noqa: E402
from test_epp_domain import create_xml  # noqa: E402
from test_portal import Browser  # noqa: E402
from portalcase import PortalCase  # noqa: E402
from test_portal_handles import table  # noqa: E402

EPP_NS = "urn:ietf:params:xml:ns:epp-1.0"
DOMAIN_NS = "urn:ietf:params:xml:ns:domain-1.0"
REGD_NS = "https://registryd.org/epp/domain-ext-1.0"
NS = {"epp": EPP_NS, "domain": DOMAIN_NS}
CONSOLE = "/portal/console"


def doc(command, cltrid=None):
    """A whole <epp> document, indented as a person writes one."""
    tr = "\n    <clTRID>%s</clTRID>" % cltrid if cltrid else ""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<epp xmlns="%s">\n  <command>\n    %s%s\n'
            '  </command>\n</epp>\n' % (EPP_NS, command, tr))


def domain_cmd(verb, name, ext=""):
    return ('<%s><domain:%s xmlns:domain="%s"><domain:name>%s</domain:name></domain:%s></%s>%s'
            % (verb, verb, DOMAIN_NS, name, verb, verb, ext))


VERIFIED_DELETE = ('<extension><regd:delete xmlns:regd="%s"><regd:verified/></regd:delete>'
                   '</extension>' % REGD_NS)


class ConsoleAndBilling(PortalCase):
    NAME = "console"
    REGISTRARS = (("REGA", "secret-pw1", {"name": "Alpha Registrar"}),
                  ("REGB", "secret-pw2", {"name": "Beta Registrar"}))
    USERS = (("bob", "REGA", "registrar"), ("pat", "REGA", "payer"), ("bea", "REGB", "payer"))

    @classmethod
    def prepare(cls):
        # R24: a default price list, REGA's own renew price and rebate
        cls.d.regctl("price", "set", "create", "1500", "--from", "2000-01-01")
        cls.d.regctl("price", "set", "renew", "1000", "--from", "2000-01-01")
        cls.d.regctl("price", "set", "renew", "800", "--registrar", "REGA", "--from",
                     "2000-01-01")
        cls.d.regctl("registrar", "billing", "REGA", "--credit-limit", "200.00", "--rebate",
                     "10", "--from", "2000-01-01")
        cls.d.regctl("credit", "add", "REGA", "1000.00", "--text", "Payment 2026-12")
        cls.d.regctl("credit", "add", "REGB", "100.00", "--text", "Payment")

    @classmethod
    def populate(cls):
        c = EPPClient(cls.d.host, cls.d.port)
        for r in (c.login("REGA", "secret-pw1"), c.command(c_create("REG1")),
                  *(c.command(create_xml(n, registrant="REGA:REG1", period=1, pw="Dpw-12345"),
                              extension=with_terms())
                    for n in ("keep.dk", "gone.dk"))):
            if r.code != 1000:
                raise AssertionError(repr(r))
        c.close()
        # one-off fees get their invoices at once (R17)
        cls.d.regctl("fee", "charge", "REGA", "25.00", "--text", "Manual handling")
        cls.d.regctl("fee", "charge", "REGB", "10.00", "--text", "Manual handling")

    # --- helpers ------------------------------------------------------------

    def send(self, b, xml):
        """Posts the document from the console page; the page it leads to
        and the response document shown (None when there is none)."""
        body = self.page(b, CONSOLE)
        status, headers, text = b.post(CONSOLE, {"csrf": b.csrf(body), "xml": xml})
        self.assertEqual(status, 303, text)
        location = headers["Location"]
        body = self.page(b, location)
        m = re.search(r'<code id="response">(.*?)</code>', body, re.S)
        return location, body, html.unescape(m.group(1)) if m else None

    def result(self, response):
        root = ET.fromstring(response.encode("utf-8"))
        return root, int(root.find("epp:response/epp:result", NS).get("code"))

    # --- the console ----------------------------------------------------------

    def test_sample_fills_the_textarea(self):
        b = self.login("bob")
        body = self.page(b, CONSOLE + "?sample=domain-delete-verified")
        self.assertIn('href="/portal/console">XML console</a>', body)
        self.assertIn('<option value="domain-delete-verified" selected>', body)
        text = html.unescape(re.search(r'<textarea[^>]*>(.*?)</textarea>', body, re.S).group(1))
        # the registry's TLD put in; valid as it stands
        self.assertIn("<domain:name>example.dk</domain:name>", text)
        self.assertIn("<regd:verified/>", text)
        root = ET.fromstring(text.encode("utf-8"))
        self.assertEqual(root.tag, "{%s}epp" % EPP_NS)
        self.assertNotIn("<script", body)

    def test_info_runs_as_the_registrar_with_cltrid_filled_in(self):
        b = self.login("bob")
        location, body, response = self.send(b, doc(domain_cmd("info", "keep.dk")))
        m = re.fullmatch(r"/portal/console\?svtrid=(RD-[0-9a-f]+-C\d+)", location)
        self.assertIsNotNone(m, location)
        svtrid = m.group(1)
        root, code = self.result(response)
        self.assertEqual(code, 1000)
        self.assertEqual(root.findtext("epp:response/epp:resData/domain:infData/domain:name",
                                       namespaces=NS), "keep.dk")
        self.assertEqual(root.findtext("epp:response/epp:resData/domain:infData/domain:clID",
                                       namespaces=NS), "REGA")
        self.assertEqual(root.findtext("epp:response/epp:trID/epp:svTRID", namespaces=NS), svtrid)
        self.assertEqual(root.findtext("epp:response/epp:trID/epp:clTRID", namespaces=NS),
                         "console-" + svtrid)
        # indented for reading, escaped in the page
        self.assertIn("\n  <response>\n    <result code=\"1000\">", response)
        self.assertIn("&lt;result code=&quot;1000&quot;&gt;", body)
        self.assertIn("Response: result 1000, svTRID %s" % svtrid, body)
        # the EPP log: this registrar, the console's session and peer
        log = self.d.regctl("epp-log", "--svtrid", svtrid).stdout
        self.assertIn("registrar: REGA\n", log)
        self.assertIn("session:   portal-console from 127.0.0.1\n", log)
        self.assertIn("command:   domain:info\n", log)
        # a reload shows it again and sends nothing
        self.assertEqual(self.page(b, location), body)
        n = self.d.regctl("epp-log", "--registrar", "REGA").stdout.count("portal-console")
        self.page(b, location)
        self.assertEqual(self.d.regctl("epp-log", "--registrar", "REGA").stdout
                         .count("portal-console"), n)

    def test_verified_delete_takes_effect(self):
        b = self.login("bob")
        _, _, response = self.send(b, doc(domain_cmd("delete", "gone.dk", VERIFIED_DELETE),
                                          cltrid="bob-delete-1"))
        root, code = self.result(response)
        # R8: verified, so no confirmation round: into redemption at once
        self.assertEqual(code, 1001, response)
        self.assertEqual(root.findtext("epp:response/epp:trID/epp:clTRID", namespaces=NS),
                         "bob-delete-1")
        svtrid = root.findtext("epp:response/epp:trID/epp:svTRID", namespaces=NS)
        shown = self.d.regctl("domain", "show", "gone.dk").stdout
        self.assertIn("pendingDelete", shown)
        self.assertIn("session:   portal-console", self.d.regctl("epp-log", "--svtrid",
                                                                 svtrid).stdout)
        history = self.d.regctl("history", "gone.dk").stdout
        self.assertRegex(history, r"portal-console")
        # the same over EPP sees it
        c = EPPClient(self.d.host, self.d.port)
        try:
            self.assertEqual(c.login("REGA", "secret-pw1").code, 1000)
            r = c.command(domain_cmd("info", "gone.dk"))
            self.assertEqual(r.code, 1000, repr(r))
            self.assertIn("pendingDelete", [s.get("s") for s in r.root.iterfind(
                "epp:response/epp:resData/domain:infData/domain:status", NS)])
        finally:
            c.close()

    def test_malformed_document_gets_2001(self):
        b = self.login("bob")
        _, body, response = self.send(b, doc("<info><domain:info xmlns:domain=\"%s\">"
                                             "<domain:nome>x.dk</domain:nome></domain:info></info>"
                                             % DOMAIN_NS))
        _, code = self.result(response)
        self.assertEqual(code, 2001)
        _, _, response = self.send(b, "<epp><not closed")
        self.assertEqual(self.result(response)[1], 2001)

    def test_session_commands_are_refused(self):
        b = self.login("bob")
        login = ('<login><clID>REGA</clID><pw>secret-pw1</pw><options><version>1.0</version>'
                 '<lang>en</lang></options><svcs><objURI>%s</objURI></svcs></login>' % DOMAIN_NS)
        for command in (login, "<logout/>"):
            _, _, response = self.send(b, doc(command, cltrid="s-1"))
            root, code = self.result(response)
            self.assertEqual(code, 2002, response)
            self.assertIn("are not taken in the XML console", response)
        # still logged in to the portal
        self.page(b, CONSOLE)

    def test_too_big_is_refused_before_it_runs(self):
        b = self.login("bob")
        before = self.d.regctl("epp-log", "--registrar", "REGA").stdout.count("\n")
        big = doc(domain_cmd("info", "keep.dk")).replace("<command>",
                                                         "<!--" + "x" * 40000 + "--><command>")
        location, body, response = self.send(b, big)
        self.assertEqual(location, CONSOLE)
        self.assertIsNone(response)
        self.assertIn("The document is too big: the console takes at most 32 KiB.", body)
        self.assertIn('class="form-control font-monospace is-invalid"', body)
        self.assertEqual(self.d.regctl("epp-log", "--registrar", "REGA").stdout.count("\n"),
                         before)

    def test_console_needs_the_registrar_role(self):
        b = self.login("pat")
        body = self.page(b, CONSOLE, 403)
        self.assertNotIn('href="/portal/console"', body)
        home = self.page(b, "/portal/")
        status, _, _ = b.post(CONSOLE, {"csrf": b.csrf(home), "xml": doc("<logout/>")})
        self.assertEqual(status, 403)

    def test_other_registrars_command_is_not_shown(self):
        b = self.login("bob")
        c = EPPClient(self.d.host, self.d.port)
        try:
            c.login("REGB", "secret-pw2")
            svtrid = c.command(domain_cmd("check", "x.dk")).svtrid
            # answered once every row queued before it is stored, the
            # check's too (on SQLite a read's row is written apart)
            self.assertEqual(c.logout().code, 1500)
        finally:
            c.close()
        self.assertIn("registrar: REGB", self.d.regctl("epp-log", "--svtrid", svtrid).stdout)
        body = self.page(b, CONSOLE + "?svtrid=" + svtrid)
        self.assertNotIn('id="response"', body)
        self.assertIn("There is no command of your registrar with that svTRID.", body)

    # --- billing ----------------------------------------------------------------

    def test_balance_and_credit_limit_match_regctl(self):
        b = self.login("pat")
        body = self.page(b, "/portal/billing")
        fields = self.d.regctl("balance", "REGA").stdout.splitlines()[1].split()
        balance, limit = int(fields[1]), int(fields[4])
        money = lambda v: "%s%d.%02d DKK" % ("-" if v < 0 else "", abs(v) // 100, abs(v) % 100)
        self.assertIn('id="balance">%s<' % money(balance), body)
        self.assertIn('id="credit-limit">%s<' % money(limit), body)
        self.assertIn('id="available">%s<' % money(balance + limit), body)
        # 1000.00 paid, two creates at 15.00 less 10 %, the 25.00 fee
        self.assertEqual(balance, 100000 - 2 * 1350 - 2500)
        self.assertIn('href="/portal/billing">Billing</a>', body)

    def test_statement_csv_equals_regctl(self):
        b = self.login("pat")
        today = time.strftime("%Y-%m-%d", time.gmtime())
        status, headers, csv = b.get("/portal/billing/statement.csv?from=2000-01-01&to=" + today)
        self.assertEqual(status, 200, csv)
        self.assertEqual(headers["Content-Type"], "text/csv; charset=utf-8")
        self.assertEqual(headers["Content-Disposition"],
                         'attachment; filename="statement-REGA-2000-01-01-%s.csv"' % today)
        want = self.d.regctl("statement", "REGA", "--from", "2000-01-01", "--to", today,
                             "--csv").stdout
        self.assertEqual(csv.replace("\r\n", "\n"), want)  # regctl's read as text
        ids = [line.split(",")[0] for line in csv.splitlines()[2:-1]]
        self.assertEqual(len(ids), 4)  # credit, two creates, the fee
        # the page's table: opening, the same entries, closing
        body = self.page(b, "/portal/billing?from=2000-01-01&to=" + today)
        self.assertEqual(re.findall(r'<tr id="ledger-(\d+)"', body), ids)
        rows = table(body, "statement")
        self.assertEqual(rows[0][0], "Opening balance")
        self.assertEqual(rows[-1][0], "Closing balance")
        self.assertIn("gone.dk", " ".join(" ".join(r) for r in rows))
        # a range the wrong way round
        body = self.page(b, "/portal/billing?from=2020-01-02&to=2020-01-01")
        self.assertIn('id="range-error"', body)
        self.assertEqual(b.get("/portal/billing/statement.csv?from=x")[0], 400)

    def test_invoices_view_and_download(self):
        b = self.login("pat")
        body = self.page(b, "/portal/billing")
        numbers = re.findall(r'href="/portal/billing/invoices/(\d+)"', body)
        self.assertEqual(len(numbers), 1, body)
        n = numbers[0]
        page = self.page(b, "/portal/billing/invoices/" + n)
        self.assertIn("Invoice %s" % n, page)
        self.assertIn('id="invoice-total">25.00 DKK<', page)
        self.assertIn("Manual handling", page)
        for ext, kind, flag in ((".html", "text/html; charset=utf-8", "--html"),
                                (".csv", "text/csv; charset=utf-8", "--csv")):
            status, headers, text = b.get("/portal/billing/invoices/%s%s" % (n, ext))
            self.assertEqual(status, 200, text)
            self.assertEqual(headers["Content-Type"], kind)
            self.assertEqual(headers["Content-Disposition"],
                             'attachment; filename="invoice-%s%s"' % (n, ext))
            self.assertEqual(text.replace("\r\n", "\n"),
                             self.d.regctl("invoice", "show", n, flag).stdout)
        # another registrar's invoice is not found; nonsense neither
        other = self.page(self.login("bea"), "/portal/billing")
        theirs = re.findall(r'href="/portal/billing/invoices/(\d+)"', other)
        self.assertEqual(len(theirs), 1)
        self.assertNotEqual(theirs, numbers)
        for path in (theirs[0], theirs[0] + ".html", theirs[0] + ".csv", n + ".pdf", "0", "x"):
            self.assertEqual(b.get("/portal/billing/invoices/" + path)[0], 404, path)

    def test_prices_with_override_and_rebate(self):
        b = self.login("pat")
        body = self.page(b, "/portal/billing")
        self.assertIn("Your rebate: 10.00 %.", body)
        rows = table(body, "prices")
        self.assertIn(["create", "per year", "Registry price", "15.00 DKK", "13.50 DKK"], rows)
        self.assertIn(["renew", "per year", "Your agreed price", "8.00 DKK", "7.20 DKK"], rows)
        # the default it replaces is shown, without a price to pay
        self.assertIn(["renew", "per year", "Registry price (your agreed price applies)",
                       "10.00 DKK", ""], rows)
        # the other registrar sees the defaults only
        rows = table(self.page(self.login("bea"), "/portal/billing"), "prices")
        self.assertEqual(rows, [["create", "per year", "Registry price", "15.00 DKK", "15.00 DKK"],
                                ["renew", "per year", "Registry price", "10.00 DKK", "10.00 DKK"]])

    def test_danish(self):
        for login, path, texts in (("pat", "/portal/billing",
                                    (">Fakturering</h1>", "Kreditgrænse", "Kontoudtog",
                                     "Dine priser", "Registreringens pris")),
                                   ("bob", CONSOLE, (">XML-konsol</h1>",
                                                     "Start fra et eksempel", "EPP-dokument"))):
            b = self.login(login)
            b.cookies["portal_lang"] = "da"
            try:
                body = self.page(b, path)
            finally:
                del b.cookies["portal_lang"]
            for text in texts:
                self.assertIn(text, body)
            if path == "/portal/billing":
                # amounts with a decimal comma, under headings aligned as they are
                self.assertIn(["create", "pr. år", "Registreringens pris", "15,00 DKK",
                               "13,50 DKK"], table(body, "prices"))
                self.assertNotRegex(body, r"\d\.\d\d DKK")
                self.assertIn('<th scope="col" class="text-end">Pris</th>', body)

    def test_billing_needs_the_payer_role(self):
        b = self.login("bob")
        body = self.page(b, "/portal/billing", 403)
        self.assertNotIn('href="/portal/billing"', body)
        for path in ("/portal/billing/statement.csv", "/portal/billing/invoices/1",
                     "/portal/billing/invoices/1.html"):
            self.assertEqual(b.get(path)[0], 403, path)
        # anonymous: the login page
        status, headers, _ = Browser(self.d).get("/portal/billing")
        self.assertEqual((status, headers["Location"]), (303, "/portal/login"))


class SqliteConsoleBilling(ConsoleAndBilling, unittest.TestCase):
    backend = "sqlite"


class PgsqlConsoleBilling(ConsoleAndBilling, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
