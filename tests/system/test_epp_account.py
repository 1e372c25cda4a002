"""System tests of registrant accounts over EPP (https://registryd.org/epp/
account-1.0; DESIGN §5, R33-R40): the real registryd on loopback, driven
over TLS with tests/system/eppclient.py. One test per rule violation checks
the result code and the rule's own message; the happy paths check what
info, contact:info, the database and regctl show afterwards.

Every test runs on SQLite (SQLiteEPPAccountTest) and on PostgreSQL
(PgEPPAccountTest), one daemon per class. Every frame the server sends is
recorded; at the end of each class all of them are validated with
`xmllint --schema $REG_SCHEMA_DIR/all.xsd` (the Recorder of
test_epp_session.py).

Run through ctest (tests/system/epp_tests.cmake), or directly with REGCTL,
REGISTRYD, REG_SCHEMA_DIR and (for PostgreSQL) REG_TEST_PG_URL_FILE set:
    python3 tests/system/test_epp_account.py [-v] [SQLiteEPPAccountTest[.test_name]]
"""

import hashlib
import os
import re
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from daemon import Daemon, scratch_root  # noqa: E402
from eppclient import OBJ_URIS, EPPClient, is_domain_create, with_terms, xml_escape  # noqa: E402
from test_epp_contact import c_create, c_delete, c_info, c_update, postal  # noqa: E402
from test_epp_domain import REGD_NS, create_xml, regd_create, regd_verified, sql, \
    transfer_xml, update_xml  # noqa: E402
from test_epp_session import Recorder, stop_and_validate  # noqa: E402

ACCOUNT_NS = "https://registryd.org/epp/account-1.0"
CONTACT_NS = "urn:ietf:params:xml:ns:contact-1.0"
NS = {"epp": "urn:ietf:params:xml:ns:epp-1.0", "account": ACCOUNT_NS, "contact": CONTACT_NS}

A, B = "REG-A", "REG-B"
REGISTRARS = {A: "a-Secret-1", B: "b-Secret-1"}
SLOTS = ("a1", "a2", "a3", "b1", "b2", "b3")


# --- account XML builders (schema/account-1.0.xsd) ------------------------------

def _a(verb, body):
    return ('<%s><account:%s xmlns:account="%s">%s</account:%s></%s>'
            % (verb, verb, ACCOUNT_NS, body, verb, verb))


def _id(aid):
    return "<account:id>%s</account:id>" % xml_escape(aid)


def slot(name, contact):
    return '<account:contact slot="%s">%s</account:contact>' % (name, xml_escape(contact))


def new_contact(name, person, email, city="Aarhus C", cc="DK", street=(), voice=None, cid=None):
    """<account:newContact>: a contact object made from data (R37)."""
    body = "<account:name>%s</account:name>" % xml_escape(person)
    body += "".join("<account:street>%s</account:street>" % xml_escape(s) for s in street)
    body += "<account:city>%s</account:city><account:cc>%s</account:cc>" % (xml_escape(city), cc)
    if voice:
        body += "<account:voice>%s</account:voice>" % voice
    body += "<account:email>%s</account:email>" % xml_escape(email)
    attrs = ' slot="%s"' % name + (' id="%s"' % cid if cid else "")
    return "<account:newContact%s>%s</account:newContact>" % (attrs, body)


def slot_fields(slot_name, **fields):
    """<account:slot name="…">: fields in schema order (R38)."""
    order = ("name", "org", "street", "city", "sp", "pc", "cc", "voice", "email")
    body = ""
    for key in order:
        if key in fields:
            values = fields[key] if isinstance(fields[key], (list, tuple)) else [fields[key]]
            body += "".join("<account:%s>%s</account:%s>" % (key, xml_escape(v), key)
                            for v in values)
    return '<account:slot name="%s">%s</account:slot>' % (slot_name, body)


def a_check(*ids):
    return _a("check", "".join(_id(i) for i in ids))


def a_info(aid):
    return _a("info", _id(aid))


def a_create(aid, *slots, billing=None):
    b = "<account:billing>%s</account:billing>" % billing if billing else ""
    return _a("create", _id(aid) + b + "".join(slots))


def a_update(aid, add=(), rem=(), billing=None, fields=()):
    body = _id(aid)
    if add:
        body += "<account:add>%s</account:add>" % "".join(add)
    if rem:
        body += "<account:rem>%s</account:rem>" % "".join(rem)
    if billing:
        body += "<account:chg><account:billing>%s</account:billing></account:chg>" % billing
    return _a("update", body + "".join(fields))


def rtext(r, path):
    return r.root.findtext(path, namespaces=NS)


class EPPAccountBase:
    backend = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="epp-account-%s-" % cls.backend, dir=scratch_root())
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.recorder = Recorder(os.path.join(cls.tmp, "responses"))
        cls.d = Daemon(cls.backend, name="epp-account",
                       settings={"http.base_url": "https://nic.example"})
        cls.addClassCleanup(cls.d.cleanup)
        for handle, pw in REGISTRARS.items():
            cls.d.add_registrar(handle, pw)
        cls.d.start()
        cls.clients = {}

    @classmethod
    def tearDownClass(cls):
        for c in cls.clients.values():
            c.close()
        stop_and_validate(cls.__name__, [cls.d], cls.recorder)

    # --- helpers -------------------------------------------------------------

    def session(self, clid=A):
        if clid not in self.clients:
            c = EPPClient(self.d.host, self.d.port, recorder=self.recorder)
            r = c.login(clid, REGISTRARS[clid], obj_uris=OBJ_URIS + [ACCOUNT_NS],
                        ext_uris=[REGD_NS])
            self.assertEqual(r.code, 1000, r.raw)
            self.clients[clid] = c
        return self.clients[clid]

    def cmd(self, xml, clid=A, extension=""):
        if is_domain_create(xml):
            extension = with_terms(extension)  # R20
        return self.session(clid).command(xml, extension=extension)

    def assertCode(self, r, code, *reason_has):
        self.assertEqual(r.code, code, "expected %d, got:\n%s" % (code, r.raw))
        if code >= 2000:
            self.assertTrue(r.reason, "no reason in:\n%s" % r.raw)
        for text in reason_has:
            self.assertIn(text, r.reason or "", r.raw)

    def contact(self, cid, email=None, clid=A, name="Jens Hansen"):
        """A contact of clid; returns its stored id (REGISTRAR:ID)."""
        r = self.cmd(c_create(cid, postals=[postal("loc", name=name)],
                              email=email or "%s@example.test" % cid.lower()), clid)
        self.assertCode(r, 1000)
        return rtext(r, "epp:response/epp:resData/contact:creData/contact:id")

    def create(self, aid, *slots, billing=None, clid=A):
        r = self.cmd(a_create(aid, *slots, billing=billing), clid)
        self.assertCode(r, 1000)
        return rtext(r, "epp:response/epp:resData/account:creData/account:id")

    def info(self, aid, clid=A):
        r = self.cmd(a_info(aid), clid)
        self.assertCode(r, 1000)
        inf = "epp:response/epp:resData/account:infData/"
        out = {"billing": rtext(r, inf + "account:billing"),
               "clID": rtext(r, inf + "account:clID"),
               "slots": {e.get("slot"): e.text
                         for e in r.root.findall(inf + "account:contact", NS)}}
        for tag in ("id", "roid", "crID", "crDate", "upID", "upDate"):
            out[tag] = rtext(r, inf + "account:" + tag)
        return out

    def account_with(self, tag, billing=None, extra=()):
        """An account with a fresh a1 contact (and the slots in extra)."""
        a1 = self.contact(tag + "-a1")
        return self.create(tag, slot("a1", a1), *extra, billing=billing), a1

    def db(self, statement):
        return sql(self.d, statement)

    # --- check, info, create: RFC 5730 codes ----------------------------------

    def test_check_at_most_100_ids_2306(self):
        r = self.cmd(a_check(*["chk-many%d" % i for i in range(101)]))
        self.assertCode(r, 2306)
        self.assertIn("at most 100", r.reason)

    def test_check(self):
        aid, _ = self.account_with("chk-used")
        r = self.cmd(a_check("chk-used", aid, "chk-free", "bad_id"))
        self.assertCode(r, 1000)
        cds = r.root.findall("epp:response/epp:resData/account:chkData/account:cd", NS)
        got = [(cd.find("account:id", NS).text, cd.find("account:id", NS).get("avail"),
                cd.findtext("account:reason", namespaces=NS)) for cd in cds]
        self.assertEqual(got, [("chk-used", "0", "in use"), (aid, "0", "in use"),
                               ("chk-free", "1", None),
                               ("bad_id", "0", "only A-Z, 0-9, : and - allowed")])
        # for REG-B, chk-used would be REG-B:CHK-USED
        r = self.cmd(a_check("chk-used"), B)
        self.assertEqual(r.root.find("epp:response/epp:resData/account:chkData/account:cd/"
                                     "account:id", NS).get("avail"), "1")

    def test_create_and_info(self):
        a1, a2, b1 = self.contact("ci-a1"), self.contact("ci-a2"), self.contact("ci-b1")
        r = self.cmd(a_create("cinfo", slot("a1", a1), slot("a2", a2), slot("b1", b1),
                              billing="registrant"))
        self.assertCode(r, 1000)
        self.assertEqual(rtext(r, "epp:response/epp:resData/account:creData/account:id"),
                         "REG-A:CINFO")
        self.assertTrue(rtext(r, "epp:response/epp:resData/account:creData/account:crDate"))
        i = self.info("reg-a:cinfo")  # any case
        self.assertEqual(i["id"], "REG-A:CINFO")
        self.assertRegex(i["roid"], r"^A\d+-DK$")
        self.assertEqual(i["billing"], "registrant")
        self.assertEqual(i["slots"], {"a1": a1, "a2": a2, "b1": b1})
        self.assertEqual((i["clID"], i["crID"]), (A, A))
        self.assertIsNone(i["upDate"])
        # another registrar sees the account, not its slots
        o = self.info("REG-A:CINFO", B)
        self.assertEqual((o["id"], o["clID"], o["billing"], o["slots"]), ("REG-A:CINFO", A,
                                                                           "registrant", {}))
        self.assertIsNone(o["crID"])
        # the contacts are linked now
        r = self.cmd(c_info(a2))
        self.assertIn("linked", [e.get("s") for e in r.root.findall(
            "epp:response/epp:resData/contact:infData/contact:status", NS)])

    def test_create_2302_and_2303(self):
        aid, a1 = self.account_with("dup")
        self.assertCode(self.cmd(a_create("dup", slot("a1", self.contact("dup-x")))), 2302,
                        "account REG-A:DUP already exists")
        self.assertCode(self.cmd(a_create("ghost", slot("a1", "REG-A:NO-SUCH"))), 2303,
                        "contact REG-A:NO-SUCH (slot a1) does not exist")
        self.assertCode(self.cmd(a_info("REG-A:NOTHING")), 2303,
                        "account REG-A:NOTHING does not exist")
        self.assertCode(self.cmd(a_create("bad_id", slot("a1", a1))), 2005, "is not allowed")

    def test_update_only_by_sponsor_2201(self):
        aid, _ = self.account_with("mine")
        r = self.cmd(a_update(aid, billing="registrant"), B)
        self.assertCode(r, 2201, "account REG-A:MINE is sponsored by REG-A")
        self.assertEqual(self.info(aid)["billing"], "registrar")

    def test_update_nothing_2003(self):
        aid, _ = self.account_with("idle")
        self.assertCode(self.cmd(a_update(aid)), 2003, "nothing to change")

    def test_extension_2103(self):
        aid, _ = self.account_with("ext")
        r = self.cmd(a_info(aid), extension=regd_verified("update"))
        self.assertCode(r, 2103, "domain-ext-1.0", "is not used with account:info")

    def test_contact_in_a_slot_cannot_be_deleted_2305(self):
        a2 = self.contact("del-a2")
        aid, a1 = self.account_with("del", extra=(slot("a2", a2),))
        self.assertCode(self.cmd(c_delete(a2)), 2305, "in an account's slot")
        self.assertCode(self.cmd(a_update(aid, rem=[slot("a2", a2)])), 1000)
        self.assertCode(self.cmd(c_delete(a2)), 1000)
        # an account without domains goes with its a1 contact
        self.assertCode(self.cmd(c_delete(a1)), 1000)
        self.assertCode(self.cmd(a_info(aid)), 2303)

    # --- R33 ----------------------------------------------------------------------

    def test_R33_slots_are_a1_to_a3_and_b1_to_b3(self):
        a1 = self.contact("r33-a1")
        r = self.cmd(a_create("r33", slot("a4", a1)))
        self.assertCode(r, 2001, "a4", "'a1', 'a2', 'a3', 'b1', 'b2', 'b3'")
        aid = self.create("r33", slot("a1", a1))
        r = self.cmd(a_update(aid, fields=[slot_fields("c1", email="x@example.test")]))
        self.assertCode(r, 2001, "c1")
        r = self.cmd(a_update(aid, add=[slot("b4", a1)]))
        self.assertCode(r, 2001, "b4")
        # all six at once
        cs = [self.contact("r33-%d" % i) for i in range(3)]
        full = self.create("r33-full", *[slot(n, cs[i % 3]) for i, n in enumerate(SLOTS)],
                           billing="registrant")
        self.assertEqual(self.info(full)["slots"], {n: cs[i % 3] for i, n in enumerate(SLOTS)})

    # --- R34 ----------------------------------------------------------------------

    def test_R34_create_without_a1_2306(self):
        a2 = self.contact("r34-a2")
        r = self.cmd(a_create("r34-none", slot("a2", a2)))
        self.assertCode(r, 2306, "slot a1 must be filled",
                        "it holds the registrant's own contact, with an email address")
        self.assertCode(self.cmd(a_info("REG-A:R34-NONE")), 2303)

    def test_R34_a1_cannot_be_removed_only_replaced(self):
        aid, a1 = self.account_with("r34-rem")
        r = self.cmd(a_update(aid, rem=[slot("a1", a1)]))
        self.assertCode(r, 2306, "slot a1 cannot be emptied, only replaced",
                        "add the new a1 contact in the same update")
        self.assertEqual(self.info(aid)["slots"], {"a1": a1})
        new = self.contact("r34-new")
        self.assertCode(self.cmd(a_update(aid, add=[slot("a1", new)], rem=[slot("a1", a1)])),
                        1000)
        self.assertEqual(self.info(aid)["slots"], {"a1": new})

    def test_R34_a1_without_email_2306(self):
        odd = self.contact("r34-mail")
        # every contact object has an email; data from elsewhere may not
        self.db("UPDATE contact SET email = '' WHERE handle = '%s'" % odd)
        r = self.cmd(a_create("r34-mail", slot("a1", odd)))
        self.assertCode(r, 2306, "including an email address, and %s has none" % odd)

    def test_R34_a1_holds_one_account_per_registrar_2305(self):
        aid, a1 = self.account_with("r34-one")
        r = self.cmd(a_create("r34-two", slot("a1", a1)))
        self.assertCode(r, 2305, "contact %s already holds slot a1 of account %s" % (a1, aid))

    # --- R35 ----------------------------------------------------------------------

    def test_R35_b2_b3_only_with_b1_2306(self):
        b = self.contact("r35-b")
        aid, a1 = self.account_with("r35", billing="registrant")
        r = self.cmd(a_update(aid, add=[slot("b2", b)]))
        self.assertCode(r, 2306, "slot b2 can only be filled while b1 is",
                        "billing contacts fill b1 first")
        r = self.cmd(a_create("r35-new", slot("a1", self.contact("r35-x")), slot("b3", b),
                              billing="registrant"))
        self.assertCode(r, 2306, "slot b3 can only be filled while b1 is")
        self.assertCode(self.cmd(a_update(aid, add=[slot("b1", b), slot("b2", a1)])), 1000)
        r = self.cmd(a_update(aid, rem=[slot("b1", b)]))
        self.assertCode(r, 2306, "slot b2 can only be filled while b1 is")

    def test_R35_billing_contacts_only_when_billed_to_registrant_2306(self):
        b = self.contact("r35r-b")
        aid, _ = self.account_with("r35r")  # billing registrar
        r = self.cmd(a_update(aid, add=[slot("b1", b)]))
        self.assertCode(r, 2306, "billing contacts (slots b1-b3) are only for accounts the "
                        "registry bills directly", "set billing to registrant",
                        "or leave b1-b3 empty")
        self.assertCode(self.cmd(a_update(aid, add=[slot("b1", b)], billing="registrant")), 1000)
        r = self.cmd(a_update(aid, billing="registrar"))
        self.assertCode(r, 2306, "this account's billing is registrar: set billing to registrant")
        self.assertCode(self.cmd(a_update(aid, rem=[slot("b1", b)], billing="registrar")), 1000)
        i = self.info(aid)
        self.assertEqual((i["billing"], "b1" in i["slots"]), ("registrar", False))

    # --- R36 ----------------------------------------------------------------------

    def test_R36_one_contact_in_two_admin_slots_2306(self):
        c = self.contact("r36-c")
        r = self.cmd(a_create("r36", slot("a1", c), slot("a3", c)))
        self.assertCode(r, 2306, "contact %s cannot fill both a1 and a3" % c,
                        "one contact fills at most one admin slot")

    def test_R36_one_contact_in_two_billing_slots_2306(self):
        c = self.contact("r36b-c")
        aid, a1 = self.account_with("r36b", billing="registrant", extra=(slot("b1", c),))
        r = self.cmd(a_update(aid, add=[slot("b2", c)]))
        self.assertCode(r, 2306, "cannot fill both b1 and b2",
                        "one contact fills at most one billing slot")
        # one admin and one billing slot is fine
        self.assertCode(self.cmd(a_update(aid, add=[slot("b2", a1)])), 1000)

    # --- R37 ----------------------------------------------------------------------

    def test_R37_slots_given_as_data_make_contact_objects(self):
        r = self.cmd(a_create("r37", new_contact("a1", "Karen Blixen", "karen@example.test",
                                                 city="Rungsted Kyst", street=["Rungstedvej 111"],
                                                 voice="+45.45571057", cid="karen"),
                              new_contact("a2", "Thomas Dinesen", "thomas@example.test",
                                          city="K\u00f8benhavn")))
        self.assertCode(r, 1000)
        slots = self.info("REG-A:R37")["slots"]
        self.assertEqual(slots["a1"], "REG-A:KAREN")
        self.assertRegex(slots["a2"], r"^REG-A:[0-9A-F]{8}$")
        r = self.cmd(c_info(slots["a2"]))
        self.assertCode(r, 1000)
        loc = "epp:response/epp:resData/contact:infData/contact:postalInfo[@type='loc']/"
        self.assertEqual(rtext(r, loc + "contact:name"), "Thomas Dinesen")
        self.assertEqual(rtext(r, loc + "contact:addr/contact:city"), "K\u00f8benhavn")
        self.assertEqual(rtext(r, "epp:response/epp:resData/contact:infData/contact:email"),
                         "thomas@example.test")
        self.assertEqual(rtext(r, "epp:response/epp:resData/contact:infData/contact:clID"), A)
        # bad data is the contact's own error, for that slot; nothing is made
        before = self.db("SELECT COUNT(*) FROM contact")
        r = self.cmd(a_create("r37-bad", new_contact("a1", "X", "x@example.test"),
                              new_contact("a2", "Y", "no-at-sign")))
        self.assertCode(r, 2005, "slot a2 (new contact)", "no-at-sign")
        self.assertEqual(self.db("SELECT COUNT(*) FROM contact"), before)
        # and a replacement a1 can be given as data too
        r = self.cmd(a_update("REG-A:R37", rem=[slot("a1", "REG-A:KAREN")],
                              add=[new_contact("a1", "Karen Dinesen", "kd@example.test")]))
        self.assertCode(r, 1000)
        self.assertNotEqual(self.info("REG-A:R37")["slots"]["a1"], "REG-A:KAREN")

    def test_R37_domain_on_a_new_account(self):
        holder = self.contact("r37-holder")
        self.assertCode(self.cmd(create_xml("r37-first.dk", registrant=holder)), 1000)
        # the new account is named after the registrant, who fills a1
        i = self.info(holder)
        self.assertEqual((i["id"], i["slots"], i["billing"]), (holder, {"a1": holder},
                                                               "registrar"))
        self.assertCode(self.cmd(create_xml("r37-second.dk", registrant=holder)), 1000)
        rows = self.db("SELECT d.name, a.handle FROM domain d JOIN account a ON a.id = "
                       "d.account_id WHERE d.name LIKE 'r37-%' ORDER BY d.name")
        self.assertEqual(rows, [("r37-first.dk", holder), ("r37-second.dk", holder)])
        # registrant-managed: billed to the registrant (R19)
        other = self.contact("r37-other")
        self.assertCode(self.cmd(create_xml("r37-managed.dk", registrant=other),
                                 extension=regd_create("registrant")), 1000)
        self.assertEqual(self.info(other)["billing"], "registrant")
        # a change of registrant moves the domain to the new registrant's account
        r = self.cmd(update_xml("r37-second.dk", registrant=other),
                     extension=regd_verified("update"))
        self.assertCode(r, 1000)
        rows = self.db("SELECT a.handle FROM domain d JOIN account a ON a.id = d.account_id "
                       "WHERE d.name = 'r37-second.dk'")
        self.assertEqual(rows, [(other,)])
        # the registrant of a domain is linked through the account as well
        self.assertCode(self.cmd(c_delete(holder)), 2305)

    def test_R37_transferred_domain_joins_the_gaining_registrars_account(self):
        holder = self.contact("r37t-holder")
        self.assertCode(self.cmd(create_xml("r37-moving.dk", registrant=holder, pw="Xfer-Pw-1")),
                        1000)
        r = self.cmd(transfer_xml("request", "r37-moving.dk", pw="Xfer-Pw-1"), B)
        self.assertCode(r, 1000)
        # R4 gave REG-B a copy of the registrant: the domain is on REG-B's
        # account of that copy; REG-A's account stays, without the domain
        copy = self.db("SELECT c.handle FROM domain d JOIN contact c ON c.id = d.registrant_id "
                       "WHERE d.name = 'r37-moving.dk'")[0][0]
        self.assertTrue(copy.startswith("REG-B:"), copy)
        i = self.info(copy, B)
        self.assertEqual((i["id"], i["clID"], i["slots"]), (copy, B, {"a1": copy}))
        rows = self.db("SELECT a.handle FROM domain d JOIN account a ON a.id = d.account_id "
                       "WHERE d.name = 'r37-moving.dk'")
        self.assertEqual(rows, [(copy,)])
        self.assertEqual(self.info(holder)["clID"], A)

    # --- R38 ----------------------------------------------------------------------

    def test_R38_slot_fields_change_the_contact_object(self):
        a2 = self.contact("r38-a2")
        aid, a1 = self.account_with("r38", extra=(slot("a2", a2),))
        other, _ = self.account_with("r38-other", extra=(slot("a2", a2),))
        r = self.cmd(a_update(aid, fields=[slot_fields("a2", email="anna@example.test",
                                                      city="Odense C", pc="5000"),
                                          slot_fields("a1", name="Jens P. Hansen")]))
        self.assertCode(r, 1000)
        svtrid = r.svtrid
        r = self.cmd(c_info(a2))
        inf = "epp:response/epp:resData/contact:infData/"
        self.assertEqual(rtext(r, inf + "contact:email"), "anna@example.test")
        self.assertEqual(rtext(r, inf + "contact:postalInfo/contact:addr/contact:city"),
                         "Odense C")
        self.assertEqual(rtext(r, inf + "contact:postalInfo/contact:addr/contact:street"),
                         "Vestergade 1")  # the other address fields stay
        self.assertEqual(rtext(r, inf + "contact:upID"), A)
        r = self.cmd(c_info(a1))
        self.assertEqual(rtext(r, inf + "contact:postalInfo/contact:name"), "Jens P. Hansen")
        # the contact's own history version, with the account command's svTRID
        rows = self.db("SELECT action, svtrid FROM history WHERE object_kind = 'contact' AND "
                       "object_key = '%s' ORDER BY id" % a2)
        self.assertEqual(rows[-1], ("update", svtrid))
        # changed directly by id: the same object in every account using it
        r = self.cmd(c_update(a2, chg="<contact:email>direct@example.test</contact:email>"))
        self.assertCode(r, 1000)
        rows = self.db("SELECT a.handle, c.email FROM account a JOIN contact c ON c.id = a.a2_id "
                       "WHERE a.handle IN ('%s', '%s') ORDER BY a.handle" % (aid, other))
        self.assertEqual(rows, [(aid, "direct@example.test"), (other, "direct@example.test")])

    def test_R38_slot_fields_of_an_empty_slot_2306(self):
        aid, _ = self.account_with("r38-empty")
        r = self.cmd(a_update(aid, fields=[slot_fields("a3", email="x@example.test")]))
        self.assertCode(r, 2306, "slot a3 of account %s is empty" % aid,
                        "there is no contact to change")

    def test_R38_slot_without_fields_2003(self):
        aid, _ = self.account_with("r38-none")
        r = self.cmd(a_update(aid, fields=[slot_fields("a1")]))
        self.assertCode(r, 2003, "slot a1: give at least one field to change")

    def test_R38_bad_field_is_the_contacts_error_and_nothing_changes(self):
        aid, a1 = self.account_with("r38-bad")
        r = self.cmd(a_update(aid, billing="registrant",
                              fields=[slot_fields("a1", voice="+45.1", email="not-an-address")]))
        self.assertCode(r, 2005, "slot a1 (contact %s)" % a1, "not-an-address")
        self.assertEqual(self.info(aid)["billing"], "registrar")

    def test_R38_another_registrars_contact_2201(self):
        theirs = self.contact("r38-theirs", clid=B)
        aid, _ = self.account_with("r38-auth", extra=(slot("a2", theirs),))
        r = self.cmd(a_update(aid, fields=[slot_fields("a2", email="x@example.test")]))
        self.assertCode(r, 2201, "contact %s in slot a2 is sponsored by %s" % (theirs, B))

    # --- R39 ----------------------------------------------------------------------

    def test_R39_regctl_prints_a_one_time_setup_link(self):
        b1 = self.contact("r39-b1")
        aid, a1 = self.account_with("r39", billing="registrant", extra=(slot("b1", b1),))
        r = self.d.regctl("account", "credentials", aid, "--slot", "a1")
        self.assertIn("contact     %s <r39-a1@example.test> (slot a1)" % a1, r.stdout)
        m = re.search(r"^setup link  https://nic\.example/self-service/setup/([A-Za-z0-9_-]{43})$",
                      r.stdout, re.M)
        self.assertIsNotNone(m, r.stdout)
        self.assertRegex(r.stdout, r"valid until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(one use\)")
        token = m.group(1)
        rows = self.db("SELECT k.setup_token_hash FROM contact_credential k JOIN contact c ON "
                       "c.id = k.contact_id WHERE c.handle = '%s'" % a1)
        self.assertEqual(rows, [(hashlib.sha256(token.encode()).hexdigest(),)])
        self.assertNotIn(token, str(self.db("SELECT * FROM contact_credential")))
        # billing contacts get no self-service access
        r = self.d.regctl("account", "credentials", aid, "--slot", "b1", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(r.stderr.strip().count("\n"), 0, r.stderr)
        self.assertIn("slot b1 is a billing slot: only the admin contacts a1-a3 get "
                      "self-service access", r.stderr)
        r = self.d.regctl("account", "credentials", aid, "--slot", "a2", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("slot a2 of account %s is empty" % aid, r.stderr)
        r = self.d.regctl("account", "credentials", aid, check=False)
        self.assertEqual(r.returncode, 2, r.stderr)
        r = self.d.regctl("account", "show", aid)
        self.assertIn("a1        %s" % a1, r.stdout)
        self.assertIn("billing   registrant", r.stdout)

    # --- R40 ----------------------------------------------------------------------

    def test_R40_history_of_every_account_change(self):
        aid, a1 = self.account_with("r40")
        r = self.cmd(a_update(aid, billing="registrant"))
        self.assertCode(r, 1000)
        svtrid = r.svtrid
        self.assertCode(self.cmd(a_update(aid, rem=[slot("a1", a1)])), 2306)  # no version
        rows = self.db("SELECT action, actor, channel, svtrid FROM history WHERE "
                       "object_kind = 'account' AND object_key = '%s' ORDER BY id" % aid)
        self.assertEqual([row[0] for row in rows], ["create", "update"])
        for row in rows:
            self.assertEqual(row[1:3], (A, "epp"))
        self.assertEqual(rows[1][3], svtrid)
        r = self.d.regctl("history", "--full", aid)
        self.assertRegex(r.stdout, r"account +update +REG-A")
        self.assertIn("\n    billing: registrant\n", r.stdout)


class SQLiteEPPAccountTest(EPPAccountBase, unittest.TestCase):
    backend = "sqlite"


class PgEPPAccountTest(EPPAccountBase, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
