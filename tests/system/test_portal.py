#!/usr/bin/env python3
"""The registrar portal's login over real HTTP (issue 16, R27; DESIGN §11):
users made with regctl portal-user, the login with password and a TOTP code
computed here (RFC 6238 with hmac/hashlib, as an authenticator app does),
enrolment at the first login, a code taken once, the lockout after five
failures, the registrar's address allow-list, cookie flags, CSRF refusals,
POST answered by redirects, the CSP without script, 403 for a user without
the role and the login page for anonymous users, logout, a user disabled
mid-session, the dashboard, English and Danish. Runs on SQLite and
PostgreSQL."""
import base64
import hashlib
import hmac
import http.client
import os
import re
import struct
import sys
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon import Daemon  # noqa: E402

PW = "portal-password-1"
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")


def totp(secret, at=None, step=30, digits=6):
    """RFC 6238 over HMAC-SHA-1 (RFC 4226 §5.3 dynamic truncation)."""
    secret = secret.replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return "%0*d" % (digits, value % 10 ** digits)


class Browser:
    """Cookies kept as a browser keeps them (by name; Max-Age=0 forgets),
    redirects not followed, so each 303 can be checked."""

    def __init__(self, d, headers=None, source=None):
        self.d = d
        self.source = source  # the client's address, e.g. "127.0.0.9"
        self.cookies = {}
        self.set_cookies = []  # every Set-Cookie header seen, whole
        self.headers = headers or {}

    def request(self, method, path, form=None, headers=None):
        c = http.client.HTTPConnection(self.d.http_host, self.d.http_port, timeout=15,
                                       source_address=(self.source, 0) if self.source else None)
        h = dict(self.headers)
        h.update(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            h["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            c.request(method, path, body=body, headers=h)
            r = c.getresponse()
            text = r.read().decode("utf-8")
            for name, value in r.getheaders():
                if name.lower() == "set-cookie":
                    self.set_cookies.append(value)
                    k, v = value.split(";", 1)[0].split("=", 1)
                    if "Max-Age=0" in value:
                        self.cookies.pop(k, None)
                    else:
                        self.cookies[k] = v
            return r.status, dict(r.getheaders()), text
        finally:
            c.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, form, **kw):
        return self.request("POST", path, form=form, **kw)

    @staticmethod
    def csrf(html):
        m = re.search(r'name="csrf" value="([^"]+)"', html)
        return m.group(1) if m else None


# password checks one address may make at once in this class's daemon
# (then one a minute)
GATE_BURST = 40


class PortalLogin:
    backend = None

    @classmethod
    def setUpClass(cls):
        # the class logs in often from 127.0.0.1; the password gate gets
        # its own test from another address
        cls.d = Daemon(backend=cls.backend, name="portal", only="http",
                       settings={"http.password_burst": str(GATE_BURST),
                                 "http.password_rate": "1"})
        try:
            cls.d.add_registrar("REGA", "secret-pw1", name="Alpha <Registrar> & Co")
            cls.d.add_registrar("REGB", "secret-pw2", allow_ips=["192.0.2.0/24"])
            for login, registrar, roles in (("anna", "REGA", "administrator,payer"),
                                            ("bob", "REGA", "registrar"),
                                            ("lock", "REGA", "registrar"),
                                            ("carl", "REGA", "registrar,nameserver_manager"),
                                            ("dora", "REGB", "administrator")):
                cls.d.regctl("portal-user", "add", registrar, login, "--email",
                             f"{login}@example.test", "--role", roles, "--password", PW)
            cls.d.start()
        except Exception:
            cls.d.cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        rc = cls.d.stop()
        cls.d.cleanup()
        if rc != 0:
            raise AssertionError(f"registryd exited with {rc}")

    # --- helpers ------------------------------------------------------------

    def assertRedirect(self, resp, location):
        status, headers, body = resp
        self.assertEqual(status, 303, body)
        self.assertEqual(headers.get("Location"), location)

    def assertPage(self, resp, status=200):
        code, headers, body = resp
        self.assertEqual(code, status, body)
        self.assertEqual(headers.get("Content-Security-Policy"), CSP)
        self.assertEqual(headers.get("Content-Type"), "text/html; charset=utf-8")
        self.assertEqual(headers.get("Cache-Control"), "no-store")
        self.assertNotIn("<script", body)
        self.assertNotIn("style=", body)
        self.assertIn('<link rel="stylesheet" href="/portal/static/bootstrap.min.css">', body)
        return body

    def password_step(self, b, login, password=PW):
        body = self.assertPage(b.get("/portal/login"))
        return b.post("/portal/login", {"csrf": b.csrf(body), "login": login,
                                        "password": password})

    def flash(self, b, path="/portal/login"):
        body = self.assertPage(b.get(path))
        m = re.search(r'<div class="alert alert-danger" role="alert">([^<]*)</div>', body)
        return m.group(1) if m else None

    def enrol(self, login):
        """A first login: password, the key shown, a code; the browser and
        the key."""
        b = Browser(self.d)
        self.assertRedirect(self.password_step(b, login), "/portal/login/enrol")
        body = self.assertPage(b.get("/portal/login/enrol"))
        secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', body).group(1)
        uri = re.search(r'id="totp-uri" href="([^"]+)"', body).group(1).replace("&amp;", "&")
        self.assertEqual(uri, "otpauth://totp/.dk%%20registry:%s?secret=%s&issuer=.dk%%20"
                         "registry&algorithm=SHA1&digits=6&period=30"
                         % (login, secret.replace(" ", "")))
        self.assertRedirect(b.post("/portal/login/enrol", {"csrf": b.csrf(body),
                                                           "code": totp(secret)}), "/portal/")
        return b, secret.replace(" ", "")

    # --- tests --------------------------------------------------------------

    def test_anonymous_is_sent_to_the_login_page(self):
        b = Browser(self.d)
        for path in ("/portal/", "/portal/admin/users"):
            self.assertRedirect(b.get(path), "/portal/login")
        self.assertRedirect(b.get("/portal"), "/portal/")
        self.assertEqual(b.get("/portal/nothing")[0], 404)
        self.assertEqual(b.get("/portalx")[0], 404)
        status, headers, _ = b.request("PUT", "/portal/login")
        self.assertEqual(status, 405)
        status, headers, _ = b.post("/portal/admin/users", {})
        self.assertEqual((status, headers.get("Allow")), (405, "GET, HEAD"))

    def test_first_login_enrols_then_code_each_time(self):
        b = Browser(self.d)
        resp = self.password_step(b, "ANNA")  # login names are case-insensitive
        self.assertRedirect(resp, "/portal/login/enrol")
        step_cookie = b.cookies["portal_session"]
        cookie = [c for c in b.set_cookies if c.startswith("portal_session=")][-1]
        self.assertEqual(cookie, "portal_session=%s; Path=/portal; HttpOnly; SameSite=Strict"
                         % step_cookie)  # no Secure: base_url is http://
        # half logged in: no page yet
        self.assertRedirect(b.get("/portal/"), "/portal/login")
        self.assertRedirect(b.get("/portal/login/code"), "/portal/login/enrol")
        body = self.assertPage(b.get("/portal/login/enrol"))
        secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', body).group(1).replace(" ", "")
        self.assertEqual(len(secret), 32)
        # a wrong code: back to the same page with the reason
        self.assertRedirect(b.post("/portal/login/enrol", {"csrf": b.csrf(body),
                                                           "code": "000000"}),
                            "/portal/login/enrol")
        self.assertEqual(self.flash(b, "/portal/login/enrol"), "wrong code")
        body = self.assertPage(b.get("/portal/login/enrol"))
        self.assertIsNone(re.search(r'alert-danger', body))  # shown once
        # the codes below are of this step and the next, not of the wall
        # clock when each is sent: a step boundary passing in between (a
        # slow sanitizer run) made the reused code a fresh one
        enrolled_at = time.time()
        self.assertRedirect(b.post("/portal/login/enrol", {"csrf": b.csrf(body),
                                                           "code": totp(secret, enrolled_at)}),
                            "/portal/")
        # a new token once logged in
        self.assertNotEqual(b.cookies["portal_session"], step_cookie)
        body = self.assertPage(b.get("/portal/"))
        self.assertIn("<title>Alpha &lt;Registrar&gt; &amp; Co · Registrar portal</title>", body)
        self.assertIn("Logged in as anna (REGA)", body)
        self.assertIn('href="/portal/admin/users">Administration</a>', body)
        self.assertRegex(body, r'id="domains">0<')
        self.assertRegex(body, r'id="balance">0\.00 DKK<')
        body = self.assertPage(b.get("/portal/admin/users"))
        for login in ("anna", "bob", "carl", "lock"):
            self.assertIn("<td>%s</td>" % login, body)
        self.assertNotIn("<td>dora</td>", body)  # another registrar's
        self.assertIn("<td>Administrator, Payer</td>", body)
        # the old step token is spent
        old = Browser(self.d)
        old.cookies["portal_session"] = step_cookie
        self.assertRedirect(old.get("/portal/"), "/portal/login")

        # the next login asks for a code; a code is taken once, so the
        # next time step's code (within the window) is used
        b2 = Browser(self.d)
        self.assertRedirect(self.password_step(b2, "anna"), "/portal/login/code")
        body = self.assertPage(b2.get("/portal/login/code"))
        self.assertIn('autocomplete="one-time-code"', body)
        self.assertRedirect(b2.post("/portal/login/code", {"csrf": b2.csrf(body),
                                                           "code": totp(secret, enrolled_at)}),
                            "/portal/login/code")
        self.assertEqual(self.flash(b2, "/portal/login/code"), "wrong code")
        body = self.assertPage(b2.get("/portal/login/code"))
        self.assertRedirect(b2.post("/portal/login/code", {"csrf": b2.csrf(body),
                                                           "code": totp(secret,
                                                                        enrolled_at + 30)}),
                            "/portal/")
        self.assertPage(b2.get("/portal/"))

    def test_role_needed_else_403(self):
        b, _ = self.enrol("bob")
        body = self.assertPage(b.get("/portal/"))
        self.assertNotIn("Administration", body)
        self.assertNotIn('id="balance"', body)  # money is for payers and administrators
        body = self.assertPage(b.get("/portal/admin/users"), 403)
        self.assertIn("<h1 class=\"h3 mb-4\">Not allowed</h1>", body)
        # R32: a role granted applies at the next request
        self.d.regctl("portal-user", "roles", "bob", "registrar,administrator")
        self.assertPage(b.get("/portal/admin/users"))
        self.d.regctl("portal-user", "roles", "bob", "registrar")
        self.assertPage(b.get("/portal/admin/users"), 403)

    def test_csrf_refused(self):
        b = Browser(self.d)
        body = self.assertPage(b.get("/portal/login"))
        token = b.csrf(body)
        form = {"login": "carl", "password": PW}
        # no token, a wrong one, another site's Origin: 403 and nothing done
        for extra, headers in (({}, {}), ({"csrf": token[:-1] + ("A" if token[-1] != "A"
                                                                  else "B")}, {}),
                               ({"csrf": token}, {"Origin": "https://evil.example"})):
            with self.subTest(extra=extra, headers=headers):
                body = self.assertPage(b.post("/portal/login", dict(form, **extra),
                                              headers=headers), 403)
                self.assertIn("Please try again", body)
                self.assertNotIn("portal_session", b.cookies)
        # a logged-in form (logout) needs the session's token
        b, _ = self.enrol("carl")
        self.assertPage(b.post("/portal/logout", {}), 403)
        self.assertPage(b.post("/portal/logout", {"csrf": "0" * 64}), 403)
        body = self.assertPage(b.get("/portal/"))  # still logged in
        self.assertRedirect(b.post("/portal/logout", {"csrf": b.csrf(body)}), "/portal/login")
        self.assertNotIn("portal_session", b.cookies)
        self.assertRedirect(b.get("/portal/"), "/portal/login")

    def test_lockout_after_five_failures(self):
        b = Browser(self.d)
        for _ in range(4):
            self.assertRedirect(self.password_step(b, "lock", "wrong-password"),
                                "/portal/login")
            self.assertEqual(self.flash(b), "wrong login name or password")
        self.assertRedirect(self.password_step(b, "lock", "wrong-password"), "/portal/login")
        self.assertRegex(self.flash(b), r"^too many failed attempts: this login is locked "
                                        r"until \d{4}-\d\d-\d\d \d\d:\d\d UTC$")
        # the right password does not help now
        self.assertRedirect(self.password_step(b, "lock"), "/portal/login")
        self.assertIn("locked until", self.flash(b))
        self.assertNotIn("portal_session", b.cookies)
        self.assertRegex(self.d.stderr(), r"event=portal-lockout login=lock registrar=REGA")
        out = self.d.regctl("portal-user", "list", "REGA").stdout
        self.assertRegex(out, r"(?m)^REGA\s+lock\s+locked ")
        # staff reset clears it
        self.d.regctl("portal-user", "reset", "lock", "--password", PW)
        self.assertRedirect(self.password_step(b, "lock"), "/portal/login/enrol")

    def test_password_checks_per_address(self):
        """One address gets [http] password_burst checks at once; the next
        login is 429 with Retry-After and its password is not checked (not
        counted as a failure: the user is not locked). Another address is
        served meanwhile."""
        b = Browser(self.d, source="127.0.0.9")
        body = self.assertPage(b.get("/portal/login"))
        token = b.csrf(body)
        for i in range(GATE_BURST):
            self.assertRedirect(b.post("/portal/login", {"csrf": token, "login": f"nobody{i}",
                                                         "password": "wrong"}), "/portal/login")
        status, headers, body = b.post("/portal/login", {"csrf": token, "login": "bob",
                                                         "password": "wrong"})
        self.assertEqual(status, 429, body)
        self.assertGreaterEqual(int(headers["Retry-After"]), 1)
        self.assertIn("too many login attempts from your address", body)
        self.assertRegex(self.d.stderr(), r"event=login-rate peer=127\.0\.0\.9")
        out = self.d.regctl("portal-user", "list", "REGA").stdout
        self.assertNotRegex(out, r"(?m)^REGA\s+bob\s+locked ")
        other = Browser(self.d, source="127.0.0.10")
        self.assertRedirect(self.password_step(other, "nobody"), "/portal/login")

    def test_address_allow_list(self):
        b = Browser(self.d)
        self.assertRedirect(self.password_step(b, "dora"), "/portal/login")
        self.assertEqual(self.flash(b),
                         "logging in from this address is not allowed for your registrar")
        self.assertNotIn("portal_session", b.cookies)

    def test_unknown_login_and_disabled_user(self):
        b = Browser(self.d)
        self.assertRedirect(self.password_step(b, "nobody"), "/portal/login")
        self.assertEqual(self.flash(b), "wrong login name or password")
        self.d.regctl("portal-user", "add", "REGA", "erik", "--email", "erik@example.test",
                      "--role", "registrar", "--password", PW)
        b, _ = self.enrol("erik")
        self.assertPage(b.get("/portal/"))
        self.d.regctl("portal-user", "disable", "erik")
        # the session ends at once; logging in again is refused with the reason
        self.assertRedirect(b.get("/portal/"), "/portal/login")
        self.assertNotIn("portal_session", b.cookies)
        self.assertRedirect(self.password_step(b, "erik"), "/portal/login")
        self.assertEqual(self.flash(b), "this login is disabled; ask your administrator")

    def test_danish_and_bootstrap(self):
        b = Browser(self.d, headers={"Accept-Language": "da-DK,da;q=0.9,en;q=0.5"})
        body = self.assertPage(b.get("/portal/login"))
        self.assertIn('<html lang="da">', body)
        self.assertIn("<title>Log ind · Registrarportal</title>", body)
        self.assertIn('<label for="login" class="form-label">Brugernavn</label>', body)
        self.assertRedirect(b.get("/portal/lang/en"), "/portal/login")
        body = self.assertPage(b.get("/portal/login"))
        self.assertIn('<html lang="en">', body)
        status, headers, css = b.get("/portal/static/bootstrap.min.css")
        self.assertEqual(status, 200)
        self.assertEqual(headers.get("Content-Type"), "text/css; charset=utf-8")
        self.assertEqual(headers.get("Cache-Control"), "public, max-age=86400")
        self.assertIn("Bootstrap  v5", css[:200])


class SqlitePortal(PortalLogin, unittest.TestCase):
    backend = "sqlite"


class PgsqlPortal(PortalLogin, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
