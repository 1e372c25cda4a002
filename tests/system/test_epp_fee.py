"""System tests of the RFC 8748 fee extension (urn:ietf:params:xml:ns:epp:fee-1.0)
for domains: <fee:check> prices (defaults, registrar overrides, periods,
currency, unsupported commands and phases) and the fee agreement of create,
renew, transfer request and update (restore), with the prepaid ledger (R23,
R24). The real registryd on loopback, driven over TLS with eppclient.py.

Prices and credit are set with `regctl price set` and `regctl credit add`
where regctl has them, else written straight into the tables price and
ledger. Amounts in the database are minor units (øre); on the wire and on
regctl's command line they are DKK with two decimals.

Every test runs on SQLite (SQLiteEPPFeeTest) and on PostgreSQL
(PgEPPFeeTest). Every frame the server sends is validated at the end of
each class with `xmllint --noout --nonet --schema $REG_SCHEMA_DIR/all.xsd`.

Run through ctest (tests/system/epp_tests.cmake), or directly with REGCTL,
REGISTRYD, REG_SCHEMA_DIR and (for PostgreSQL) REG_TEST_PG_URL_FILE set:
    python3 tests/system/test_epp_fee.py [-v] [SQLiteEPPFeeTest[.test_name]]
"""

import os
import shutil
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from daemon import Daemon, scratch_root  # noqa: E402
from eppclient import REGD_NS, EPPClient, is_domain_create, with_terms, xml_escape  # noqa: E402
from test_epp_domain import (CONTACT_NS, DOMAIN_NS, RGP_NS,  # noqa: E402
                             check_xml, create_xml, delete_xml, q, regd_verified, renew_xml,
                             rgp_restore,
                             sql, transfer_xml, update_xml)
from test_epp_session import Recorder, stop_and_validate  # noqa: E402

FEE_NS = "urn:ietf:params:xml:ns:epp:fee-1.0"
EXT_URIS = [RGP_NS, FEE_NS, REGD_NS]  # creates carry the terms (R20)
NS = {"epp": "urn:ietf:params:xml:ns:epp-1.0", "domain": DOMAIN_NS, "fee": FEE_NS,
      "rgp": RGP_NS}

A, B, C = "REG-A", "REG-B", "REG-C"  # C has no credit
REGISTRARS = {A: "a-Secret-1", B: "b-Secret-1", C: "c-Secret-1"}
CREDIT = 1000000  # 10 000.00 DKK for A and B

# (operation, years, amount in øre, registrar or None)
PRICES = [
    ("create", 0, 10000, None),    # 100.00 a year
    ("create", 2, 18000, None),    # two years for 180.00
    ("renew", 0, 9000, None),      # 90.00 a year
    ("transfer", 0, 5000, None),   # 50.00 a year
    ("restore", 0, 25000, None),   # 250.00
    ("create", 0, 7500, B),        # B's agreement (R24): 75.00 a year
]


def holder(registrar):
    return registrar + ":HOLDER"


# --- fee extension builders (RFC 8748 §5) ------------------------------------

def fee_check(*commands, currency="DKK"):
    """commands: name, or (name, period, unit) with period None for none, or
    a dict of attributes plus optional "period"/"unit"."""
    body = "<fee:currency>%s</fee:currency>" % currency if currency else ""
    for c in commands:
        if isinstance(c, str):
            c = {"name": c}
        elif isinstance(c, tuple):
            c = {"name": c[0], "period": c[1], "unit": c[2] if len(c) > 2 else "y"}
        attrs = "".join(' %s="%s"' % (k, v) for k, v in c.items() if k not in ("period", "unit"))
        period = ('<fee:period unit="%s">%s</fee:period>' % (c.get("unit", "y"), c["period"])
                  if c.get("period") is not None else "")
        body += "<fee:command%s>%s</fee:command>" % (attrs, period)
    return '<fee:check xmlns:fee="%s">%s</fee:check>' % (FEE_NS, body)


def fee_transform(verb, *fees, currency="DKK", credits=()):
    body = "<fee:currency>%s</fee:currency>" % currency if currency else ""
    body += "".join("<fee:fee>%s</fee:fee>" % f for f in fees)
    body += "".join("<fee:credit>%s</fee:credit>" % c for c in credits)
    return '<fee:%s xmlns:fee="%s">%s</fee:%s>' % (verb, FEE_NS, body, verb)


# --- reading fee responses -----------------------------------------------------

def fee_cds(r):
    """fee:chkData → {objID: {"avail": bool, "class": str, "reason": str,
    "commands": {name: {"fee", "period", "unit", "reason", "standard", "phase",
    "description"}}}}; also the currency under key None."""
    chk = r.root.find("epp:response/epp:extension/fee:chkData", NS)
    if chk is None:
        return None
    out = {None: chk.findtext("fee:currency", namespaces=NS)}
    for cd in chk.findall("fee:cd", NS):
        cmds = {}
        for cmd in cd.findall("fee:command", NS):
            p = cmd.find("fee:period", NS)
            fee = cmd.find("fee:fee", NS)
            key = cmd.get("name") + ("/" + cmd.get("phase") if cmd.get("phase") else "")
            cmds[key] = {
                "fee": fee.text if fee is not None else None,
                "description": fee.get("description") if fee is not None else None,
                "period": p.text if p is not None else None,
                "unit": p.get("unit") if p is not None else None,
                "reason": cmd.findtext("fee:reason", namespaces=NS),
                "standard": cmd.get("standard"),
            }
        out[cd.findtext("fee:objID", namespaces=NS)] = {
            "avail": cd.get("avail", "1") in ("1", "true"),
            "class": cd.findtext("fee:class", namespaces=NS),
            "reason": cd.findtext("fee:reason", namespaces=NS),
            "commands": cmds,
        }
    return out


def fee_result(r, element):
    """fee:creData etc. in the response extension → dict, or None."""
    x = r.root.find("epp:response/epp:extension/fee:%s" % element, NS)
    if x is None:
        return None
    p = x.find("fee:period", NS)
    return {"currency": x.findtext("fee:currency", namespaces=NS),
            "period": p.text if p is not None else None,
            "fees": [f.text for f in x.findall("fee:fee", NS)],
            "balance": x.findtext("fee:balance", namespaces=NS)}


def dkk(ore):
    sign = "-" if ore < 0 else ""
    return "%s%d.%02d" % (sign, abs(ore) // 100, abs(ore) % 100)


class EPPFeeBase:
    backend = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="epp-fee-%s-" % cls.backend, dir=scratch_root())
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.recorder = Recorder(os.path.join(cls.tmp, "responses"))
        cls.sessions = {}
        cls.d = Daemon(cls.backend, name="fee", settings={"tld.reserved": "nic"})
        cls.addClassCleanup(cls.d.cleanup)
        for handle, pw in REGISTRARS.items():
            cls.d.add_registrar(handle, pw)
        cls.set_prices_and_credit()
        cls.d.start()
        for handle in REGISTRARS:
            cls.contact(handle, holder(handle))

    @classmethod
    def set_prices_and_credit(cls):
        """PRICES, and CREDIT for A and B: with regctl price / credit where
        this regctl has them, else straight into the tables."""
        now = int(time.time())

        def has(group):
            return cls.d.regctl(group, "--help", check=False).returncode == 0

        for op, years, amount, reg in PRICES:
            if has("price"):
                cls.d.regctl("price", "set", op, dkk(amount), "--years", years,
                             "--from", "2000-01-01T00:00:00Z",
                             *(("--registrar", reg) if reg else ()))
                continue
            rid = "(SELECT id FROM registrar WHERE handle = %s)" % q(reg) if reg else "NULL"
            sql(cls.d, "INSERT INTO price (operation, years, amount, registrar_id, valid_from, "
                       "created_at) VALUES (%s, %d, %d, %s, 0, %d)"
                       % (q(op), years, amount, rid, now))
        for handle in (A, B):
            if has("credit"):
                cls.d.regctl("credit", "add", handle, dkk(CREDIT), "--text", "test top-up")
                continue
            sql(cls.d, "INSERT INTO ledger (registrar_id, at, amount, balance_after, kind, text) "
                       "SELECT id, %d, %d, %d, 'credit', 'test top-up' FROM registrar "
                       "WHERE handle = %s" % (now, CREDIT, CREDIT, q(handle)))

    @classmethod
    def tearDownClass(cls):
        for s in cls.sessions.values():
            s.close()
        stop_and_validate(cls.__name__, [cls.d], cls.recorder)

    @classmethod
    def client(cls, clid):
        if clid not in cls.sessions:
            c = EPPClient(cls.d.host, cls.d.port, recorder=cls.recorder)
            r = c.login(clid, REGISTRARS[clid], ext_uris=EXT_URIS)
            assert r.code == 1000, r.raw
            cls.sessions[clid] = c
        return cls.sessions[clid]

    @classmethod
    def contact(cls, sponsor, handle):
        r = cls.client(sponsor).command(
            '<create><contact:create xmlns:contact="%s"><contact:id>%s</contact:id>'
            '<contact:postalInfo type="int"><contact:name>Test Holder</contact:name>'
            '<contact:addr><contact:street>Vesterbrogade 1</contact:street><contact:city>Aarhus'
            '</contact:city><contact:pc>8000</contact:pc><contact:cc>DK</contact:cc>'
            '</contact:addr></contact:postalInfo><contact:email>holder@example.dk'
            '</contact:email><contact:authInfo><contact:pw>Cpw-12345</contact:pw>'
            '</contact:authInfo></contact:create></create>' % (CONTACT_NS, xml_escape(handle)))
        assert r.code == 1000, r.raw

    # --- helpers -------------------------------------------------------------------

    def cmd(self, clid, inner, ext=""):
        if is_domain_create(inner):
            ext = with_terms(ext)  # R20
        return self.client(clid).command(inner, extension=ext)

    def assertCode(self, r, code, msg=None):
        self.assertEqual(r.code, code, "%sexpected %d, got:\n%s" % (msg + ": " if msg else "",
                                                                    code, r.raw))

    def create(self, name, clid=A, period=None, ext="", code=1000):
        r = self.cmd(clid, create_xml(name, holder(clid), period, pw="Dpw-12345"), ext)
        self.assertCode(r, code, "create %s" % name)
        return r

    def balance(self, clid):
        rows = sql(self.d, "SELECT l.balance_after FROM ledger l JOIN registrar r ON "
                           "r.id = l.registrar_id WHERE r.handle = %s ORDER BY l.id DESC LIMIT 1"
                   % q(clid))
        return int(rows[0][0]) if rows else 0

    def ledger_rows(self, name):
        return sql(self.d, "SELECT kind, operation, amount, years FROM ledger WHERE "
                           "object_name = %s ORDER BY id" % q(name))

    def exdate(self, name, clid=A):
        r = self.cmd(clid, '<info><domain:info xmlns:domain="%s"><domain:name>%s</domain:name>'
                           '</domain:info></info>' % (DOMAIN_NS, name))
        self.assertCode(r, 1000)
        return r.root.findtext("epp:response/epp:resData/domain:infData/domain:exDate",
                               namespaces=NS)[:10]

    def exists(self, name):
        return bool(sql(self.d, "SELECT id FROM domain WHERE name = %s" % q(name)))

    # === <check> (RFC 8748 §5.1.1) ===================================================

    def test_check_every_command_with_default_periods(self):
        r = self.cmd(A, check_xml("fee-chk1.dk", "fee-chk2.dk"),
                     fee_check("create", "renew", "transfer", "restore"))
        self.assertCode(r, 1000)
        cds = fee_cds(r)
        self.assertEqual(cds[None], "DKK")
        for name in ("fee-chk1.dk", "fee-chk2.dk"):
            cd = cds[name]
            self.assertTrue(cd["avail"], r.raw)
            self.assertEqual(cd["class"], "standard")
            self.assertIsNone(cd["reason"])
            cmds = cd["commands"]
            self.assertEqual(cmds["create"]["fee"], "100.00")
            self.assertEqual((cmds["create"]["period"], cmds["create"]["unit"]), ("1", "y"))
            self.assertEqual(cmds["create"]["standard"], "1")
            self.assertTrue(cmds["create"]["description"])
            self.assertEqual(cmds["renew"]["fee"], "90.00")
            self.assertEqual(cmds["renew"]["period"], "1")
            self.assertEqual(cmds["transfer"]["fee"], "50.00")
            self.assertEqual(cmds["transfer"]["period"], "1")
            self.assertEqual(cmds["restore"]["fee"], "250.00")
            self.assertIsNone(cmds["restore"]["period"])  # restore adds no period

    def test_check_periods(self):
        r = self.cmd(A, check_xml("fee-per.dk"),
                     fee_check(("create", 2), ("renew", 3), ("transfer", 24, "m")))
        self.assertCode(r, 1000)
        cmds = fee_cds(r)["fee-per.dk"]["commands"]
        self.assertEqual(cmds["create"]["fee"], "180.00")  # the exact two-year price
        self.assertEqual(cmds["create"]["period"], "2")
        self.assertEqual(cmds["renew"]["fee"], "270.00")  # 3 × the yearly price
        self.assertEqual(cmds["transfer"]["fee"], "100.00")
        self.assertEqual((cmds["transfer"]["period"], cmds["transfer"]["unit"]), ("2", "y"))
        # periods this registry does not sell: no fee, avail="0", a reason
        r = self.cmd(A, check_xml("fee-per.dk"), fee_check(("create", 11), ("renew", 18, "m")))
        self.assertCode(r, 1000)
        cd = fee_cds(r)["fee-per.dk"]
        self.assertFalse(cd["avail"], r.raw)
        for name, period in (("create", "11"), ("renew", "18")):
            self.assertIsNone(cd["commands"][name]["fee"], r.raw)
            self.assertTrue(cd["commands"][name]["reason"], r.raw)
            self.assertEqual(cd["commands"][name]["period"], period)

    def test_check_registrar_override(self):
        r = self.cmd(B, check_xml("fee-ovr.dk"), fee_check("create", ("create", 2), "renew"))
        self.assertCode(r, 1000)
        cd = fee_cds(r)["fee-ovr.dk"]
        # two <fee:command name="create">: read them in order
        chk = r.root.find("epp:response/epp:extension/fee:chkData/fee:cd", NS)
        creates = [c.findtext("fee:fee", namespaces=NS) for c in chk.findall("fee:command", NS)
                   if c.get("name") == "create"]
        self.assertEqual(creates, ["75.00", "150.00"])  # B's yearly price beats the default
        self.assertEqual(cd["commands"]["renew"]["fee"], "90.00")  # no override: the default
        # A still sees the default
        r = self.cmd(A, check_xml("fee-ovr.dk"), fee_check("create"))
        self.assertEqual(fee_cds(r)["fee-ovr.dk"]["commands"]["create"]["fee"], "100.00")

    def test_check_currency(self):
        r = self.cmd(A, check_xml("fee-cur.dk"), fee_check("create", currency=None))
        self.assertCode(r, 1000)
        self.assertEqual(fee_cds(r)[None], "DKK")  # ours when none is asked for
        r = self.cmd(A, check_xml("fee-cur.dk"), fee_check("create", currency="EUR"))
        self.assertCode(r, 2004)
        self.assertIn("DKK", r.reason)
        self.assertIsNone(fee_cds(r))

    def test_check_without_fee_extension(self):
        r = self.cmd(A, check_xml("fee-none.dk"))
        self.assertCode(r, 1000)
        self.assertIsNone(r.root.find("epp:response/epp:extension", NS), r.raw)

    def test_check_commands_and_phases_without_fees(self):
        r = self.cmd(A, check_xml("fee-odd.dk"),
                     fee_check("create", {"name": "custom", "customName": "premium-lock"},
                               {"name": "create", "phase": "sunrise"},
                               {"name": "renew", "subphase": "landrush"}, "delete", "update"))
        self.assertCode(r, 1000)
        cd = fee_cds(r)["fee-odd.dk"]
        self.assertFalse(cd["avail"], r.raw)
        self.assertEqual(cd["commands"]["create"]["fee"], "100.00")  # still priced
        for key in ("custom", "create/sunrise", "renew"):
            self.assertIsNone(cd["commands"][key]["fee"], r.raw)
            self.assertTrue(cd["commands"][key]["reason"], r.raw)
        self.assertEqual(cd["commands"]["delete"]["fee"], "0.00")  # free
        self.assertEqual(cd["commands"]["update"]["fee"], "0.00")
        # "open" (general availability) is the phase we are in
        r = self.cmd(A, check_xml("fee-odd.dk"), fee_check({"name": "create", "phase": "open"}))
        cd = fee_cds(r)["fee-odd.dk"]
        self.assertTrue(cd["avail"], r.raw)
        self.assertEqual(cd["commands"]["create/open"]["fee"], "100.00")

    def test_check_names_fee_availability(self):
        """fee:cd avail says whether fees can be given, not whether the name is free."""
        self.create("fee-taken.dk")
        r = self.cmd(A, check_xml("fee-taken.dk", "nic.dk", "fee-x.com", "FEE-UPPER.DK"),
                     fee_check("create", "renew"))
        self.assertCode(r, 1000)
        cds = fee_cds(r)
        self.assertTrue(cds["fee-taken.dk"]["avail"], r.raw)  # registered: renew has a price
        self.assertEqual(cds["fee-taken.dk"]["commands"]["renew"]["fee"], "90.00")
        for name in ("nic.dk", "fee-x.com"):  # reserved; not under the TLD
            self.assertFalse(cds[name]["avail"], r.raw)
            self.assertTrue(cds[name]["reason"], r.raw)
            self.assertEqual(cds[name]["commands"], {})
        self.assertTrue(cds["fee-upper.dk"]["avail"], r.raw)  # objID is the normalised name

    # === <create> (RFC 8748 §5.2.1) ==================================================

    def test_create_with_the_fee(self):
        before = self.balance(A)
        r = self.create("fee-cre.dk", ext=fee_transform("create", "100.00"))
        data = fee_result(r, "creData")
        self.assertEqual(data, {"currency": "DKK", "period": "1", "fees": ["100.00"],
                                "balance": dkk(before - 10000)}, r.raw)
        self.assertEqual(self.balance(A), before - 10000)
        self.assertEqual(self.ledger_rows("fee-cre.dk"), [("debit", "create", "-10000", "1")])

    def test_create_fee_above_the_price_charges_the_price(self):
        before = self.balance(A)
        r = self.create("fee-more.dk", period=2,
                        ext=fee_transform("create", "100.00", "100.00"))  # several add up
        data = fee_result(r, "creData")
        self.assertEqual((data["period"], data["fees"]), ("2", ["180.00"]), r.raw)
        self.assertEqual(data["balance"], dkk(before - 18000))

    def test_create_fee_too_low_2004(self):
        before = self.balance(A)
        for ext in (fee_transform("create", "99.99"),
                    fee_transform("create", "100.00", credits=["-0.01"]),
                    fee_transform("create", "60", "39.999")):
            r = self.create("fee-low.dk", ext=ext, code=2004)
            self.assertIn("fee mismatch: price is 100.00", r.reason, r.raw)
            self.assertIsNone(r.root.find("epp:response/epp:extension", NS), r.raw)
        self.assertFalse(self.exists("fee-low.dk"))
        self.assertEqual(self.ledger_rows("fee-low.dk"), [])
        self.assertEqual(self.balance(A), before)
        # B's agreement price is lower
        r = self.create("fee-low.dk", clid=B, ext=fee_transform("create", "75", currency=None))
        self.assertEqual(fee_result(r, "creData")["fees"], ["75.00"])

    def test_create_wrong_currency_2004(self):
        before = self.balance(A)
        r = self.create("fee-eur.dk", ext=fee_transform("create", "100.00", currency="EUR"),
                        code=2004)
        self.assertIn("DKK", r.reason)
        self.assertFalse(self.exists("fee-eur.dk"))
        self.assertEqual(self.balance(A), before)

    def test_create_without_fee_extension_has_no_fee_data(self):
        before = self.balance(A)
        r = self.create("fee-plain.dk")
        self.assertIsNone(r.root.find("epp:response/epp:extension", NS), r.raw)
        self.assertEqual(self.balance(A), before - 10000)  # charged all the same

    def test_create_agreed_fee_but_no_credit_2104(self):
        r = self.create("fee-poor.dk", clid=C, ext=fee_transform("create", "100.00"), code=2104)
        self.assertFalse(self.exists("fee-poor.dk"))
        self.assertIsNone(r.root.find("epp:response/epp:extension", NS), r.raw)

    # === <renew>, <transfer>, <update> (RFC 8748 §5.2.3–5.2.5) =========================

    def test_renew_with_fee(self):
        name = "fee-ren.dk"
        self.create(name)
        before = self.balance(A)
        r = self.cmd(A, renew_xml(name, self.exdate(name), period=2),
                     fee_transform("renew", "179.99"))
        self.assertCode(r, 2004)
        self.assertIn("price is 180.00", r.reason)
        r = self.cmd(A, renew_xml(name, self.exdate(name), period=2),
                     fee_transform("renew", "180.00"))
        self.assertCode(r, 1000)
        self.assertEqual(fee_result(r, "renData"), {"currency": "DKK", "period": "2",
                                                    "fees": ["180.00"],
                                                    "balance": dkk(before - 18000)}, r.raw)

    def test_transfer_request_with_fee(self):
        name = "fee-trn.dk"
        self.create(name)
        before = self.balance(B)
        r = self.cmd(B, transfer_xml("request", name, pw="Dpw-12345"),
                     fee_transform("transfer", "49.00"))
        self.assertCode(r, 2004)
        r = self.cmd(B, transfer_xml("request", name, pw="Dpw-12345"),
                     fee_transform("transfer", "50.00"))
        self.assertCode(r, 1000)
        self.assertEqual(fee_result(r, "trnData"), {"currency": "DKK", "period": "1",
                                                    "fees": ["50.00"],
                                                    "balance": dkk(before - 5000)}, r.raw)
        self.assertEqual(self.balance(B), before - 5000)

    def test_restore_with_fee(self):
        name = "fee-rst.dk"
        self.create(name)
        self.assertCode(self.cmd(A, delete_xml(name), regd_verified("delete")), 1001)
        before = self.balance(A)
        r = self.cmd(A, update_xml(name, chg=True),
                     rgp_restore("request") + fee_transform("update", "100.00"))
        self.assertCode(r, 2004)
        self.assertIn("price is 250.00", r.reason)
        self.assertEqual(self.balance(A), before)
        r = self.cmd(A, update_xml(name, chg=True),
                     rgp_restore("request") + fee_transform("update", "250.00"))
        self.assertCode(r, 1000)
        self.assertIsNotNone(r.root.find("epp:response/epp:extension/rgp:upData", NS), r.raw)
        self.assertEqual(fee_result(r, "updData"), {"currency": "DKK", "period": None,
                                                    "fees": ["250.00"],
                                                    "balance": dkk(before - 25000)}, r.raw)
        self.assertEqual(self.ledger_rows(name)[-1], ("debit", "restore", "-25000", "1"))

    def test_plain_update_with_fee_is_free(self):
        name = "fee-upd.dk"
        self.create(name)
        before = self.balance(A)
        r = self.cmd(A, update_xml(name, add={"statuses": ["clientHold"]}),
                     fee_transform("update", "0"))
        self.assertCode(r, 1000)
        self.assertEqual(fee_result(r, "updData"), {"currency": "DKK", "period": None,
                                                    "fees": ["0.00"], "balance": dkk(before)},
                         r.raw)


class SQLiteEPPFeeTest(EPPFeeBase, unittest.TestCase):
    backend = "sqlite"


class PgEPPFeeTest(EPPFeeBase, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
