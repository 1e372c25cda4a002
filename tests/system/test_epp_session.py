"""System tests of the EPP server (DESIGN §5, §11; RFC 5730, RFC 5734):
the real registryd on loopback, driven over TLS with tests/system/eppclient.py.

Every test runs on SQLite (SQLiteEPPSessionTest) and on PostgreSQL
(PgEPPSessionTest). Each class runs two daemons: the main one
([epp] max_frame = 4096, max_sessions = 60) and, for the idle-timeout and
session-cap tests, a second one (idle_timeout = 5s, max_sessions = 2).

Every frame the server sends in these tests is written to a file; at the end
of each class all of them are validated at once with
`xmllint --noout --nonet --schema $REG_SCHEMA_DIR/all.xsd`.

Run through ctest (tests/system/epp_tests.cmake), or directly with REGCTL,
REGISTRYD, REG_SCHEMA_DIR and (for PostgreSQL) REG_TEST_PG_URL_FILE set:
    python3 tests/system/test_epp_session.py [-v] [SQLiteEPPSessionTest[.test_name]]
"""

import hashlib
import itertools
import os
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import warnings
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from daemon import Daemon, scratch_root  # noqa: E402
from eppclient import (EPP_NS, HELLO, OBJ_URIS, EPPClient, Response,  # noqa: E402
                       frame)

SCHEMA_DIR = os.environ.get("REG_SCHEMA_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "schema")
DOMAIN_NS = "urn:ietf:params:xml:ns:domain-1.0"
ACCOUNT_NS = "https://registryd.org/epp/account-1.0"
XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>'
MAX_FRAME = 4096

# registrars of the main daemon: handle -> password
MAIN_REGISTRARS = {
    "REG-OK": "ok-Secret-1",
    "REG-PW": "pw-Secret-1",
    "REG-DIS": "dis-Secret-1",
    "REG-POLL": "poll-Secret-1",
    "REG-POLL2": "poll2-Secret-1",
    "REG-AUDIT": "Aud1t-Secret-9",
    "REG-CONC": "conc-Secret-1",
}


def cmd(inner, cltrid=None):
    tr = "<clTRID>%s</clTRID>" % cltrid if cltrid else ""
    return '%s<epp xmlns="%s"><command>%s%s</command></epp>' % (XML_DECL, EPP_NS, inner, tr)


def domain_cmd(verb, name="example.dk"):
    return ('<%s><domain:%s xmlns:domain="%s"><domain:name>%s</domain:name></domain:%s></%s>'
            % (verb, verb, DOMAIN_NS, name, verb, verb))


# With [contact] id_prefix = registrar (the default, R1) replies carry
# REGISTRAR:ID contact ids longer than RFC 5730's 16 characters: they are
# checked against the schemas that allow them. A daemon with id_prefix =
# none is checked against the official ones (all.xsd).
LONG_ID_SCHEMA = "all-long-ids.xsd"
OFFICIAL_SCHEMA = "all.xsd"


class Recorder:
    """Keeps every frame the server sent, one file each, for xmllint."""

    def __init__(self, directory, schema=LONG_ID_SCHEMA):
        self.schema = schema
        self.dir = directory
        os.makedirs(directory, exist_ok=True)
        self.files = []
        self._n = itertools.count(1)
        self._lock = threading.Lock()

    def __call__(self, xml):
        path = os.path.join(self.dir, "r%05d.xml" % next(self._n))
        with open(path, "w", encoding="utf-8") as f:
            f.write(xml)
        with self._lock:
            self.files.append(path)

    def validate(self):
        """Runs xmllint once over all files; returns (ok, report)."""
        if not self.files:
            return False, "no responses were recorded"
        schema = os.path.join(SCHEMA_DIR, self.schema)
        r = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", schema] + self.files,
                           capture_output=True, text=True, timeout=120)
        if r.returncode == 0:
            return True, ""
        bad = [line for line in r.stderr.splitlines() if not line.endswith(" validates")]
        report = "\n".join(bad[:40])
        shown = set()
        for line in bad:
            path = line.split(":", 1)[0]
            if path in shown or not os.path.exists(path) or len(shown) >= 3:
                continue
            shown.add(path)
            with open(path, encoding="utf-8") as f:
                report += "\n--- %s ---\n%s" % (path, f.read())
        return False, "xmllint exit %d over %d responses:\n%s" % (r.returncode, len(self.files),
                                                                  report)


def stop_and_validate(name, daemons, recorder):
    """A test class's last checks: every daemon (None skipped) stops with
    exit status 0 and every response `recorder` kept validates against
    all.xsd; an AssertionError lists what did not."""
    problems = []
    for d in daemons:
        if d is None:
            continue
        rc = d.stop()
        if rc != 0:
            problems.append("registryd (%s) exited with %s; stderr tail:\n%s"
                            % (d.dir, rc, d.stderr()[-3000:]))
    ok, report = recorder.validate()
    sys.stderr.write("%s: %d server frames checked with xmllint against %s/all.xsd\n"
                     % (name, len(recorder.files), SCHEMA_DIR))
    if not ok:
        problems.append("responses do not validate against %s/all.xsd: %s"
                        % (SCHEMA_DIR, report))
    if problems:
        raise AssertionError("\n\n".join(problems))


def openssl_cert(directory, name):
    """A self-signed P-256 client certificate made with the openssl CLI;
    returns (certfile, keyfile, SHA-256 fingerprint as openssl prints it,
    i.e. upper-case hex with colons)."""
    cert = os.path.join(directory, name + ".pem")
    key = os.path.join(directory, name + ".key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=%s" % name], check=True, capture_output=True,
                   timeout=60)
    out = subprocess.run(["openssl", "x509", "-in", cert, "-noout", "-fingerprint", "-sha256"],
                         check=True, capture_output=True, text=True, timeout=60).stdout
    fp = out.strip().split("=", 1)[1]
    der = subprocess.run(["openssl", "x509", "-in", cert, "-outform", "DER"], check=True,
                         capture_output=True, timeout=60).stdout
    assert fp.replace(":", "").lower() == hashlib.sha256(der).hexdigest(), fp
    return cert, key, fp


class EPPSessionBase:
    backend = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="epp-session-%s-" % cls.backend, dir=scratch_root())
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.recorder = Recorder(os.path.join(cls.tmp, "responses"))
        cls.cert_a = openssl_cert(cls.tmp, "client-a")
        cls.cert_b = openssl_cert(cls.tmp, "client-b")
        cls.limits = None
        cls.d = Daemon(cls.backend, name="epp-main", max_frame=MAX_FRAME, max_sessions=60)
        cls.addClassCleanup(cls.d.cleanup)
        for handle, pw in MAIN_REGISTRARS.items():
            cls.d.add_registrar(handle, pw)
        cls.d.add_registrar("REG-CERT", "cert-Secret-1", cert_fingerprints=[cls.cert_a[2]])
        cls.d.add_registrar("REG-IPNO", "ipno-Secret-1", allow_ips=["192.0.2.0/24"])
        cls.d.add_registrar("REG-IPOK", "ipok-Secret-1", allow_ips=["127.0.0.0/8"])
        cls.d.start()
        # a session left open until the daemon is stopped: shutting down
        # with live sessions must still exit 0 (checked in tearDownClass)
        cls.lingering = EPPClient(cls.d.host, cls.d.port, recorder=cls.recorder)
        cls.addClassCleanup(cls.lingering.close)
        r = cls.lingering.login("REG-OK", MAIN_REGISTRARS["REG-OK"])
        assert r.code == 1000, r.raw

    @classmethod
    def limits_daemon(cls):
        """The second daemon: idle_timeout = 5s, max_sessions = 2."""
        if cls.limits is None:
            d = Daemon(cls.backend, name="epp-limits", idle_timeout="5s", max_sessions=2,
                       max_frame=MAX_FRAME)
            cls.addClassCleanup(d.cleanup)
            for handle in ("REG-IDLE", "REG-CAP", "REG-CAP2"):
                d.add_registrar(handle, handle.lower() + "-Pw1")
            d.start()
            cls.limits = d
        return cls.limits

    @classmethod
    def tearDownClass(cls):
        stop_and_validate(cls.__name__, (cls.d, cls.limits), cls.recorder)

    # --- helpers ---------------------------------------------------------

    def connect(self, daemon=None, **kw):
        d = daemon or self.d
        c = EPPClient(d.host, d.port, recorder=self.recorder, **kw)
        self.addCleanup(c.close)
        return c

    def session(self, clid="REG-OK", daemon=None, **kw):
        """A logged-in session."""
        d = daemon or self.d
        c = self.connect(d, **kw)
        r = c.login(clid, d.registrars[clid])
        self.assertCode(r, 1000)
        return c

    def assertCode(self, r, code):
        self.assertIsInstance(r, Response)
        self.assertEqual(r.code, code, "expected %d, got:\n%s" % (code, r.raw))

    def assertClosed(self, c, timeout=10):
        frames = c.wait_closed(timeout)
        self.assertEqual(frames, [], "the server sent more before closing")

    def assertServing(self, clid="REG-OK"):
        """The server still takes new sessions: connect, login, hello, logout."""
        c = self.session(clid)
        self.assertTrue(c.hello().is_greeting)
        self.assertCode(c.logout(), 1500)
        c.close()

    def send_raw_frames(self, c, data):
        """Sends bytes; the server may already have closed the connection."""
        try:
            c.send_bytes(data)
        except (ssl.SSLError, ConnectionError, OSError):
            pass

    # --- greeting and hello ----------------------------------------------

    def check_greeting(self, g):
        self.assertTrue(g.is_greeting, g.raw)
        self.assertEqual(g.findtext("epp:greeting/epp:svID"), "registryd")
        sv_date = g.findtext("epp:greeting/epp:svDate")
        when = datetime.strptime(sv_date[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
        self.assertLess(abs(when.timestamp() - time.time()), 300, sv_date)
        menu = "epp:greeting/epp:svcMenu/"
        self.assertEqual(g.findtext(menu + "epp:version"), "1.0")
        self.assertEqual(g.findtext(menu + "epp:lang"), "en")
        objs = [e.text for e in g.root.findall(menu + "epp:objURI", {"epp": EPP_NS})]
        for uri in OBJ_URIS:
            self.assertIn(uri, objs)
        exts = [e.text for e in g.root.findall(menu + "epp:svcExtension/epp:extURI",
                                               {"epp": EPP_NS})]
        for uri in ("urn:ietf:params:xml:ns:secDNS-1.1", "urn:ietf:params:xml:ns:rgp-1.0",
                    "https://registryd.org/epp/contact-ext-1.0",
                    "https://registryd.org/epp/domain-ext-1.0",
                    "https://registryd.org/epp/host-ext-1.0"):
            self.assertIn(uri, exts)
        self.assertIsNotNone(g.find("epp:greeting/epp:dcp"))

    def test_greeting_on_connect(self):
        c = self.connect()
        self.check_greeting(c.greeting)

    def test_hello_returns_greeting(self):
        c = self.connect()
        self.check_greeting(c.hello())
        self.assertCode(c.login("REG-OK", MAIN_REGISTRARS["REG-OK"]), 1000)
        self.check_greeting(c.hello())
        self.assertCode(c.poll_req(), 1300)

    # --- login -------------------------------------------------------------

    def test_login_ok(self):
        c = self.connect()
        r = c.login("REG-OK", MAIN_REGISTRARS["REG-OK"])
        self.assertCode(r, 1000)
        self.assertEqual(r.cltrid, "CL-1")
        self.assertTrue(r.svtrid)
        self.assertCode(c.poll_req(), 1300)

    def test_login_lowercase_clid_ok(self):
        # handles are stored upper-case; the registrar may type them either way
        c = self.connect()
        self.assertCode(c.login("reg-ok", MAIN_REGISTRARS["REG-OK"]), 1000)

    def test_login_wrong_password_2200(self):
        c = self.connect()
        r = c.login("REG-OK", "wrong-Pass-1")
        self.assertCode(r, 2200)
        self.assertTrue(r.reason)
        # the session stays open and a right password works next
        self.assertCode(c.login("REG-OK", MAIN_REGISTRARS["REG-OK"]), 1000)

    def test_login_unknown_clid_2200(self):
        c = self.connect()
        self.assertCode(c.login("NO-SUCH-REG", "whatever-1"), 2200)
        self.assertCode(c.login("x1-unknown", MAIN_REGISTRARS["REG-OK"]), 2200)

    def test_login_version_2_0_is_2100(self):
        # RFC 5730 §3 (2100), docs/epp.md: "version must be 1.0 (else 2100)"
        c = self.connect()
        self.assertCode(c.login("REG-OK", MAIN_REGISTRARS["REG-OK"], version="2.0"), 2100)
        self.assertCode(c.login("REG-OK", MAIN_REGISTRARS["REG-OK"]), 1000)

    def test_login_lang_de_is_2102(self):
        c = self.connect()
        self.assertCode(c.login("REG-OK", MAIN_REGISTRARS["REG-OK"], lang="de"), 2102)
        self.assertCode(c.login("REG-OK", MAIN_REGISTRARS["REG-OK"]), 1000)

    def test_login_unknown_objuri_2307(self):
        c = self.connect()
        r = c.login("REG-OK", MAIN_REGISTRARS["REG-OK"],
                    obj_uris=OBJ_URIS + ["urn:example:params:xml:ns:widget-1.0"])
        self.assertCode(r, 2307)
        self.assertIn("urn:example:params:xml:ns:widget-1.0", r.reason or "")
        # fewer objects than offered are fine
        self.assertCode(c.login("REG-OK", MAIN_REGISTRARS["REG-OK"], obj_uris=[DOMAIN_NS]), 1000)

    def test_login_unknown_exturi_2103(self):
        c = self.connect()
        r = c.login("REG-OK", MAIN_REGISTRARS["REG-OK"],
                    ext_uris=["urn:ietf:params:xml:ns:secDNS-1.1", "urn:example:gadget-1.0"])
        self.assertCode(r, 2103)
        self.assertIn("urn:example:gadget-1.0", r.reason or "")
        r = c.login("REG-OK", MAIN_REGISTRARS["REG-OK"],
                    ext_uris=["urn:ietf:params:xml:ns:secDNS-1.1",
                              "https://registryd.org/epp/domain-ext-1.0"])
        self.assertCode(r, 1000)

    def test_login_twice_2002(self):
        c = self.session("REG-OK")
        self.assertCode(c.login("REG-OK", MAIN_REGISTRARS["REG-OK"]), 2002)
        self.assertCode(c.poll_req(), 1300)  # still logged in

    def test_login_newpw_changes_password(self):
        old, new = MAIN_REGISTRARS["REG-PW"], "pw-Changed-2"
        c = self.connect()
        self.assertCode(c.login("REG-PW", old, newpw=new), 1000)
        self.assertCode(c.logout(), 1500)
        c.close()
        c = self.connect()
        self.assertCode(c.login("REG-PW", old), 2200)
        c.close()
        c = self.connect()
        self.assertCode(c.login("REG-PW", new), 1000)

    def test_login_disabled_registrar_2200(self):
        c = self.session("REG-DIS")
        self.assertCode(c.logout(), 1500)
        self.d.regctl("registrar", "disable", "REG-DIS")
        c = self.connect()
        self.assertCode(c.login("REG-DIS", MAIN_REGISTRARS["REG-DIS"]), 2200)

    def test_three_failed_logins_2501_and_close(self):
        c = self.connect()
        self.assertCode(c.login("REG-OK", "wrong-Pass-1"), 2200)
        self.assertCode(c.login("NO-SUCH-REG", "wrong-Pass-2"), 2200)
        self.assertCode(c.login("REG-OK", "wrong-Pass-3"), 2501)
        self.assertClosed(c)
        self.assertServing()

    def test_commands_before_login_2002(self):
        c = self.connect()
        self.assertCode(c.poll_req(), 2002)
        self.assertCode(c.poll_ack("1"), 2002)
        self.assertCode(c.command(domain_cmd("check")), 2002)
        self.assertCode(c.logout(), 2002)
        # none of these closed the session or counted as a failed login
        self.assertCode(c.login("REG-OK", MAIN_REGISTRARS["REG-OK"]), 1000)

    def test_audit_rows_of_a_session_in_command_order(self):
        # issue 18: a read's row is written by the EPP log's writer thread
        # after its answer; a command that writes waits for the rows of
        # its session's earlier reads, so once the logout is answered the
        # session's whole log is there, in the order of its commands
        c = self.session()
        svtrids = [c.command(domain_cmd("check")).svtrid, c.command(domain_cmd("check")).svtrid]
        r = c.logout()
        self.assertCode(r, 1500)
        svtrids.append(r.svtrid)
        out = self.d.regctl("epp-log", "--limit", "50").stdout
        for s in svtrids:
            self.assertIn(s, out)
        at = [out.index(s) for s in svtrids]
        self.assertEqual(at, sorted(at, reverse=True), out)  # newest first

    def test_logout_1500_and_close(self):
        c = self.session()
        r = c.logout()
        self.assertCode(r, 1500)
        self.assertEqual(r.cltrid, "CL-2")
        self.assertClosed(c)

    # --- transaction ids -----------------------------------------------------

    def test_cltrid_echoed_and_svtrid_unique(self):
        sessions = [self.session() for _ in range(3)]
        svtrids, n = [], 0
        for i in range(25):
            for k, c in enumerate(sessions):
                n += 1
                cl = "TRID-%d-%d-%s" % (k, i, "x" * (i % 7))
                r = c.command('<poll op="req"/>', cltrid=cl)
                self.assertCode(r, 1300)
                self.assertEqual(r.cltrid, cl)
                self.assertTrue(r.svtrid)
                self.assertTrue(3 <= len(r.svtrid) <= 64, r.svtrid)
                svtrids.append(r.svtrid)
        r = sessions[0].command('<poll op="req"/>', send_cltrid=False)
        self.assertCode(r, 1300)
        self.assertIsNone(r.find("epp:response/epp:trID/epp:clTRID"))
        svtrids.append(r.svtrid)
        self.assertEqual(len(set(svtrids)), len(svtrids), "svTRIDs repeat")

    def test_cltrid_special_characters_echoed(self):
        c = self.session()
        for sent, expected in (("A&lt;B&amp;C&gt;D&quot;E'F", "A<B&C>D\"E'F"),
                               ("Zürich-æøå-€-中文", "Zürich-æøå-€-中文"),
                               ("M" * 64, "M" * 64)):
            r = c.command('<poll op="req"/>', cltrid=sent)
            self.assertCode(r, 1300)
            self.assertEqual(r.cltrid, expected)

    def test_overlong_cltrid_not_echoed(self):
        # trIDStringType is 3 to 64 characters: a longer clTRID makes the
        # command invalid (2001), and echoing it would make the response
        # invalid too
        c = self.session()
        for cl in ("L" * 65, "é" * 65, "X" * 300):
            r = c.command('<poll op="req"/>', cltrid=cl)
            self.assertCode(r, 2001)
            self.assertIsNone(r.cltrid, "an invalid clTRID was echoed")
        self.assertCode(c.poll_req(), 1300)

    # --- poll ----------------------------------------------------------------

    def test_poll_empty_1300_without_msgq(self):
        c = self.session("REG-OK")
        r = c.poll_req()
        self.assertCode(r, 1300)
        self.assertIsNone(r.msgq, r.raw)

    def test_poll_messages_and_ack(self):
        texts = ["Transfer of example.dk approved <ok> & done", "Zweite Nachricht: Übertragung"]
        for t in texts:
            self.d.regctl("poll", "send", "REG-POLL", "--message", t)
        c = self.session("REG-POLL")
        r = c.poll_req()
        self.assertCode(r, 1301)
        q = r.msgq
        self.assertIsNotNone(q, r.raw)
        self.assertEqual(q.get("count"), "2")
        first = q.get("id")
        self.assertTrue(first)
        qdate = r.findtext("epp:response/epp:msgQ/epp:qDate")
        when = datetime.strptime(qdate[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
        self.assertLess(abs(when.timestamp() - time.time()), 300, qdate)
        self.assertEqual(r.findtext("epp:response/epp:msgQ/epp:msg"), texts[0])
        # req again without ack: the same message
        r = c.poll_req()
        self.assertCode(r, 1301)
        self.assertEqual(r.msgq.get("id"), first)
        r = c.poll_ack(first)
        self.assertCode(r, 1000)
        self.assertEqual(r.msgq.get("count"), "1")
        self.assertEqual(r.msgq.get("id"), first)
        r = c.poll_req()
        self.assertCode(r, 1301)
        self.assertEqual(r.msgq.get("count"), "1")
        second = r.msgq.get("id")
        self.assertNotEqual(second, first)
        self.assertEqual(r.findtext("epp:response/epp:msgQ/epp:msg"), texts[1])
        self.assertCode(c.poll_ack(first), 2303)  # already gone
        r = c.poll_ack(second)
        self.assertCode(r, 1000)
        self.assertEqual(r.msgq.get("count"), "0")
        r = c.poll_req()
        self.assertCode(r, 1300)
        self.assertIsNone(r.msgq)

    def test_poll_ack_unknown_id_2303(self):
        c = self.session("REG-OK")
        for msgid in ("999999", "0", "-1", "abc", "12x"):
            r = c.poll_ack(msgid)
            self.assertCode(r, 2303)
        self.assertCode(c.poll_req(), 1300)

    def test_poll_ack_other_registrars_message_2303(self):
        self.d.regctl("poll", "send", "REG-POLL2", "--message", "for REG-POLL2 only")
        owner = self.session("REG-POLL2")
        r = owner.poll_req()
        self.assertCode(r, 1301)
        msgid = r.msgq.get("id")
        other = self.session("REG-OK")
        self.assertCode(other.poll_ack(msgid), 2303)
        self.assertCode(other.poll_req(), 1300)  # and it does not see it either
        r = owner.poll_req()
        self.assertCode(r, 1301)
        self.assertEqual(r.msgq.get("id"), msgid)
        self.assertCode(owner.poll_ack(msgid), 1000)

    # --- malformed and invalid commands ----------------------------------------

    def test_not_well_formed_xml_2001(self):
        c = self.session()
        for doc in (XML_DECL + '<epp xmlns="%s"><command><poll op="req"/>' % EPP_NS,
                    XML_DECL + '<epp xmlns="%s"><hello></epp>' % EPP_NS,
                    "this is not XML at all",
                    b'<?xml version="1.0" encoding="UTF-8"?><epp xmlns="%s"><command>'
                    b'<poll op="req"/><clTRID>\xff\xfe\xfa</clTRID></command></epp>'
                    % EPP_NS.encode()):
            r = c.request(doc)
            self.assertCode(r, 2001)
            self.assertTrue(r.reason, r.raw)
            self.assertTrue(r.svtrid)
        # the session survives syntax errors
        self.assertCode(c.poll_req(), 1300)

    def test_schema_invalid_command_2001_with_reason(self):
        c = self.connect()
        # clID is eppcom:clIDType, 3 to 16 characters
        r = c.command("<login><clID>ab</clID><pw>short-Pw-1</pw><options><version>1.0</version>"
                      "<lang>en</lang></options><svcs><objURI>%s</objURI></svcs></login>"
                      % DOMAIN_NS, cltrid="INVALID-1")
        self.assertCode(r, 2001)
        self.assertEqual(r.cltrid, "INVALID-1")
        self.assertIsNotNone(r.find("epp:response/epp:result/epp:extValue/epp:value"))
        self.assertIn("clID", r.reason or "")
        self.assertIn("minLength", r.reason or "")
        # an enumeration, with the session logged in
        c = self.session()
        r = c.command('<poll op="bogus"/>', cltrid="INVALID-2")
        self.assertCode(r, 2001)
        self.assertEqual(r.cltrid, "INVALID-2")
        self.assertIn("op", r.reason or "")
        self.assertIn("bogus", r.reason or "")
        # a missing required element
        r = c.command("<check><domain:check xmlns:domain=\"%s\"/></check>" % DOMAIN_NS,
                      cltrid="INVALID-3")
        self.assertCode(r, 2001)
        self.assertEqual(r.cltrid, "INVALID-3")
        self.assertIn("domain", r.reason or "")

    def test_unknown_namespaces_2001(self):
        c = self.session()
        # an object in a namespace we do not serve: 2307, not a syntax error
        # (RFC 5730 §3: "MUST be returned" for an object service not supported)
        r = c.command('<check><w:check xmlns:w="urn:example:widget-1.0"><w:name>x</w:name>'
                      '</w:check></check>', cltrid="NS-1")
        self.assertCode(r, 2307)
        self.assertEqual(r.cltrid, "NS-1")
        self.assertIn("urn:example:widget-1.0", r.reason or "")
        # an unknown command element in the EPP namespace
        r = c.command("<frobnicate/>", cltrid="NS-2")
        self.assertCode(r, 2001)
        self.assertEqual(r.cltrid, "NS-2")
        # an extension in an unknown namespace: 2103 (issue 11, defect 1)
        r = c.command('<poll op="req"/>', extension='<g:x xmlns:g="urn:example:gadget-1.0"/>',
                      cltrid="NS-3")
        self.assertCode(r, 2103)
        self.assertEqual(r.cltrid, "NS-3")
        # the root element in another (older) EPP namespace
        r = c.request(XML_DECL + '<epp xmlns="urn:ietf:params:xml:ns:epp-0.4"><hello/></epp>')
        self.assertCode(r, 2001)
        # elements a client must not send
        r = c.request(XML_DECL + '<epp xmlns="%s"><greeting><svID>x</svID>'
                      '<svDate>2026-01-01T00:00:00Z</svDate><svcMenu><version>1.0</version>'
                      '<lang>en</lang><objURI>%s</objURI></svcMenu></greeting></epp>'
                      % (EPP_NS, DOMAIN_NS))
        self.assertCode(r, 2001)
        r = c.request(XML_DECL + '<epp xmlns="%s"/>' % EPP_NS)
        self.assertCode(r, 2001)
        self.assertCode(c.poll_req(), 1300)

    def test_xxe_not_expanded(self):
        c = self.session()
        docs = [
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<!DOCTYPE epp [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
            '<epp xmlns="%s"><command><poll op="req"/><clTRID>XXE-&xxe;</clTRID></command></epp>'
            % EPP_NS,
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<!DOCTYPE epp SYSTEM "file:///etc/passwd">\n'
            '<epp xmlns="%s"><command><poll op="req"/><clTRID>XXE-2</clTRID></command></epp>'
            % EPP_NS,
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<!DOCTYPE epp [<!ENTITY %% p SYSTEM "file:///etc/passwd"> %%p;]>\n'
            '<epp xmlns="%s"><command><poll op="req"/><clTRID>XXE-3</clTRID></command></epp>'
            % EPP_NS,
        ]
        for doc in docs:
            r = c.request(doc)
            self.assertCode(r, 2001)
            self.assertTrue(r.reason)
            self.assertNotIn("root:", r.raw)
        self.assertTrue(c.hello().is_greeting)
        self.assertCode(c.poll_req(), 1300)
        self.assertServing()

    def test_refused_frame_still_echoes_its_cltrid(self):
        """docs/epp.md: every 2001 echoes the clTRID when one can be read,
        also from a frame refused before parsing (a DTD, broken XML)."""
        c = self.session()
        r = c.request('<?xml version="1.0" encoding="UTF-8"?>\n'
                      '<!DOCTYPE epp SYSTEM "file:///etc/passwd">\n<epp xmlns="%s"><command>'
                      '<poll op="req"/><clTRID>DTD-ECHO-1</clTRID></command></epp>' % EPP_NS)
        self.assertCode(r, 2001)
        self.assertEqual(r.cltrid, "DTD-ECHO-1")
        r = c.request('<epp xmlns="%s"><command><poll op="req"/><clTRID>BROKEN-2</clTRID>'
                      '</command>' % EPP_NS)  # no </epp>
        self.assertCode(r, 2001)
        self.assertEqual(r.cltrid, "BROKEN-2")
        # never an entity's expansion, nor markup
        r = c.request('<?xml version="1.0"?>\n<!DOCTYPE epp [<!ENTITY x "root:x">]>\n'
                      '<epp xmlns="%s"><command><poll op="req"/><clTRID>E-&x;</clTRID>'
                      '</command></epp>' % EPP_NS)
        self.assertCode(r, 2001)
        self.assertIsNone(r.cltrid)
        self.assertNotIn("root:", r.raw)
        self.assertCode(c.poll_req(), 1300)

    def billion_laughs(self, encoding="UTF-8"):
        ents = '<!ENTITY lol "lol">' + "".join(
            '<!ENTITY lol%d "%s">' % (i, ("&lol%s;" % ("" if i == 1 else i - 1)) * 10)
            for i in range(1, 10))
        return ('<?xml version="1.0" encoding="%s"?>\n<!DOCTYPE epp [%s]>\n'
                '<epp xmlns="%s"><command><poll op="req"/><clTRID>&lol9;</clTRID></command></epp>'
                % (encoding, ents, EPP_NS))

    def test_billion_laughs_refused(self):
        c = self.session()
        t = time.monotonic()
        r = c.request(self.billion_laughs())
        self.assertCode(r, 2001)
        self.assertNotIn("lollollol", r.raw)
        self.assertLess(time.monotonic() - t, 10)
        self.assertTrue(c.hello().is_greeting)
        self.assertServing()

    def test_entities_in_utf16_document_not_expanded(self):
        # DESIGN §11 "no entities": also when the document is not UTF-8
        # (UTF-16 is an encoding every XML parser must read).
        c = self.session()
        doc = ('<?xml version="1.0" encoding="UTF-16"?>\n'
               '<!DOCTYPE epp [<!ENTITY e "root:x:0:0:EXPANDED">]>\n'
               '<epp xmlns="%s"><command><poll op="req"/><clTRID>U16-&e;</clTRID></command></epp>'
               % EPP_NS)
        r = c.request(doc.encode("utf-16"))
        self.assertCode(r, 2001)
        self.assertNotIn("EXPANDED", r.raw)
        self.assertNotIn("root:", r.raw)
        r = c.request(self.billion_laughs("UTF-16").encode("utf-16"))
        self.assertCode(r, 2001)
        self.assertNotIn("lollollol", r.raw)
        self.assertCode(c.poll_req(), 1300)

    def test_utf16_document_accepted(self):
        # RFC 5730 §6: conformant XML processors read UTF-8 and UTF-16
        c = self.session()
        doc = ('<?xml version="1.0" encoding="UTF-16"?><epp xmlns="%s"><command>'
               '<poll op="req"/><clTRID>UTF16-Ü</clTRID></command></epp>' % EPP_NS)
        r = c.request(doc.encode("utf-16"))
        self.assertCode(r, 1300)
        self.assertEqual(r.cltrid, "UTF16-Ü")

    # --- framing (RFC 5734 §4) --------------------------------------------------

    def test_frame_length_0_to_4_closes(self):
        for n in range(5):
            c = self.connect()
            self.send_raw_frames(c, struct.pack(">I", n) + HELLO.encode())
            self.assertClosed(c)
        # the shortest legal length (5: one byte of XML) is a syntax error only
        c = self.connect()
        c.send_bytes(struct.pack(">I", 5) + b"<")
        self.assertCode(c.read_response(), 2001)
        self.assertTrue(c.hello().is_greeting)
        self.assertServing()

    def test_frame_over_max_frame_closes(self):
        c = self.session()
        payload = HELLO + " " * (MAX_FRAME - 4 - len(HELLO) + 1)  # total = max + 1
        self.send_raw_frames(c, frame(payload))
        self.assertClosed(c)
        c = self.connect()  # a header alone is enough, and a huge one too
        self.send_raw_frames(c, struct.pack(">I", 0xFFFFFFFF))
        self.assertClosed(c)
        self.assertServing()

    def test_frame_of_exactly_max_frame_accepted(self):
        c = self.session()
        payload = HELLO + " " * (MAX_FRAME - 4 - len(HELLO))  # total = max
        self.assertEqual(len(frame(payload)), MAX_FRAME)
        self.assertTrue(c.request(payload).is_greeting)
        payload = cmd('<poll op="req"/>', "BIG-" + "9" * 60) + "\n" * 3000
        r = c.request(payload)
        self.assertCode(r, 1300)

    def test_pipelined_commands_answered_in_order(self):
        c = self.connect()
        frames = [frame(cmd("<login><clID>REG-OK</clID><pw>%s</pw><options><version>1.0"
                            "</version><lang>en</lang></options><svcs><objURI>%s</objURI>"
                            "</svcs></login>" % (MAIN_REGISTRARS["REG-OK"], DOMAIN_NS),
                            "PIPE-0"))]
        frames += [frame(cmd('<poll op="req"/>', "PIPE-%d" % i)) for i in range(1, 9)]
        frames += [frame(HELLO), frame(cmd("<logout/>", "PIPE-9"))]
        frames += [frame(cmd('<poll op="req"/>', "AFTER-LOGOUT"))]  # never answered
        c.send_bytes(b"".join(frames))
        for i in range(9):
            r = c.read_response()
            self.assertCode(r, 1000 if i == 0 else 1300)
            self.assertEqual(r.cltrid, "PIPE-%d" % i)
        self.assertTrue(c.read_response().is_greeting)
        r = c.read_response()
        self.assertCode(r, 1500)
        self.assertEqual(r.cltrid, "PIPE-9")
        self.assertClosed(c)

    def test_pipelined_burst_larger_than_max_frame(self):
        # 100 small commands (about 13 KB, more than [epp] max_frame = 4096,
        # each frame well under it) written at once: all are answered
        c = self.session(timeout=5)
        n = 100
        c.send_bytes(b"".join(frame(cmd('<poll op="req"/>', "BURST-%d" % i)) for i in range(n)))
        got = 0
        try:
            for i in range(n):
                r = c.read_response()
                self.assertCode(r, 1300)
                self.assertEqual(r.cltrid, "BURST-%d" % i)
                got += 1
        except (socket.timeout, TimeoutError):
            self.fail("the server stopped answering after %d of %d pipelined commands" % (got, n))

    def test_pipelined_frames_of_max_frame(self):
        # frames of exactly [epp] max_frame written at once, each behind a
        # command in flight: while a command runs the session holds up to
        # max_frame bytes of what follows, then stops reading until the
        # answer (issue 18); every frame must still be read whole, in TLS
        # records that end anywhere, and answered
        c = self.session(timeout=5)
        n = 8
        frames = []
        for i in range(n):
            xml = cmd('<poll op="req"/>', "MAXPIPE-%d" % i)
            frames.append(frame(xml + " " * (MAX_FRAME - 4 - len(xml))))
        self.assertTrue(all(len(f) == MAX_FRAME for f in frames))
        c.send_bytes(b"".join(frames))
        got = 0
        try:
            for i in range(n):
                r = c.read_response()
                self.assertCode(r, 1300)
                self.assertEqual(r.cltrid, "MAXPIPE-%d" % i)
                got += 1
        except (socket.timeout, TimeoutError):
            self.fail("the server stopped answering after %d of %d pipelined frames" % (got, n))

    def test_frame_split_in_small_pieces(self):
        c = self.session()
        data = frame(cmd('<poll op="req"/>', "SPLIT-1"))
        for i in range(0, len(data), 7):  # one TLS record each
            c.send_bytes(data[i:i + 7])
        r = c.read_response()
        self.assertCode(r, 1300)
        self.assertEqual(r.cltrid, "SPLIT-1")

    # --- limits -------------------------------------------------------------------

    def test_idle_timeout_closes_session(self):
        d = self.limits_daemon()
        quiet = self.connect(d)  # never logs in
        partial = self.connect(d)  # half a frame, then nothing
        partial.send_bytes(frame(HELLO)[:20])
        raw = socket.create_connection((d.host, d.port), timeout=12)  # no TLS handshake
        self.addCleanup(raw.close)
        c = self.session("REG-IDLE", daemon=d)
        t = time.monotonic()
        self.assertClosed(c, timeout=12)  # a socket read timeout, not a sleep
        waited = time.monotonic() - t
        self.assertGreater(waited, 4.0)
        self.assertLess(waited, 10.0)
        self.assertClosed(quiet, timeout=3)
        self.assertClosed(partial, timeout=3)
        raw.settimeout(3)
        try:
            self.assertEqual(raw.recv(1024), b"", "a connection without TLS handshake stays open")
        except ConnectionError:
            pass
        # both of REG-IDLE's slots are free again ([epp] max_sessions = 2)
        a = self.session("REG-IDLE", daemon=d)
        b = self.session("REG-IDLE", daemon=d)
        self.assertCode(a.logout(), 1500)
        self.assertCode(b.logout(), 1500)

    def test_session_cap_2502(self):
        d = self.limits_daemon()
        a = self.session("REG-CAP", daemon=d)
        b = self.session("REG-CAP", daemon=d)
        c = self.connect(d)
        self.assertCode(c.login("REG-CAP", d.registrars["REG-CAP"]), 2502)
        self.assertClosed(c)
        # the cap is per registrar
        other = self.session("REG-CAP2", daemon=d)
        self.assertCode(a.logout(), 1500)
        self.assertClosed(a)
        e = self.session("REG-CAP", daemon=d)
        self.assertCode(e.poll_req(), 1300)
        # a session that just drops its connection frees its slot too
        b.close()
        deadline = time.monotonic() + 5
        while True:
            f = self.connect(d)
            r = f.login("REG-CAP", d.registrars["REG-CAP"])
            if r.code == 1000 or time.monotonic() > deadline:
                break
            self.assertCode(r, 2502)
            f.close()
            time.sleep(0.1)
        self.assertCode(r, 1000)
        for s in (other, e, f):
            self.assertCode(s.logout(), 1500)

    def test_disconnect_before_login_answer_frees_slot(self):
        d = self.limits_daemon()
        login = frame(cmd("<login><clID>REG-CAP2</clID><pw>%s</pw><options><version>1.0"
                          "</version><lang>en</lang></options><svcs><objURI>%s</objURI>"
                          "</svcs></login>" % (d.registrars["REG-CAP2"], DOMAIN_NS), "GONE-1"))
        for _ in range(6):
            c = self.connect(d)
            c.send_bytes(login)
            c.close()  # without waiting for the answer
        # max_sessions = 2: both slots must come free once the server has
        # seen the connections go
        deadline = time.monotonic() + 5
        sessions = []
        while len(sessions) < 2:
            c = self.connect(d)
            r = c.login("REG-CAP2", d.registrars["REG-CAP2"])
            if r.code == 1000:
                sessions.append(c)
                continue
            self.assertCode(r, 2502)
            c.close()
            self.assertLess(time.monotonic(), deadline, "session slots leaked")
            time.sleep(0.1)
        for c in sessions:
            self.assertCode(c.logout(), 1500)

    def test_not_tls_closes(self):
        for junk in (b"hello there\r\n" * 20, frame(HELLO), b"\x16\x03\x01\x00\x05garbage"):
            raw = socket.create_connection((self.d.host, self.d.port), timeout=10)
            data = b""
            try:
                raw.sendall(junk)
                while True:
                    chunk = raw.recv(4096)  # until the server closes
                    if not chunk:
                        break
                    data += chunk
            except (socket.timeout, TimeoutError):
                self.fail("the server kept a non-TLS connection open")
            except OSError:
                pass  # reset: closed as well
            finally:
                raw.close()
            self.assertNotIn(b"<epp", data)
        self.assertServing()

    # --- certificates and addresses --------------------------------------------

    def test_pinned_certificate(self):
        pw = "cert-Secret-1"
        c = self.connect()
        r = c.login("REG-CERT", pw)
        self.assertCode(r, 2200)
        cert_b, key_b, _ = self.cert_b
        c = self.connect(certfile=cert_b, keyfile=key_b)
        self.assertCode(c.login("REG-CERT", pw), 2200)
        cert_a, key_a, _ = self.cert_a
        for version in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
            c = self.connect(certfile=cert_a, keyfile=key_a, tls_version=version)
            self.assertCode(c.login("REG-CERT", pw), 1000)
            self.assertCode(c.poll_req(), 1300)
            self.assertCode(c.logout(), 1500)
        # a registrar without pinned certificates may present any
        c = self.connect(certfile=cert_b, keyfile=key_b)
        self.assertCode(c.login("REG-OK", MAIN_REGISTRARS["REG-OK"]), 1000)

    def test_allow_ip(self):
        c = self.connect()
        self.assertCode(c.login("REG-IPNO", "ipno-Secret-1"), 2200)
        c = self.connect()
        self.assertCode(c.login("REG-IPOK", "ipok-Secret-1"), 1000)

    # --- concurrency ----------------------------------------------------------------

    def test_fifty_concurrent_sessions(self):
        n = 50
        barrier = threading.Barrier(n, timeout=60)
        errors, done = [], []
        lock = threading.Lock()

        def one(i):
            c = None
            try:
                c = EPPClient(self.d.host, self.d.port, recorder=self.recorder, timeout=60)
                barrier.wait()
                steps = [("login", c.login("REG-CONC", MAIN_REGISTRARS["REG-CONC"]), 1000)]
                g = c.hello()
                if not g.is_greeting:
                    raise AssertionError("hello: %s" % g.raw)
                steps.append(("poll", c.poll_req(), 1300))
                steps.append(("logout", c.logout(), 1500))
                for name, r, code in steps:
                    if r.code != code:
                        raise AssertionError("%s: %s" % (name, r.raw))
                if c.wait_closed(20):
                    raise AssertionError("data after logout")
                with lock:
                    done.append(i)
            except Exception as e:  # noqa: BLE001 - reported below
                with lock:
                    errors.append("session %d: %r" % (i, e))
                try:
                    barrier.abort()
                except threading.BrokenBarrierError:
                    pass
            finally:
                if c:
                    c.close()

        threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        self.assertEqual(errors, [])
        self.assertEqual(sorted(done), list(range(n)))
        self.assertServing("REG-CONC")

    # --- audit log --------------------------------------------------------------------

    def test_audit_log_redacts_passwords(self):
        pw, new_pw, wrong = MAIN_REGISTRARS["REG-AUDIT"], "Aud1t-NewPass-8", "Wr0ng-Secret-7"
        svtrids = {}
        c = self.connect()
        r = c.login("REG-AUDIT", wrong)
        self.assertCode(r, 2200)
        svtrids["login-failed"] = r.svtrid
        r = c.login("REG-AUDIT", pw, newpw=new_pw)
        self.assertCode(r, 1000)
        svtrids["login"] = r.svtrid
        for name, r, code in (("poll", c.poll_req(), 1300),
                              ("domain:check", c.command(domain_cmd("check")), 1000),
                              ("logout", c.logout(), 1500)):
            self.assertCode(r, code)
            svtrids[name] = r.svtrid
        # a broken login carrying the password: logged without it
        c = self.connect()
        r = c.request(XML_DECL + '<epp xmlns="%s"><command><login><clID>REG-AUDIT</clID>'
                      '<pw>%s</pw><newPW>%s</newPW><options>' % (EPP_NS, new_pw, pw))
        self.assertCode(r, 2001)
        svtrids["unparsed"] = r.svtrid
        # a schema-invalid one (no options/svcs)
        r = c.request(XML_DECL + '<epp xmlns="%s"><command><login><clID>REG-AUDIT</clID>'
                      '<pw>%s</pw></login><clTRID>AUDIT-BAD</clTRID></command></epp>'
                      % (EPP_NS, new_pw))
        self.assertCode(r, 2001)
        svtrids["invalid"] = r.svtrid
        # these two only read: their rows are written by the EPP log's
        # writer thread a few milliseconds after their answers
        deadline = time.monotonic() + 10
        while (svtrids["invalid"] not in self.d.regctl("epp-log", "--limit", "1").stdout
               and time.monotonic() < deadline):
            time.sleep(0.02)

        mine = self.d.regctl("epp-log", "--registrar", "REG-AUDIT", "--full").stdout
        full = self.d.regctl("epp-log", "--full").stdout
        brief = self.d.regctl("epp-log", "--registrar", "REG-AUDIT").stdout
        for name in ("login-failed", "login", "poll", "domain:check", "logout"):
            self.assertIn(svtrids[name], mine, "%s (%s) missing from epp-log --registrar:\n%s"
                          % (name, svtrids[name], mine))
        # commands that did not parse or validate are not attributed to a
        # registrar before login; they are in the log all the same
        self.assertIn(svtrids["unparsed"], full)
        self.assertIn(svtrids["invalid"], full)
        for name in ("poll", "domain:check", "logout"):
            line = [ln for ln in brief.splitlines() if svtrids[name] in ln]
            self.assertEqual(len(line), 1, brief)
            self.assertIn(name, line[0])
            self.assertIn(str({"poll": 1300, "domain:check": 1000, "logout": 1500}[name]),
                          line[0])
        self.assertIn("[redacted]", mine)
        for secret in (pw, new_pw, wrong):
            self.assertNotIn(secret, mine)
            self.assertNotIn(secret, full)

    # --- object commands -----------------------------------------------------------------

    def test_object_commands_served(self):
        # domain commands are served (tests/system/test_epp_domain.py has them all)
        c = self.session()
        r = c.command(domain_cmd("check"), cltrid="OBJ-1")
        self.assertCode(r, 1000)
        self.assertEqual(r.cltrid, "OBJ-1")
        self.assertEqual(r.findtext("epp:response/epp:resData/domain:chkData/domain:cd/"
                                    "domain:name"), "example.dk")
        r = c.command(domain_cmd("info"), cltrid="OBJ-2")
        self.assertCode(r, 2303)
        # and account commands (tests/system/test_epp_account.py); every object
        # command the schemas accept has a handler, so 2101 is left for none
        r = c.command('<check><account:check xmlns:account="https://registryd.org/epp/'
                      'account-1.0"><account:id>ACC-1</account:id></account:check></check>',
                      cltrid="OBJ-3")
        self.assertCode(r, 1000)
        self.assertEqual(r.cltrid, "OBJ-3")
        self.assertEqual(r.find("epp:response/epp:resData/{%s}chkData/{%s}cd/{%s}id"
                                % ((ACCOUNT_NS,) * 3)).get("avail"), "1")
        self.assertCode(c.poll_req(), 1300)

    # --- TLS -----------------------------------------------------------------------------

    def test_tls_1_1_refused(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            for version in (ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1):
                with self.assertRaises(ssl.SSLError) as cm:
                    self.connect(tls_version=version)
                text = str(cm.exception).upper()
                if "NO_PROTOCOLS_AVAILABLE" in text or "NO PROTOCOLS AVAILABLE" in text:
                    self.skipTest("this OpenSSL cannot offer %s at all" % version.name)
                # refused by the server, not a client that could not offer it
                self.assertTrue("PROTOCOL_VERSION" in text or "UNSUPPORTED PROTOCOL" in text,
                                text)
        self.assertServing()

    def test_tls_1_2_and_1_3_accepted(self):
        for version, name in ((ssl.TLSVersion.TLSv1_2, "TLSv1.2"),
                              (ssl.TLSVersion.TLSv1_3, "TLSv1.3")):
            c = self.connect(tls_version=version)
            self.assertEqual(c.sock.version(), name)
            self.check_greeting(c.greeting)
            self.assertCode(c.login("REG-OK", MAIN_REGISTRARS["REG-OK"]), 1000)
            self.assertCode(c.logout(), 1500)


class SQLiteEPPSessionTest(EPPSessionBase, unittest.TestCase):
    backend = "sqlite"


class PgEPPSessionTest(EPPSessionBase, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
