"""System tests of EPP host objects (RFC 5732) and the registryd host
extension (https://registryd.org/epp/host-ext-1.0, <regh:admin>): the real
registryd on loopback, driven over TLS with tests/system/eppclient.py.

Every test runs on SQLite (SQLiteEPPHostTest) and on PostgreSQL
(PgEPPHostTest). Every frame the server sends is written to a file and at
the end of each class all of them are validated at once with
`xmllint --noout --nonet --schema $REG_SCHEMA_DIR/all.xsd`.

In-bailiwick hosts (ns1.example.dk) need their superordinate domain. These
tests do not depend on domain (or contact) commands: the class inserts the
rows it needs straight into the daemon's database (Daemon.url) with the
sqlite3 or psql command-line client — a registrant contact, an admin
contact for <regh:admin>, the domains example.dk and other.dk (sponsored by
REG-H1) and theirs.dk (REG-H2) — and links hosts to domains (the "linked"
status and the 2305 on delete) by inserting domain_host rows the same way.

Run through ctest (tests/system/epp_tests.cmake), or directly with REGCTL,
REGISTRYD, REG_SCHEMA_DIR and (for PostgreSQL) REG_TEST_PG_URL_FILE set:
    python3 tests/system/test_epp_host.py [-v] [SQLiteEPPHostTest[.test_name]]
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from daemon import Daemon, scratch_root  # noqa: E402
from test_epp_session import Recorder, stop_and_validate  # noqa: E402
from eppclient import REGD_NS, EPPClient, regd_verified, xml_escape  # noqa: E402
from harness import psql  # noqa: E402

HOST_NS = "urn:ietf:params:xml:ns:host-1.0"
REGH_NS = "https://registryd.org/epp/host-ext-1.0"
NS = {
    "epp": "urn:ietf:params:xml:ns:epp-1.0",
    "host": HOST_NS,
    "regh": REGH_NS,
}
REGISTRARS = {"REG-H1": "h1-Secret-1", "REG-H2": "h2-Secret-1"}
ROID_RE = re.compile(r"^H\d+-DK$")
DATE_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


# --- host command builders (RFC 5732 §3) ---------------------------------------------

def _addr(addr, ip=None):
    ip = ip or ("v6" if ":" in addr else "v4")
    return '<host:addr ip="%s">%s</host:addr>' % (ip, xml_escape(addr))


def _status(s, msg=None):
    if msg:
        return '<host:status s="%s" lang="en">%s</host:status>' % (s, xml_escape(msg))
    return '<host:status s="%s"/>' % s


def host_check(*names):
    return ('<check><host:check xmlns:host="%s">%s</host:check></check>'
            % (HOST_NS, "".join("<host:name>%s</host:name>" % xml_escape(n) for n in names)), "")


def host_info(name):
    return ('<info><host:info xmlns:host="%s"><host:name>%s</host:name></host:info></info>'
            % (HOST_NS, xml_escape(name)), "")


def host_delete(name):
    return ('<delete><host:delete xmlns:host="%s"><host:name>%s</host:name></host:delete>'
            '</delete>' % (HOST_NS, xml_escape(name)), "")


def host_create(name, addrs=(), admin=None):
    """addrs: "192.0.2.1" or ("192.0.2.1", "v6") to force the ip attribute."""
    body = "".join(_addr(*a) if isinstance(a, tuple) else _addr(a) for a in addrs)
    ext = ""
    if admin is not None:
        ext = ('<regh:create xmlns:regh="%s"><regh:admin>%s</regh:admin></regh:create>'
               % (REGH_NS, xml_escape(admin)))
    return ('<create><host:create xmlns:host="%s"><host:name>%s</host:name>%s</host:create>'
            '</create>' % (HOST_NS, xml_escape(name), body), ext)


def host_update(name, add_addrs=(), rem_addrs=(), add_status=(), rem_status=(), new_name=None,
                admin=None):
    """add_status: "clientDeleteProhibited" or (status, message). admin: None
    leaves it, "" sends an empty <regh:admin/> (removes it)."""
    def addrem(tag, addrs, statuses):
        if not addrs and not statuses:
            return ""
        inner = "".join(_addr(*a) if isinstance(a, tuple) else _addr(a) for a in addrs)
        inner += "".join(_status(*s) if isinstance(s, tuple) else _status(s) for s in statuses)
        return "<host:%s>%s</host:%s>" % (tag, inner, tag)
    body = addrem("add", add_addrs, add_status) + addrem("rem", rem_addrs, rem_status)
    if new_name is not None:
        body += "<host:chg><host:name>%s</host:name></host:chg>" % xml_escape(new_name)
    ext = ""
    if admin is not None:
        ext = ('<regh:update xmlns:regh="%s"><regh:admin>%s</regh:admin></regh:update>'
               % (REGH_NS, xml_escape(admin)))
    return ('<update><host:update xmlns:host="%s"><host:name>%s</host:name>%s</host:update>'
            '</update>' % (HOST_NS, xml_escape(name), body), ext)



class EPPHostBase:
    backend = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="epp-host-%s-" % cls.backend, dir=scratch_root())
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.recorder = Recorder(os.path.join(cls.tmp, "responses"))
        cls.d = Daemon(cls.backend, name="epp-host")
        cls.addClassCleanup(cls.d.cleanup)
        for handle, pw in REGISTRARS.items():
            cls.d.add_registrar(handle, pw)
        cls.d.start()
        # rows the host commands refer to (see the module docstring)
        cls.sql("INSERT INTO contact (handle, sponsor_id, creator_id, email, created_at) "
                "SELECT 'REG-H1:HOLDER', id, id, 'holder@example.net', 0 FROM registrar "
                "WHERE handle = 'REG-H1'")
        cls.sql("INSERT INTO contact (handle, sponsor_id, creator_id, email, created_at) "
                "SELECT 'REG-H1:NSADMIN', id, id, 'ns@example.net', 0 FROM registrar "
                "WHERE handle = 'REG-H1'")
        for name, sponsor in (("example.dk", "REG-H1"), ("other.dk", "REG-H1"),
                              ("rename.dk", "REG-H1"), ("theirs.dk", "REG-H2")):
            cls.add_domain(name, sponsor)

    @classmethod
    def tearDownClass(cls):
        stop_and_validate(cls.__name__, [cls.d], cls.recorder)

    # --- the database, directly ------------------------------------------------------

    @classmethod
    def sql(cls, statement):
        """Runs SQL in the daemon's database with the sqlite3 or psql CLI;
        returns the rows as lists of strings."""
        if cls.backend == "sqlite":
            r = subprocess.run(["sqlite3", "-batch", "-cmd", ".timeout 10000",
                                cls.d.url[len("sqlite:"):], statement],
                               capture_output=True, text=True, timeout=60,
                               stdin=subprocess.DEVNULL)
            if r.returncode != 0:
                raise RuntimeError("sqlite3 %r: %s" % (statement, r.stderr.strip()))
            out = r.stdout.strip()
        else:
            out = psql(cls.d.url, statement)
        return [line.split("|") for line in out.splitlines() if line]

    @classmethod
    def add_domain(cls, name, sponsor):
        cls.sql("INSERT INTO domain (name, uname, sponsor_id, creator_id, registrant_id, "
                "created_at, expires_at) SELECT '%s', '%s', r.id, r.id, c.id, 0, 4102444800 "
                "FROM registrar r, contact c WHERE r.handle = '%s' AND c.handle = 'REG-H1:HOLDER'"
                % (name, name, sponsor))

    def link(self, domain, host):
        self.sql("INSERT INTO domain_host (domain_id, host_id) SELECT d.id, h.id FROM domain d, "
                 "host h WHERE d.name = '%s' AND h.name = '%s'" % (domain, host))

    def unlink(self, host):
        self.sql("DELETE FROM domain_host WHERE host_id = (SELECT id FROM host WHERE name = '%s')"
                 % host)

    # --- EPP helpers --------------------------------------------------------------

    def session(self, clid="REG-H1"):
        c = EPPClient(self.d.host, self.d.port, recorder=self.recorder)
        self.addCleanup(c.close)
        r = c.login(clid, REGISTRARS[clid], ext_uris=[REGH_NS])
        self.assertCode(r, 1000)
        return c

    def run_cmd(self, c, built):
        inner, ext = built
        return c.command(inner, extension=ext)

    def assertCode(self, r, code, reason=None):
        self.assertEqual(r.code, code, "expected %d, got %s\n%s" % (code, r.code, r.raw))
        if code >= 2000:
            self.assertTrue(r.reason, "error %d without a reason\n%s" % (code, r.raw))
        if reason:
            self.assertIn(reason, r.reason or "", r.raw)

    def ok(self, c, built):
        r = self.run_cmd(c, built)
        self.assertCode(r, 1000)
        return r

    def fails(self, c, built, code, reason=None):
        r = self.run_cmd(c, built)
        self.assertCode(r, code, reason)
        return r

    def info(self, c, name):
        """<host:infData> as a dict."""
        r = self.ok(c, host_info(name))
        d = r.root.find("epp:response/epp:resData/host:infData", NS)
        self.assertIsNotNone(d, r.raw)
        statuses = {s.get("s"): (s.text or "") for s in d.findall("host:status", NS)}
        addrs = [(a.text, a.get("ip")) for a in d.findall("host:addr", NS)]
        admin = r.root.findtext("epp:response/epp:extension/regh:infData/regh:admin",
                                namespaces=NS)
        return {
            "name": d.findtext("host:name", namespaces=NS),
            "roid": d.findtext("host:roid", namespaces=NS),
            "status": statuses,
            "addrs": addrs,
            "clID": d.findtext("host:clID", namespaces=NS),
            "crID": d.findtext("host:crID", namespaces=NS),
            "crDate": d.findtext("host:crDate", namespaces=NS),
            "upID": d.findtext("host:upID", namespaces=NS),
            "upDate": d.findtext("host:upDate", namespaces=NS),
            "trDate": d.findtext("host:trDate", namespaces=NS),
            "admin": admin,
            "raw": r.raw,
        }

    # --- check ----------------------------------------------------------------------

    def test_check(self):
        c = self.session()
        self.ok(c, host_create("ns1.check.net"))
        r = self.ok(c, host_check("ns1.check.net", "NS2.check.net", "bad_name.check.net"))
        cds = r.root.findall("epp:response/epp:resData/host:chkData/host:cd", NS)
        self.assertEqual(len(cds), 3, r.raw)
        got = [(cd.find("host:name", NS).text, cd.find("host:name", NS).get("avail"),
                cd.findtext("host:reason", namespaces=NS)) for cd in cds]
        self.assertEqual(got, [("ns1.check.net", "0", "in use"), ("NS2.check.net", "1", None),
                               ("bad_name.check.net", "0", "invalid host name")])
        # another registrar sees the same
        r = self.ok(self.session("REG-H2"), host_check("ns1.check.net"))
        self.assertEqual(r.find("epp:response/epp:resData/host:chkData/host:cd/host:name")
                         .get("avail"), "0")

    def test_check_too_many_names_2306(self):
        c = self.session()
        self.fails(c, host_check(*["ns%d.many.net" % i for i in range(101)]), 2306, "100")
        r = self.ok(c, host_check(*["ns%d.many.net" % i for i in range(100)]))
        self.assertEqual(len(r.root.findall(".//host:cd", NS)), 100)

    # --- create and info --------------------------------------------------------------

    def test_create_external_and_info(self):
        c = self.session()
        r = self.ok(c, host_create("NS1.External.NET."))
        cre = r.find("epp:response/epp:resData/host:creData")
        self.assertIsNotNone(cre, r.raw)
        self.assertEqual(cre.findtext("host:name", namespaces=NS), "ns1.external.net")
        self.assertRegex(cre.findtext("host:crDate", namespaces=NS), DATE_RE)
        # any registrar may read a host
        i = self.info(self.session("REG-H2"), "ns1.external.net")
        self.assertEqual(i["name"], "ns1.external.net")
        self.assertRegex(i["roid"], ROID_RE)
        self.assertEqual(i["status"], {"ok": ""})
        self.assertEqual(i["addrs"], [])
        self.assertEqual((i["clID"], i["crID"]), ("REG-H1", "REG-H1"))
        self.assertRegex(i["crDate"], DATE_RE)
        self.assertIsNone(i["upID"])
        self.assertIsNone(i["upDate"])
        self.assertIsNone(i["trDate"])
        self.assertIsNone(i["admin"])
        self.assertNotIn("<extension>", i["raw"])

    def test_create_in_bailiwick_with_addresses(self):
        c = self.session()
        self.ok(c, host_create("ns1.example.dk", ["193.0.14.129", "2001:0678:0004::0001",
                                                  "193.0.14.129", "2001:678:4::1"]))
        i = self.info(c, "ns1.example.dk")
        self.assertEqual(i["addrs"], [("193.0.14.129", "v4"), ("2001:678:4::1", "v6")])
        self.assertEqual(i["status"], {"ok": ""})

    def test_create_errors(self):
        c = self.session()
        self.ok(c, host_create("ns1.dup.net"))
        self.fails(c, host_create("NS1.DUP.NET"), 2302, "already exists")
        self.fails(self.session("REG-H2"), host_create("ns1.dup.net"), 2302)
        self.fails(c, host_create("ns2.dup.net", ["193.0.14.129"]), 2306,
                   "addresses are only for hosts under .dk")
        self.fails(c, host_create("ns1.missing.dk", ["193.0.14.129"]), 2303,
                   "superordinate domain missing.dk does not exist")
        self.fails(c, host_create("ns1.theirs.dk", ["193.0.14.129"]), 2201, "theirs.dk")
        self.fails(c, host_create("ns9.example.dk"), 2003, "at least one address")
        self.fails(c, host_create("ns9.example.dk", ["10.1.2.3"]), 2306, "private")
        self.fails(c, host_create("ns9.example.dk", ["fe80::1"]), 2306, "link-local")
        self.fails(c, host_create("ns9.example.dk", ["192.0.2.1"]), 2306, "documentation")
        self.fails(c, host_create("ns9.example.dk", [("193.0.14.129", "v6")]), 2005, 'ip="v6"')
        self.fails(c, host_create("ns9.example.dk", ["300.0.0.1"]), 2005)
        self.fails(c, host_create("ns9.example.dk",
                                  ["193.0.14.%d" % i for i in range(1, 15)]), 2306, "at most 13")
        self.fails(c, host_create("ns_9.example.net"), 2005, "'_'")
        self.fails(c, host_create("localhost"), 2005, "two labels")
        self.fails(c, host_create("ns9.example.net", admin="REG-H1:GHOST"), 2303, "REG-H1:GHOST")
        # nothing of that was stored
        for name in ("ns2.dup.net", "ns1.missing.dk", "ns1.theirs.dk", "ns9.example.dk",
                     "ns9.example.net"):
            self.fails(c, host_info(name), 2303)

    def test_create_with_admin_extension(self):
        c = self.session()
        self.ok(c, host_create("ns1.admin.net", admin="reg-h1:nsadmin"))
        i = self.info(self.session("REG-H2"), "ns1.admin.net")
        self.assertEqual(i["admin"], "REG-H1:NSADMIN")

    def test_idn_host_name(self):
        c = self.session()
        r = self.ok(c, host_create("ns1.blåbær.net"))
        self.assertEqual(r.findtext(".//host:creData/host:name"), "ns1.xn--blbr-roah.net")
        self.assertEqual(self.info(c, "NS1.blåbær.NET")["name"], "ns1.xn--blbr-roah.net")
        # IDNA2008 strictly (issue 12 item 8): upper-case Å and Æ are refused, not mapped
        self.fails(c, host_info("NS1.BLÅBÆR.net"), 2005, "U+00C5")

    def test_update_status_message_that_deceives_2005_item8(self):
        c = self.session()
        self.ok(c, host_create("ns1.msg8.net"))
        self.fails(c, host_update("ns1.msg8.net",
                                  add_status=[("clientDeleteProhibited", "a\u2067b")]),
                   2005, "the message of status clientDeleteProhibited: U+2067")
        self.fails(c, host_create("ns1.\ufb01sh.net"), 2005, "U+FB01")

    def test_info_missing_2303(self):
        c = self.session()
        self.fails(c, host_info("ns1.nowhere.net"), 2303, "ns1.nowhere.net")
        self.fails(c, host_info("bad_name.nowhere.net"), 2005)

    # --- update ---------------------------------------------------------------------

    def test_update_addresses(self):
        c = self.session()
        self.ok(c, host_create("ns1.other.dk", ["193.0.14.129"]))
        self.ok(c, host_update("ns1.other.dk", add_addrs=["2001:678:4::1", "193.0.14.130",
                                                          "193.0.14.129"]))
        i = self.info(c, "ns1.other.dk")
        self.assertEqual(i["addrs"], [("193.0.14.129", "v4"), ("193.0.14.130", "v4"),
                                      ("2001:678:4::1", "v6")])
        self.assertEqual(i["upID"], "REG-H1")
        self.assertRegex(i["upDate"], DATE_RE)
        self.ok(c, host_update("ns1.other.dk", rem_addrs=["193.0.14.129", "2001:678:4::1"]))
        self.assertEqual(self.info(c, "ns1.other.dk")["addrs"], [("193.0.14.130", "v4")])
        self.fails(c, host_update("ns1.other.dk", rem_addrs=["193.0.14.129"]), 2306,
                   "has no address")
        self.fails(c, host_update("ns1.other.dk", rem_addrs=["193.0.14.130"]), 2306,
                   "at least one address")
        self.fails(c, host_update("ns1.other.dk", add_addrs=["193.0.14.1"],
                                  rem_addrs=["193.0.14.1"]), 2306, "both added and removed")
        self.fails(c, host_update("ns1.other.dk", add_addrs=["127.0.0.1"]), 2306, "loopback")
        self.fails(c, host_update("ns1.other.dk", add_addrs=[("2001:678:4::1", "v4")]), 2005)
        self.fails(self.session("REG-H2"), host_update("ns1.other.dk", add_addrs=["193.0.14.1"]),
                   2201, "another registrar")
        self.fails(c, host_update("ns9.other.dk", add_addrs=["193.0.14.1"]), 2303)
        self.ok(c, host_create("ns1.upd-ext.net"))
        self.fails(c, host_update("ns1.upd-ext.net", add_addrs=["193.0.14.1"]), 2306,
                   "addresses are only for hosts under .dk")

    def test_update_statuses(self):
        c = self.session()
        self.ok(c, host_create("ns1.status.net"))
        self.fails(c, host_update("ns1.status.net", add_status=["serverUpdateProhibited"]), 2306,
                   "cannot be set by a client")
        self.fails(c, host_update("ns1.status.net", add_status=["linked"]), 2306)
        self.fails(c, host_update("ns1.status.net", rem_status=["clientDeleteProhibited"]), 2306,
                   "does not have status")
        self.ok(c, host_update("ns1.status.net",
                               add_status=[("clientUpdateProhibited", "locked by REG-H1"),
                                           "clientDeleteProhibited"]))
        i = self.info(c, "ns1.status.net")
        self.assertEqual(i["status"], {"clientUpdateProhibited": "locked by REG-H1",
                                       "clientDeleteProhibited": ""})
        # clientUpdateProhibited: nothing but its own removal
        self.fails(c, host_update("ns1.status.net", new_name="ns2.status.net"), 2304,
                   "clientUpdateProhibited")
        self.fails(c, host_update("ns1.status.net", rem_status=["clientUpdateProhibited"],
                                  new_name="ns2.status.net"), 2304)
        self.fails(c, host_delete("ns1.status.net"), 2304, "clientDeleteProhibited")
        self.ok(c, host_update("ns1.status.net", rem_status=["clientUpdateProhibited"]))
        self.ok(c, host_update("ns1.status.net", rem_status=["clientDeleteProhibited"]))
        self.assertEqual(self.info(c, "ns1.status.net")["status"], {"ok": ""})

    def test_server_status_blocks_update(self):
        c = self.session()
        self.ok(c, host_create("ns1.server.net"))
        self.ok(c, host_update("ns1.server.net", add_status=["clientUpdateProhibited"]))
        self.sql("INSERT INTO object_status (object_kind, object_id, status) SELECT 'host', id, "
                 "'serverUpdateProhibited' FROM host WHERE name = 'ns1.server.net'")
        self.fails(c, host_update("ns1.server.net", rem_status=["clientUpdateProhibited"]), 2304,
                   "serverUpdateProhibited")
        self.assertIn("serverUpdateProhibited", self.info(c, "ns1.server.net")["status"])

    def test_update_admin_extension(self):
        c = self.session()
        self.ok(c, host_create("ns1.adm.net"))
        self.ok(c, host_update("ns1.adm.net", admin="REG-H1:NSADMIN"))
        self.assertEqual(self.info(c, "ns1.adm.net")["admin"], "REG-H1:NSADMIN")
        self.fails(c, host_update("ns1.adm.net", admin="REG-H1:GHOST"), 2303, "REG-H1:GHOST")
        self.assertEqual(self.info(c, "ns1.adm.net")["admin"], "REG-H1:NSADMIN")
        self.ok(c, host_update("ns1.adm.net", admin=""))  # empty element removes it
        i = self.info(c, "ns1.adm.net")
        self.assertIsNone(i["admin"])
        self.assertNotIn("regh:", i["raw"])

    def test_rename(self):
        c = self.session()
        self.ok(c, host_create("ns1.ren.net"))
        self.ok(c, host_create("ns2.ren.net"))
        self.fails(c, host_update("ns1.ren.net", new_name="NS2.ren.net"), 2302, "already exists")
        self.ok(c, host_update("ns1.ren.net", new_name="ns3.ren.net"))
        self.fails(c, host_info("ns1.ren.net"), 2303)
        roid = self.info(c, "ns3.ren.net")["roid"]
        # into .dk: needs our superordinate domain and an address
        self.fails(c, host_update("ns3.ren.net", new_name="ns3.rename.dk"), 2306,
                   "at least one address")
        self.fails(c, host_update("ns3.ren.net", new_name="ns3.theirs.dk",
                                  add_addrs=["193.0.14.129"]), 2201)
        self.fails(c, host_update("ns3.ren.net", new_name="ns3.absent.dk",
                                  add_addrs=["193.0.14.129"]), 2303, "absent.dk")
        self.ok(c, host_update("ns3.ren.net", new_name="ns3.rename.dk", add_addrs=["193.0.14.129"]))
        i = self.info(c, "ns3.rename.dk")
        self.assertEqual(i["roid"], roid)
        self.assertEqual(i["addrs"], [("193.0.14.129", "v4")])
        # out of .dk: the addresses must go in the same command
        self.fails(c, host_update("ns3.rename.dk", new_name="ns4.ren.net"), 2306,
                   "remove its addresses")
        self.ok(c, host_update("ns3.rename.dk", new_name="ns4.ren.net", rem_addrs=["193.0.14.129"]))
        i = self.info(c, "ns4.ren.net")
        self.assertEqual((i["roid"], i["addrs"]), (roid, []))
        # a linked host can be renamed; the domain follows it
        self.link("theirs.dk", "ns4.ren.net")
        self.ok(c, host_update("ns4.ren.net", new_name="ns5.ren.net"))
        rows = self.sql("SELECT h.name FROM domain_host dh JOIN host h ON h.id = dh.host_id "
                        "JOIN domain d ON d.id = dh.domain_id WHERE d.name = 'theirs.dk'")
        self.assertEqual(rows, [["ns5.ren.net"]])
        self.unlink("ns5.ren.net")

    # --- delete ---------------------------------------------------------------------

    def test_delete(self):
        c = self.session()
        self.ok(c, host_create("ns2.example.dk", ["193.0.14.129"]))
        self.link("theirs.dk", "ns2.example.dk")
        i = self.info(self.session("REG-H2"), "ns2.example.dk")
        self.assertEqual(i["status"], {"ok": "", "linked": ""})
        self.fails(c, host_delete("ns2.example.dk"), 2305, "theirs.dk")
        self.fails(self.session("REG-H2"), host_delete("ns2.example.dk"), 2201)
        self.unlink("ns2.example.dk")
        self.assertEqual(self.info(c, "ns2.example.dk")["status"], {"ok": ""})
        self.ok(c, host_delete("NS2.example.dk"))
        self.fails(c, host_info("ns2.example.dk"), 2303)
        self.fails(c, host_delete("ns2.example.dk"), 2303)
        self.assertEqual(self.sql("SELECT count(*) FROM host_address ha LEFT JOIN host h ON "
                                  "h.id = ha.host_id WHERE h.id IS NULL"), [["0"]])
        # the name is free again
        r = self.ok(c, host_check("ns2.example.dk"))
        self.assertEqual(r.find(".//host:cd/host:name").get("avail"), "1")

    # --- extensions, history, login -------------------------------------------------------

    def test_unsupported_extension_2103(self):
        c = self.session()
        inner, _ = host_create("ns1.ext2103.net")
        r = c.command(inner, extension=regd_verified("delete"))
        self.assertCode(r, 2103, REGD_NS)
        # regh:update belongs to update, not create
        r = c.command(inner, extension='<regh:update xmlns:regh="%s"><regh:admin/></regh:update>'
                      % REGH_NS)
        self.assertCode(r, 2103)
        inner, _ = host_info("ns1.ext2103.net")
        r = c.command(inner, extension='<regh:create xmlns:regh="%s"/>' % REGH_NS)
        self.assertCode(r, 2103)
        self.fails(c, host_info("ns1.ext2103.net"), 2303)

    def test_history_rows(self):
        """R40: every change is a version with who, when, channel and svTRID."""
        c = self.session()
        svtrids = [self.ok(c, host_create("ns1.hist.net")).svtrid]
        svtrids.append(self.ok(c, host_update("ns1.hist.net", admin="REG-H1:NSADMIN")).svtrid)
        self.fails(self.session("REG-H2"), host_update("ns1.hist.net", admin=""), 2201)
        svtrids.append(self.ok(c, host_update("ns1.hist.net", new_name="ns2.hist.net")).svtrid)
        svtrids.append(self.ok(c, host_delete("ns2.hist.net")).svtrid)
        rows = self.sql("SELECT h.action, h.object_key, h.actor, h.channel, h.svtrid, r.handle "
                        "FROM history h JOIN registrar r ON r.id = h.registrar_id WHERE "
                        "h.object_kind = 'host' AND h.object_key IN ('ns1.hist.net', "
                        "'ns2.hist.net') ORDER BY h.id")
        self.assertEqual(rows, [
            ["create", "ns1.hist.net", "REG-H1", "epp", svtrids[0], "REG-H1"],
            ["update", "ns1.hist.net", "REG-H1", "epp", svtrids[1], "REG-H1"],
            ["rename", "ns2.hist.net", "REG-H1", "epp", svtrids[2], "REG-H1"],
            ["delete", "ns2.hist.net", "REG-H1", "epp", svtrids[3], "REG-H1"],
        ])
        snap = self.sql("SELECT snapshot FROM history WHERE object_kind = 'host' AND "
                        "object_key = 'ns2.hist.net' AND action = 'rename'")[0][0]
        self.assertIn('"renamed_from":"ns1.hist.net"', snap)
        self.assertIn('"admin":"REG-H1:NSADMIN"', snap)

    def test_host_commands_need_login(self):
        c = EPPClient(self.d.host, self.d.port, recorder=self.recorder)
        self.addCleanup(c.close)
        inner, _ = host_check("ns1.example.net")
        self.assertCode(c.command(inner), 2002)


class SQLiteEPPHostTest(EPPHostBase, unittest.TestCase):
    backend = "sqlite"


class PgEPPHostTest(EPPHostBase, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
