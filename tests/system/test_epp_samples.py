"""Real-world request files against the real server (DESIGN §5): every
command document under tests/data/epp/valid/ and tests/data/epp/invalid/
is sent, byte for byte, over one EPP session to a registryd on loopback.

valid/    Each file whose <epp> holds <command> or <hello> (responses and
          greetings are skipped). They are schema-valid, so none may be
          answered 2001 (that would be a parser bug in the server), 2400 or
          2500, nor close the connection or crash the daemon; <hello> gets a
          greeting and the sample's clTRID is echoed. The code of each is
          recorded and printed as a table. The files are sent in a business
          order (SEQUENCE: contacts, hosts, domain, updates, transfer,
          delete, restore, ...) so that most reach the object logic instead
          of stopping at "object does not exist"; a few objects the samples
          refer to but never create are made first (SETUP).
          login.xml is the session's login (the registrar is RNAME with the
          samples' password, so it must answer 1000), login-newpw.xml runs
          last on a second connection (1000) and logout.xml ends it (1500).
invalid/  Each file whose <epp> holds <command> or <hello> (in any
          namespace) must be answered 2001 with a non-empty <reason>, and the
          server must stay up.

The daemon runs with [tld] name = test (the samples' TLD), [host]
allow_private = true (their 192.0.2.x addresses) and the clock started at
CLOCK_NOW, so that domain-renew.xml's curExpDate is the expiry of the domain
domain-create.xml makes.

Every frame the server sends is written to a file and validated with
`xmllint --noout --nonet --schema $REG_SCHEMA_DIR/all.xsd` in one run
(test_responses_validate).

All traffic happens in setUpClass; the test methods (one per sample file)
check the recorded results, so a sample failing because of a known server
bug is marked in KNOWN_BUGS and becomes an expected failure on its own.

SQLite (SQLiteEPPSamplesTest) and PostgreSQL (PgEPPSamplesTest). Run through
ctest (tests/system/epp_tests.cmake), or directly with REGCTL, REGISTRYD,
REG_SCHEMA_DIR and (for PostgreSQL) REG_TEST_PG_URL_FILE set:
    python3 tests/system/test_epp_samples.py [-v] [SQLiteEPPSamplesTest]
"""

import os
import re
import shutil
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from daemon import Daemon, scratch_root  # noqa: E402
from eppclient import EPP_NS, HELLO, EPPClient, EPPError, Response  # noqa: E402
from test_epp_session import Recorder  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.normpath(os.path.join(HERE, "..", "data", "epp"))
VALID_DIR = os.path.join(SAMPLES, "valid")
INVALID_DIR = os.path.join(SAMPLES, "invalid")

# the registrar the samples log in as (login.xml), and login-newpw.xml's new password
CLID, PW, NEW_PW = "RNAME", "2fooBAR-x9", "bar-FOO2-y7"
CLOCK_NOW = "2025-04-03T10:00:00Z"  # + 2 years (domain-create.xml) = 2027-04-03

CONTACT_NS = "urn:ietf:params:xml:ns:contact-1.0"
HOST_NS = "urn:ietf:params:xml:ns:host-1.0"
DOMAIN_NS = "urn:ietf:params:xml:ns:domain-1.0"

# Known server bugs: {(kind, file): "reference"}; the test for that one sample
# is an expected failure. kind is "valid" or "invalid".
KNOWN_BUGS = {
}

SPECIAL = {"login.xml": 1000, "login-newpw.xml": 1000, "logout.xml": 1500}

# Invalid samples the server answers with a more specific code than 2001, as
# documented: {file: (code, where)}
DOCUMENTED_NOT_2001 = {
    # RFC 5730 §3 has a code for exactly this; docs/epp.md "Login"
    "login-bad-version.xml": (2100, 'docs/epp.md: "version must be 1.0 (else 2100)"'),
    # RFC 5730 §3: an object or extension service the server does not
    # implement has its own code; docs/epp.md "Namespaces we do not serve"
    "domain-check-wrong-namespace.xml": (2307, "docs/epp.md: unknown object namespace"),
    "extension-unknown-namespace.xml": (2103, "docs/epp.md: unknown extension namespace"),
}


def _contact_create(cid, name, email):
    return ('<create><contact:create xmlns:contact="%s"><contact:id>%s</contact:id>'
            '<contact:postalInfo type="loc"><contact:name>%s</contact:name><contact:addr>'
            '<contact:street>Vestergade 3</contact:street><contact:city>Aarhus C</contact:city>'
            '<contact:pc>8000</contact:pc><contact:cc>DK</contact:cc></contact:addr>'
            '</contact:postalInfo><contact:email>%s</contact:email><contact:authInfo>'
            '<contact:pw>2fooBAR</contact:pw></contact:authInfo></contact:create></create>'
            % (CONTACT_NS, cid, name, email))


def _host_create(name, addr=None):
    addr = '<host:addr ip="v4">%s</host:addr>' % addr if addr else ""
    return ('<create><host:create xmlns:host="%s"><host:name>%s</host:name>%s</host:create>'
            '</create>' % (HOST_NS, name, addr))


def _host_delete(name):
    return ('<delete><host:delete xmlns:host="%s"><host:name>%s</host:name></host:delete>'
            '</delete>' % (HOST_NS, name))


def _domain_rem_ns(domain, host):
    return ('<update><domain:update xmlns:domain="%s"><domain:name>%s</domain:name><domain:rem>'
            '<domain:ns><domain:hostObj>%s</domain:hostObj></domain:ns></domain:rem>'
            '</domain:update></update>' % (DOMAIN_NS, domain, host))


# Objects the samples use but no sample creates: (description, command body, expected code)
SETUP = [
    ("contact RNAME:5E6F7A8B",
     _contact_create("RNAME:5E6F7A8B", "Tech Person", "tech@example.test"), 1000),
    ("contact RNAME:9C0D1E2F",
     _contact_create("RNAME:9C0D1E2F", "Other Tech", "tech2@example.test"), 1000),
    ("contact RNAME:3A4B5C6D",
     _contact_create("RNAME:3A4B5C6D", "New Holder", "holder@example.test"), 1000),
    ("host ns2.example.net", _host_create("ns2.example.net"), 1000),
]

# The valid samples in business order. A ("glue", description, body, None)
# entry is a command of this test run between two samples; it must succeed
# (test_glue_commands). Samples not named
# here are sent afterwards in alphabetical order (so new files are covered).
SEQUENCE = [
    "hello.xml",
    "contact-check.xml",
    "contact-create-ext.xml",
    "contact-create-ext-org.xml",
    "contact-create.xml",
    "contact-info.xml",
    "contact-update-ext.xml",
    "contact-update-ext-mobile.xml",
    "contact-update.xml",
    "contact-transfer-query.xml",
    "host-check.xml",
    "host-create-external.xml",
    "domain-check.xml",
    "domain-check-fee.xml",
    # the create variants first: each must fail on its own grounds (no
    # registrant, hostAttr, keyData, maxSigLife), not on "exists"
    "domain-create-minimal.xml",
    "domain-create-hostattr.xml",
    "domain-create-secdns-keydata.xml",
    "domain-create-extensions.xml",
    "domain-create.xml",
    "domain-info.xml",
    "host-create.xml",
    "host-info.xml",
    "host-update-remove-admin.xml",
    "host-update.xml",                 # ns1.example.test becomes ns2.example.test
    # domain-update.xml removes ns1.example.test and adds ns2.example.test
    ("glue", "host-create ns1.example.test", _host_create("ns1.example.test", "192.0.2.1"), None),
    "domain-update.xml",
    "domain-update-secdns.xml",
    "domain-update-null-authinfo.xml",
    "domain-update-verified.xml",
    "domain-renew.xml",                # curExpDate 2027-04-03: CLOCK_NOW + 2 years
    "domain-renew-99y.xml",
    "domain-transfer-query.xml",
    "domain-transfer-request.xml",
    "domain-transfer-otp.xml",
    "domain-transfer-approve.xml",
    "account-check.xml",
    "account-create.xml",
    "account-info.xml",
    "account-update.xml",
    "account-create-newcontact.xml",
    "account-update-replace-a1.xml",
    "poll-req.xml",
    "poll-ack.xml",
    "host-delete.xml",
    # the host under the domain has to go before the domain can
    ("glue", "domain-update rem ns ns2.example.test",
     _domain_rem_ns("example.test", "ns2.example.test"), None),
    ("glue", "host-delete ns2.example.test", _host_delete("ns2.example.test"), None),
    "domain-delete.xml",
    "domain-update-rgp-report.xml",
    "domain-update-rgp-restore.xml",
    "domain-delete-verified.xml",
    "contact-delete.xml",
]


def epp_kind(path):
    """'command', 'hello', 'response', 'greeting', ... : the local names of
    the children of the root element (any namespace), joined with ','."""
    root = ET.parse(path).getroot()
    return ",".join(c.tag.rsplit("}", 1)[-1] for c in root)


def is_command(path):
    kinds = epp_kind(path).split(",")
    return "command" in kinds or "hello" in kinds


def sample_cltrid(path):
    root = ET.parse(path).getroot()
    e = root.find("{%s}command/{%s}clTRID" % (EPP_NS, EPP_NS))
    return e.text if e is not None else None


def first_line(path):
    with open(path, encoding="utf-8") as f:
        return f.readline().strip()


def valid_files():
    return sorted(f for f in os.listdir(VALID_DIR)
                  if f.endswith(".xml") and is_command(os.path.join(VALID_DIR, f)))


def invalid_files():
    return sorted(f for f in os.listdir(INVALID_DIR)
                  if f.endswith(".xml") and is_command(os.path.join(INVALID_DIR, f)))


def ordered_valid():
    files = valid_files()
    named = [e for e in SEQUENCE if isinstance(e, str)]
    missing = [f for f in named if f not in files]
    if missing:
        raise RuntimeError("SEQUENCE names files that are not command samples: %s" % missing)
    rest = [f for f in files if f not in named and f not in SPECIAL]
    return SEQUENCE + rest


class Result:
    def __init__(self, kind, name):
        self.kind, self.name = kind, name
        self.code = self.msg = self.reason = self.cltrid = None
        self.greeting = False
        self.raw = None
        self.error = None      # connection closed / no answer / daemon died
        self.alive = True      # registryd still running afterwards

    def status(self):
        if self.error:
            return "ERROR: " + self.error
        if self.greeting:
            return "greeting"
        return "%s %s%s" % (self.code, self.msg or "",
                            (" [%s]" % self.reason) if self.reason else "")


class EPPSamplesBase:
    backend = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="epp-samples-%s-" % cls.backend, dir=scratch_root())
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.recorder = Recorder(os.path.join(cls.tmp, "responses"))
        cls.d = Daemon(cls.backend, name="epp-samples",
                       settings={"tld.name": "test", "host.allow_private": "true",
                                 "clock.now": CLOCK_NOW})
        cls.addClassCleanup(cls.d.cleanup)
        cls.d.add_registrar(CLID, PW)
        cls.d.start()
        cls.results = {}          # (kind, file) -> Result
        cls.glue = []             # (description, code, expected)
        cls.restarts = 0
        cls.client = None
        cls.login_result = None
        cls._run_all()
        cls._print_table()

    @classmethod
    def tearDownClass(cls):
        if cls.client:
            cls.client.close()
        rc = cls.d.stop()
        if rc != 0:
            raise AssertionError("registryd exited with %s; stderr tail:\n%s"
                                 % (rc, cls.d.stderr()[-3000:]))

    # --- the session ----------------------------------------------------

    @classmethod
    def _connect(cls, login_file="login.xml"):
        """A new session logged in with the sample login.xml; returns the
        login Response."""
        if cls.client:
            cls.client.close()
        if not cls.d.running:
            # keep going after a crash, so every sample still gets an answer
            cls.d.stop()
            cls.d.start()
            cls.restarts += 1
        cls.client = EPPClient(cls.d.host, cls.d.port, recorder=cls.recorder)
        with open(os.path.join(VALID_DIR, login_file), "rb") as f:
            cls.client.send_raw(f.read())
        return Response(cls.client.read_frame())

    @classmethod
    def _send(cls, kind, name, data):
        r = Result(kind, name)
        try:
            cls.client.send_raw(data)
            r.raw = cls.client.read_frame()
            resp = Response(r.raw)
            r.greeting = resp.is_greeting
            r.code, r.msg, r.reason, r.cltrid = resp.code, resp.msg, resp.reason, resp.cltrid
        except (EPPError, OSError, ET.ParseError) as e:
            r.error = "%s: %s" % (type(e).__name__, e)
        r.alive = cls.d.running
        if r.error or not r.alive:
            if not r.alive:
                r.error = (r.error or "") + " registryd died (exit %s)" % cls.d.proc.poll()
            login = cls._connect()
            if login.code != 1000:
                raise AssertionError("cannot log in again after %s: %s" % (name, login.raw))
        return r

    @classmethod
    def _run_all(cls):
        cls.login_result = r = Result("valid", "login.xml")
        resp = cls._connect()
        r.raw, r.code, r.msg, r.reason, r.cltrid = resp.raw, resp.code, resp.msg, resp.reason, \
            resp.cltrid
        cls.results[("valid", "login.xml")] = r
        if r.code != 1000:
            raise AssertionError("login.xml as %s: %s" % (CLID, r.raw))

        for desc, body, want in SETUP:
            resp = cls.client.command(body)
            if resp.code != want:
                raise AssertionError("setup %s: expected %s, got\n%s" % (desc, want, resp.raw))

        for entry in ordered_valid():
            if isinstance(entry, tuple):
                _, desc, body, want = entry
                resp = cls.client.command(body)
                cls.glue.append((desc, resp.code, resp.reason))
                continue
            with open(os.path.join(VALID_DIR, entry), "rb") as f:
                cls.results[("valid", entry)] = cls._send("valid", entry, f.read())

        for name in invalid_files():
            with open(os.path.join(INVALID_DIR, name), "rb") as f:
                cls.results[("invalid", name)] = cls._send("invalid", name, f.read())

        # still serving this session ...
        cls.hello_after = cls._send("check", "hello", HELLO.encode())
        # ... and new ones: login-newpw.xml, then logout.xml on that connection
        r = Result("valid", "login-newpw.xml")
        try:
            resp = cls._connect("login-newpw.xml")
            r.raw, r.code, r.msg, r.reason, r.cltrid = resp.raw, resp.code, resp.msg, \
                resp.reason, resp.cltrid
        except (EPPError, OSError) as e:
            r.error = "%s: %s" % (type(e).__name__, e)
        cls.results[("valid", "login-newpw.xml")] = r
        with open(os.path.join(VALID_DIR, "logout.xml"), "rb") as f:
            r = cls._send("valid", "logout.xml", f.read()) if not r.error else Result(
                "valid", "logout.xml")
        cls.results[("valid", "logout.xml")] = r

    @classmethod
    def _print_table(cls):
        out = ["", "%s: EPP sample files against registryd (%s)" % (cls.__name__, cls.backend)]
        for kind in ("valid", "invalid"):
            rows = [(n, r) for (k, n), r in cls.results.items() if k == kind]
            if kind == "valid":
                order = {n: i for i, n in enumerate(
                    ["login.xml"] + [e for e in ordered_valid() if isinstance(e, str)]
                    + ["login-newpw.xml", "logout.xml"])}
                rows.sort(key=lambda x: order.get(x[0], 1e9))
            else:
                rows.sort()
            out.append("  %s/ (%d files)" % (kind, len(rows)))
            for n, r in rows:
                out.append("    %-42s %s" % (n, r.status()))
        out.append("  glue commands of this test: " + "; ".join(
            "%s -> %s" % (d, c) for d, c, _ in cls.glue))
        if cls.restarts:
            out.append("  registryd was restarted %d time(s) after a crash" % cls.restarts)
        sys.stderr.write("\n".join(out) + "\n")

    # --- checks -----------------------------------------------------------

    def check_valid(self, name):
        r = self.results.get(("valid", name))
        self.assertIsNotNone(r, "%s was not sent" % name)
        self.assertIsNone(r.error, "%s: %s" % (name, r.error))
        self.assertTrue(r.alive, "registryd died on %s" % name)
        path = os.path.join(VALID_DIR, name)
        if epp_kind(path) == "hello":
            self.assertTrue(r.greeting, "%s: no greeting:\n%s" % (name, r.raw))
            return
        self.assertIsNotNone(r.code, "%s: no result code:\n%s" % (name, r.raw))
        if name in SPECIAL:
            self.assertEqual(r.code, SPECIAL[name], "%s:\n%s" % (name, r.raw))
        self.assertNotEqual(r.code, 2001,
                            "%s is schema-valid but the server answered 2001 (parser bug):\n%s"
                            % (name, r.raw))
        self.assertNotIn(r.code, (2400, 2500), "%s:\n%s" % (name, r.raw))
        self.assertEqual(r.cltrid, sample_cltrid(path),
                         "%s: clTRID not echoed:\n%s" % (name, r.raw))

    def check_invalid(self, name):
        r = self.results.get(("invalid", name))
        self.assertIsNotNone(r, "%s was not sent" % name)
        self.assertIsNone(r.error, "%s: %s" % (name, r.error))
        self.assertTrue(r.alive, "registryd died on %s" % name)
        path = os.path.join(INVALID_DIR, name)
        want = DOCUMENTED_NOT_2001.get(name, (2001, None))[0]
        self.assertEqual(r.code, want, "%s %s:\n%s" % (name, first_line(path), r.raw))
        self.assertTrue(r.reason and r.reason.strip(), "%s: %s without a reason:\n%s"
                        % (name, r.code, r.raw))
        # "Your clTRID is echoed in every response, also in 2001 responses"
        # (docs/epp.md), where the sample's clTRID is itself a valid one
        cltrid = sample_cltrid(path)
        if cltrid is not None and 3 <= len(cltrid) <= 64:
            self.assertEqual(r.cltrid, cltrid, "%s: clTRID not echoed:\n%s" % (name, r.raw))

    def test_every_command_sample_was_sent(self):
        sent = {n for (k, n) in self.results if k == "valid"}
        self.assertEqual(sent, set(valid_files()))
        sent = {n for (k, n) in self.results if k == "invalid"}
        self.assertEqual(sent, set(invalid_files()))
        self.assertGreater(len(sent), 50)

    def test_glue_commands(self):
        for desc, code, reason in self.glue:
            self.assertLess(code, 2000, "%s: %s %s" % (desc, code, reason))

    def test_server_still_serving(self):
        self.assertEqual(self.restarts, 0, "registryd crashed and was restarted")
        self.assertTrue(self.d.running)
        self.assertIsNone(self.hello_after.error)
        self.assertTrue(self.hello_after.greeting, self.hello_after.raw)

    def test_responses_validate(self):
        ok, report = self.recorder.validate()
        sys.stderr.write("%s: %d server frames checked with xmllint\n"
                         % (type(self).__name__, len(self.recorder.files)))
        self.assertTrue(ok, report)


def _slug(name):
    return re.sub(r"\W", "_", name[:-4] if name.endswith(".xml") else name)


def _add_sample_tests():
    for kind, files, check in (("valid", valid_files(), "check_valid"),
                               ("invalid", invalid_files(), "check_invalid")):
        for name in files:
            def test(self, name=name, check=check):
                getattr(self, check)(name)
            test.__name__ = "test_%s_%s" % (kind, _slug(name))
            test.__doc__ = "%s/%s" % (kind, name)
            if (kind, name) in KNOWN_BUGS:
                test.__doc__ += " (known bug: %s)" % KNOWN_BUGS[(kind, name)]
                test = unittest.expectedFailure(test)
            setattr(EPPSamplesBase, test.__name__, test)


_add_sample_tests()


class SQLiteEPPSamplesTest(EPPSamplesBase, unittest.TestCase):
    backend = "sqlite"


class PgEPPSamplesTest(EPPSamplesBase, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
