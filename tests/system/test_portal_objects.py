#!/usr/bin/env python3
"""The registrar portal's Contacts, Hosts, Poll messages and EPP log over
real HTTP (issue 16), on the registry operations EPP uses: a contact
created, changed and deleted through the forms (checked over EPP's
contact:info), an invalid e-mail address refused with the registry's
message next to the e-mail field and the typed values kept, another
registrar's contact and host answered 404, an in-zone host created with
its address, its addresses changed and the host deleted, a host refused
without the address it needs, a poll message read and acknowledged (gone
for EPP too), the EPP log filtered by svTRID, clTRID, object and date,
never showing another registrar's commands, a CSRF refusal and the role
needed. Runs on SQLite and PostgreSQL."""
import html
import os
import re
import sys
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from eppclient import EPPClient, with_terms  # noqa: E402
from test_epp_contact import NS, c_create, c_info, postal  # noqa: E402
from test_epp_domain import create_xml  # noqa: E402
from test_epp_host import host_create  # noqa: E402
from portalcase import PortalCase  # noqa: E402
from test_portal_handles import column  # noqa: E402

CONTACTS = "/portal/contacts"
HOSTS = "/portal/hosts"


class PortalObjects(PortalCase):
    NAME, SETTINGS = "objects", {"host.allow_private": "true"}
    REGISTRARS = (("REGA", "secret-pw1", {"name": "Alpha Hosting"}),
                  ("REGB", "secret-pw2", {"name": "Beta Registrar"}))
    USERS = (("bob", "REGA", "registrar"), ("ned", "REGA", "nameserver_manager"),
             ("dora", "REGB", "registrar"))

    @classmethod
    def populate(cls):
        def ok(r):
            if r.code not in (1000, 1001):
                raise AssertionError(repr(r))

        c = EPPClient(cls.d.host, cls.d.port)
        ok(c.login("REGA", "secret-pw1"))
        ok(c.command(c_create("USED", [postal("loc", name="Used Contact")],
                              email="used@example.test")))
        ok(c.command(create_xml("alpha-objects.dk", registrant="REGA:USED", period=1,
                                pw="Dpw-12345"), extension=with_terms()))
        ok(c.command(c_create("FIND", [postal("loc", name="Findable Person")],
                              email="find@example.test"), cltrid="PORTAL-CL-FIND"))
        c.close()
        c = EPPClient(cls.d.host, cls.d.port)
        ok(c.login("REGB", "secret-pw2"))
        ok(c.command(c_create("SECRET", [postal("loc", name="Beta Secret")],
                              email="secret@example.test"), cltrid="PORTAL-CL-BETA"))
        ok(c.command(*host_create("ns.beta-only.net")))
        c.close()

    # --- helpers ------------------------------------------------------------

    def post(self, b, path, form, back, to=None):
        """POST from the page at `back` with its CSRF token; the redirect
        must go to `to` (default back); that page's body."""
        body = self.page(b, back)
        status, headers, text = b.post(path, dict(form, csrf=b.csrf(body)))
        self.assertEqual(status, 303, text)
        self.assertEqual(headers["Location"], to or back)
        return self.page(b, to or back)

    @staticmethod
    def done(body):
        m = re.search(r'<div class="alert alert-success" role="status" id="done">([^<]*)</div>',
                      body)
        return html.unescape(m.group(1)) if m else None

    @staticmethod
    def value(body, name):
        m = re.search(r'<input id="%s" name="%s"[^>]* value="([^"]*)"' % (name, name), body)
        return html.unescape(m.group(1)) if m else None

    def epp(self, clid, pw, *cmd, **kw):
        c = EPPClient(self.d.host, self.d.port)
        try:
            self.assertEqual(c.login(clid, pw).code, 1000)
            return c.command(*cmd, **kw)
        finally:
            c.close()

    # --- contacts -----------------------------------------------------------

    def test_contact_create_update_delete(self):
        b = self.login("bob")
        # a long street: the kept form is longer than a short cookie
        street = "Lange Gade " + "x" * 200
        form = {"id": "PORTAL1", "kind": "person", "name": "Portal Person", "street1": street,
                "city": "Odense C", "pc": "5000", "cc": "DK", "voice": "+45.11223344",
                "email": "no-city-here", "ident_type": "", "ident_value": "", "ident_cc": ""}
        body = self.post(b, CONTACTS + "/new", form, CONTACTS + "/new")
        # the registry's message next to the e-mail field, the values kept
        m = re.search(r'<div class="invalid-feedback" id="error-email">([^<]*)</div>', body)
        self.assertIsNotNone(m, body)
        self.assertIn("is not an email address", html.unescape(m.group(1)))
        self.assertIn('class="form-control is-invalid" aria-describedby="error-email"', body)
        self.assertEqual(self.value(body, "name"), "Portal Person")
        self.assertEqual(self.value(body, "city"), "Odense C")
        self.assertEqual(self.value(body, "street1"), street)
        self.assertEqual(self.value(body, "email"), "no-city-here")
        # reloaded, the form is empty again (the kept values are taken once)
        self.assertEqual(self.value(self.page(b, CONTACTS + "/new"), "name"), "")

        form["email"] = "portal@example.test"
        body = self.post(b, CONTACTS + "/new", form, CONTACTS + "/new", CONTACTS + "/REGA%3APORTAL1")
        self.assertEqual(self.done(body), "Contact REGA:PORTAL1 was created.")
        self.assertIn('<dd class="col-sm-8 col-lg-9 text-break" id="f-email">portal@example.test',
                      body)
        r = self.epp("REGA", "secret-pw1", c_info("REGA:PORTAL1"))
        self.assertEqual(r.code, 1000)
        self.assertEqual(r.root.findtext(".//contact:email", namespaces=NS), "portal@example.test")
        # recorded as EPP's create is, through the portal by the user
        self.assertRegex(self.d.regctl("history", "REGA:PORTAL1").stdout,
                         r"create +bob +portal")

        # in the list, found by name and by e-mail
        self.assertIn("REGA:PORTAL1", column(self.page(b, CONTACTS + "?q=portal+person"),
                                             "contacts"))
        self.assertEqual(column(self.page(b, CONTACTS + "?q=PORTAL%40example"), "contacts"),
                         ["REGA:PORTAL1"])

        # update: a refusal next to its field, then the change
        path = CONTACTS + "/REGA%3APORTAL1"
        upd = dict(form, voice="12345", city="Aarhus C")
        del upd["id"]
        upd["action"] = "update"
        body = self.post(b, path, upd, path)
        self.assertRegex(body, r'<div class="invalid-feedback" id="error-voice">[^<]*voice')
        self.assertEqual(self.value(body, "city"), "Aarhus C")
        upd["voice"] = "+45.99887766"
        body = self.post(b, path, upd, path)
        self.assertEqual(self.done(body), "The contact was changed.")
        r = self.epp("REGA", "secret-pw1", c_info("REGA:PORTAL1"))
        self.assertEqual(r.root.findtext(".//contact:voice", namespaces=NS), "+45.99887766")
        self.assertEqual(r.root.findtext(".//contact:city", namespaces=NS), "Aarhus C")

        # delete
        body = self.post(b, path, {"action": "delete"}, path, CONTACTS)
        self.assertEqual(self.done(body), "Contact REGA:PORTAL1 was deleted.")
        self.assertEqual(self.epp("REGA", "secret-pw1", c_info("REGA:PORTAL1")).code, 2303)
        self.page(b, path, 404)

    def test_contact_in_use(self):
        b = self.login("bob")
        path = CONTACTS + "/REGA%3AUSED"
        body = self.page(b, path)
        self.assertEqual(column(body, "contact-uses"), ["alpha-objects.dk"])
        # a contact without a type keeps none when saved as shown
        self.assertRegex(body, r'<option value="" selected[^>]*>\(not given\)</option>')
        body = self.post(b, path, {"action": "update", "kind": "", "name": "Used Contact",
                                   "street1": "Vestergade 1", "city": "Aarhus C", "pc": "8000",
                                   "cc": "DK", "voice": "+45.12345678",
                                   "email": "used@example.test"}, path)
        self.assertEqual(self.done(body), "The contact was changed.")
        self.assertIn('id="f-kind"></dd>', body)
        # deleting a contact in use: EPP's refusal, at the top of its page
        body = self.post(b, path, {"action": "delete"}, path)
        self.assertRegex(body, r'<div class="alert alert-danger" role="alert">[^<]+</div>')
        self.assertEqual(self.epp("REGA", "secret-pw1", c_info("REGA:USED")).code, 1000)

    def test_other_registrars_objects(self):
        b = self.login("bob")
        self.page(b, CONTACTS + "/REGB:SECRET", 404)
        self.page(b, HOSTS + "/ns.beta-only.net", 404)
        self.assertNotIn("REGB:SECRET", self.page(b, CONTACTS))
        self.assertNotIn("ns.beta-only.net", self.page(b, HOSTS))
        # a change of another's contact: 404 as well, nothing changed
        body = self.page(b, CONTACTS)
        status, _, _ = b.post(CONTACTS + "/REGB:SECRET", {"csrf": b.csrf(body),
                                                          "action": "delete"})
        self.assertEqual(status, 404)
        self.assertEqual(self.epp("REGB", "secret-pw2", c_info("REGB:SECRET")).code, 1000)

    def test_role_and_csrf(self):
        n = self.login("ned")  # nameserver_manager only
        for path in (CONTACTS, HOSTS, "/portal/poll", "/portal/epp-log"):
            self.page(n, path, 403)
        b = self.login("bob")
        status, _, body = b.post(CONTACTS + "/new", {"csrf": "forged", "name": "X", "city": "Y",
                                                     "cc": "DK", "email": "x@example.test"})
        self.assertEqual(status, 403)
        self.assertIn("Please try again", body)  # the refusal page
        self.assertEqual(column(self.page(b, CONTACTS + "?q=x%40example.test"), "contacts"),
                         None)
        nav = self.page(b, "/portal/")
        for href in (CONTACTS, HOSTS, "/portal/poll", "/portal/epp-log"):
            self.assertIn('href="%s"' % href, nav)

    # --- hosts --------------------------------------------------------------

    def test_host_life(self):
        b = self.login("bob")
        new = HOSTS + "/new"
        body = self.post(b, new, {"name": "ns1.alpha-objects.dk", "addrs": "", "admin": ""}, new)
        self.assertRegex(body, r'id="error-addrs">[^<]+<')  # an in-zone host needs an address
        self.assertEqual(self.value(body, "name"), "ns1.alpha-objects.dk")
        body = self.post(b, new, {"name": "ns1.alpha-objects.dk", "addrs": "192.0.2.7\n2001:db8::7",
                                  "admin": "REGA:USED"}, new, HOSTS + "/ns1.alpha-objects.dk")
        self.assertEqual(self.done(body), "Host ns1.alpha-objects.dk was created.")
        self.assertIn('id="f-addrs">192.0.2.7, 2001:db8::7<', body)
        self.assertIn('id="f-admin">REGA:USED<', body)
        self.assertEqual(column(self.page(b, HOSTS + "?q=ns1.alpha"), "hosts"),
                         ["ns1.alpha-objects.dk"])
        path = HOSTS + "/ns1.alpha-objects.dk"
        body = self.post(b, path, {"action": "addrs", "addrs": "192.0.2.8\n999.1.1.1"}, path)
        self.assertRegex(body, r'id="error-addrs">[^<]*999\.1\.1\.1')
        self.assertIn("999.1.1.1", body)  # what was typed, kept
        body = self.post(b, path, {"action": "addrs", "addrs": "192.0.2.8 2001:DB8::7"}, path)
        self.assertEqual(self.done(body), "The addresses were changed.")
        self.assertIn('id="f-addrs">192.0.2.8, 2001:db8::7<', body)
        body = self.post(b, path, {"action": "addrs", "addrs": "192.0.2.8\n2001:db8::7"}, path)
        self.assertEqual(self.done(body), "The addresses are as they were.")
        body = self.post(b, path, {"action": "delete"}, path, HOSTS)
        self.assertEqual(self.done(body), "Host ns1.alpha-objects.dk was deleted.")
        self.page(b, path, 404)

    # --- poll ---------------------------------------------------------------

    def test_poll_read_ack(self):
        self.d.regctl("poll", "send", "REGA", "--message", "Portal poll test <one>")
        b = self.login("bob")
        body = self.page(b, "/portal/poll")
        ids = column(body, "poll")
        self.assertTrue(ids, body)
        mid = None
        for m in re.finditer(r'<tr data-id="(\d+)">(.*?)</tr>', body, re.S):
            if "Portal poll test &lt;one&gt;" in m.group(2):
                mid = m.group(1)
        self.assertIsNotNone(mid, body)
        # the number waiting, in the navigation of every page
        unread = re.search(r'<span class="badge text-bg-primary" id="poll-unread"[^>]*>(\d+)<',
                           self.page(b, "/portal/contacts"))
        self.assertIsNotNone(unread)
        self.assertEqual(int(unread.group(1)), len(ids))
        msg = self.page(b, "/portal/poll/" + mid)
        self.assertIn('id="f-message">Portal poll test &lt;one&gt;<', msg)
        # dora (REGB) cannot read it
        self.page(self.login("dora"), "/portal/poll/" + mid, 404)
        body = self.post(b, "/portal/poll/ack", {"id": mid}, "/portal/poll/" + mid, "/portal/poll")
        self.assertEqual(self.done(body), "The message was acknowledged.")
        self.assertNotIn('data-id="%s"' % mid, body)
        after = re.search(r'id="poll-unread"[^>]*>(\d+)<', body)
        self.assertEqual(int(after.group(1)) if after else 0, len(ids) - 1)
        self.page(b, "/portal/poll/" + mid, 404)
        # gone for EPP too: acking it again is refused
        r = self.epp("REGA", "secret-pw1",
                     '<poll op="ack" msgID="%s"/>' % mid)
        self.assertNotEqual(r.code, 1000)

    # --- EPP log ------------------------------------------------------------

    def test_epp_log(self):
        b = self.login("bob")
        body = self.page(b, "/portal/epp-log")
        self.assertIn("PORTAL-CL-FIND", body)
        self.assertNotIn("PORTAL-CL-BETA", body)  # REGB's
        body = self.page(b, "/portal/epp-log?cltrid=PORTAL-CL-FIND")
        rows = re.findall(r'href="/portal/epp-log/([^"]+)"', body)
        self.assertEqual(len(rows), 1, body)
        svtrid = urllib.parse.unquote(rows[0])
        body = self.page(b, "/portal/epp-log?svtrid=" + urllib.parse.quote(svtrid))
        self.assertEqual(re.findall(r'href="/portal/epp-log/([^"]+)"', body), rows)
        # by object: the contact's create, not the domain's
        body = self.page(b, "/portal/epp-log?object=REGA%3AFIND")
        self.assertIn("PORTAL-CL-FIND", body)
        body = self.page(b, "/portal/epp-log?object=alpha-objects.dk")
        self.assertNotIn("PORTAL-CL-FIND", body)
        self.assertIn("domain:create", body)
        # by date: today has it, a day long past does not
        today = time.strftime("%Y-%m-%d", time.gmtime())
        self.assertIn("PORTAL-CL-FIND",
                      self.page(b, "/portal/epp-log?from=%s&to=%s" % (today, today)))
        self.assertIn('id="found">No commands match.',
                      self.page(b, "/portal/epp-log?to=2001-01-01&cltrid=PORTAL-CL-FIND"))
        # the command's page: its request, as logged
        body = self.page(b, "/portal/epp-log/" + rows[0])
        self.assertIn("REGA:FIND", html.unescape(body))
        # another registrar's command: not found
        beta = self.page(self.login("dora"), "/portal/epp-log?cltrid=PORTAL-CL-BETA")
        other = re.findall(r'href="/portal/epp-log/([^"]+)"', beta)
        self.assertEqual(len(other), 1)
        self.page(b, "/portal/epp-log/" + other[0], 404)
        self.page(self.login("dora"), "/portal/epp-log/" + rows[0], 404)


class SqlitePortalObjects(PortalObjects, unittest.TestCase):
    backend = "sqlite"


class PgsqlPortalObjects(PortalObjects, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
