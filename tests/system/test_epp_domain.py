"""System tests of domains over EPP (DESIGN §4-6, §8): RFC 5731 check, info,
create, update, delete, renew and transfer, with RFC 5910 secDNS dsData,
RFC 3915 redemption and restore, RFC 9154 auth info (R13, R14), the
management model (R18) and history (R40). The real registryd on loopback,
driven over TLS with tests/system/eppclient.py.

Every test runs on SQLite (SQLiteEPPDomainTest) and on PostgreSQL
(PgEPPDomainTest). Each class runs up to three daemons:
  main     [tld] reserved = nic,whois; transfers immediate; 30 days of
           redemption after a delete (the defaults)
  pending  [transfer] mode = pending (started by the first test needing it)
  instant  [lifecycle] redemption_period = 0s: deletes are immediate
Registrars REG-A, REG-B and REG-C exist on each.

Contacts and hosts are made by make_contact() / make_host() over EPP;
REG_TEST_OBJECTS_OVER_EPP=0 makes them insert rows straight into the
daemon's database instead (to test domains without the other services).

Every frame the server sends is written to a file; at the end of each class
all of them are validated at once with
`xmllint --noout --nonet --schema $REG_SCHEMA_DIR/all.xsd`.

Run through ctest (tests/system/epp_tests.cmake), or directly with REGCTL,
REGISTRYD, REG_SCHEMA_DIR and (for PostgreSQL) REG_TEST_PG_URL_FILE set:
    python3 tests/system/test_epp_domain.py [-v] [SQLiteEPPDomainTest[.test_name]]
"""

import calendar
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import unittest
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from daemon import Daemon, scratch_root  # noqa: E402
from eppclient import (REGD_NS, EPPClient, is_domain_create, regd_create,  # noqa: E402
                       regd_verified, with_terms, xml_escape)
from harness import q, sql  # noqa: E402
from test_epp_contact import (REGC_NS, c_create, c_info, c_update, disclose,  # noqa: E402
                              postal, regc)
from test_epp_session import Recorder, stop_and_validate  # noqa: E402

OBJECTS_OVER_EPP = os.environ.get("REG_TEST_OBJECTS_OVER_EPP", "1") == "1"

SCHEMA_DIR = os.environ.get("REG_SCHEMA_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "schema")

DOMAIN_NS = "urn:ietf:params:xml:ns:domain-1.0"
CONTACT_NS = "urn:ietf:params:xml:ns:contact-1.0"
HOST_NS = "urn:ietf:params:xml:ns:host-1.0"
SECDNS_NS = "urn:ietf:params:xml:ns:secDNS-1.1"
RGP_NS = "urn:ietf:params:xml:ns:rgp-1.0"
EXT_URIS = [SECDNS_NS, RGP_NS, REGD_NS, REGC_NS]
NS = {"epp": "urn:ietf:params:xml:ns:epp-1.0", "domain": DOMAIN_NS, "secDNS": SECDNS_NS,
      "rgp": RGP_NS, "regd": REGD_NS, "contact": CONTACT_NS, "regc": REGC_NS}

A, B, C = "REG-A", "REG-B", "REG-C"
REGISTRARS = {A: "a-Secret-1", B: "b-Secret-1", C: "c-Secret-1"}

# name servers every daemon has (external hosts, sponsored by REG-A)
NS1, NS2, NS3 = "ns1.example.net", "ns2.example.net", "ns3.example.org"

# eppcom:reasonBaseType (RFC 5730 §4.2): a reason is 1-32 characters
REASON_MAX = 32

# blåbærgrød.dk and its A-label
IDN_U, IDN_A = "bl\u00e5b\u00e6rgr\u00f8d.dk", "xn--blbrgrd-fxak7p.dk"


def holder(registrar):
    return registrar + ":HOLDER"


def admin(registrar):
    return registrar + ":ADMIN"


def tech(registrar):
    return registrar + ":TECH"


# --- XML builders (RFC 5731 commands, RFC 5910 / RFC 3915 extensions) ------

def _x(s):
    return xml_escape(str(s))


def _d(verb, body, attrs=""):
    return '<%s><domain:%s xmlns:domain="%s"%s>%s</domain:%s></%s>' % (
        verb, verb, DOMAIN_NS, attrs, body, verb, verb)


def _name(name):
    return "<domain:name>%s</domain:name>" % _x(name)


def _period(period, unit="y"):
    if period is None:
        return ""
    return '<domain:period unit="%s">%s</domain:period>' % (unit, period)


def _auth(pw, empty=False):
    """pw None: no element (or, with empty=True, an empty <domain:pw/>, which
    RFC 9154 §4.1 uses for "no auth info" where the element is required)."""
    if pw is None:
        return "<domain:authInfo><domain:pw/></domain:authInfo>" if empty else ""
    if pw is NULL_AUTH:
        return "<domain:authInfo><domain:null/></domain:authInfo>"
    return "<domain:authInfo><domain:pw>%s</domain:pw></domain:authInfo>" % _x(pw)


NULL_AUTH = object()  # <domain:authInfo><domain:null/></domain:authInfo>


def _ns(ns=(), host_attr=()):
    if not ns and not host_attr:
        return ""
    inner = "".join("<domain:hostObj>%s</domain:hostObj>" % _x(h) for h in ns)
    inner += "".join("<domain:hostAttr><domain:hostName>%s</domain:hostName></domain:hostAttr>"
                     % _x(h) for h in host_attr)
    return "<domain:ns>%s</domain:ns>" % inner


def _contacts(contacts):
    return "".join('<domain:contact type="%s">%s</domain:contact>' % (t, _x(h))
                   for t, h in contacts)


def check_xml(*names):
    return _d("check", "".join(_name(n) for n in names))


def info_xml(name, hosts=None, pw=None):
    attrs = ' hosts="%s"' % hosts if hosts else ""
    return _d("info", '<domain:name%s>%s</domain:name>%s' % (attrs, _x(name), _auth(pw)))


def create_xml(name, registrant="", period=None, unit="y", ns=(), host_attr=(), contacts=(),
               pw=None):
    """registrant="" leaves <domain:registrant> out; pw=None sends an empty
    <domain:pw/> (authInfo is required in a create)."""
    reg = "<domain:registrant>%s</domain:registrant>" % _x(registrant) if registrant else ""
    return _d("create", _name(name) + _period(period, unit) + _ns(ns, host_attr) + reg
              + _contacts(contacts) + _auth(pw, empty=True))


def _add_rem(tag, part):
    if not part:
        return ""
    inner = _ns(part.get("ns", ())) + _contacts(part.get("contacts", ()))
    for s in part.get("statuses", ()):
        if isinstance(s, tuple):
            inner += '<domain:status s="%s" lang="en">%s</domain:status>' % (s[0], _x(s[1]))
        else:
            inner += '<domain:status s="%s"/>' % s
    return "<domain:%s>%s</domain:%s>" % (tag, inner, tag)


def update_xml(name, add=None, rem=None, registrant=None, pw=None, chg=False):
    """add / rem: {"ns": [...], "contacts": [(type, id)], "statuses": [s or (s, msg)]};
    registrant / pw (or NULL_AUTH) go in <chg>; chg=True sends an empty <chg/>."""
    body = _name(name) + _add_rem("add", add) + _add_rem("rem", rem)
    if registrant is not None or pw is not None:
        reg = "<domain:registrant>%s</domain:registrant>" % _x(registrant) if registrant else ""
        body += "<domain:chg>%s%s</domain:chg>" % (reg, _auth(pw))
    elif chg:
        body += "<domain:chg/>"
    return _d("update", body)


def delete_xml(name):
    return _d("delete", _name(name))


def renew_xml(name, cur_exp_date, period=None, unit="y"):
    return _d("renew", _name(name) + "<domain:curExpDate>%s</domain:curExpDate>" % cur_exp_date
              + _period(period, unit))


def transfer_xml(op, name, pw=None, period=None, unit="y"):
    return '<transfer op="%s"><domain:transfer xmlns:domain="%s">%s%s%s</domain:transfer>' \
           '</transfer>' % (op, DOMAIN_NS, _name(name), _period(period, unit), _auth(pw))


def ds(key_tag=12345, alg=13, digest_type=2, digest=None, seed="k"):
    """A DS record (RFC 5910 dsData) as a tuple; a SHA-256 digest by default."""
    if digest is None:
        h = hashlib.sha512(seed.encode()).hexdigest()
        digest = h[:{1: 40, 2: 64, 4: 96}.get(digest_type, 64)]
    return (key_tag, alg, digest_type, digest)


def _ds_xml(records):
    return "".join("<secDNS:dsData><secDNS:keyTag>%d</secDNS:keyTag><secDNS:alg>%d</secDNS:alg>"
                   "<secDNS:digestType>%d</secDNS:digestType><secDNS:digest>%s</secDNS:digest>"
                   "</secDNS:dsData>" % r for r in records)


KEY_DATA = ("<secDNS:keyData><secDNS:flags>257</secDNS:flags><secDNS:protocol>3</secDNS:protocol>"
            "<secDNS:alg>13</secDNS:alg><secDNS:pubKey>mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+G"
            "qJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==</secDNS:pubKey></secDNS:keyData>")


def secdns_create(records=(), key_data=False):
    return '<secDNS:create xmlns:secDNS="%s">%s</secDNS:create>' % (
        SECDNS_NS, KEY_DATA if key_data else _ds_xml(records))


def secdns_update(rem=(), rem_all=False, add=()):
    body = ""
    if rem_all:  # True, or "false" for the element with that value
        body += "<secDNS:rem><secDNS:all>%s</secDNS:all></secDNS:rem>" % (
            "true" if rem_all is True else rem_all)
    elif rem:
        body += "<secDNS:rem>%s</secDNS:rem>" % _ds_xml(rem)
    if add:
        body += "<secDNS:add>%s</secDNS:add>" % _ds_xml(add)
    return '<secDNS:update xmlns:secDNS="%s">%s</secDNS:update>' % (SECDNS_NS, body)


def rgp_restore(op="request"):
    return '<rgp:update xmlns:rgp="%s"><rgp:restore op="%s"/></rgp:update>' % (RGP_NS, op)


# --- reading responses --------------------------------------------------------

def parse_time(text):
    return datetime.strptime(text[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)


def add_years(t, years):
    """t + years (29 February → 28 February), like clock_add_months."""
    y = t.year + years
    return t.replace(year=y, day=min(t.day, calendar.monthrange(y, t.month)[1]))


def rfind(r, path):
    return r.root.find(path, NS)


def rtext(r, path):
    return r.root.findtext(path, namespaces=NS)


def statuses(r):
    return {e.get("s") for e in r.root.iter("{%s}status" % DOMAIN_NS)}


def ns_of(r):
    return [e.text for e in r.root.iter("{%s}hostObj" % DOMAIN_NS)]


def hosts_of(r):
    return [e.text for e in r.root.iter("{%s}host" % DOMAIN_NS)]


def contacts_of(r):
    return {(e.get("type"), e.text) for e in r.root.iter("{%s}contact" % DOMAIN_NS)}


def ds_of(r):
    return [(int(e.findtext("secDNS:keyTag", namespaces=NS)),
             int(e.findtext("secDNS:alg", namespaces=NS)),
             int(e.findtext("secDNS:digestType", namespaces=NS)),
             e.findtext("secDNS:digest", namespaces=NS))
            for e in r.root.iter("{%s}dsData" % SECDNS_NS)]


def chk(r):
    """domain:chkData → [(name, avail, reason)] in order."""
    out = []
    for cd in r.root.iter("{%s}cd" % DOMAIN_NS):
        n = cd.find("domain:name", NS)
        out.append((n.text, n.get("avail") in ("1", "true"), cd.findtext("domain:reason",
                                                                         namespaces=NS)))
    return out


def inf(r, field):
    return rtext(r, "epp:response/epp:resData/domain:infData/domain:%s" % field)


def trn(r):
    """domain:trnData (in resData) → dict of its fields."""
    t = rfind(r, "epp:response/epp:resData/domain:trnData")
    if t is None:
        return None
    return {child.tag.split("}")[1]: child.text for child in t}


class EPPDomainBase:
    backend = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="epp-domain-%s-" % cls.backend, dir=scratch_root())
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.recorder = Recorder(os.path.join(cls.tmp, "responses"))
        cls.daemons = []
        cls.sessions = {}
        cls.lazy = {}
        cls.d = cls.start_daemon("dom-main", {"tld.reserved": "nic,whois"})

    @classmethod
    def start_daemon(cls, name, settings):
        settings = dict(settings)
        settings.setdefault("host.allow_private", "true")
        d = Daemon(cls.backend, name=name, settings=settings)
        cls.addClassCleanup(d.cleanup)
        cls.daemons.append(d)
        for handle, pw in REGISTRARS.items():
            d.add_registrar(handle, pw)
        d.start()
        for handle in REGISTRARS:
            for contact in (holder(handle), admin(handle), tech(handle)):
                cls.make_contact(d, handle, contact)
        for host in (NS1, NS2, NS3):
            cls.make_host(d, A, host)
        return d

    @classmethod
    def daemon(cls, kind):
        """The pending-transfer or the instant-delete daemon, started once."""
        if kind not in cls.lazy:
            settings = {"pending": {"transfer.mode": "pending"},
                        "instant": {"lifecycle.redemption_period": "0s"}}[kind]
            cls.lazy[kind] = cls.start_daemon("dom-" + kind, settings)
        return cls.lazy[kind]

    @classmethod
    def tearDownClass(cls):
        for s in cls.sessions.values():
            s.close()
        stop_and_validate(cls.__name__, cls.daemons, cls.recorder)

    # --- contacts and hosts (the one place to switch to EPP) ------------------

    @classmethod
    def make_contact(cls, d, sponsor, handle, email="holder@example.dk"):
        """A contact `handle` (full id, REGISTRAR:ID) sponsored by `sponsor`."""
        if OBJECTS_OVER_EPP:
            return cls._contact_over_epp(d, sponsor, handle, email)
        sql(d, "INSERT INTO contact (handle, sponsor_id, creator_id, email, created_at) "
               "SELECT %s, id, id, %s, %d FROM registrar WHERE handle = %s"
               % (q(handle.upper()), q(email), int(time.time()), q(sponsor)))
        return handle.upper()

    @classmethod
    def make_host(cls, d, sponsor, name, superordinate=None):
        """A host `name` sponsored by `sponsor`; in-bailiwick ones name their
        superordinate domain (which must exist)."""
        if OBJECTS_OVER_EPP:
            return cls._host_over_epp(d, sponsor, name)
        sup = "(SELECT id FROM domain WHERE name = %s)" % q(superordinate) if superordinate \
            else "NULL"
        sql(d, "INSERT INTO host (name, sponsor_id, creator_id, superordinate_id, created_at) "
               "SELECT %s, id, id, %s, %d FROM registrar WHERE handle = %s"
               % (q(name.lower()), sup, int(time.time()), q(sponsor)))
        return name.lower()

    @classmethod
    def _contact_over_epp(cls, d, sponsor, handle, email):
        c = cls.client(sponsor, d)
        r = c.command(
            '<create><contact:create xmlns:contact="%s"><contact:id>%s</contact:id>'
            '<contact:postalInfo type="int"><contact:name>Test Holder</contact:name>'
            '<contact:addr><contact:street>Vesterbrogade 1</contact:street><contact:city>Aarhus'
            '</contact:city><contact:pc>8000</contact:pc><contact:cc>DK</contact:cc>'
            '</contact:addr></contact:postalInfo><contact:email>%s</contact:email>'
            '<contact:authInfo><contact:pw>Cpw-12345</contact:pw></contact:authInfo>'
            '</contact:create></create>' % (CONTACT_NS, _x(handle), _x(email)))
        assert r.code == 1000, r.raw
        return rtext(r, "epp:response/epp:resData/{%s}creData/{%s}id"
                          % (CONTACT_NS, CONTACT_NS))

    @classmethod
    def _host_over_epp(cls, d, sponsor, name):
        c = cls.client(sponsor, d)
        in_tld = name.lower().endswith(".dk")
        addr = '<host:addr ip="v4">192.0.2.53</host:addr>' if in_tld else ""
        r = c.command('<create><host:create xmlns:host="%s"><host:name>%s</host:name>%s'
                      '</host:create></create>' % (HOST_NS, _x(name), addr))
        assert r.code == 1000, r.raw
        return name.lower()

    # --- sessions and commands -------------------------------------------------

    @classmethod
    def client(cls, clid, d=None):
        """A logged-in session of clid on d (default: the main daemon), kept
        for the class."""
        d = d or cls.d
        key = (id(d), clid)
        if key not in cls.sessions:
            c = EPPClient(d.host, d.port, recorder=cls.recorder)
            r = c.login(clid, REGISTRARS[clid], ext_uris=EXT_URIS)
            assert r.code == 1000, r.raw
            cls.sessions[key] = c
        return cls.sessions[key]

    def cmd(self, clid, inner, ext="", d=None):
        """A command of clid; a domain create gets the R20 terms (with_terms)
        unless ext has a <regd:create> (send through client().command to
        leave them out)."""
        if is_domain_create(inner):
            ext = with_terms(ext)
        return self.client(clid, d).command(inner, extension=ext)

    def assertCode(self, r, code, msg=None):
        self.assertEqual(r.code, code, "%sexpected %d, got:\n%s" % (msg + ": " if msg else "",
                                                                    code, r.raw))

    def assertReason(self, r, *words):
        """A non-empty <extValue><reason> mentioning each of words."""
        self.assertTrue(r.reason, "no reason in:\n%s" % r.raw)
        for w in words:
            self.assertIn(w.lower(), r.reason.lower(), r.raw)

    def create(self, name, clid=A, d=None, registrant=None, pw="Dpw-12345", period=None,
               unit="y", ns=(), contacts=(), ext=""):
        r = self.cmd(clid, create_xml(name, registrant or holder(clid), period, unit, ns=ns,
                                      contacts=contacts, pw=pw), ext, d)
        self.assertCode(r, 1000, "create %s" % name)
        return r

    def info(self, name, clid=A, d=None, hosts=None, pw=None):
        return self.cmd(clid, info_xml(name, hosts, pw), d=d)

    def info_ok(self, name, clid=A, d=None, **kw):
        r = self.info(name, clid, d, **kw)
        self.assertCode(r, 1000, "info %s" % name)
        return r

    def available(self, name, d=None):
        (_, avail, _), = chk(self.cmd(A, check_xml(name), d=d))
        return avail

    def exdate(self, name, clid=A, d=None):
        return inf(self.info_ok(name, clid, d), "exDate")

    def drain_poll(self, clid, d=None):
        c = self.client(clid, d)
        for _ in range(200):
            r = c.poll_req()
            if r.code == 1300:
                return
            self.assertCode(r, 1301)
            self.assertCode(c.poll_ack(r.msgq.get("id")), 1000)
        self.fail("the poll queue of %s does not drain" % clid)

    def poll_trn(self, clid, d=None):
        """The oldest poll message of clid (acknowledged): (response, trnData)."""
        c = self.client(clid, d)
        r = c.poll_req()
        self.assertCode(r, 1301)
        self.assertCode(c.poll_ack(r.msgq.get("id")), 1000)
        return r, trn(r)

    def history(self, name, d=None):
        return sql(d or self.d,
                   "SELECT h.action, h.actor, h.channel, h.svtrid, r.handle FROM history h "
                   "LEFT JOIN registrar r ON r.id = h.registrar_id WHERE h.object_kind = "
                   "'domain' AND h.object_key = %s ORDER BY h.id" % q(name))

    # === check (RFC 5731 §3.1.1) ================================================

    def test_check_many_names_rfc5731_3_1_1(self):
        self.create("chk-taken.dk")
        r = self.cmd(A, check_xml("chk-free.dk", "chk-taken.dk", "nic.dk", "CHK-Upper.DK",
                                  "chk-free2.dk."))
        self.assertCode(r, 1000)
        got = chk(r)
        self.assertEqual([(n, a) for n, a, _ in got],
                         [("chk-free.dk", True), ("chk-taken.dk", False), ("nic.dk", False),
                          ("chk-upper.dk", True), ("chk-free2.dk", True)])
        self.assertEqual(got[1][2], "in use")
        self.assertEqual(got[2][2], "reserved")
        self.assertIsNone(got[0][2])

    def test_check_at_most_100_names_2306(self):
        names = ["chk-many%d.dk" % i for i in range(101)]
        r = self.cmd(A, check_xml(*names))
        self.assertCode(r, 2306)
        self.assertIn("at most 100", r.reason)
        self.assertEqual(len(chk(self.cmd(A, check_xml(*names[:100])))), 100)

    def test_check_ulabel_and_alabel_rfc5731_3_1_1(self):
        name_u, name_a = "chk-\u00e6bler.dk", "xn--chk-bler-m0a.dk"
        r = self.cmd(A, check_xml(name_u, name_a))
        self.assertEqual(chk(r), [(name_a, True, None), (name_a, True, None)])
        self.create(name_u)
        r = self.cmd(B, check_xml(name_u, name_a, name_a.upper()))
        self.assertEqual(chk(r), [(name_a, False, "in use")] * 3)

    def test_check_reserved_tld_reserved(self):
        r = self.cmd(A, check_xml("nic.dk", "WHOIS.dk", "nicer.dk"))
        self.assertEqual(chk(r), [("nic.dk", False, "reserved"), ("whois.dk", False, "reserved"),
                                  ("nicer.dk", True, None)])

    def test_check_invalid_names_avail_0_with_reason(self):
        bad = ["stra\u00dfe.dk",   # ß: IDNA2008 PVALID, but not in the .dk set
               "a_b.dk",           # not LDH
               "xn--ab.dk",        # not a valid A-label
               "-lead.dk",         # leading hyphen
               "ab--cd.dk",        # hyphens in positions 3-4 without xn--
               "example.com",      # outside the TLD
               "www.example.dk"]   # not a second-level name
        r = self.cmd(A, check_xml(*bad))
        self.assertCode(r, 1000)
        got = chk(r)
        self.assertEqual(len(got), len(bad), r.raw)
        for (name, avail, reason), asked in zip(got, bad):
            self.assertFalse(avail, "%s: %s" % (asked, r.raw))
            self.assertTrue(reason, "%s has no reason: %s" % (asked, r.raw))
        # the reasons must fit eppcom:reasonBaseType (1-32 characters)
        long = [(asked, reason) for (_, _, reason), asked in zip(got, bad)
                if len(reason or "") > REASON_MAX]
        self.assertEqual(long, [], "domain:reason longer than %d characters (eppcom:"
                                   "reasonBaseType), the response is schema-invalid" % REASON_MAX)

    # === info (RFC 5731 §3.1.2, RFC 9154, R13) ===================================

    def _rich_domain(self, name, d=None):
        """A domain of REG-A with contacts, two name servers, a subordinate
        host, a DS record and auth info "Rich-Pw-1"."""
        self.create(name, d=d, pw="Rich-Pw-1", ns=[NS1, NS2],
                    contacts=[("admin", admin(A)), ("tech", tech(A)), ("billing", admin(A))],
                    ext=secdns_create([ds(seed=name)]))
        self.make_host(d or self.d, A, "ns1." + name, superordinate=name)

    def test_info_sponsor_sees_everything_rfc5731_3_1_2(self):
        name = "info-rich.dk"
        self._rich_domain(name)
        r = self.info_ok(name)
        self.assertEqual(inf(r, "name"), name)
        self.assertRegex(inf(r, "roid"), r"^D\d+-DK$")
        self.assertEqual(statuses(r), {"ok"})
        self.assertEqual(inf(r, "registrant"), holder(A))
        self.assertEqual(contacts_of(r), {("admin", admin(A)), ("tech", tech(A)),
                                          ("billing", admin(A))})
        self.assertEqual(sorted(ns_of(r)), [NS1, NS2])
        self.assertEqual(hosts_of(r), ["ns1." + name])
        self.assertEqual(inf(r, "clID"), A)
        self.assertEqual(inf(r, "crID"), A)
        cr = parse_time(inf(r, "crDate"))
        self.assertLess(abs(cr.timestamp() - time.time()), 300)
        self.assertEqual(parse_time(inf(r, "exDate")), add_years(cr, 1))
        # RFC 9154: the sponsor learns that auth info is set, never the value
        pw = rfind(r, "epp:response/epp:resData/domain:infData/domain:authInfo/domain:pw")
        self.assertIsNotNone(pw, r.raw)
        self.assertFalse(pw.text)
        self.assertNotIn("Rich-Pw-1", r.raw)
        self.assertEqual(ds_of(r), [(12345, 13, 2, ds(seed=name)[3].upper())])
        self.assertEqual(rtext(r, ".//regd:infData/regd:authInfoSet"), "true")
        self.assertEqual(rtext(r, ".//regd:infData/regd:management"),
                         "registrar")
        # without name servers a domain is inactive (RFC 5731 §2.3)
        self.create("info-bare.dk", pw=None)
        r = self.info_ok("info-bare.dk")
        self.assertEqual(statuses(r), {"inactive"})
        self.assertIsNone(rfind(r, ".//domain:authInfo"))
        self.assertEqual(rtext(r, ".//regd:infData/regd:authInfoSet"), "false")
        self.assertIsNone(rfind(r, ".//secDNS:infData"))

    def test_info_hosts_attribute_all_del_sub_none_rfc5731_3_1_2(self):
        name = "info-hosts.dk"
        self._rich_domain(name)
        for hosts, want_ns, want_sub in (("all", [NS1, NS2], ["ns1." + name]),
                                         (None, [NS1, NS2], ["ns1." + name]),
                                         ("del", [NS1, NS2], []),
                                         ("sub", [], ["ns1." + name]),
                                         ("none", [], [])):
            r = self.info_ok(name, hosts=hosts)
            self.assertEqual(sorted(ns_of(r)), want_ns, "hosts=%s: %s" % (hosts, r.raw))
            self.assertEqual(hosts_of(r), want_sub, "hosts=%s: %s" % (hosts, r.raw))
            self.assertEqual(inf(r, "registrant"), holder(A))

    def test_info_other_registrar_without_authinfo_R13(self):
        name = "info-other.dk"
        self._rich_domain(name)
        r = self.info_ok(name, clid=B)
        data = rfind(r, "epp:response/epp:resData/domain:infData")
        self.assertEqual([e.tag.split("}")[1] for e in data],
                         ["name", "roid", "status", "clID"], r.raw)
        self.assertEqual(inf(r, "clID"), A)
        self.assertIsNone(rfind(r, ".//secDNS:infData"), "DS records shown to another registrar")
        # R13: others see that auth info is set, never the value
        self.assertEqual(rtext(r, ".//regd:infData/regd:authInfoSet"), "true")
        self.assertNotIn("Rich-Pw-1", r.raw)

    def test_info_other_registrar_with_authinfo_sees_all(self):
        name = "info-auth.dk"
        self._rich_domain(name)
        r = self.info_ok(name, clid=B, pw="Rich-Pw-1")
        self.assertEqual(inf(r, "registrant"), holder(A))
        self.assertEqual(len(contacts_of(r)), 3)
        self.assertEqual(sorted(ns_of(r)), [NS1, NS2])
        self.assertEqual(hosts_of(r), ["ns1." + name])
        self.assertEqual(inf(r, "clID"), A)
        self.assertTrue(inf(r, "crDate") and inf(r, "exDate"))
        self.assertEqual(len(ds_of(r)), 1)
        self.assertNotIn("Rich-Pw-1", r.raw)  # RFC 9154: never echoed
        # the name in any case, by a third registrar
        self.assertCode(self.info(name.upper(), clid=C, pw="Rich-Pw-1"), 1000)

    def test_info_wrong_authinfo_2202(self):
        name = "info-wrong.dk"
        self.create(name, pw="Right-Pw-1")
        r = self.info(name, clid=B, pw="Wrong-Pw-1")
        self.assertCode(r, 2202)
        self.assertReason(r)
        # a domain without auth info: any auth info is wrong
        self.create("info-noauth.dk", pw=None)
        self.assertCode(self.info("info-noauth.dk", clid=B, pw="Guess-Pw-1"), 2202)
        self.assertCode(self.info("info-noauth.dk", clid=B), 1000)

    def _contact_roid(self, handle):
        """A contact of A with auth info Cpw-12345 (created over EPP) and its roid."""
        cid = self._contact_over_epp(self.d, A, handle, "roid@example.dk")
        r = self.client(A).command('<info><contact:info xmlns:contact="%s"><contact:id>%s'
                                   '</contact:id></contact:info></info>' % (CONTACT_NS, _x(cid)))
        self.assertCode(r, 1000)
        return cid, rtext(r, "epp:response/epp:resData/{%s}infData/{%s}roid"
                             % (CONTACT_NS, CONTACT_NS))

    def test_info_authinfo_roid_of_registrant_rfc5731_2_6(self):
        name = "info-roid.dk"
        registrant, roid = self._contact_roid("REG-A:ROID-HOLDER")
        _, other = self._contact_roid("REG-A:ROID-OTHER")
        self.create(name, registrant=registrant, pw="Dom-Pw-1")

        def info_roid(pw, r):
            return self.cmd(B, _d("info", _name(name) +
                                  '<domain:authInfo><domain:pw roid="%s">%s</domain:pw>'
                                  '</domain:authInfo>' % (_x(r), _x(pw))))
        r = info_roid("Cpw-12345", roid)
        self.assertCode(r, 1000)
        self.assertEqual(inf(r, "registrant"), registrant)  # the full view
        # with a roid the password is the contact's, not the domain's
        self.assertCode(info_roid("Dom-Pw-1", roid), 2202)
        # a contact that is not on the domain, and a roid of no contact
        r = info_roid("Cpw-12345", other)
        self.assertCode(r, 2202)
        self.assertReason(r, other)
        r = info_roid("Cpw-12345", "C999999-DK")
        self.assertCode(r, 2202)
        self.assertReason(r, "no contact has the roid")

    def test_info_unknown_2303(self):
        for name in ("info-nothing.dk", "example.com", "info-\u00f8l.dk"):
            r = self.info(name)
            self.assertCode(r, 2303, name)
            self.assertReason(r)

    def test_info_idn_by_ulabel_and_alabel(self):
        self.create(IDN_U)
        for asked in (IDN_U, IDN_A, IDN_A.upper()):
            r = self.info_ok(asked)
            self.assertEqual(inf(r, "name"), IDN_A)

    # === create (RFC 5731 §3.2.1) ===============================================

    def test_create_period_1_to_10_years_rfc5731_3_2_1(self):
        for name, period, unit, years in (("per-default.dk", None, "y", 1),
                                          ("per-1y.dk", 1, "y", 1),
                                          ("per-10y.dk", 10, "y", 10),
                                          ("per-24m.dk", 24, "m", 2),
                                          ("per-96m.dk", 96, "m", 8)):
            r = self.create(name, period=period, unit=unit)
            cre = "epp:response/epp:resData/domain:creData/domain:"
            self.assertEqual(rtext(r, cre + "name"), name)
            cr, ex = parse_time(rtext(r, cre + "crDate")), parse_time(rtext(r, cre + "exDate"))
            self.assertEqual(ex, add_years(cr, years), name)
            self.assertEqual(self.exdate(name), rtext(r, cre + "exDate"))

    def test_create_period_out_of_range_2306(self):
        for period, unit in ((11, "y"), (13, "m"), (6, "m"), (99, "m"), (99, "y")):
            name = "per-bad-%d%s.dk" % (period, unit)
            r = self.cmd(A, create_xml(name, holder(A), period, unit))
            self.assertCode(r, 2306, "%d %s" % (period, unit))
            self.assertReason(r)
            self.assertTrue(self.available(name))
        # 0 and 120 are outside the schema's domain:pLimitType (1..99): syntax errors
        for period, unit in ((0, "y"), (120, "m")):
            name = "per-bad-%d%s.dk" % (period, unit)
            self.assertCode(self.cmd(A, create_xml(name, holder(A), period, unit)), 2001)
            self.assertTrue(self.available(name))

    def test_create_registrant_missing_2003_or_unknown_2303(self):
        r = self.cmd(A, create_xml("reg-none.dk", registrant=""))
        self.assertCode(r, 2003)
        self.assertReason(r, "registrant")
        r = self.cmd(A, create_xml("reg-unknown.dk", registrant="REG-A:NOBODY"))
        self.assertCode(r, 2303)
        self.assertReason(r, "REG-A:NOBODY")
        self.assertTrue(self.available("reg-none.dk"))
        self.assertTrue(self.available("reg-unknown.dk"))
        # a handle in lower case names the same contact (ids are stored upper case)
        self.create("reg-lower.dk", registrant=holder(A).lower())
        self.assertEqual(inf(self.info_ok("reg-lower.dk"), "registrant"), holder(A))

    def test_create_unknown_contact_or_host_2303(self):
        r = self.cmd(A, create_xml("ref-contact.dk", holder(A),
                                   contacts=[("admin", admin(A)), ("tech", "REG-A:GHOST")]))
        self.assertCode(r, 2303)
        self.assertReason(r, "REG-A:GHOST")
        r = self.cmd(A, create_xml("ref-host.dk", holder(A), ns=[NS1, "ns9.example.invalid"]))
        self.assertCode(r, 2303)
        self.assertReason(r, "ns9.example.invalid")
        # nothing of either was kept (the command is atomic)
        self.assertTrue(self.available("ref-contact.dk"))
        self.assertTrue(self.available("ref-host.dk"))
        self.assertEqual(self.history("ref-contact.dk") + self.history("ref-host.dk"), [])

    def test_create_host_attr_2306(self):
        r = self.cmd(A, create_xml("hostattr.dk", holder(A), host_attr=["ns1.hostattr.dk"]))
        self.assertCode(r, 2306)
        self.assertReason(r, "hostObj")
        self.assertTrue(self.available("hostattr.dk"))

    def test_create_exists_2302(self):
        self.create("exists.dk")
        for name, clid in (("exists.dk", A), ("EXISTS.DK", B), ("exists.dk.", C)):
            r = self.cmd(clid, create_xml(name, holder(clid)))
            self.assertCode(r, 2302, name)
            self.assertReason(r)
        self.assertEqual(inf(self.info_ok("exists.dk"), "clID"), A)

    def test_create_race_exactly_one_wins(self):
        # nine sessions of three registrars create the same name at once
        name = "race.dk"
        clients = []
        for clid in (A, B, C):
            for _ in range(3):
                c = EPPClient(self.d.host, self.d.port, recorder=self.recorder)
                self.addCleanup(c.close)
                self.assertCode(c.login(clid, REGISTRARS[clid], ext_uris=EXT_URIS), 1000)
                clients.append((clid, c))
        barrier = threading.Barrier(len(clients), timeout=30)
        codes, lock = [], threading.Lock()

        def one(clid, c):
            try:
                barrier.wait()
                r = c.command(create_xml(name, holder(clid), pw="Race-Pw-1"),
                              extension=with_terms())
                with lock:
                    codes.append((r.code, clid))
            except Exception as e:  # noqa: BLE001 - reported below
                with lock:
                    codes.append((repr(e), clid))

        threads = [threading.Thread(target=one, args=cc) for cc in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual(sorted(code for code, _ in codes), [1000] + [2302] * 8, codes)
        winner = [clid for code, clid in codes if code == 1000][0]
        self.assertEqual(inf(self.info_ok(name, clid=winner), "clID"), winner)
        self.assertEqual([row[0] for row in self.history(name)], ["create"])

    def test_create_idn_ulabel_and_alabel_give_the_same_alabel(self):
        u, a = "cre-s\u00f8.dk", "xn--cre-s-zua.dk"
        r = self.create(u)
        self.assertEqual(rtext(r, "epp:response/epp:resData/domain:creData/domain:name"), a)
        r = self.cmd(B, create_xml(a, holder(B)))
        self.assertCode(r, 2302)
        r = self.cmd(B, create_xml(u, holder(B)))
        self.assertCode(r, 2302)
        self.assertEqual(inf(self.info_ok(a), "name"), a)
        # and the other way round: A-label first
        u2, a2 = "cre-\u00e5.dk", "xn--cre--toa.dk"
        r = self.create(a2)
        self.assertEqual(rtext(r, "epp:response/epp:resData/domain:creData/domain:name"), a2)
        self.assertCode(self.cmd(B, create_xml(u2, holder(B))), 2302)

    def test_create_bad_idn_2005_or_2306_with_reason(self):
        for name, code, words in (("stra\u00dfe.dk", 2306, ["U+00DF"]),
                                  ("a_b.dk", 2005, ["_"]),
                                  ("xn--ab.dk", 2005, ["xn--ab"]),
                                  ("-lead.dk", 2005, ["hyphen"]),
                                  ("example.com", 2306, [".dk"]),
                                  ("www.example.dk", 2306, ["second-level"])):
            r = self.cmd(A, create_xml(name, holder(A)))
            self.assertCode(r, code, name)
            self.assertReason(r, *words)
        r = self.cmd(A, check_xml("a-b.dk"))
        self.assertEqual(chk(r), [("a-b.dk", True, None)])

    def test_idn_strict_refuses_unmapped_names_2005_item8(self):
        """Issue 12 item 8: IDNA2008 strictly. What UTS #46 would map (a
        ligature, full-width letters, upper-case non-ASCII) is refused with a
        reason naming the code point; check answers the name as asked."""
        bad = [("\ufb01sh.dk", "U+FB01"),                                 # ﬁ
               ("\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.dk", "U+FF45"),  # ｅｘａｍｐｌｅ
               ("BL\u00c5B\u00c6R.dk", "U+00C5")]
        r = self.cmd(A, check_xml(*[n for n, _ in bad]))
        self.assertCode(r, 1000)
        self.assertEqual(chk(r), [(n, False, "invalid name: " + cp) for n, cp in bad])
        r = self.cmd(A, create_xml("\ufb01sh.dk", holder(A)))
        self.assertCode(r, 2005)
        self.assertReason(r, "U+FB01 (LATIN SMALL LIGATURE FI)", "compatibility form",
                          'write "fi" instead')
        r = self.cmd(A, create_xml("BL\u00c5B\u00c6R.dk", holder(A)))
        self.assertCode(r, 2005)
        self.assertReason(r, "U+00C5", "lower case")
        self.assertFalse(sql(self.d, "SELECT name FROM domain WHERE name LIKE 'xn--sh-%' OR "
                                     "name = 'fish.dk'"))

    def test_update_status_message_that_deceives_2005_item8(self):
        name = "upd-msg8.dk"
        self.create(name)
        r = self.cmd(A, update_xml(name, add={"statuses": [
            ("clientDeleteProhibited", "keep \u202eit")]}))
        self.assertCode(r, 2005)
        self.assertReason(r, "the message of status clientDeleteProhibited: U+202E")
        self.assertNotIn("clientDeleteProhibited", statuses(self.info_ok(name)))

    def test_create_reserved_tld_reserved_2306(self):
        for name in ("nic.dk", "WHOIS.dk"):
            r = self.cmd(A, create_xml(name, holder(A)))
            self.assertCode(r, 2306, name)
            self.assertReason(r, "reserved")
        self.assertEqual(self.history("nic.dk"), [])

    def test_create_secdns_dsdata_rfc5910(self):
        records = [ds(key_tag=1, alg=13, digest_type=2, seed="a"),
                   ds(key_tag=2, alg=8, digest_type=1, seed="b"),
                   ds(key_tag=65535, alg=14, digest_type=4, seed="c")]
        self.create("sec-ok.dk", ns=[NS1], ext=secdns_create(records))
        got = ds_of(self.info_ok("sec-ok.dk"))
        self.assertEqual(got, [(t, a, dt, dg.upper()) for t, a, dt, dg in records])

    def test_create_secdns_invalid_2306_rfc5910(self):
        cases = {
            "sec-short.dk": secdns_create([ds(digest="ABCDEF0123")]),       # not 64 digits
            "sec-long.dk": secdns_create([ds(digest_type=1, digest="AB" * 32)]),  # SHA-1: 40
            "sec-type3.dk": secdns_create([ds(digest_type=3, digest="AB" * 32)]),  # GOST
            "sec-alg1.dk": secdns_create([ds(alg=1)]),                      # RSAMD5
            "sec-alg3.dk": secdns_create([ds(alg=3)]),                      # DSA
            "sec-key.dk": secdns_create(key_data=True),                     # keyData interface
        }
        for name, ext in cases.items():
            r = self.cmd(A, create_xml(name, holder(A)), ext)
            self.assertCode(r, 2306, name)
            self.assertReason(r)
            self.assertTrue(self.available(name), name)

    def test_create_management_R18(self):
        self.create("mgmt-default.dk")
        self.create("mgmt-registrant.dk", ext=regd_create("registrant"))
        for name, want in (("mgmt-default.dk", "registrar"), ("mgmt-registrant.dk", "registrant")):
            r = self.info_ok(name)
            self.assertEqual(rtext(r, ".//regd:infData/regd:management"), want)

    # === update (RFC 5731 §3.2.5, RFC 5910, R6, R9, R13) ============================

    def test_update_add_rem_ns_rfc5731_3_2_5(self):
        name = "upd-ns.dk"
        self.create(name, ns=[NS1])
        r = self.cmd(A, update_xml(name, add={"ns": [NS2, NS3]}, rem={"ns": [NS1]}))
        self.assertCode(r, 1000)
        r = self.info_ok(name)
        self.assertEqual(sorted(ns_of(r)), [NS2, NS3])
        self.assertEqual(statuses(r), {"ok"})
        self.assertCode(self.cmd(A, update_xml(name, rem={"ns": [NS2, NS3]})), 1000)
        r = self.info_ok(name)
        self.assertEqual(ns_of(r), [])
        self.assertEqual(statuses(r), {"inactive"})
        # an unknown host: 2303 and nothing of the update applied
        r = self.cmd(A, update_xml(name, add={"ns": [NS1, "ns7.nowhere.invalid"]}))
        self.assertCode(r, 2303)
        self.assertEqual(ns_of(self.info_ok(name)), [])

    def test_update_add_rem_contacts_rfc5731_3_2_5(self):
        name = "upd-contacts.dk"
        self.create(name, contacts=[("admin", admin(A))])
        r = self.cmd(A, update_xml(name, add={"contacts": [("tech", tech(A)),
                                                           ("billing", admin(A))]},
                                   rem={"contacts": [("admin", admin(A))]}))
        self.assertCode(r, 1000)
        self.assertEqual(contacts_of(self.info_ok(name)), {("tech", tech(A)),
                                                           ("billing", admin(A))})
        r = self.cmd(A, update_xml(name, add={"contacts": [("admin", "REG-A:NOBODY")]}))
        self.assertCode(r, 2303)
        self.assertReason(r, "REG-A:NOBODY")

    def test_update_client_statuses_rfc5731_2_3(self):
        name = "upd-status.dk"
        self.create(name, ns=[NS1])
        r = self.cmd(A, update_xml(name, add={"statuses": [
            "clientHold", "clientRenewProhibited", ("clientDeleteProhibited", "keep it")]}))
        self.assertCode(r, 1000)
        r = self.info_ok(name)
        self.assertEqual(statuses(r), {"clientHold", "clientRenewProhibited",
                                       "clientDeleteProhibited"})
        msg = [e.text for e in r.root.iter("{%s}status" % DOMAIN_NS)
               if e.get("s") == "clientDeleteProhibited"]
        self.assertEqual(msg, ["keep it"])
        self.assertCode(self.cmd(A, delete_xml(name), regd_verified("delete")), 2304)
        self.assertCode(self.cmd(A, renew_xml(name, self.exdate(name)[:10])), 2304)
        r = self.cmd(A, update_xml(name, rem={"statuses": ["clientHold", "clientRenewProhibited",
                                                           "clientDeleteProhibited"]}))
        self.assertCode(r, 1000)
        self.assertEqual(statuses(self.info_ok(name)), {"ok"})

    def test_update_server_status_2306(self):
        name = "upd-server.dk"
        self.create(name)
        for s in ("serverHold", "serverUpdateProhibited", "serverTransferProhibited", "ok",
                  "pendingDelete", "inactive"):
            r = self.cmd(A, update_xml(name, add={"statuses": [s]}))
            self.assertCode(r, 2306, s)
            self.assertReason(r, s)
        r = self.cmd(A, update_xml(name, rem={"statuses": ["serverHold"]}))
        self.assertCode(r, 2306)
        self.assertEqual(statuses(self.info_ok(name)), {"inactive"})

    def test_update_client_update_prohibited_R9(self):
        name = "upd-lock.dk"
        self.create(name)
        lock = {"statuses": ["clientUpdateProhibited"]}
        self.assertCode(self.cmd(A, update_xml(name, add=lock)), 1000)
        for label, xml in (
                ("add ns", update_xml(name, add={"ns": [NS1]})),
                ("add contact", update_xml(name, add={"contacts": [("tech", tech(A))]})),
                ("add status", update_xml(name, add={"statuses": ["clientHold"]})),
                ("chg registrant", update_xml(name, registrant=admin(A))),
                ("chg authInfo", update_xml(name, pw="New-Pw-123")),
                ("unlock and add ns", update_xml(name, add={"ns": [NS1]}, rem=lock))):
            r = self.cmd(A, xml, regd_verified("update"))
            self.assertCode(r, 2304, label)
            self.assertReason(r, "clientUpdateProhibited")
        r = self.cmd(A, update_xml(name, add={"ns": [NS1]}),
                     secdns_update(add=[ds(seed="lock")]))
        self.assertCode(r, 2304, "secDNS add")
        r = self.info_ok(name)
        self.assertEqual(statuses(r), {"clientUpdateProhibited", "inactive"})
        self.assertEqual(ns_of(r), [])
        # removing the lock alone is allowed, then updates work again
        self.assertCode(self.cmd(A, update_xml(name, rem=lock)), 1000)
        self.assertCode(self.cmd(A, update_xml(name, add={"ns": [NS1]})), 1000)
        self.assertEqual(statuses(self.info_ok(name)), {"ok"})

    def test_update_chg_registrant_R6(self):
        name = "upd-registrant.dk"
        self.create(name)
        r = self.cmd(A, update_xml(name, registrant=admin(A)), regd_verified("update"))
        self.assertCode(r, 1000)
        self.assertEqual(inf(self.info_ok(name), "registrant"), admin(A))
        r = self.cmd(A, update_xml(name, registrant="REG-A:NOBODY"), regd_verified("update"))
        self.assertCode(r, 2303)
        self.assertEqual(inf(self.info_ok(name), "registrant"), admin(A))

    def test_R7_unverified_registrant_change_waits_R9_blocks_then_lapses(self):
        """Without <regd:verified/>: 1001, nothing applied, pendingUpdate and
        <regd:pendingAction>; other updates, deletes and transfers are 2304
        (R9); unanswered for 48 h the pending-expire job drops it and the
        registrar gets a panData poll message (RFC 5731 §3.3) with
        paResult 0 and the original clTRID."""
        name = "upd-wait.dk"
        self.create(name)
        self.drain_poll(A)
        c = self.client(A)
        r = c.command(update_xml(name, registrant=admin(A)), cltrid="R7-WAIT-1")
        self.assertCode(r, 1001)
        r = self.info_ok(name)
        self.assertEqual(inf(r, "registrant"), holder(A))
        self.assertIn("pendingUpdate", statuses(r))
        self.assertEqual(rtext(r, ".//regd:infData/regd:pendingAction"), "registrantChange")
        for label, xml, ext in (
                ("add ns", update_xml(name, add={"ns": [NS1]}), ""),
                ("verified change", update_xml(name, registrant=admin(A)),
                 regd_verified("update")),
                ("delete", delete_xml(name), regd_verified("delete"))):
            r = self.cmd(A, xml, ext)
            self.assertCode(r, 2304, label)
            self.assertReason(r, "pendingUpdate")
        self.assertCode(self.cmd(B, transfer_xml("request", name, pw="Dpw-12345")), 2304)
        self.assertEqual(
            sql(self.d, "SELECT COUNT(*) FROM outbox WHERE cause = 'confirmation-request'"
                        " AND body LIKE %s" % q("%" + name + "%"))[0][0], "1")
        later = (datetime.now(timezone.utc) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.d.regctl("jobs", "run", "--now", later, "pending-expire")
        r = self.info_ok(name)
        self.assertEqual(inf(r, "registrant"), holder(A))
        self.assertNotIn("pendingUpdate", statuses(r))
        self.assertIsNone(rfind(r, ".//regd:infData/regd:pendingAction"))
        r = c.poll_req()
        self.assertCode(r, 1301)
        pan = rfind(r, "epp:response/epp:resData/domain:panData")
        self.assertIsNotNone(pan, r.raw)
        self.assertEqual(pan.find("domain:name", NS).get("paResult"), "0")
        self.assertEqual(pan.findtext("domain:name", namespaces=NS), name)
        self.assertEqual(pan.findtext("domain:paTRID/epp:clTRID", namespaces=NS), "R7-WAIT-1")
        self.assertIn("lapsed", r.msgq.findtext("epp:msg", namespaces=NS))
        self.assertCode(c.poll_ack(r.msgq.get("id")), 1000)
        # now an update goes through again
        self.assertCode(self.cmd(A, update_xml(name, add={"ns": [NS1]})), 1000)

    def test_update_chg_authinfo_and_null_rfc9154(self):
        name = "upd-auth.dk"
        self.create(name, pw="Old-Pw-123")
        self.assertCode(self.info(name, clid=B, pw="Old-Pw-123"), 1000)
        self.assertCode(self.cmd(A, update_xml(name, pw="New-Pw-456")), 1000)
        self.assertCode(self.info(name, clid=B, pw="Old-Pw-123"), 2202)
        r = self.info(name, clid=B, pw="New-Pw-456")
        self.assertCode(r, 1000)
        self.assertEqual(inf(r, "registrant"), holder(A))
        # <domain:null/> removes it (RFC 9154 §4.2)
        self.assertCode(self.cmd(A, update_xml(name, pw=NULL_AUTH)), 1000)
        self.assertCode(self.info(name, clid=B, pw="New-Pw-456"), 2202)
        r = self.info_ok(name)
        self.assertIsNone(rfind(r, ".//domain:authInfo"), r.raw)
        self.assertEqual(rtext(r, ".//regd:infData/regd:authInfoSet"), "false")
        # R14: a domain without auth info cannot be transferred with a guess
        self.assertCode(self.cmd(B, transfer_xml("request", name, pw="New-Pw-456")), 2202)
        # only the sponsor sets it (R13)
        self.assertCode(self.cmd(B, update_xml(name, pw="Stolen-Pw-1")), 2201)

    def test_update_secdns_add_rem_all_rfc5910(self):
        name = "upd-ds.dk"
        d1, d2, d3 = ds(1, seed="1"), ds(2, seed="2"), ds(3, alg=8, seed="3")
        self.create(name, ns=[NS1])
        self.assertCode(self.cmd(A, update_xml(name), secdns_update(add=[d1, d2, d3])), 1000)
        self.assertEqual([r[0] for r in ds_of(self.info_ok(name))], [1, 2, 3])
        # rem matches case-insensitively on the digest
        rem = (d2[0], d2[1], d2[2], d2[3].lower())
        self.assertCode(self.cmd(A, update_xml(name), secdns_update(rem=[rem])), 1000)
        self.assertEqual([r[0] for r in ds_of(self.info_ok(name))], [1, 3])
        r = self.cmd(A, update_xml(name), secdns_update(add=[ds(4, alg=1, seed="4")]))
        self.assertCode(r, 2306)
        r = self.cmd(A, update_xml(name), secdns_update(add=[ds(4, digest="AB" * 10)]))
        self.assertCode(r, 2306)
        self.assertEqual([r[0] for r in ds_of(self.info_ok(name))], [1, 3])
        # rem all and add in one command: the new set is the added one
        r = self.cmd(A, update_xml(name), secdns_update(rem_all=True, add=[d2]))
        self.assertCode(r, 1000)
        self.assertEqual([r[0] for r in ds_of(self.info_ok(name))], [2])
        # <secDNS:all>false</secDNS:all> removes nothing (RFC 5910 §5.2.5)
        self.assertCode(self.cmd(A, update_xml(name), secdns_update(rem_all="false")), 1000)
        self.assertEqual([r[0] for r in ds_of(self.info_ok(name))], [2])
        self.assertCode(self.cmd(A, update_xml(name), secdns_update(rem_all=True)), 1000)
        r = self.info_ok(name)
        self.assertEqual(ds_of(r), [])
        self.assertIsNone(rfind(r, ".//secDNS:infData"))

    def test_update_not_sponsor_2201(self):
        name = "upd-foreign.dk"
        self.create(name, pw="Foreign-Pw-1")
        for xml in (update_xml(name, add={"ns": [NS1]}),
                    update_xml(name, add={"statuses": ["clientHold"]}),
                    update_xml(name, registrant=holder(B))):
            r = self.cmd(B, xml, regd_verified("update"))
            self.assertCode(r, 2201)
            self.assertReason(r)
        self.assertEqual(statuses(self.info_ok(name)), {"inactive"})
        self.assertCode(self.cmd(B, update_xml("upd-nothing.dk", add={"ns": [NS1]})), 2303)

    def test_update_at_most_13_ns_and_8_ds_2306(self):
        name = "upd-limits.dk"
        hosts = ["ns%d.limits.example.net" % i for i in range(1, 15)]
        for h in hosts:
            self.make_host(self.d, A, h)
        self.create(name, ns=hosts[:12])
        r = self.cmd(A, update_xml(name, add={"ns": hosts[12:]}))
        self.assertCode(r, 2306)
        self.assertReason(r, "13")
        self.assertCode(self.cmd(A, update_xml(name, add={"ns": hosts[12:13]})), 1000)
        self.assertEqual(len(ns_of(self.info_ok(name))), 13)
        r = self.cmd(A, create_xml("upd-limits2.dk", holder(A), ns=hosts))
        self.assertCode(r, 2306)
        records = [ds(i, seed=str(i)) for i in range(1, 10)]
        self.assertCode(self.cmd(A, update_xml(name), secdns_update(add=records[:8])), 1000)
        r = self.cmd(A, update_xml(name), secdns_update(add=records[8:]))
        self.assertCode(r, 2306)
        self.assertReason(r, "8")
        self.assertEqual(len(ds_of(self.info_ok(name))), 8)

    def test_update_host_names_any_case_and_trailing_dot(self):
        name = "upd-case.dk"
        self.create(name)
        r = self.cmd(A, update_xml(name, add={"ns": ["NS2.Example.NET."]}))
        self.assertCode(r, 1000)
        r = self.info_ok(name)
        self.assertEqual(ns_of(r), [NS2])
        # the last change is recorded in upID / upDate
        self.assertEqual(inf(r, "upID"), A)
        self.assertTrue(inf(r, "upDate"))

    # === delete and restore (RFC 5731 §3.2.2, RFC 3915) ==============================

    def delete(self, name, clid=A, d=None):
        return self.cmd(clid, delete_xml(name), regd_verified("delete"), d)

    def test_delete_starts_redemption_rfc3915(self):
        name = "del-rgp.dk"
        self.create(name, ns=[NS1], pw="Del-Pw-123")
        exp = self.exdate(name)[:10]
        r = self.delete(name)
        self.assertCode(r, 1001)
        r = self.info_ok(name)
        self.assertIn("pendingDelete", statuses(r))
        self.assertEqual(rfind(r, ".//rgp:infData/rgp:rgpStatus").get("s"), "redemptionPeriod")
        # the domain is still there: not available, cannot be created
        self.assertEqual(chk(self.cmd(B, check_xml(name))), [(name, False, "in use")])
        self.assertCode(self.cmd(B, create_xml(name, holder(B))), 2302)
        # and nothing else may happen to it
        self.assertCode(self.cmd(A, renew_xml(name, exp)), 2304)
        self.assertCode(self.cmd(A, update_xml(name, add={"ns": [NS2]})), 2304)
        self.assertCode(self.cmd(B, transfer_xml("request", name, pw="Del-Pw-123")), 2304)
        self.assertCode(self.delete(name), 2304)

    def test_restore_request_rfc3915(self):
        name = "del-restore.dk"
        self.create(name, ns=[NS1])
        self.assertCode(self.delete(name), 1001)
        r = self.cmd(A, update_xml(name, chg=True), rgp_restore("request"))
        self.assertCode(r, 1000)
        up = rfind(r, "epp:response/epp:extension/rgp:upData/rgp:rgpStatus")
        self.assertIsNotNone(up, r.raw)
        r = self.info_ok(name)
        self.assertEqual(statuses(r), {"ok"})
        self.assertIsNone(rfind(r, ".//rgp:infData"), r.raw)
        # an ordinary domain again
        self.assertCode(self.cmd(A, renew_xml(name, self.exdate(name)[:10])), 1000)

    def test_restore_not_deleted_2105_rfc3915(self):
        name = "del-never.dk"
        self.create(name)
        r = self.cmd(A, update_xml(name, chg=True), rgp_restore("request"))
        self.assertCode(r, 2105)
        self.assertReason(r)
        # only the sponsor may restore
        self.assertCode(self.delete(name), 1001)
        self.assertCode(self.cmd(B, update_xml(name, chg=True), rgp_restore("request")), 2201)
        self.assertIn("pendingDelete", statuses(self.info_ok(name)))

    def test_delete_immediate_without_redemption(self):
        d = self.daemon("instant")
        name = "del-now.dk"
        self.create(name, d=d, ns=[NS1], contacts=[("admin", admin(A))],
                    ext=secdns_create([ds()]))
        r = self.delete(name, d=d)
        self.assertCode(r, 1000)
        self.assertCode(self.info(name, d=d), 2303)
        self.assertTrue(self.available(name, d=d))
        # the name is free for anyone, with nothing left over from before
        self.create(name, clid=B, d=d)
        r = self.info_ok(name, clid=B, d=d)
        self.assertEqual(inf(r, "clID"), B)
        self.assertEqual((ns_of(r), contacts_of(r), ds_of(r)), ([], set(), []))
        rows = self.history(name, d)
        self.assertEqual([row[0] for row in rows[:1] + rows[2:]], ["create", "create"])
        self.assertIn(rows[1][0], ("delete", "purge"))
        self.assertEqual((rows[1][1], rows[1][2], rows[1][4]), (A, "epp", A))
        self.assertTrue(rows[1][3], "no svTRID on the delete version")

    def test_delete_not_sponsor_2201(self):
        name = "del-foreign.dk"
        self.create(name)
        r = self.delete(name, clid=B)
        self.assertCode(r, 2201)
        self.assertReason(r)
        self.assertEqual(statuses(self.info_ok(name)), {"inactive"})
        self.assertCode(self.delete("del-nothing.dk"), 2303)

    def test_delete_with_subordinate_hosts_2305(self):
        name = "del-sub.dk"
        self.create(name)
        self.make_host(self.d, A, "ns1." + name, superordinate=name)
        r = self.delete(name)
        self.assertCode(r, 2305)
        self.assertReason(r, "ns1." + name)
        self.assertNotIn("pendingDelete", statuses(self.info_ok(name)))

    # === renew (RFC 5731 §3.2.3) ============================================

    def test_renew_advances_exdate_rfc5731_3_2_3(self):
        name = "ren-ok.dk"
        self.create(name)
        ex = parse_time(self.exdate(name))
        r = self.cmd(A, renew_xml(name, ex.strftime("%Y-%m-%d")))
        self.assertCode(r, 1000)
        ren = "epp:response/epp:resData/domain:renData/domain:"
        self.assertEqual(rtext(r, ren + "name"), name)
        self.assertEqual(parse_time(rtext(r, ren + "exDate")), add_years(ex, 1))
        r = self.cmd(A, renew_xml(name.upper(), add_years(ex, 1).strftime("%Y-%m-%d"), 3))
        self.assertCode(r, 1000)
        self.assertEqual(rtext(r, ren + "name"), name)
        self.assertEqual(parse_time(rtext(r, ren + "exDate")), add_years(ex, 4))
        self.assertEqual(parse_time(self.exdate(name)), add_years(ex, 4))
        r = self.cmd(A, renew_xml(name, add_years(ex, 4).strftime("%Y-%m-%d"), 12, "m"))
        self.assertCode(r, 1000)
        self.assertEqual(parse_time(self.exdate(name)), add_years(ex, 5))

    def test_renew_cur_exp_date_must_match_2306(self):
        name = "ren-date.dk"
        self.create(name)
        ex = parse_time(self.exdate(name))
        for wrong in (add_years(ex, -1), add_years(ex, 1),
                      ex.replace(day=1 if ex.day != 1 else 2)):
            r = self.cmd(A, renew_xml(name, wrong.strftime("%Y-%m-%d")))
            self.assertCode(r, 2306, str(wrong))
            self.assertReason(r, ex.strftime("%Y-%m-%d"))
        self.assertEqual(parse_time(self.exdate(name)), ex)

    def test_renew_beyond_ten_years_2306(self):
        name = "ren-max.dk"
        self.create(name, period=9)
        ex = parse_time(self.exdate(name))
        cur = ex.strftime("%Y-%m-%d")
        for period, unit in ((2, "y"), (11, "y"), (13, "m"), (6, "m")):
            r = self.cmd(A, renew_xml(name, cur, period, unit))
            self.assertCode(r, 2306, "%d%s" % (period, unit))
            self.assertReason(r)
        self.assertEqual(parse_time(self.exdate(name)), ex)
        # up to exactly ten years ahead is fine
        self.assertCode(self.cmd(A, renew_xml(name, cur, 1)), 1000)

    def test_renew_not_sponsor_2201(self):
        name = "ren-foreign.dk"
        self.create(name)
        r = self.cmd(B, renew_xml(name, self.exdate(name)[:10]))
        self.assertCode(r, 2201)
        self.assertCode(self.cmd(A, renew_xml("ren-nothing.dk", "2030-01-01")), 2303)

    # === transfer, immediate mode (RFC 5731 §3.2.4, R13, R14) ==============================

    def test_transfer_immediate_rfc5731_3_2_4(self):
        name = "trn-now.dk"
        self.create(name, pw="Trn-Pw-123", ns=[NS1])
        ex = self.exdate(name)
        self.drain_poll(A)
        r = self.cmd(B, transfer_xml("request", name, pw="Trn-Pw-123"))
        self.assertCode(r, 1000)
        t = trn(r)
        self.assertEqual((t["name"], t["trStatus"], t["reID"], t["acID"]),
                         (name, "serverApproved", B, A))
        r = self.info_ok(name, clid=B)
        self.assertEqual(inf(r, "clID"), B)
        self.assertTrue(inf(r, "trDate"))
        self.assertEqual(inf(r, "exDate"), ex)  # no period: the expiry stays
        # the old auth info died with the move (the losing registrar knows it)
        self.assertEqual(rtext(r, ".//regd:infData/regd:authInfoSet"), "false")
        self.assertCode(self.cmd(C, transfer_xml("request", name, pw="Trn-Pw-123")), 2202)
        self.assertCode(self.cmd(A, transfer_xml("request", name, pw="Trn-Pw-123")), 2202)
        # the losing registrar has lost the full view and the right to change it
        r = self.info_ok(name, clid=A)
        self.assertIsNone(inf(r, "registrant"))
        self.assertCode(self.cmd(A, update_xml(name, add={"ns": [NS2]})), 2201)
        # and is told by a poll message carrying domain:trnData
        r, t = self.poll_trn(A)
        self.assertIsNotNone(t, r.raw)
        self.assertEqual((t["name"], t["trStatus"], t["reID"], t["acID"]),
                         (name, "serverApproved", B, A))
        self.assertIn(name, rtext(r, "epp:response/epp:msgQ/epp:msg"))
        # the new sponsor can still query the finished transfer
        r = self.cmd(B, transfer_xml("query", name))
        self.assertCode(r, 1000)
        self.assertEqual(trn(r)["trStatus"], "serverApproved")

    # === R4: a transferred domain's contacts follow it as copies ======================

    def r4_contact(self, clid, cid, email, d=None):
        """A contact with every field R4 copies: postalInfo int and loc, voice
        with extension, fax, email, disclose, regc type, ident and mobile."""
        r = self.cmd(clid, c_create(cid, postals=[
                         postal("int", org="Hansen ApS", street=("Vestergade 1", "2. sal")),
                         postal("loc", name="Jens H\u00e5nsen", city="\u00c5rhus C")],
                         voice_x="12", fax="+45.11112222", email=email,
                         disclose_xml=disclose(1, "voice", "email")),
                     regc("create", "person", ("priv", "DK", "010180-1234"), "+45.87654321"), d)
        self.assertCode(r, 1000, "create contact %s" % cid)
        return rtext(r, "epp:response/epp:resData/contact:creData/contact:id")

    def contact_info(self, clid, handle, d=None):
        r = self.cmd(clid, c_info(handle), d=d)
        self.assertCode(r, 1000, "contact:info %s as %s" % (handle, clid))
        return r

    @staticmethod
    def contact_answer(r):
        """resData and extension of a contact:info answer, serialised."""
        return b"".join(ET.tostring(e) for e in (rfind(r, "epp:response/epp:resData"),
                                                 rfind(r, "epp:response/epp:extension"))
                        if e is not None)

    @staticmethod
    def contact_data(r):
        """What a copy keeps of a contact:info answer: everything but its id,
        roid, statuses, sponsor, creator, dates and auth info."""
        own = {"id", "roid", "status", "clID", "crID", "crDate", "upID", "upDate", "trDate",
               "authInfo"}
        out = [ET.tostring(e) for e in rfind(r, "epp:response/epp:resData/contact:infData")
               if e.tag.split("}")[1] not in own]
        ext = rfind(r, "epp:response/epp:extension/regc:infData")
        return out + [ET.tostring(e) for e in (ext if ext is not None else ())]

    def contact_history(self, handle, d=None):
        return sql(d or self.d, "SELECT action, actor, channel, snapshot FROM history WHERE "
                                "object_kind = 'contact' AND object_key = %s ORDER BY id"
                                % q(handle))

    def copies_for(self, domain, d=None):
        """How many contacts R4 copied for domain (their "copy" versions)."""
        (n,), = sql(d or self.d, "SELECT COUNT(*) FROM history WHERE action = 'copy' AND "
                                 "snapshot LIKE %s" % q('%"copied_for_domain":"' + domain + '"%'))
        return int(n)

    def assert_r4_copy(self, copy, orig, gaining, losing, domain, actor, d=None):
        """copy is a new contact of gaining with orig's data, made by actor."""
        self.assertRegex(copy, r"^%s:[0-9A-F]{8}$" % gaining)  # R2
        new = self.contact_info(gaining, copy, d)
        cinf = "epp:response/epp:resData/contact:infData/contact:"
        self.assertEqual((rtext(new, cinf + "clID"), rtext(new, cinf + "crID")),
                         (gaining, gaining))
        self.assertIsNone(rfind(new, cinf + "authInfo"), new.raw)  # none until set
        self.assertEqual({e.get("s") for e in new.root.iter("{%s}status" % CONTACT_NS)},
                         {"ok", "linked"})
        old = self.contact_info(losing, orig, d)
        self.assertEqual(rtext(old, cinf + "clID"), losing)
        self.assertEqual(self.contact_data(new), self.contact_data(old))
        rows = self.contact_history(copy, d)
        self.assertEqual([row[:3] for row in rows], [("copy", actor, "epp")])
        snap = json.loads(rows[0][3])
        self.assertEqual((snap["copied_from"], snap["copied_for_domain"]), (orig, domain))

    def test_R4_transfer_copies_contacts_to_gaining_registrar(self):
        name = "trn-r4.dk"
        holder_ = self.r4_contact(A, "R4-HOLDER", "r4-holder@example.test")
        admin_ = self.r4_contact(A, "R4-ADMIN", "r4-admin@example.test")
        self.create(name, registrant=holder_, pw="Trn-Pw-r4",
                    contacts=[("admin", admin_), ("tech", admin_), ("billing", holder_)])
        self.create("trn-r4-stays.dk", registrant=holder_, contacts=[("admin", admin_)])
        before = {h: self.contact_answer(self.contact_info(A, h)) for h in (holder_, admin_)}
        self.assertCode(self.cmd(B, transfer_xml("request", name, pw="Trn-Pw-r4")), 1000)

        # the gaining registrar's domain info names new contacts, each old one
        # copied once however many roles it has
        r = self.info_ok(name, clid=B)
        roles = dict(contacts_of(r))
        registrant = inf(r, "registrant")
        self.assertEqual(set(roles), {"admin", "tech", "billing"})
        self.assertEqual(roles["tech"], roles["admin"])
        self.assertEqual(roles["billing"], registrant)
        self.assertNotEqual(registrant, roles["admin"])
        # sponsored by it, with the old data, made by it over EPP (R40)
        self.assert_r4_copy(registrant, holder_, B, A, name, B)
        self.assert_r4_copy(roles["admin"], admin_, B, A, name, B)

        # the old objects are exactly as they were, still linked to REG-A's
        # other domain
        for h in (holder_, admin_):
            self.assertEqual(self.contact_answer(self.contact_info(A, h)), before[h], h)
        r = self.info_ok("trn-r4-stays.dk")
        self.assertEqual((inf(r, "registrant"), contacts_of(r)), (holder_, {("admin", admin_)}))
        # the copies are the gaining registrar's to change, not the loser's
        chg = c_update(roles["admin"], chg="<contact:email>new@example.test</contact:email>")
        self.assertCode(self.cmd(A, chg), 2201)
        self.assertCode(self.cmd(B, chg), 1000)
        self.assertEqual(self.contact_answer(self.contact_info(A, admin_)), before[admin_])

    def test_R4_identical_contact_of_gaining_registrar_reused(self):
        name = "trn-r4-reuse.dk"
        orig = self.r4_contact(A, "R4R-HOLDER", "r4-reuse@example.test")
        mine = self.r4_contact(B, "R4R-MINE", "r4-reuse@example.test")
        self.create(name, registrant=orig, pw="Trn-Pw-r4r", contacts=[("tech", orig)])
        self.assertCode(self.cmd(B, transfer_xml("request", name, pw="Trn-Pw-r4r")), 1000)
        r = self.info_ok(name, clid=B)
        self.assertEqual((inf(r, "registrant"), contacts_of(r)), (mine, {("tech", mine)}))
        self.assertEqual([row[0] for row in self.contact_history(mine)], ["create"])
        self.assertEqual(self.copies_for(name), 0)

    def test_transfer_with_period_extends_expiry(self):
        name = "trn-period.dk"
        self.create(name, pw="Trn-Pw-456")
        ex = parse_time(self.exdate(name))
        r = self.cmd(B, transfer_xml("request", name, pw="Trn-Pw-456", period=1))
        self.assertCode(r, 1000)
        self.assertEqual(parse_time(trn(r)["exDate"]), add_years(ex, 1))
        self.assertEqual(parse_time(self.exdate(name, clid=B)), add_years(ex, 1))

    def test_transfer_period_beyond_ten_years_2306(self):
        # a transfer period extends the expiry like a renewal: the same limit
        name = "trn-far.dk"
        self.create(name, pw="Trn-Pw-far", period=10)
        ex = self.exdate(name)
        r = self.cmd(B, transfer_xml("request", name, pw="Trn-Pw-far", period=1))
        self.assertCode(r, 2306)
        self.assertReason(r)
        r = self.info_ok(name)
        self.assertEqual((inf(r, "clID"), inf(r, "exDate")), (A, ex))

    def test_transfer_wrong_authinfo_2202(self):
        name = "trn-wrong.dk"
        self.create(name, pw="Trn-Pw-789")
        for pw in ("Trn-Pw-780", None):
            r = self.cmd(B, transfer_xml("request", name, pw=pw))
            self.assertCode(r, 2202, pw)
            self.assertReason(r)
        # R14: without auth info there is no transfer at all
        self.create("trn-noauth.dk", pw=None)
        self.assertCode(self.cmd(B, transfer_xml("request", "trn-noauth.dk", pw="Anything-1")),
                        2202)
        self.assertEqual(inf(self.info_ok(name), "clID"), A)

    def test_transfer_own_domain_2106(self):
        name = "trn-own.dk"
        self.create(name, pw="Trn-Pw-own")
        r = self.cmd(A, transfer_xml("request", name, pw="Trn-Pw-own"))
        self.assertCode(r, 2106)
        self.assertReason(r)

    def test_transfer_client_transfer_prohibited_2304(self):
        name = "trn-locked.dk"
        self.create(name, pw="Trn-Pw-lock")
        self.assertCode(self.cmd(A, update_xml(
            name, add={"statuses": ["clientTransferProhibited"]})), 1000)
        r = self.cmd(B, transfer_xml("request", name, pw="Trn-Pw-lock"))
        self.assertCode(r, 2304)
        self.assertReason(r, "clientTransferProhibited")
        self.assertEqual(inf(self.info_ok(name), "clID"), A)

    def test_transfer_query_without_transfer_2301(self):
        name = "trn-none.dk"
        self.create(name, pw="Trn-Pw-none")
        self.assertCode(self.cmd(A, transfer_xml("query", name)), 2301)
        self.assertCode(self.cmd(B, transfer_xml("query", name, pw="Trn-Pw-none")), 2301)
        self.assertCode(self.cmd(A, transfer_xml("approve", name)), 2301)
        self.assertCode(self.cmd(B, transfer_xml("query", "trn-nothing.dk")), 2303)

    # === transfer, pending mode ([transfer] mode = pending) =============================

    def pending_request(self, name, pw="Pend-Pw-1"):
        d = self.daemon("pending")
        self.create(name, d=d, pw=pw)
        self.drain_poll(A, d)
        self.drain_poll(B, d)
        r = self.cmd(B, transfer_xml("request", name, pw=pw), d=d)
        self.assertCode(r, 1001)
        return d, r

    def test_pending_request_1001_and_query_by_both_parties(self):
        name = "pend-query.dk"
        d, r = self.pending_request(name)
        t = trn(r)
        self.assertEqual((t["name"], t["trStatus"], t["reID"], t["acID"]),
                         (name, "pending", B, A))
        # automatic approval is due after [transfer] pending_period (5 days)
        self.assertEqual((parse_time(t["acDate"]) - parse_time(t["reDate"])).days, 5)
        r = self.info_ok(name, d=d)
        self.assertIn("pendingTransfer", statuses(r))
        self.assertEqual(inf(r, "clID"), A)
        for clid, pw in ((B, None), (A, None), (C, "Pend-Pw-1")):
            r = self.cmd(clid, transfer_xml("query", name, pw=pw), d=d)
            self.assertCode(r, 1000, clid)
            self.assertEqual(trn(r)["trStatus"], "pending")
            self.assertEqual(trn(r)["reID"], B)
        # the losing registrar is told
        r, t = self.poll_trn(A, d)
        self.assertEqual((t["name"], t["trStatus"]), (name, "pending"))

    def test_pending_approve_by_loser(self):
        name = "pend-approve.dk"
        d = self.daemon("pending")
        self.create(name, d=d, pw="Pend-Pw-1")
        ex = parse_time(self.exdate(name, d=d))
        self.drain_poll(A, d)
        self.drain_poll(B, d)
        r = self.cmd(B, transfer_xml("request", name, pw="Pend-Pw-1", period=2), d=d)
        self.assertCode(r, 1001)
        self.assertEqual(parse_time(trn(r)["exDate"]), add_years(ex, 2))
        self.assertEqual(parse_time(self.exdate(name, d=d)), ex)  # not before approval
        self.drain_poll(A, d)
        r = self.cmd(A, transfer_xml("approve", name), d=d)
        self.assertCode(r, 1000)
        self.assertEqual(trn(r)["trStatus"], "clientApproved")
        r = self.info_ok(name, clid=B, d=d)
        self.assertEqual(inf(r, "clID"), B)
        self.assertNotIn("pendingTransfer", statuses(r))
        self.assertEqual(parse_time(inf(r, "exDate")), add_years(ex, 2))
        r, t = self.poll_trn(B, d)
        self.assertEqual((t["name"], t["trStatus"]), (name, "clientApproved"))
        self.assertCode(self.cmd(C, transfer_xml("request", name, pw="Pend-Pw-1"), d=d), 2202)

    def test_R4_contacts_copied_when_losing_registrar_approves(self):
        d = self.daemon("pending")
        name = "pend-r4.dk"
        orig = self.r4_contact(A, "R4P-HOLDER", "r4-pending@example.test", d)
        self.create(name, d=d, registrant=orig, pw="Pend-Pw-r4", contacts=[("admin", orig)])
        self.create("pend-r4-stays.dk", d=d, registrant=orig)
        before = self.contact_answer(self.contact_info(A, orig, d))
        self.assertCode(self.cmd(B, transfer_xml("request", name, pw="Pend-Pw-r4"), d=d), 1001)
        # nothing is copied while the transfer waits
        self.assertEqual(inf(self.info_ok(name, d=d), "registrant"), orig)
        self.assertEqual(self.copies_for(name, d), 0)
        self.assertCode(self.cmd(A, transfer_xml("approve", name), d=d), 1000)
        r = self.info_ok(name, clid=B, d=d)
        copy = inf(r, "registrant")
        self.assertEqual(contacts_of(r), {("admin", copy)})
        # R40: the copy is the approving registrar's act
        self.assert_r4_copy(copy, orig, B, A, name, A, d)
        # the original stays as it was, with REG-A's other domain
        self.assertEqual(self.contact_answer(self.contact_info(A, orig, d)), before)
        self.assertEqual(inf(self.info_ok("pend-r4-stays.dk", d=d), "registrant"), orig)

    def test_pending_reject_by_loser(self):
        name = "pend-reject.dk"
        d, _ = self.pending_request(name)
        r = self.cmd(A, transfer_xml("reject", name), d=d)
        self.assertCode(r, 1000)
        self.assertEqual(trn(r)["trStatus"], "clientRejected")
        r = self.info_ok(name, d=d)
        self.assertEqual(inf(r, "clID"), A)
        self.assertNotIn("pendingTransfer", statuses(r))
        r, t = self.poll_trn(B, d)
        self.assertEqual((t["name"], t["trStatus"]), (name, "clientRejected"))
        r = self.cmd(B, transfer_xml("query", name), d=d)
        self.assertCode(r, 1000)
        self.assertEqual(trn(r)["trStatus"], "clientRejected")
        # the auth info still works for a new request
        self.assertCode(self.cmd(B, transfer_xml("request", name, pw="Pend-Pw-1"), d=d), 1001)

    def test_pending_cancel_by_gainer(self):
        name = "pend-cancel.dk"
        d, _ = self.pending_request(name)
        self.drain_poll(A, d)
        r = self.cmd(B, transfer_xml("cancel", name), d=d)
        self.assertCode(r, 1000)
        self.assertEqual(trn(r)["trStatus"], "clientCancelled")
        r = self.info_ok(name, d=d)
        self.assertEqual(inf(r, "clID"), A)
        self.assertNotIn("pendingTransfer", statuses(r))
        r, t = self.poll_trn(A, d)
        self.assertEqual((t["name"], t["trStatus"]), (name, "clientCancelled"))

    def test_pending_other_registrar_2201(self):
        name = "pend-other.dk"
        d, _ = self.pending_request(name)
        for clid, op in ((C, "approve"), (C, "reject"), (C, "cancel"), (B, "approve"),
                         (B, "reject"), (A, "cancel"), (C, "query")):
            r = self.cmd(clid, transfer_xml(op, name), d=d)
            self.assertCode(r, 2201, "%s %s" % (clid, op))
            self.assertReason(r)
        r = self.info_ok(name, d=d)
        self.assertIn("pendingTransfer", statuses(r))
        self.assertEqual(inf(r, "clID"), A)

    def test_pending_query_wrong_authinfo_2202(self):
        # RFC 5730 §3: 2202 is the answer to invalid authorization information
        # (as domain:info gives it); 2201 is for a client without any claim
        name = "pend-query-pw.dk"
        d, _ = self.pending_request(name)
        r = self.cmd(C, transfer_xml("query", name, pw="Wrong-Pw-1"), d=d)
        self.assertCode(r, 2202)
        self.assertReason(r)

    def test_pending_second_request_2300(self):
        name = "pend-twice.dk"
        d, _ = self.pending_request(name)
        for clid in (C, B):
            r = self.cmd(clid, transfer_xml("request", name, pw="Pend-Pw-1"), d=d)
            self.assertCode(r, 2300, clid)
            self.assertReason(r)
        r = self.cmd(B, transfer_xml("query", name), d=d)
        self.assertEqual(trn(r)["reID"], B)

    def test_pending_blocks_update_renew_delete_2304(self):
        name = "pend-block.dk"
        d, _ = self.pending_request(name)
        self.assertCode(self.cmd(A, update_xml(name, add={"ns": [NS1]}), d=d), 2304)
        self.assertCode(self.cmd(A, renew_xml(name, self.exdate(name, d=d)[:10]), d=d), 2304)
        self.assertCode(self.cmd(A, delete_xml(name), regd_verified("delete"), d), 2304)

    def test_pending_query_without_transfer_2301(self):
        d = self.daemon("pending")
        name = "pend-none.dk"
        self.create(name, d=d, pw="Pend-Pw-2")
        self.assertCode(self.cmd(A, transfer_xml("query", name), d=d), 2301)
        for op in ("approve", "reject"):
            self.assertCode(self.cmd(A, transfer_xml(op, name), d=d), 2301, op)
        self.assertCode(self.cmd(B, transfer_xml("cancel", name), d=d), 2301)

    # === history (R40) ==========================================================

    def test_history_every_change_R40(self):
        name = "hist.dk"
        svtrids = []

        def ok(clid, xml, code=1000, ext=""):
            r = self.cmd(clid, xml, ext)
            self.assertCode(r, code)
            svtrids.append((r.svtrid, clid))
            return r

        ok(A, create_xml(name, holder(A), pw="Hist-Pw-1"))
        ok(A, update_xml(name, add={"ns": [NS1]}))
        ok(A, renew_xml(name, self.exdate(name)[:10]))
        ok(B, transfer_xml("request", name, pw="Hist-Pw-1"))
        ok(B, delete_xml(name), 1001, regd_verified("delete"))
        ok(B, update_xml(name, chg=True), 1000, rgp_restore())
        # refused commands leave no version
        self.assertCode(self.cmd(C, update_xml(name, add={"ns": [NS2]})), 2201)
        self.assertCode(self.cmd(B, renew_xml(name, "2001-01-01")), 2306)
        rows = self.history(name)
        self.assertEqual([row[0] for row in rows],
                         ["create", "update", "renew", "transfer", "delete", "restore"])
        for (action, actor, channel, svtrid, registrar), (want_svtrid, clid) in zip(rows,
                                                                                   svtrids):
            self.assertEqual((actor, channel, svtrid, registrar),
                             (clid, "epp", want_svtrid, clid), action)
        # each version holds the object after the change, never the auth info
        snaps = [row[0] for row in sql(self.d, "SELECT snapshot FROM history WHERE object_kind "
                                               "= 'domain' AND object_key = %s ORDER BY id"
                                               % q(name))]
        self.assertEqual(json.loads(snaps[1])["ns"], [NS1])
        self.assertEqual(json.loads(snaps[3])["sponsor"], B)
        for snap in snaps:
            self.assertNotIn("Hist-Pw-1", snap)
            self.assertNotIn("argon2", snap)

    # --- issue 11: extensions refused, never ignored; login services; <msg> ----------

    def assertRefusedExtension(self, r, code, ns, *words):
        """code with the namespace in the reason and as the <extValue><value>
        element's namespace (RFC 5730 §2.6), the reason also in <msg>."""
        self.assertCode(r, code)
        self.assertIn(ns, r.reason or "", r.raw)
        value = r.find("epp:response/epp:result/epp:extValue/epp:value")
        self.assertIsNotNone(value, r.raw)
        self.assertEqual([e.tag.split("}")[0][1:] for e in value], [ns], r.raw)
        self.assertEqual(r.msg, r.reason, r.raw)
        for w in words:
            self.assertIn(w, r.reason, r.raw)

    def test_unimplemented_extension_namespace_2103_not_2001(self):
        """RFC 5730 §3: a schema-valid command with an extension the server
        does not implement is 2103 naming it, and nothing is done."""
        launch = "urn:ietf:params:xml:ns:launch-1.0"
        r = self.client(A).command(check_xml("launch-check.dk"), cltrid="LAUNCH-1", extension=(
            '<launch:check xmlns:launch="%s" type="avail"><launch:phase>sunrise</launch:phase>'
            '</launch:check>' % launch))
        self.assertRefusedExtension(r, 2103, launch, "not implemented")
        self.assertEqual(r.cltrid, "LAUNCH-1")
        token = "urn:ietf:params:xml:ns:allocationToken-1.0"
        r = self.cmd(A, create_xml("alloc-token.dk", holder(A), pw="Dpw-12345"),
                     '<allocationToken:allocationToken xmlns:allocationToken="%s">abc123'
                     '</allocationToken:allocationToken>' % token)
        self.assertRefusedExtension(r, 2103, token)
        self.assertCode(self.info("alloc-token.dk"), 2303)  # not created
        for fee in ("urn:ietf:params:xml:ns:fee-0.6", "urn:ietf:params:xml:ns:fee-0.11",
                    "urn:ietf:params:xml:ns:fee-0.12"):
            r = self.cmd(A, check_xml("old-fee.dk"), '<fee:check xmlns:fee="%s"><fee:domain>'
                         '<fee:name>old-fee.dk</fee:name><fee:command>create</fee:command>'
                         '</fee:domain></fee:check>' % fee)
            self.assertRefusedExtension(r, 2103, fee)
        # an unknown one next to one we implement: still refused
        r = self.cmd(A, create_xml("two-ext.dk", holder(A), pw="Dpw-12345"),
                     secdns_create([ds()]) + '<x:y xmlns:x="urn:example:x-1.0"/>')
        self.assertRefusedExtension(r, 2103, "urn:example:x-1.0")
        self.assertCode(self.info("two-ext.dk"), 2303)

    def test_misplaced_extension_element_2103_nothing_changes(self):
        """An extension element of a namespace we implement, on a command it
        does not belong to, is refused (2103), never silently dropped."""
        name = "misplaced-ext.dk"
        self.create(name, ns=[NS1])
        exdate = self.exdate(name)
        # secDNS:create inside an update (used to answer 1000 and drop the DS)
        r = self.cmd(A, update_xml(name, add={"ns": [NS2]}), secdns_create([ds()]))
        self.assertRefusedExtension(r, 2103, SECDNS_NS, "domain:update")
        r = self.info_ok(name)
        self.assertEqual(ds_of(r), [])
        self.assertEqual(ns_of(r), [NS1])
        # secDNS:update inside a create
        r = self.cmd(A, create_xml("misplaced-new.dk", holder(A), pw="Dpw-12345"),
                     secdns_update(add=[ds()]))
        self.assertRefusedExtension(r, 2103, SECDNS_NS, "domain:create")
        self.assertCode(self.info("misplaced-new.dk"), 2303)
        # fee:create on a renew
        r = self.cmd(A, renew_xml(name, exdate[:10], 1),
                     '<fee:create xmlns:fee="urn:ietf:params:xml:ns:epp:fee-1.0">'
                     '<fee:fee>10.00</fee:fee></fee:create>')
        self.assertRefusedExtension(r, 2103, "urn:ietf:params:xml:ns:epp:fee-1.0", "renew")
        self.assertEqual(self.exdate(name), exdate)
        # secDNS:create on an info, regd:otp on a transfer query
        r = self.cmd(A, info_xml(name), secdns_create([ds()]))
        self.assertRefusedExtension(r, 2103, SECDNS_NS, "domain:info")
        r = self.cmd(B, transfer_xml("query", name),
                     '<regd:transfer xmlns:regd="%s"><regd:otp channel="email"/></regd:transfer>'
                     % REGD_NS)
        self.assertRefusedExtension(r, 2103, REGD_NS, "op=query")
        # the same extension twice is a syntax error
        r = self.cmd(A, update_xml(name, add={"ns": [NS2]}),
                     secdns_update(add=[ds()]) + secdns_update(add=[ds(seed="x")]))
        self.assertCode(r, 2001)
        self.assertIn("twice", r.reason)
        self.assertEqual(ns_of(self.info_ok(name)), [NS1])

    def test_error_msg_carries_the_reason(self):
        """Clients that show only <msg> (Net::EPP::Simple) see why."""
        self.create("msg-reason.dk")
        r = self.cmd(A, create_xml("msg-reason.dk", holder(A), pw="Dpw-12345"))
        self.assertCode(r, 2302)
        self.assertIn("msg-reason.dk", r.msg)
        self.assertEqual(r.msg, r.reason)
        self.assertNotRegex(r.msg, r"\(R\d+")
        r = self.cmd(A, create_xml("msg-reason-2.dk", holder(A), pw="Dpw-12345"),
                     secdns_create([ds(alg=3)]))
        self.assertCode(r, 2306)
        self.assertEqual(r.msg, r.reason)
        # the algorithms the error names are exactly those a create accepts
        named = [int(a) for a in re.findall(r"\b\d+\b", r.reason.split("use", 1)[1])]
        self.assertTrue(named, r.reason)
        for alg in range(0, 17):
            r = self.cmd(A, create_xml("alg-%d.dk" % alg, holder(A), pw="Dpw-12345"),
                         secdns_create([ds(alg=alg)]))
            self.assertEqual(r.code == 1000, alg in named, "alg %d: %s" % (alg, r.raw))

    def test_login_services_are_honoured_rfc5730(self):
        """A session uses only the objects and extensions it announced at
        login: others are refused (2307 objects, 2103 extensions), and
        response data of an extension it did not announce goes to
        <extValue> (RFC 9038) instead of <extension>."""
        name = "services.dk"
        self.create(name, ext=secdns_create([ds()]))
        c = EPPClient(self.d.host, self.d.port, recorder=self.recorder)
        self.addCleanup(c.close)
        self.assertCode(c.login(A, REGISTRARS[A], obj_uris=[DOMAIN_NS], ext_uris=[REGD_NS]),
                        1000)
        r = c.command(info_xml(name))
        self.assertCode(r, 1000)
        self.assertIsNone(rfind(r, "epp:response/epp:extension/secDNS:infData"), r.raw)
        self.assertIsNotNone(rfind(r, "epp:response/epp:extension/regd:infData"), r.raw)
        moved = rfind(r, "epp:response/epp:result/epp:extValue/epp:value/secDNS:infData")
        self.assertIsNotNone(moved, r.raw)
        self.assertEqual(r.reason, SECDNS_NS + " not in login services")
        # a command with an extension not announced
        r = c.command(update_xml(name), secdns_update(add=[ds(seed="z")]))
        self.assertCode(r, 2103)
        self.assertIn(SECDNS_NS, r.reason)
        self.assertEqual(len(ds_of(self.info_ok(name))), 1)
        # an object not announced
        r = c.command('<info><contact:info xmlns:contact="%s"><contact:id>%s</contact:id>'
                      '</contact:info></info>' % (CONTACT_NS, holder(A)))
        self.assertCode(r, 2307)
        self.assertIn(CONTACT_NS, r.reason)

    def test_poll_message_of_unannounced_object_goes_to_extvalue_rfc9038(self):
        """A poll message about a domain, read by a session that announced
        only contacts: 1301 with the domain:trnData in <extValue> (RFC 9038
        §6), not in <resData>."""
        name = "poll-9038.dk"
        self.drain_poll(C)
        self.create(name, clid=C, pw="P9038-pw-1")
        self.assertCode(self.cmd(B, transfer_xml("request", name, pw="P9038-pw-1")), 1000)
        c = EPPClient(self.d.host, self.d.port, recorder=self.recorder)
        self.addCleanup(c.close)
        self.assertCode(c.login(C, REGISTRARS[C], obj_uris=[CONTACT_NS], ext_uris=[]), 1000)
        r = c.poll_req()
        self.assertCode(r, 1301)
        self.assertIsNone(rfind(r, "epp:response/epp:resData"), r.raw)
        moved = rfind(r, "epp:response/epp:result/epp:extValue/epp:value/domain:trnData")
        self.assertIsNotNone(moved, r.raw)
        self.assertEqual(moved.findtext("domain:name", namespaces=NS), name)
        self.assertEqual(r.reason, DOMAIN_NS + " not in login services")
        self.assertCode(c.poll_ack(r.msgq.get("id")), 1000)


class SQLiteEPPDomainTest(EPPDomainBase, unittest.TestCase):
    backend = "sqlite"


class PgEPPDomainTest(EPPDomainBase, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
