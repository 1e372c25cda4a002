"""What the registrar-portal system tests share: a registryd with
registrars and portal users (password PW, e-mail LOGIN@example.test),
started once per class; a browser per portal user, logged in once (a TOTP
code is taken once, so logins are few); pages fetched with their status
checked."""
import re
import time

from daemon import Daemon
from test_portal import PW, Browser, totp


def add_portal_users(d, users):
    """users: (login, registrar, roles) each."""
    for login, registrar, roles in users:
        d.regctl("portal-user", "add", registrar, login, "--email", f"{login}@example.test",
                 "--role", roles, "--password", PW)


def stop_daemon(d):
    """Stops and removes d; a registryd that did not exit cleanly fails."""
    rc = d.stop()
    d.cleanup()
    if rc != 0:
        raise AssertionError(f"registryd exited with {rc}")


class PortalCase:
    """A mixin for unittest.TestCase: the class names its daemon (NAME,
    ONLY, SETTINGS), REGISTRARS ((handle, password, add_registrar's keyword
    arguments) each) and USERS (as add_portal_users); prepare() runs
    before the daemon starts, populate() after."""
    backend = None
    NAME, ONLY, SETTINGS = "portal", "epp,http", {}
    REGISTRARS = (("REGA", "secret-pw1", {}), ("REGB", "secret-pw2", {}))
    USERS = ()

    @classmethod
    def setUpClass(cls):
        cls.secrets, cls.browsers = {}, {}
        cls.d = Daemon(backend=cls.backend, name=cls.NAME, only=cls.ONLY,
                       settings=dict(cls.SETTINGS))
        try:
            for handle, password, kw in cls.REGISTRARS:
                cls.d.add_registrar(handle, password, **kw)
            add_portal_users(cls.d, cls.USERS)
            cls.prepare()
            cls.d.start()
            cls.populate()
        except Exception:
            cls.d.stop()
            cls.d.cleanup()
            raise

    @classmethod
    def prepare(cls):
        pass

    @classmethod
    def populate(cls):
        pass

    @classmethod
    def tearDownClass(cls):
        stop_daemon(cls.d)

    def login(self, login, password=PW):
        """A logged-in browser of login (enrolling at the first login), kept
        for the class."""
        if password == PW and login in self.browsers:
            return self.browsers[login]
        b = self.browsers[login] = Browser(self.d)
        status, _, body = b.get("/portal/login")
        status, headers, _ = b.post("/portal/login", {"csrf": b.csrf(body), "login": login,
                                                      "password": password})
        self.assertEqual(status, 303)
        if headers["Location"] == "/portal/login/enrol":
            _, _, body = b.get("/portal/login/enrol")
            secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', body).group(1)
            self.secrets[login] = secret.replace(" ", "")
            code_path = "/portal/login/enrol"
        else:
            self.assertEqual(headers["Location"], "/portal/login/code")
            _, _, body = b.get(code_path := "/portal/login/code")
        # a code is taken once: use the next step's if this one was used
        for offset in (0, 30, 60):
            status, headers, _ = b.post(code_path, {"csrf": b.csrf(body), "code": totp(
                self.secrets[login], at=time.time() + offset)})
            if headers.get("Location") == "/portal/":
                return b
            _, _, body = b.get(code_path)
        self.fail("could not log in as %s" % login)

    def page(self, b, path, status=200):
        code, _, body = b.get(path)
        self.assertEqual(code, status, body)
        return body
