#!/usr/bin/env python3
"""Linked WHOIS handles, My profile and the users page of the registrar
portal over real HTTP (issue 16, seed 000: R27-R31), with contacts,
domains and name servers made over EPP: regctl registrar set --handle and
contact link/unlink; the linked list with each handle's roles, a click
through to its domains and name servers, the link candidates shown only
for exact data matches (any case of e-mail, another registrar's handle
too), the empty list with its explanation (no own handle; no match), link
(only a candidate), unlink, "Create handle" with the message next to its
field and the values kept over the redirect; an Administrator granting
themselves nameserver_manager (in effect at the next page), the password
change with the current password; an administrator adding, changing,
disabling and resetting users of their own registrar only. Runs on SQLite
and PostgreSQL."""
import html
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from eppclient import EPPClient, with_terms  # noqa: E402
from test_epp_contact import NS, c_create, c_info, postal, regc  # noqa: E402
from test_epp_domain import create_xml  # noqa: E402
from test_epp_host import host_create  # noqa: E402
from portalcase import PortalCase  # noqa: E402
from test_portal import PW  # noqa: E402

NAME = "Ren\u00e9 Hostmaster"
CITY = "K\u00f8benhavn V"
HANDLES = "/portal/admin/handles"


def company(cid, email="hostmaster@alpha.dk", city=CITY, name=NAME):
    """contact:create and its extension: the registrar's own data."""
    return (c_create(cid, [postal("loc", name=name, org="Alpha Hosting ApS",
                                  street=("Vesterbrogade 1", "3. sal"), city=city, pc="1620")],
                     voice="+45.70201234", email=email),
            regc("create", type_="organization", ident=("org", "DK", "12345678")))


def table(body, table_id):
    """The rows of <table id=table_id> as lists of cell texts."""
    m = re.search(r'<table[^>]* id="%s"[^>]*>(.*?)</table>' % re.escape(table_id), body, re.S)
    if not m:
        return None
    rows = []
    for tr in re.findall(r"<tbody>(.*?)</tbody>", m.group(1), re.S)[0:1]:
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", tr, re.S):
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            rows.append([" ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split())
                         for c in cells])
    return rows


def column(body, table_id, i=0):
    rows = table(body, table_id)
    return [r[i] for r in rows] if rows is not None else None


class LinkedHandles(PortalCase):
    NAME, SETTINGS = "handles", {"host.allow_private": "true"}
    REGISTRARS = (("REGA", "secret-pw1", {"name": "Alpha Hosting"}),
                  ("REGB", "secret-pw2", {"name": "Beta Registrar"}))
    USERS = (("anna", "REGA", "administrator"), ("pia", "REGA", "administrator"),
             ("bob", "REGA", "registrar"), ("dora", "REGB", "administrator"))

    @classmethod
    def populate(cls):
        def ok(r):
            if r.code not in (1000, 1001):
                raise AssertionError(repr(r))

        c = EPPClient(cls.d.host, cls.d.port)
        ok(c.login("REGA", "secret-pw1"))
        ok(c.command(*company("OWN")))
        ok(c.command(*company("NSADM", email="HostMaster@Alpha.DK")))  # e-mail in another case
        ok(c.command(*company("OTHER", city="Aarhus C")))         # one field differs
        ok(c.command(c_create("ADM", [postal("loc", name="Anne Admin")],
                              email="anne@example.test"),
                     extension=regc("create", type_="person")))
        ok(c.command(create_xml("alpha-hosting.dk", registrant="REGA:ADM", period=1,
                                contacts=(("admin", "REGA:ADM"), ("tech", "REGA:NSADM")),
                                pw="Dpw-12345"), extension=with_terms()))
        ok(c.command(*host_create("ns1.alpha-hosting.dk", ("192.0.2.1",), admin="REGA:NSADM")))
        ok(c.command(*host_create("ns.example.net", admin="REGA:NSADM")))
        c.close()
        c = EPPClient(cls.d.host, cls.d.port)
        ok(c.login("REGB", "secret-pw2"))
        ok(c.command(*company("TWIN")))  # another registrar's, the same data
        ok(c.command(*company("LONE", name="Beta Hostmaster")))
        c.close()
        cls.d.regctl("registrar", "set", "REGA", "--handle", "REGA:OWN")
        cls.d.regctl("contact", "link", "REGA:ADM", "--registrar", "REGA")

    # --- helpers ------------------------------------------------------------

    def epp_linked(self, clid, pw, handle):
        """<regc:linked> of contact:info as clid (None when absent)."""
        c = EPPClient(self.d.host, self.d.port)
        try:
            self.assertEqual(c.login(clid, pw).code, 1000)
            r = c.command(c_info(handle))
            self.assertEqual(r.code, 1000, repr(r))
            return r.root.findtext("epp:response/epp:extension/regc:infData/regc:linked",
                                   namespaces=NS)
        finally:
            c.close()

    def post(self, b, path, form, back):
        """POST from the page at `back` with its CSRF token; the redirect's
        target must be `back` (without #fragment); the message shown."""
        body = self.page(b, back)
        form = dict(form, csrf=b.csrf(body))
        status, headers, text = b.post(path, form)
        self.assertEqual(status, 303, text)
        self.assertEqual(headers["Location"].split("#")[0], back)
        body = self.page(b, back)
        # a refusal (alert) or what was done (status)
        m = re.search(r'<div class="alert alert-(?:danger|success)" role="(?:alert|status)"'
                      r'(?: id="done")?>([^<]*)</div>', body)
        return html.unescape(m.group(1)) if m else None, body

    # --- regctl -------------------------------------------------------------

    def test_regctl_own_handle(self):
        r = self.d.regctl("registrar", "set", "REGA", "--handle", "REGB:TWIN", check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("contact REGB:TWIN is sponsored by REGB, not by REGA", r.stderr)
        r = self.d.regctl("registrar", "set", "REGA", "--handle", "REGA:NOPE", check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("contact REGA:NOPE does not exist", r.stderr)
        out = self.d.regctl("registrar", "show", "REGA").stdout
        self.assertIn("own-handle: REGA:OWN\n", out)
        self.d.regctl("registrar", "add", "REGC", "--name", "Gamma", "--password", "secret-pw3")
        self.assertIn("own-handle: none\n", self.d.regctl("registrar", "show", "REGC").stdout)

    def test_regctl_link_unlink(self):
        r = self.d.regctl("contact", "link", "rega:other", "--registrar", "REGB")
        self.assertEqual(r.stdout, "contact REGA:OTHER linked to REGB (Beta Registrar)\n")
        self.assertIn("linked to:", self.d.regctl("contact", "show", "REGA:OTHER").stdout)
        r = self.d.regctl("contact", "link", "REGA:OTHER", "--registrar", "REGA", check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("contact REGA:OTHER is linked to REGB already: unlink it first", r.stderr)
        self.assertEqual(self.d.regctl("contact", "unlink", "REGA:OTHER").stdout,
                         "contact REGA:OTHER is not linked\n")
        r = self.d.regctl("contact", "unlink", "REGA:OTHER", check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("contact REGA:OTHER is not linked", r.stderr)
        r = self.d.regctl("contact", "link", "REGA:OTHER", check=False)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--registrar is required", r.stderr)
        hist = self.d.regctl("history", "REGA:OTHER").stdout
        self.assertRegex(hist, r"(?s)link.*unlink")

    # --- the seed-000 flow ----------------------------------------------------

    def test_linked_handles_flow(self):
        bob = self.login("bob")
        self.assertNotIn(HANDLES, self.page(bob, "/portal/"))
        self.assertEqual(bob.get(HANDLES)[0], 403)  # R27
        self.assertEqual(bob.get(HANDLES + "/REGA:ADM")[0], 403)
        b = self.login("anna")
        self.assertIn('href="/portal/admin/users"', self.page(b, "/portal/"))
        body = self.page(b, "/portal/admin/users")
        self.assertIn('href="%s"' % HANDLES, body)  # Administration → Linked WHOIS handles
        body = self.page(b, HANDLES)
        # R28: the linked handle with its roles
        rows = {r[0]: r for r in table(body, "linked")}
        self.assertEqual(rows["REGA:ADM"], ["REGA:ADM", "Anne Admin",
                                            "Registrant (1), Administrative contact (1)",
                                            "1", "0", "Unlink"])
        # R29: only exact matches (e-mail in any case, another registrar's too)
        self.assertEqual(column(body, "candidates"), ["REGA:NSADM", "REGA:OWN", "REGB:TWIN"])
        self.assertNotIn('id="no-candidates"', body)
        # link one
        msg, body = self.post(b, HANDLES + "/link", {"handle": "REGA:NSADM"}, HANDLES)
        self.assertEqual(msg, "The handle was linked.")
        self.assertEqual(column(body, "candidates"), ["REGA:OWN", "REGB:TWIN"])
        rows = {r[0]: r for r in table(body, "linked")}
        self.assertEqual(rows["REGA:NSADM"][2], "Technical contact (1), Name server administrator (2)")
        self.assertEqual(rows["REGA:NSADM"][3:5], ["1", "2"])
        self.assertIn('href="/portal/admin/handles/REGA:NSADM#nameservers"', body)
        # click through
        page = self.page(b, HANDLES + "/REGA:NSADM")
        self.assertEqual(table(page, "domains"), [["alpha-hosting.dk", "Technical contact"]])
        self.assertEqual(column(page, "nameservers"), ["ns.example.net", "ns1.alpha-hosting.dk"])
        page = self.page(b, HANDLES + "/REGA%3AADM")
        self.assertEqual(table(page, "domains"),
                         [["alpha-hosting.dk", "Registrant, Administrative contact"]])
        self.assertIn('id="nameservers">The handle administers no name servers.', page)
        self.assertEqual(b.get(HANDLES + "/REGA:OTHER")[0], 404)  # not linked
        # not a candidate: refused, nothing linked
        msg, body = self.post(b, HANDLES + "/link", {"handle": "REGA:OTHER"}, HANDLES)
        self.assertIn("its contact data are not exactly those of your registrar's handle "
                      "REGA:OWN", msg)
        self.assertNotIn("REGA:OTHER", column(body, "linked"))
        # without the form's token: refused
        status, _, _ = b.post(HANDLES + "/link", {"handle": "REGB:TWIN"})
        self.assertEqual(status, 403)
        # EPP shows the sponsor the link (<regc:linked>), others not
        self.assertEqual(self.epp_linked("REGA", "secret-pw1", "REGA:NSADM"), "REGA")
        self.assertIsNone(self.epp_linked("REGA", "secret-pw1", "REGA:OTHER"))
        # the registry knows for self-service (R31)
        self.assertRegex(self.d.regctl("contact", "show", "REGA:NSADM").stdout,
                         r"linked to: +REGA\n")
        # unlink: a candidate again
        msg, body = self.post(b, HANDLES + "/unlink", {"handle": "REGA:NSADM"}, HANDLES)
        self.assertEqual(msg, "The handle was unlinked.")
        self.assertEqual(column(body, "candidates"), ["REGA:NSADM", "REGA:OWN", "REGB:TWIN"])
        # another registrar's administrator cannot unlink ours
        dora = self.login("dora")
        msg, _ = self.post(dora, HANDLES + "/unlink", {"handle": "REGA:ADM"}, HANDLES)
        self.assertEqual(msg, "contact REGA:ADM is not linked to REGB")

    def test_create_handle(self):
        b = self.login("anna")
        form = {"id": "web1", "kind": "organization", "name": "Web Master", "org": "",
                "street1": "Havnegade 2", "city": "Aarhus C", "pc": "8000", "cc": "DK",
                "voice": "+45.1234", "email": "web@example.test", "ident_type": ""}
        # EPP's rule and words, next to the field, the values kept
        bad = dict(form, voice="12 34 56 78")
        msg, body = self.post(b, HANDLES + "/create", bad, HANDLES)
        self.assertIn("is not a number in the form +CC.NNNNNNNN", msg)
        self.assertRegex(body, r'id="voice"[^>]*class="form-control is-invalid"')
        self.assertRegex(body, r'<div class="invalid-feedback" id="error-voice">voice '
                               r'&quot;12 34 56 78&quot; is not a number')
        self.assertIn('value="Web Master"', body)
        body = self.page(b, HANDLES)  # shown once
        self.assertNotIn("is-invalid", body)
        bad = dict(form, email="")
        msg, body = self.post(b, HANDLES + "/create", bad, HANDLES)
        self.assertEqual(msg, "an email address is required")
        self.assertIn('id="error-email"', body)
        msg, body = self.post(b, HANDLES + "/create", form, HANDLES)
        self.assertEqual(msg, "The handle was created and linked. REGA:WEB1")
        self.assertIn("REGA:WEB1", column(body, "linked"))
        self.assertIn("linked to", self.d.regctl("contact", "show", "REGA:WEB1").stdout)
        self.assertRegex(self.d.regctl("history", "REGA:WEB1").stdout, r"(?s)create.*link")

    def test_empty_candidates_say_why(self):
        dora = self.login("dora")
        body = self.page(dora, HANDLES)
        self.assertEqual(column(body, "candidates"), [])
        self.assertIn('id="no-candidates">There are no handles you can link: your registrar has '
                      'no handle of its own', body)
        self.assertIn('id="no-linked"', body)
        self.d.regctl("registrar", "set", "REGB", "--handle", "REGB:LONE")
        self.d.regctl("contact", "link", "REGB:LONE", "--registrar", "REGB")
        body = self.page(dora, HANDLES)
        self.assertEqual(column(body, "candidates"), [])
        self.assertIn('id="no-candidates">There are no active handles you can link: no handle '
                      'that is not linked yet has exactly the same contact data', body)
        self.assertEqual(column(body, "linked"), ["REGB:LONE"])
        # Danish
        self.assertEqual(dora.get("/portal/lang/da")[0], 303)
        self.assertIn("Der er ingen aktive handles", self.page(dora, HANDLES))

    # --- My profile ------------------------------------------------------------

    def test_profile_roles_and_password(self):
        b = self.login("pia")
        body = self.page(b, "/portal/profile")
        self.assertIn('id="my-roles">Administrator<', body)
        self.assertRegex(body, r'id="my-role_administrator"[^>]*checked[^>]*disabled')
        # seed 000: an Administrator grants themselves Name server manager
        msg, body = self.post(b, "/portal/profile/roles", {"role_nameserver_manager": "1"},
                              "/portal/profile")
        self.assertEqual(msg, "Your roles were saved.")
        self.assertIn('id="my-roles">Administrator, Name server manager<', body)  # at once
        self.assertRegex(self.d.regctl("portal-user", "list", "REGA").stdout,
                         r"pia +active .*administrator,nameserver_manager")
        # the password: the current one is needed
        msg, _ = self.post(b, "/portal/profile/password",
                           {"current": "wrong-password", "new": "a new long password"},
                           "/portal/profile")
        self.assertEqual(msg, "the current password is not right")
        msg, _ = self.post(b, "/portal/profile/password", {"current": PW, "new": "short"},
                           "/portal/profile")
        self.assertIn("10", msg)
        msg, _ = self.post(b, "/portal/profile/password",
                           {"current": PW, "new": "a new long password"}, "/portal/profile")
        self.assertEqual(msg, "Your password was changed.")
        self.login("pia", "a new long password")
        # a user without Administrator sees roles, cannot set them
        bob = self.login("bob")
        body = self.page(bob, "/portal/profile")
        self.assertNotIn('id="roles-form"', body)
        self.assertIn("Ask your registrar&#39;s administrator", body)
        status, _, _ = bob.post("/portal/profile/roles", {"csrf": bob.csrf(body),
                                                          "role_administrator": "1"})
        self.assertEqual(status, 403)

    # --- Administration → users ----------------------------------------------------

    def test_admin_manages_users(self):
        b = self.login("anna")
        users = "/portal/admin/users"
        msg, body = self.post(b, users + "/add", {"login": "eve", "email": "eve@example.test",
                                                  "password": "eve-password-1",
                                                  "role_registrar": "1"}, users)
        self.assertEqual(msg, "The user was added.")
        self.assertIn("eve", column(body, "users"))
        msg, _ = self.post(b, users + "/add", {"login": "eve", "email": "eve@example.test",
                                               "password": "eve-password-1"}, users)
        self.assertEqual(msg, "the login name eve is taken")
        msg, _ = self.post(b, users + "/roles", {"login": "eve", "role_payer": "1",
                                                 "role_registrar": "1"}, users)
        self.assertEqual(msg, "The user was changed.")
        out = self.d.regctl("portal-user", "list", "REGA").stdout
        self.assertRegex(out, r"eve +\S+ .*registrar,payer")
        msg, _ = self.post(b, users + "/disable", {"login": "eve"}, users)
        self.assertEqual(msg, "The user was changed.")
        self.assertRegex(self.d.regctl("portal-user", "list", "REGA").stdout, r"eve +disabled")
        msg, _ = self.post(b, users + "/enable", {"login": "eve"}, users)
        msg, _ = self.post(b, users + "/totp", {"login": "eve"}, users)
        self.assertEqual(msg, "The user was changed.")
        self.assertRegex(self.d.regctl("history", "eve").stdout, r"reset-totp")
        # not their own login, not another registrar's users
        msg, _ = self.post(b, users + "/disable", {"login": "anna"}, users)
        self.assertEqual(msg, "You cannot disable your own login.")
        # one's own Administrator stays (its box is disabled, so not sent)
        msg, _ = self.post(b, users + "/roles", {"login": "ANNA", "role_payer": "1"}, users)
        self.assertEqual(msg, "The user was changed.")
        self.assertRegex(self.d.regctl("portal-user", "list", "REGA").stdout,
                         r"anna +active .*administrator,payer ")
        msg, _ = self.post(b, users + "/disable", {"login": "dora"}, users)
        self.assertEqual(msg, "There is no such user at your registrar.")
        self.assertRegex(self.d.regctl("portal-user", "list", "REGB").stdout, r"dora +(active|to-enrol) ")


class SqliteLinkedHandles(LinkedHandles, unittest.TestCase):
    backend = "sqlite"


class PgsqlLinkedHandles(LinkedHandles, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
