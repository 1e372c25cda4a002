"""System tests of EPP contacts (RFC 5733, DESIGN §5, R1-R3, R13, R40) and
the contact extension (https://registryd.org/epp/contact-ext-1.0): the real
registryd on loopback, driven over TLS with tests/system/eppclient.py.

Every test runs on SQLite (SQLiteEPPContactTest) and on PostgreSQL
(PgEPPContactTest). Each class runs one daemon with [transfer] mode =
immediate (the default) and, for the pending-transfer test only, a second
one with mode = pending.

Every frame the server sends is recorded; at the end of each class all of
them are validated at once with `xmllint --schema $REG_SCHEMA_DIR/all.xsd`
(the Recorder of test_epp_session.py).

Run through ctest (tests/system/epp_tests.cmake), or directly with REGCTL,
REGISTRYD, REG_SCHEMA_DIR and (for PostgreSQL) REG_TEST_PG_URL_FILE set:
    python3 tests/system/test_epp_contact.py [-v] [SQLiteEPPContactTest[.test_name]]
"""

import os
import shutil
import sqlite3
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from daemon import Daemon, scratch_root  # noqa: E402
from eppclient import EPPClient, xml_escape  # noqa: E402
from harness import psql  # noqa: E402
from test_epp_session import OFFICIAL_SCHEMA, Recorder, stop_and_validate  # noqa: E402

CONTACT_NS = "urn:ietf:params:xml:ns:contact-1.0"
REGC_NS = "https://registryd.org/epp/contact-ext-1.0"
NS = {"epp": "urn:ietf:params:xml:ns:epp-1.0", "contact": CONTACT_NS, "regc": REGC_NS}
REDACTED = "REDACTED FOR PRIVACY"

REGISTRARS = {"REG-A": "a-Secret-1", "REG-B": "b-Secret-1", "REG-C": "c-Secret-1"}
AUTH = "2fooBAR-x9"


# --- contact XML builders (RFC 5733 §3) ------------------------------------------

def _c(verb, body, attrs=""):
    return ('<%s%s><contact:%s xmlns:contact="%s">%s</contact:%s></%s>'
            % (verb, attrs, verb, CONTACT_NS, body, verb, verb))


def _id(cid):
    return "<contact:id>%s</contact:id>" % xml_escape(cid)


def _authinfo(pw):
    if pw is None:
        return ""
    return "<contact:authInfo><contact:pw>%s</contact:pw></contact:authInfo>" % xml_escape(pw)


def postal(kind="loc", name="Jens Hansen", org=None, street=("Vestergade 1",), city="Aarhus C",
           pc="8000", cc="DK", addr=True):
    """<contact:postalInfo>; name/org/addr None or False leave the element out
    (as an update may)."""
    body = ""
    if name is not None:
        body += "<contact:name>%s</contact:name>" % xml_escape(name)
    if org is not None:
        body += "<contact:org>%s</contact:org>" % xml_escape(org)
    if addr:
        body += "<contact:addr>%s<contact:city>%s</contact:city>%s<contact:cc>%s</contact:cc>" \
                "</contact:addr>" % ("".join("<contact:street>%s</contact:street>" % xml_escape(s)
                                             for s in street),
                                     xml_escape(city),
                                     "<contact:pc>%s</contact:pc>" % pc if pc else "", cc)
    return '<contact:postalInfo type="%s">%s</contact:postalInfo>' % (kind, body)


def phone(tag, number, x=None):
    if number is None:
        return ""
    return "<contact:%s%s>%s</contact:%s>" % (tag, ' x="%s"' % x if x else "", number, tag)


def disclose(flag, *fields):
    """fields like "name:loc", "addr:int", "voice", "email"."""
    body = ""
    for f in fields:
        tag, _, typ = f.partition(":")
        body += '<contact:%s%s/>' % (tag, ' type="%s"' % typ if typ else "")
    return '<contact:disclose flag="%d">%s</contact:disclose>' % (flag, body)


def c_check(*ids):
    return _c("check", "".join(_id(i) for i in ids))


def c_info(cid, pw=None):
    return _c("info", _id(cid) + _authinfo(pw))


def c_create(cid, postals=None, voice="+45.12345678", voice_x=None, fax=None,
             email="jens@example.test", pw=AUTH, disclose_xml=""):
    postals = postals if postals is not None else [postal()]
    return _c("create", _id(cid) + "".join(postals) + phone("voice", voice, voice_x)
              + phone("fax", fax) + "<contact:email>%s</contact:email>" % xml_escape(email)
              + _authinfo(pw) + disclose_xml)


def c_update(cid, add=(), rem=(), chg=""):
    body = _id(cid)
    if add:
        body += "<contact:add>%s</contact:add>" % "".join(
            '<contact:status s="%s"/>' % s for s in add)
    if rem:
        body += "<contact:rem>%s</contact:rem>" % "".join(
            '<contact:status s="%s"/>' % s for s in rem)
    if chg:
        body += "<contact:chg>%s</contact:chg>" % chg
    return _c("update", body)


def c_delete(cid):
    return _c("delete", _id(cid))


def c_transfer(op, cid, pw=None):
    return _c("transfer", _id(cid) + _authinfo(pw), ' op="%s"' % op)


def regc(verb, type_=None, ident=None, mobile=None):
    """<regc:create>/<regc:update>; ident = (type, cc, value)."""
    body = ""
    if type_:
        body += "<regc:type>%s</regc:type>" % type_
    if ident:
        body += '<regc:ident type="%s" cc="%s">%s</regc:ident>' % ident
    if mobile is not None:
        body += "<regc:mobile>%s</regc:mobile>" % mobile
    return '<regc:%s xmlns:regc="%s">%s</regc:%s>' % (verb, REGC_NS, body, verb)


class EPPContactBase:
    backend = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="epp-contact-%s-" % cls.backend, dir=scratch_root())
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.recorder = Recorder(os.path.join(cls.tmp, "responses"))
        cls.pending_daemon = None
        cls.d = Daemon(cls.backend, name="epp-contact")
        cls.addClassCleanup(cls.d.cleanup)
        for handle, pw in REGISTRARS.items():
            cls.d.add_registrar(handle, pw)
        cls.d.start()

    @classmethod
    def tearDownClass(cls):
        stop_and_validate(cls.__name__, (cls.d, cls.pending_daemon), cls.recorder)

    # --- helpers -----------------------------------------------------------

    def session(self, clid="REG-A", daemon=None):
        d = daemon or self.d
        c = EPPClient(d.host, d.port, recorder=self.recorder)
        self.addCleanup(c.close)
        r = c.login(clid, d.registrars[clid], ext_uris=[REGC_NS])
        self.assertCode(r, 1000)
        return c

    def assertCode(self, r, code, reason_has=None):
        self.assertEqual(r.code, code, "expected %d, got:\n%s" % (code, r.raw))
        if code >= 2000:
            self.assertTrue(r.reason, "no reason in:\n%s" % r.raw)
        if reason_has:
            self.assertIn(reason_has, r.reason or "")

    def create(self, c, cid, extension="", **kw):
        r = c.command(c_create(cid, **kw), extension=extension)
        self.assertCode(r, 1000)
        return r.findtext("epp:response/epp:resData/contact:creData/contact:id")

    def sql(self, statement, daemon=None):
        """Runs SQL on the daemon's database; returns rows as lists of strings."""
        d = daemon or self.d
        if d.backend == "pgsql":
            out = psql(d.url, statement)
            return [line.split("|") for line in out.splitlines() if line]
        con = sqlite3.connect(d.url[len("sqlite:"):], timeout=30)
        try:
            rows = [[str(v) for v in row] for row in con.execute(statement).fetchall()]
            con.commit()
            return rows
        finally:
            con.close()

    def inf(self, r, path):
        return r.findtext("epp:response/epp:resData/contact:infData/" + path)

    def statuses(self, r):
        return sorted(e.get("s") for e in r.root.findall(
            "epp:response/epp:resData/contact:infData/contact:status", NS))

    # --- check ----------------------------------------------------------------

    def test_check_at_most_100_ids_2306(self):
        c = self.session()
        ids = ["chk-many%d" % i for i in range(101)]
        r = c.command(c_check(*ids))
        self.assertCode(r, 2306)
        self.assertIn("at most 100", r.reason)
        r = c.command(c_check(*ids[:100]))
        self.assertCode(r, 1000)
        self.assertEqual(len(r.root.findall(".//contact:cd", NS)), 100)

    def test_check(self):
        c = self.session()
        self.create(c, "chk-used")
        r = c.command(c_check("chk-used", "REG-A:CHK-USED", "chk-free", "bad_id"))
        self.assertCode(r, 1000)
        cds = r.root.findall("epp:response/epp:resData/contact:chkData/contact:cd", NS)
        got = [(cd.find("contact:id", NS).text, cd.find("contact:id", NS).get("avail"),
                cd.findtext("contact:reason", namespaces=NS)) for cd in cds]
        self.assertEqual(got[0], ("chk-used", "0", "in use"))
        self.assertEqual(got[1], ("REG-A:CHK-USED", "0", "in use"))
        self.assertEqual(got[2], ("chk-free", "1", None))
        self.assertEqual(got[3], ("bad_id", "0", "only A-Z, 0-9, : and - allowed"))
        # another registrar's create of "chk-used" would be REG-B:CHK-USED
        b = self.session("REG-B")
        r = b.command(c_check("chk-used"))
        self.assertEqual(r.find("epp:response/epp:resData/contact:chkData/contact:cd/"
                                "contact:id").get("avail"), "1")

    # --- create ---------------------------------------------------------------

    def test_create_R1_prefix_and_uppercase(self):
        c = self.session()
        r = c.command(c_create("sh8013"))
        self.assertCode(r, 1000)
        self.assertEqual(r.findtext("epp:response/epp:resData/contact:creData/contact:id"),
                         "REG-A:SH8013")
        self.assertTrue(r.findtext("epp:response/epp:resData/contact:creData/contact:crDate"))
        # already prefixed with the registrar: kept (upper-cased)
        self.assertEqual(self.create(c, "reg-a:Mixed-Case"), "REG-A:MIXED-CASE")

    def test_create_R2_generated_id(self):
        c = self.session("REG-B")
        ids = {self.create(c, "auto") for _ in range(3)}
        self.assertEqual(len(ids), 3)
        for cid in ids:
            self.assertRegex(cid, r"^REG-B:[0-9A-F]{8}$")
            self.assertCode(c.command(c_info(cid)), 1000)

    def test_create_R3_bad_id_2005(self):
        c = self.session()
        for bad in ("bad_id", "with space", "bl\u00e5b\u00e6r", "x!y"):
            r = c.command(c_create(bad))
            self.assertCode(r, 2005, "is not allowed")
        # 100 characters with the prefix is the limit
        self.assertCode(c.command(c_create("x" * 95)), 2005, "would exceed 100 characters")
        self.assertEqual(self.create(c, "y" * 94), "REG-A:" + "Y" * 94)

    def test_create_exists_2302(self):
        c = self.session()
        self.create(c, "dup1")
        self.assertCode(c.command(c_create("DUP1")), 2302, "REG-A:DUP1")
        self.assertCode(c.command(c_create("reg-a:dup1")), 2302)

    def test_create_bad_values_2005(self):
        c = self.session()
        self.assertCode(c.command(c_create("bv1", email="no-at-sign")), 2005, "no-at-sign")
        self.assertCode(c.command(c_create("bv2", postals=[postal("int", name="J\u00f8rgen")])),
                        2005, "ASCII")
        self.assertCode(c.command(c_create("bv3", postals=[postal(), postal()])), 2005, "twice")
        ext = regc("create", "person", ("birthday", "DK", "29.02.1980"))
        self.assertCode(c.command(c_create("bv4"), extension=ext), 2005, "YYYY-MM-DD")
        # schema-invalid (cc not two upper-case letters in the extension): 2001
        ext = regc("create", "person", ("priv", "dk", "0102031234"))
        self.assertCode(c.command(c_create("bv5"), extension=ext), 2001)
        self.assertCode(c.command(c_info("bv1")), 2303)

    def test_create_text_that_deceives_2005_item8(self):
        """Issue 12 item 8: postal text under PRECIS FreeformClass, refused
        with 2005 naming the field and the code point; nothing is stored."""
        c = self.session()
        r = c.command(c_create("deceive1", postals=[postal(name="Jens \u202eHansen")]))
        self.assertCode(r, 2005, "postalInfo loc name: U+202E (RIGHT-TO-LEFT OVERRIDE) is not "
                                 "allowed in text")
        self.assertCode(c.command(c_create("deceive2", postals=[postal(org="Pay\u200bpal")])),
                        2005, "postalInfo loc org: U+200B (ZERO WIDTH SPACE)")
        self.assertCode(c.command(c_create("deceive3", postals=[postal(city="Aarhus\u0085C")])),
                        2005, "postalInfo loc city: U+0085")
        self.assertCode(c.command(c_create("deceive4", postals=[postal(name="Ja\u030ane")])),
                        2005, "Normalization Form C (NFC) at U+030A")
        for cid in ("deceive1", "deceive2", "deceive3", "deceive4"):
            self.assertCode(c.command(c_info(cid)), 2303)
        # right-to-left text and Persian's ZWNJ are text: stored and shown as sent
        for cid, name in (("rtl-ok", "\u05d3\u05d5\u05d3 \u05db\u05d4\u05df"),
                          ("zwnj-ok", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645")):
            cid = self.create(c, cid, postals=[postal(name=name)])
            r = c.command(c_info(cid))
            self.assertEqual(self.inf(r, "contact:postalInfo[@type='loc']/contact:name"), name)

    # --- info -----------------------------------------------------------------

    def test_info_sponsor_sees_all(self):
        c = self.session()
        ext = regc("create", "person", ("birthday", "DK", "1980-02-29"), "+45.87654321")
        cid = self.create(c, "inf-all", extension=ext,
                          postals=[postal("int", org="Hansen ApS"),
                                   postal("loc", name="Jens Hånsen")],
                          voice_x="12", fax="+45.11112222",
                          disclose_xml=disclose(1, "voice", "email"))
        r = c.command(c_info(cid.lower()))  # lookups are case-insensitive
        self.assertCode(r, 1000)
        self.assertEqual(self.inf(r, "contact:id"), "REG-A:INF-ALL")
        self.assertRegex(self.inf(r, "contact:roid"), r"^C\d+-DK$")
        self.assertEqual(self.statuses(r), ["ok"])
        self.assertEqual(self.inf(r, "contact:postalInfo[@type='int']/contact:org"), "Hansen ApS")
        self.assertEqual(self.inf(r, "contact:postalInfo[@type='loc']/contact:name"),
                         "Jens Hånsen")
        self.assertEqual(self.inf(r, "contact:voice"), "+45.12345678")
        self.assertEqual(r.find("epp:response/epp:resData/contact:infData/contact:voice")
                         .get("x"), "12")
        self.assertEqual(self.inf(r, "contact:fax"), "+45.11112222")
        self.assertEqual(self.inf(r, "contact:email"), "jens@example.test")
        for tag in ("clID", "crID"):
            self.assertEqual(self.inf(r, "contact:" + tag), "REG-A")
        self.assertTrue(self.inf(r, "contact:crDate"))
        self.assertIsNone(self.inf(r, "contact:upDate"))
        # RFC 9154: that the auth info is set, never its value
        pw = r.find("epp:response/epp:resData/contact:infData/contact:authInfo/contact:pw")
        self.assertIsNotNone(pw)
        self.assertFalse(pw.text)
        self.assertNotIn(AUTH, r.raw)
        dis = r.find("epp:response/epp:resData/contact:infData/contact:disclose")
        self.assertEqual(dis.get("flag"), "1")
        self.assertEqual(sorted(e.tag.split("}")[1] for e in dis), ["email", "voice"])
        x = "epp:response/epp:extension/regc:infData/"
        self.assertEqual(r.root.findtext(x + "regc:type", namespaces=NS), "person")
        ident = r.root.find(x + "regc:ident", NS)
        self.assertEqual((ident.get("type"), ident.get("cc"), ident.text),
                         ("birthday", "DK", "1980-02-29"))
        self.assertEqual(r.root.findtext(x + "regc:mobile", namespaces=NS), "+45.87654321")
        self.assertEqual(r.root.find(x + "regc:idCheck", NS).get("state"), "none")

    def test_info_other_registrar_sees_only_disclosed(self):
        a = self.session()
        ext = regc("create", "person", ("priv", "DK", "0102031234"), "+45.87654321")
        cid = self.create(a, "inf-priv", extension=ext, fax="+45.11112222",
                          disclose_xml=disclose(1, "email"))
        b = self.session("REG-B")
        r = b.command(c_info(cid))
        self.assertCode(r, 1000)
        self.assertEqual(self.inf(r, "contact:id"), cid)
        self.assertEqual(self.inf(r, "contact:clID"), "REG-A")
        self.assertEqual(self.statuses(r), ["ok"])
        p = "contact:postalInfo[@type='loc']/"
        self.assertEqual(self.inf(r, p + "contact:name"), REDACTED)
        self.assertEqual(self.inf(r, p + "contact:addr/contact:city"), REDACTED)
        self.assertIsNone(self.inf(r, p + "contact:addr/contact:street"))
        self.assertEqual(self.inf(r, p + "contact:addr/contact:cc"), "DK")
        self.assertEqual(self.inf(r, "contact:email"), "jens@example.test")  # disclosed
        self.assertIsNone(self.inf(r, "contact:voice"))
        self.assertIsNone(self.inf(r, "contact:fax"))
        self.assertIsNone(self.inf(r, "contact:authInfo"))
        self.assertIsNone(self.inf(r, "contact:disclose"))
        for secret in ("Jens Hansen", "Vestergade", "+45.12345678", "0102031234", "+45.87654321"):
            self.assertNotIn(secret, r.raw)
        x = "epp:response/epp:extension/regc:infData/"
        self.assertEqual(r.root.findtext(x + "regc:type", namespaces=NS), "person")
        self.assertIsNone(r.root.find(x + "regc:idCheck", NS))
        # an organization shows its name and address
        ext = regc("create", "organization", ("org", "DK", "12345678"))
        oid = self.create(a, "inf-org", extension=ext,
                          postals=[postal("int", name="Example A/S", org="Example A/S")])
        r = b.command(c_info(oid))
        self.assertEqual(self.inf(r, "contact:postalInfo/contact:name"), "Example A/S")
        self.assertEqual(self.inf(r, "contact:postalInfo/contact:addr/contact:city"), "Aarhus C")
        self.assertEqual(self.inf(r, "contact:email"), REDACTED)

    def test_info_with_authinfo_and_2202(self):
        a = self.session()
        cid = self.create(a, "inf-auth")
        b = self.session("REG-B")
        r = b.command(c_info(cid, pw=AUTH))
        self.assertCode(r, 1000)
        self.assertEqual(self.inf(r, "contact:postalInfo/contact:name"), "Jens Hansen")
        self.assertEqual(self.inf(r, "contact:voice"), "+45.12345678")
        self.assertCode(b.command(c_info(cid, pw="wrong-one")), 2202)

    def test_info_2303(self):
        c = self.session()
        self.assertCode(c.command(c_info("REG-A:NO-SUCH")), 2303, "REG-A:NO-SUCH")
        # lookups never add the registrar prefix
        self.create(c, "inf-nopfx")
        self.assertCode(c.command(c_info("inf-nopfx")), 2303)
        self.assertCode(c.command(c_info("bad_id")), 2005, "is not allowed")

    # --- update ---------------------------------------------------------------

    def test_update_changes(self):
        c = self.session()
        ext = regc("create", "person", mobile="+45.87654321")
        cid = self.create(c, "upd-1", extension=ext)
        chg = (postal("loc", name="Jens P. Hansen", addr=False) + phone("voice", "")
               + "<contact:email>new@example.test</contact:email>"
               + _authinfo("new-Auth-7") + disclose(1, "name:loc"))
        r = c.command(c_update(cid, chg=chg), extension=regc("update", mobile=""))
        self.assertCode(r, 1000)
        r = c.command(c_info(cid))
        self.assertEqual(self.inf(r, "contact:postalInfo/contact:name"), "Jens P. Hansen")
        self.assertEqual(self.inf(r, "contact:postalInfo/contact:addr/contact:city"), "Aarhus C")
        self.assertIsNone(self.inf(r, "contact:voice"))
        self.assertEqual(self.inf(r, "contact:email"), "new@example.test")
        self.assertEqual(self.inf(r, "contact:upID"), "REG-A")
        self.assertTrue(self.inf(r, "contact:upDate"))
        self.assertIsNone(r.root.find("epp:response/epp:extension/regc:infData/regc:mobile", NS))
        b = self.session("REG-B")
        self.assertCode(b.command(c_info(cid, pw=AUTH)), 2202)
        r = b.command(c_info(cid, pw="new-Auth-7"))
        self.assertCode(r, 1000)
        r = b.command(c_info(cid))  # loc name is now disclosed
        self.assertEqual(self.inf(r, "contact:postalInfo/contact:name"), "Jens P. Hansen")

    def test_update_not_sponsor_2201(self):
        a = self.session()
        cid = self.create(a, "upd-auth")
        b = self.session("REG-B")
        r = b.command(c_update(cid, chg="<contact:email>x@example.test</contact:email>"))
        self.assertCode(r, 2201, "REG-A")

    def test_update_new_postalinfo_without_addr_2003(self):
        c = self.session()
        cid = self.create(c, "upd-miss")
        r = c.command(c_update(cid, chg=postal("int", name="Jens Hansen", addr=False)))
        self.assertCode(r, 2003, "addr")
        r = c.command(c_update(cid, chg=postal("int", name="Jens Hansen")))
        self.assertCode(r, 1000)

    def test_update_status_2304_and_unlock(self):
        c = self.session()
        cid = self.create(c, "upd-lock")
        self.assertCode(c.command(c_update(cid, add=["clientUpdateProhibited"])), 1000)
        self.assertEqual(self.statuses(c.command(c_info(cid))), ["clientUpdateProhibited"])
        email = "<contact:email>x@example.test</contact:email>"
        self.assertCode(c.command(c_update(cid, chg=email)), 2304, "clientUpdateProhibited")
        self.assertCode(c.command(c_update(cid, rem=["clientUpdateProhibited"], chg=email)), 2304)
        self.assertCode(c.command(c_update(cid, rem=["clientUpdateProhibited"])), 1000)
        self.assertCode(c.command(c_update(cid, chg=email)), 1000)

    def test_update_server_status_2306(self):
        c = self.session()
        cid = self.create(c, "upd-srv")
        r = c.command(c_update(cid, add=["serverDeleteProhibited"]))
        self.assertCode(r, 2306, "serverDeleteProhibited")
        self.assertCode(c.command(c_update(cid, rem=["clientDeleteProhibited"])), 2306)

    # --- delete ---------------------------------------------------------------

    def test_delete(self):
        a = self.session()
        cid = self.create(a, "del-1")
        b = self.session("REG-B")
        self.assertCode(b.command(c_delete(cid)), 2201)
        self.assertCode(a.command(c_update(cid, add=["clientDeleteProhibited"])), 1000)
        self.assertCode(a.command(c_delete(cid)), 2304, "clientDeleteProhibited")
        self.assertCode(a.command(c_update(cid, rem=["clientDeleteProhibited"])), 1000)
        self.assertCode(a.command(c_delete(cid)), 1000)
        self.assertCode(a.command(c_info(cid)), 2303)
        self.assertCode(a.command(c_delete(cid)), 2303)

    def test_delete_linked_2305(self):
        a = self.session()
        cid = self.create(a, "del-linked")
        # until domains are served over EPP, link it in the database
        rid = self.sql("SELECT id, sponsor_id FROM contact WHERE handle = '%s'" % cid)[0]
        self.sql("INSERT INTO domain (name, uname, sponsor_id, creator_id, registrant_id, "
                 "created_at, expires_at) VALUES ('linked-%s.dk', 'linked-%s.dk', %s, %s, %s, "
                 "1798761600, 1830297600)" % (self.backend, self.backend, rid[1], rid[1], rid[0]))
        r = a.command(c_info(cid))
        self.assertEqual(self.statuses(r), ["linked", "ok"])
        self.assertCode(a.command(c_delete(cid)), 2305, "linked")
        self.assertCode(a.command(c_info(cid)), 1000)

    # --- transfer ---------------------------------------------------------------

    def test_transfer_immediate(self):
        a = self.session()
        cid = self.create(a, "xfer-1")
        b = self.session("REG-B")
        self.assertCode(b.command(c_transfer("request", cid)), 2202)
        self.assertCode(b.command(c_transfer("request", cid, pw="wrong-pw")), 2202)
        self.assertCode(a.command(c_transfer("request", cid, pw=AUTH)), 2106)
        self.assertCode(b.command(c_transfer("query", cid)), 2301)
        self.assertCode(b.command(c_transfer("request", "REG-A:XFER-NONE", pw=AUTH)), 2303)
        r = b.command(c_transfer("request", cid, pw=AUTH))
        self.assertCode(r, 1000)
        t = "epp:response/epp:resData/contact:trnData/"
        self.assertEqual(r.findtext(t + "contact:id"), cid)
        self.assertEqual(r.findtext(t + "contact:trStatus"), "serverApproved")
        self.assertEqual(r.findtext(t + "contact:reID"), "REG-B")
        self.assertEqual(r.findtext(t + "contact:acID"), "REG-A")
        r = b.command(c_info(cid))
        self.assertEqual(self.inf(r, "contact:clID"), "REG-B")
        self.assertEqual(self.inf(r, "contact:crID"), "REG-A")
        self.assertTrue(self.inf(r, "contact:trDate"))
        self.assertIsNone(self.inf(r, "contact:authInfo"))  # unset by the transfer
        # the loser was told, and may still query
        r = a.command(c_transfer("query", cid))
        self.assertCode(r, 1000)
        self.assertEqual(r.findtext(t + "contact:trStatus"), "serverApproved")
        msgs = []
        while True:
            r = a.poll_req()
            if r.code != 1301:
                break
            msgs.append(r.findtext("epp:response/epp:msgQ/epp:msg"))
            self.assertCode(a.poll_ack(r.msgq.get("id")), 1000)
        self.assertIn("Contact %s transferred to REG-B" % cid, msgs)
        c = self.session("REG-C")
        self.assertCode(c.command(c_transfer("query", cid)), 2201)
        self.assertCode(a.command(c_update(cid, chg="<contact:email>a@b.dk</contact:email>")),
                        2201)

    def test_transfer_pending(self):
        cls = type(self)
        if cls.pending_daemon is None:
            d = Daemon(self.backend, name="epp-contact-pending",
                       settings={"transfer.mode": "pending"})
            cls.addClassCleanup(d.cleanup)
            for handle, pw in REGISTRARS.items():
                d.add_registrar(handle, pw)
            d.start()
            cls.pending_daemon = d
        d = cls.pending_daemon
        a, b = self.session("REG-A", d), self.session("REG-B", d)
        cid = self.create(a, "xfer-p")
        t = "epp:response/epp:resData/contact:trnData/contact:trStatus"
        r = b.command(c_transfer("request", cid, pw=AUTH))
        self.assertCode(r, 1001)
        self.assertEqual(r.findtext(t), "pending")
        self.assertIn("pendingTransfer", self.statuses(a.command(c_info(cid))))
        self.assertCode(b.command(c_transfer("request", cid, pw=AUTH)), 2300)
        self.assertCode(a.command(c_update(cid, chg="<contact:email>a@b.dk</contact:email>")),
                        2304)
        self.assertCode(b.command(c_transfer("approve", cid)), 2201)
        self.assertCode(a.command(c_transfer("cancel", cid)), 2201)
        r = a.command(c_transfer("reject", cid))
        self.assertCode(r, 1000)
        self.assertEqual(r.findtext(t), "clientRejected")
        self.assertCode(a.command(c_transfer("reject", cid)), 2301)
        self.assertCode(b.command(c_transfer("request", cid, pw=AUTH)), 1001)
        r = b.command(c_transfer("cancel", cid))
        self.assertEqual(r.findtext(t), "clientCancelled")
        self.assertCode(b.command(c_transfer("request", cid, pw=AUTH)), 1001)
        r = b.command(c_transfer("query", cid))
        self.assertEqual(r.findtext(t), "pending")
        r = a.command(c_transfer("approve", cid))
        self.assertCode(r, 1000)
        self.assertEqual(r.findtext(t), "clientApproved")
        r = b.command(c_info(cid))
        self.assertEqual(self.inf(r, "contact:clID"), "REG-B")
        self.assertEqual(self.statuses(r), ["ok"])
        r = a.poll_req()
        self.assertCode(r, 1301)

    # --- history (R40) ---------------------------------------------------------

    def test_history_R40(self):
        c = self.session()
        cid = self.create(c, "hist-1")
        r = c.command(c_update(cid, add=["clientTransferProhibited"]))
        svtrid = r.svtrid
        self.assertCode(c.command(c_delete(cid)), 1000)  # only delete prohibitions block it
        rows = self.sql("SELECT action, actor, channel, svtrid FROM history WHERE "
                        "object_key = '%s' ORDER BY id" % cid)
        self.assertEqual([row[0] for row in rows], ["create", "update", "delete"])
        for row in rows:
            self.assertEqual(row[1:3], ["REG-A", "epp"])
        self.assertEqual(rows[1][3], svtrid)


class PlainIdsBase:
    """[contact] id_prefix = none (issue 11, defect 7): contact ids are the
    client's own, 3-16 characters, in one id space, and every reply
    validates against the official, unmodified IETF schemas (all.xsd)."""
    backend = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="epp-plain-%s-" % cls.backend, dir=scratch_root())
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.recorder = Recorder(os.path.join(cls.tmp, "responses"), schema=OFFICIAL_SCHEMA)
        cls.d = Daemon(cls.backend, name="epp-plain", settings={"contact.id_prefix": "none"})
        cls.addClassCleanup(cls.d.cleanup)
        for handle, pw in REGISTRARS.items():
            cls.d.add_registrar(handle, pw)
        cls.d.start()

    @classmethod
    def tearDownClass(cls):
        stop_and_validate(cls.__name__, (cls.d,), cls.recorder)

    def session(self, clid):
        c = EPPClient(self.d.host, self.d.port, recorder=self.recorder)
        self.addCleanup(c.close)
        self.assertEqual(c.login(clid, REGISTRARS[clid]).code, 1000)
        return c

    def test_ids_are_the_clients_own_within_rfc5730_limits(self):
        a = self.session("REG-A")
        r = a.command(c_create("sh8013"))
        self.assertEqual(r.code, 1000, r.raw)
        self.assertEqual(r.findtext("epp:response/epp:resData/contact:creData/contact:id"),
                         "SH8013")
        r = a.command(c_info("sh8013"))
        self.assertEqual(r.code, 1000, r.raw)
        self.assertEqual(r.findtext("epp:response/epp:resData/contact:infData/contact:id"),
                         "SH8013")
        # one id space: another registrar cannot have the same id
        b = self.session("REG-B")
        r = b.command(c_check("sh8013", "sh8014"))
        avail = [cd.find("contact:id", NS).get("avail")
                 for cd in r.root.iter("{%s}cd" % CONTACT_NS)]
        self.assertEqual(avail, ["0", "1"], r.raw)
        self.assertEqual(b.command(c_create("SH8013")).code, 2302)
        # RFC 5730 clIDType: 3 to 16 characters (the schema refuses others)
        self.assertEqual(a.command(c_create("x" * 17)).code, 2001)
        self.assertEqual(a.command(c_create("ab")).code, 2001)
        r = a.command(c_create("P" * 16))
        self.assertEqual(r.code, 1000, r.raw)
        # an id asked for as "auto" is a short generated one
        r = a.command(c_create("auto"))
        self.assertEqual(r.code, 1000, r.raw)
        cid = r.findtext("epp:response/epp:resData/contact:creData/contact:id")
        self.assertRegex(cid, r"^C[0-9A-F]{8}$")


class SQLitePlainIdsTest(PlainIdsBase, unittest.TestCase):
    backend = "sqlite"


class PgPlainIdsTest(PlainIdsBase, unittest.TestCase):
    backend = "pgsql"


class SQLiteEPPContactTest(EPPContactBase, unittest.TestCase):
    backend = "sqlite"


class PgEPPContactTest(EPPContactBase, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
