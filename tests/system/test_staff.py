#!/usr/bin/env python3
"""regctl's staff tools end to end (issue 13 item 8), on SQLite and
PostgreSQL: objects made over EPP by a real registryd, then read and
changed with regctl.

- `regctl domain show`, `contact show`, `host show`: what EPP info shows
  the sponsor (never the auth info itself), the transfer, the registrant
  confirmations, the last history versions with readable times and the
  ledger entries naming the domain; U- and A-labels alike; an unknown
  object is exit 1 with one line.
- `regctl epp-log`: newest first, --limit, --cltrid, --object (either label
  of a domain, in the request or the response), and --svtrid printing the
  one command a registrar quotes in full.
- `regctl history --full`: every field, times in UTC.
- `regctl registrar delete`: refused with the reason naming what still ties
  the registrar, allowed once its objects are gone; its log and history
  keep its handle, it can no longer log in, and a session it had open is
  still logged.
- `regctl init --demo` twice: DEMO's password is kept (it logs in over EPP
  with the first one), and a demo set-up an older version left half done
  is completed.

Run through ctest (tests/system/epp_tests.cmake), or directly with REGCTL,
REGISTRYD and (for PostgreSQL) REG_TEST_PG_URL_FILE set:
    python3 tests/system/test_staff.py [-v] [SqliteStaff[.test_name]]
"""

import os
import re
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from daemon import Daemon  # noqa: E402
from eppclient import EPPClient, is_domain_create, regd_verified, with_terms  # noqa: E402
from harness import sql  # noqa: E402
from test_epp_contact import AUTH as CONTACT_PW  # noqa: E402
from test_epp_contact import REGC_NS, c_create, c_delete, c_info, disclose, postal, regc  # noqa: E402
from test_epp_domain import (HOST_NS, IDN_A, IDN_U, RGP_NS, SECDNS_NS, create_xml,  # noqa: E402
                             delete_xml, ds, inf, info_xml, secdns_create, transfer_xml,
                             update_xml)

A, B, C = "STAFF-A", "STAFF-B", "STAFF-C"
PASSWORDS = {A: "staff-a-Pw1", B: "staff-b-Pw1", C: "staff-c-Pw1"}
EXT_URIS = [SECDNS_NS, RGP_NS, "https://registryd.org/epp/domain-ext-1.0", REGC_NS]
TIME = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"
DEMO_LINE = re.compile(r"^demo registrar: clID DEMO password (\S+)$", re.M)


def h_create(name, *addrs):
    body = "<host:name>%s</host:name>" % name + "".join(
        '<host:addr ip="v%d">%s</host:addr>' % (6 if ":" in a else 4, a) for a in addrs)
    return '<create><host:create xmlns:host="%s">%s</host:create></create>' % (HOST_NS, body)


def h_delete(name):
    return ('<delete><host:delete xmlns:host="%s"><host:name>%s</host:name></host:delete>'
            '</delete>' % (HOST_NS, name))


def fields(out):
    """The "key:   value" lines before the first blank line → {key: [values]}."""
    got = {}
    for line in out.split("\n\n", 1)[0].splitlines():
        key, _, value = line.partition(":")
        got.setdefault(key, []).append(value.strip())
    return got


def epp_time(text):
    """An EPP date (2027-01-01T00:00:00.0Z) as regctl prints times."""
    return text[:19] + "Z"


class StaffTools:
    backend = None

    def setUp(self):
        self.sessions = {}
        self.daemons = []

    def tearDown(self):
        for c in self.sessions.values():
            c.close()
        for d in self.daemons:
            d.stop()
            d.cleanup()

    def daemon(self, start=True, **settings):
        d = Daemon(backend=self.backend, name="staff",
                   settings=dict({"host.allow_private": "true"}, **settings))
        self.daemons.append(d)
        for handle, pw in PASSWORDS.items():
            d.add_registrar(handle, pw)
        if start:
            d.start()
        return d

    def client(self, d, clid):
        key = (id(d), clid)
        if key not in self.sessions:
            c = EPPClient(d.host, d.port)
            r = c.login(clid, PASSWORDS[clid], ext_uris=EXT_URIS)
            self.assertEqual(r.code, 1000, r.raw)
            self.sessions[key] = c
        return self.sessions[key]

    def login_code(self, d, clid, pw):
        """The result code of a login on a fresh session."""
        c = EPPClient(d.host, d.port)
        try:
            return c.login(clid, pw).code
        finally:
            c.close()

    def cmd(self, d, clid, inner, ext="", code=1000, cltrid=None):
        if is_domain_create(inner):
            ext = with_terms(ext)
        r = self.client(d, clid).command(inner, extension=ext, cltrid=cltrid)
        if code is not None:
            self.assertEqual(r.code, code, r.raw)
        return r

    def regctl(self, d, *args, code=0):
        r = d.regctl(*args, check=False)
        self.assertEqual(r.returncode, code, "regctl %s\nstdout: %s\nstderr: %s"
                         % (" ".join(args), r.stdout, r.stderr))
        if code:
            self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)
            self.assertTrue(r.stderr.startswith("regctl: "), r.stderr)
        else:
            self.assertEqual(r.stderr, "")
        return r

    def contact(self, d, clid, cid, email="holder@example.test", ext=""):
        r = self.cmd(d, clid, c_create(cid, postals=[postal("loc", name="Jens Hansen",
                                                            org="Hansen ApS")],
                                       email=email, pw=CONTACT_PW,
                                       disclose_xml=disclose(1, "voice", "email")), ext)
        return r.findtext(".//{urn:ietf:params:xml:ns:contact-1.0}id")

    # --- domain, contact and host show ---------------------------------------

    def test_show_domain_contact_and_host_made_over_epp(self):
        d = self.daemon()
        self.regctl(d, "credit", "add", A, "1000.00", "--text", "payment")
        self.regctl(d, "price", "set", "create", "25.00", "--from", "2000-01-01T00:00:00Z")
        holder = self.contact(d, A, "holder", ext=regc("create", "person",
                                                         ("priv", "DK", "0102031234")))
        admin = self.contact(d, A, "admin")
        self.cmd(d, A, h_create("ns1.example.net"))
        r = self.cmd(d, A, create_xml(IDN_U, holder, ns=["ns1.example.net"],
                                      contacts=[("admin", admin), ("tech", admin)],
                                      pw="Dom-Secret-1"),
                     ext=secdns_create([ds(seed="staff")]), cltrid="STAFF-CREATE-1")
        create_svtrid = r.svtrid
        self.cmd(d, A, h_create("ns1." + IDN_A, "192.0.2.53", "2001:db8::53"))
        self.cmd(d, A, update_xml(IDN_A, add={"statuses": [("clientTransferProhibited",
                                                            "ask us first")]}))
        info = self.cmd(d, A, info_xml(IDN_A))

        out = self.regctl(d, "domain", "show", IDN_U).stdout
        self.assertEqual(self.regctl(d, "domain", "show", IDN_A.upper()).stdout, out)
        f = fields(out)
        self.assertEqual(f["domain"], [IDN_A])
        self.assertEqual(f["u-label"], [IDN_U])
        self.assertEqual(f["roid"], [inf(info, "roid")])
        self.assertEqual(f["status"], ["clientTransferProhibited (ask us first)"])
        self.assertEqual(f["registrant"], [holder])
        self.assertEqual(sorted(f["contact"]), ["admin " + admin, "tech " + admin])
        self.assertEqual(f["name server"], ["ns1.example.net"])
        self.assertEqual(f["subordinate host"], ["ns1." + IDN_A])
        key_tag, alg, digest_type, digest = ds(seed="staff")
        self.assertEqual(f["ds"], ["keyTag %d alg %d digestType %d digest %s"
                                   % (key_tag, alg, digest_type, digest.upper())])
        self.assertEqual(f["sponsor"], [A])
        self.assertEqual(f["created"], ["%s by %s" % (epp_time(inf(info, "crDate")), A)])
        self.assertEqual(f["updated"], ["%s by %s" % (epp_time(inf(info, "upDate")), A)])
        self.assertEqual(f["expires"], [epp_time(inf(info, "exDate"))])
        self.assertEqual(f["transferred"], ["-"])
        self.assertEqual(f["auth info"], ["set (never shown)"])
        self.assertEqual(f["management"], ["registrar"])
        self.assertRegex(f["terms"][0], r"^version 1\.0 accepted %s, vouched for by %s$"
                         % (TIME, A))
        self.assertEqual(f["transfer"], ["none requested"])
        self.assertNotIn("Dom-Secret-1", out)
        self.assertIn("\nregistrant confirmations: none\n", out)
        self.assertRegex(out, r"\nhistory, 2 versions:\n  V +WHEN")
        self.assertRegex(out, r"(?m)^  1 +%s domain +create +%s +epp +%s$"
                         % (TIME, A, re.escape(create_svtrid)))
        self.assertRegex(out, r"(?m)^  2 +%s domain +update +%s +epp " % (TIME, A))
        self.assertRegex(out, r"\nledger entries naming it:\n  %s %s +debit +create +1 +-25\.00 "
                              r"DKK .*\(svTRID %s\)\n" % (TIME, A, re.escape(create_svtrid)))

        # a change of registrant waits for the registrant; another registrar
        # takes a second domain
        new_holder = self.contact(d, A, "buyer", email="buyer@example.test")
        r = self.cmd(d, A, update_xml(IDN_A, registrant=new_holder), code=1001)
        ask_svtrid = r.svtrid
        self.cmd(d, A, create_xml("moving.dk", holder, pw="Move-Pw-12"))
        self.cmd(d, B, transfer_xml("request", "moving.dk", pw="Move-Pw-12"))
        out = self.regctl(d, "domain", "show", IDN_A, "--history", "1").stdout
        f = fields(out)
        self.assertEqual(f["awaiting registrant"], ["registrantChange (see confirmations below)"])
        self.assertTrue([s for s in f["status"] if s.startswith("pendingUpdate")], f)
        self.assertRegex(out, r"\nregistrant confirmations, newest first:\n  \d+ registrantChange "
                              r"pending: asked by %s on %s \(svTRID %s\), registrant %s to answer "
                              r"by %s, new registrant %s\n"
                         % (A, TIME, re.escape(ask_svtrid), holder, TIME, new_holder))
        self.assertRegex(out, r"\nhistory, the last 1 of 3 versions \(all: regctl history %s\):\n"
                         % IDN_A)
        self.assertEqual(len(re.findall(r"(?m)^  \d+ +%s domain " % TIME, out)), 1, out)
        f = fields(self.regctl(d, "domain", "show", "moving.dk", "--history", "0").stdout)
        self.assertEqual(f["sponsor"], [B])
        self.assertRegex(f["last transfer"][0], r"^serverApproved: %s asked on %s to take it "
                                                r"from %s; decided %s$" % (B, TIME, A, TIME))
        self.assertRegex(f["transferred"][0], "^%s$" % TIME)

        # the contact, as its sponsor sees it, without the auth info
        c_out = self.regctl(d, "contact", "show", holder.lower()).stdout
        f = fields(c_out)
        self.assertEqual(f["contact"], [holder])
        self.assertRegex(f["roid"][0], r"^C\d+-DK$")
        self.assertEqual(f["status"], ["ok", "linked"])
        self.assertEqual(f["type"], ["person"])
        self.assertEqual(f["name (loc)"], ["Jens Hansen"])
        self.assertEqual(f["org (loc)"], ["Hansen ApS"])
        self.assertEqual(f["address (loc)"], ["Vestergade 1, 8000, Aarhus C, DK"])
        self.assertEqual(f["voice"], ["+45.12345678"])
        self.assertEqual(f["email"], ["holder@example.test"])
        self.assertEqual(f["ident"], ["priv 0102031234 (DK)"])
        self.assertEqual(f["disclose"], ["flag 1: voice email"])
        self.assertEqual(f["sponsor"], [A])
        self.assertRegex(f["created"][0], "^%s by %s$" % (TIME, A))
        self.assertEqual(f["auth info"], ["set (never shown)"])
        self.assertEqual(f["identity check"], ["none"])
        self.assertEqual(f["language"], ["da (automatic: address in DK)"])
        self.assertEqual(f["transfer"], ["none requested"])
        self.assertNotIn(CONTACT_PW, c_out)
        self.assertRegex(c_out, r"(?m)^  1 +%s contact +create +%s +epp " % (TIME, A))

        # the host, with its addresses
        h_out = self.regctl(d, "host", "show", "NS1." + IDN_A.upper()).stdout
        f = fields(h_out)
        self.assertEqual(f["host"], ["ns1." + IDN_A])
        self.assertRegex(f["roid"][0], r"^H\d+-DK$")
        self.assertEqual(f["status"], ["ok"])
        self.assertEqual(f["address"], ["192.0.2.53 (v4)", "2001:db8::53 (v6)"])
        self.assertEqual(f["superordinate"], [IDN_A])
        self.assertEqual(f["sponsor"], [A])
        self.assertRegex(h_out, r"(?m)^  1 +%s host +create +%s +epp " % (TIME, A))
        f = fields(self.regctl(d, "host", "show", "ns1.example.net").stdout)
        self.assertEqual(f["status"], ["ok", "linked"])
        self.assertEqual(f["superordinate"], ["none (an external host)"])
        self.assertEqual(f["address"], ["none"])

        # unknown objects and wrong arguments: one line, exit 1 and 2
        for args, why in ((("domain", "show", "nosuch.dk"), "domain nosuch.dk does not exist"),
                          (("contact", "show", "STAFF-A:NOBODY"),
                           "contact STAFF-A:NOBODY does not exist"),
                          (("host", "show", "ns9.example.net"), "ns9.example.net")):
            self.assertIn(why, self.regctl(d, *args, code=1).stderr)
        for args in (("domain", "show"), ("domain", "show", "a.dk", "b.dk"),
                     ("host", "show", "x.dk", "--history", "many"),
                     ("contact", "show", "X", "--bogus")):
            self.regctl(d, *args, code=2)

    # --- the EPP log ---------------------------------------------------------

    def test_epp_log_newest_first_with_filters(self):
        d = self.daemon()
        holder = self.contact(d, A, "holder")
        self.client(d, B)  # logged in before the commands below
        svtrids = []
        for cltrid, inner in (("LOG-1", create_xml(IDN_U, holder, pw="Log-Pw-123")),
                              ("LOG-2", info_xml(IDN_A)),
                              ("LOG-3", info_xml("other.dk")),
                              ("LOG-4", c_info(holder))):
            r = self.cmd(d, A, inner, cltrid=cltrid, code=None)
            svtrids.append(r.svtrid)
        r = self.cmd(d, B, info_xml(IDN_A.upper()), cltrid="LOG-B")
        svtrids.append(r.svtrid)

        def listed(*args):
            out = self.regctl(d, "epp-log", *args).stdout
            return [line.split()[6] for line in out.splitlines() if not line.startswith(" ")]

        # a read command's row is written by the EPP log's writer thread a
        # few milliseconds after its answer: the last one first
        deadline = time.monotonic() + 10
        while svtrids[-1] not in listed("--limit", "1") and time.monotonic() < deadline:
            time.sleep(0.02)
        everything = listed()
        self.assertEqual(everything[:5], svtrids[::-1])  # newest first
        self.assertEqual(listed("--limit", "2"), svtrids[::-1][:2])
        self.assertEqual(listed("--cltrid", "LOG-3"), [svtrids[2]])
        # either label, any case, in what was sent or answered
        self.assertEqual(listed("--object", IDN_U), [svtrids[4], svtrids[1], svtrids[0]])
        self.assertEqual(listed("--object", IDN_A, "--registrar", B), [svtrids[4]])
        named = listed("--object", holder.lower())
        self.assertEqual(named, listed("--object", holder))
        # its info, the domain's create and the domain's info, which answered with it
        self.assertEqual([s for s in named if s in svtrids], [svtrids[3], svtrids[1], svtrids[0]])
        self.assertEqual(listed("--object", "nosuch.dk"), [])

        # the command a registrar quotes, in full
        out = self.regctl(d, "epp-log", "--svtrid", svtrids[1]).stdout
        f = fields(out.split("\nrequest:", 1)[0])
        self.assertEqual(f["svTRID"], [svtrids[1]])
        self.assertEqual(f["clTRID"], ["LOG-2"])
        self.assertEqual(f["registrar"], [A])
        self.assertEqual(f["command"], ["domain:info"])
        self.assertEqual(f["result"], ["1000"])
        self.assertRegex(f["when"][0], "^%s$" % TIME)
        self.assertRegex(out, r"(?s)\nrequest:\n<\?xml.*<domain:name>%s</domain:name>.*</epp>\n"
                              r"response:\n<\?xml.*<domain:infData .*</epp>\n$" % IDN_A)
        # the login's password is not in the log
        login = self.regctl(d, "epp-log", "--registrar", A, "--full").stdout
        self.assertIn("[redacted]", login)
        self.assertNotIn(PASSWORDS[A], login)
        r = self.regctl(d, "epp-log", "--svtrid", "RD-00000000-1", code=1)
        self.assertIn("no logged EPP command has svTRID RD-00000000-1", r.stderr)
        self.regctl(d, "epp-log", "--svtrid", code=2)
        self.regctl(d, "epp-log", "--object", "", code=2)

    # --- history --full --------------------------------------------------------

    def test_history_full_every_field_with_readable_times(self):
        d = self.daemon()
        holder = self.contact(d, A, "holder")
        self.cmd(d, A, create_xml("fields.dk", holder, pw="Fld-Pw-123"),
                 ext=secdns_create([ds(seed="fields")]))
        out = self.regctl(d, "history", "--full", "FIELDS.dk").stdout
        lines = out.splitlines()
        self.assertRegex(lines[1], r"^1 +%s domain +create +%s +epp +RD-" % (TIME, A))
        key_tag, alg, digest_type, digest = ds(seed="fields")
        for want in ("    name: fields.dk", "    registrant: %s" % holder,
                     "    sponsor: %s" % A, "    authinfo_set: yes",
                     "    terms.accepted: 2025-01-01T00:00:00Z", "    terms.version: 1.0",
                     "    ds: alg=%d digest=%s digestType=%d keyTag=%d"
                     % (alg, digest.upper(), digest_type, key_tag),
                     "    ns: -", "    statuses: -"):
            self.assertIn(want, lines)
        self.assertRegex(out, r"(?m)^    expires: %s$" % TIME)
        # no time left as seconds since the epoch, and no auth info
        self.assertNotRegex(out, r"(?m)^    \S+: \d{9,}$")
        self.assertNotIn("Fld-Pw-123", out)
        c = self.regctl(d, "history", "--full", holder).stdout
        self.assertRegex(c, r"(?m)^    created_at: %s$" % TIME)
        self.assertIn("    updated_at: -\n", c)
        self.assertIn("    postalInfo.loc.name: Jens Hansen\n", c)

    # --- registrar delete ---------------------------------------------------------

    def test_registrar_delete_refused_then_allowed(self):
        d = self.daemon(**{"lifecycle.redemption_period": "0s"})
        holder = self.contact(d, C, "holder")
        self.cmd(d, C, h_create("ns.gamma.example"))
        self.cmd(d, C, create_xml("gamma.dk", holder, ns=["ns.gamma.example"], pw="Gam-Pw-123"))
        r = self.regctl(d, "registrar", "delete", C, code=1)
        self.assertEqual(r.stderr, "regctl: registrar delete: registrar %s still sponsors 1 "
                                   "domain, 1 contact, 1 host and 1 registrant account: transfer "
                                   "or delete them first\n" % C)
        self.assertEqual(fields(self.regctl(d, "registrar", "show", C).stdout)["handle"], [C])

        # a registrar that paid once stays: the ledger keeps its entries
        self.regctl(d, "credit", "add", B, "10.00", "--text", "payment")
        r = self.regctl(d, "registrar", "delete", B, code=1)
        self.assertIn("registrar %s is named in 1 ledger entry, records kept for good: disable "
                      "it instead" % B, r.stderr)

        # C gives everything up (its account goes with its a1 contact)
        self.cmd(d, C, delete_xml("gamma.dk"), ext=regd_verified("delete"))
        self.cmd(d, C, h_delete("ns.gamma.example"))
        self.cmd(d, C, c_delete(holder))
        self.regctl(d, "poll", "send", C, "--message", "we are closing your account")
        rid = "(SELECT id FROM registrar WHERE handle = '%s')" % C
        commands = sql(d, "SELECT COUNT(*) FROM epp_log WHERE registrar_id = " + rid)[0][0]
        versions = sql(d, "SELECT COUNT(*) FROM history WHERE registrar_id = " + rid)[0][0]
        self.assertGreaterEqual(int(versions), 6)  # made and deleted: contact, host, domain
        out = self.regctl(d, "registrar", "delete", C.lower()).stdout
        self.assertIn("registrar %s deleted\n" % C, out)
        self.assertRegex(out, r"removed with it: \d+ queued poll messages?")
        self.assertIn("kept, naming it by its handle: %s EPP log entries, %s history versions\n"
                      % (commands, versions), out)
        self.assertEqual(sql(d, "SELECT COUNT(*) FROM epp_log WHERE clid = '%s' AND registrar_id "
                                "IS NULL" % C)[0][0], commands)
        r = self.regctl(d, "registrar", "show", C, code=1)
        self.assertIn("registrar %s does not exist" % C, r.stderr)
        self.assertNotIn(C, self.regctl(d, "registrar", "list").stdout)
        # the session it had open is still answered and logged, by its handle.
        # A read's row is written by the EPP log's writer after its answer
        # (within 5 ms); the session's logout, which writes, waits for the
        # session's rows first, so after its answer both are in the log
        r = self.cmd(d, C, info_xml("gamma.dk"), code=2303)
        out = self.client(d, C).logout()
        self.assertEqual(out.code, 1500, out.raw)
        log = self.regctl(d, "epp-log", "--registrar", C).stdout
        self.assertIn(r.svtrid, log)
        self.assertIn(out.svtrid, log)
        # no new login; its history and its last version stay
        self.assertEqual(self.login_code(d, C, PASSWORDS[C]), 2200)
        self.assertRegex(self.regctl(d, "history", "gamma.dk").stdout,
                         r"(?m)^1 +%s domain +create +%s +epp " % (TIME, C))
        hist = self.regctl(d, "history", "--full", C).stdout
        self.assertRegex(hist, r"(?m)^1 +%s registrar delete +staff +regctl " % TIME)
        self.assertIn("    name: Registrar %s\n" % C, hist)
        self.assertNotIn("argon2", hist)
        # the handle can be given again
        self.regctl(d, "registrar", "add", C, "--name", "New C", "--password", "new-c-Pw1")
        self.regctl(d, "registrar", "delete", "NOBODY", code=1)
        self.regctl(d, "registrar", "delete", code=2)

    # --- init --demo -----------------------------------------------------------------

    def test_init_demo_twice_keeps_the_password(self):
        d = self.daemon(start=False)
        first = self.regctl(d, "init", "--demo").stdout
        pw = DEMO_LINE.search(first).group(1)
        self.assertIn("demo registrar credited 10000.00 DKK", first)
        again = self.regctl(d, "init", "--demo").stdout
        self.assertIsNone(DEMO_LINE.search(again), again)
        self.assertIn("demo registrar DEMO exists: its password is kept (regctl registrar passwd "
                      "DEMO sets a new one)\n", again)
        self.assertIn("demo prices: every operation has a price already, none changed\n", again)
        self.assertIn("demo credit: DEMO has ledger entries already, none added (balance "
                      "10000.00 DKK)\n", again)
        self.assertNotIn(pw, again)
        d.start()
        self.assertEqual(self.login_code(d, "DEMO", pw), 1000)

    def test_init_demo_completes_what_an_older_run_left(self):
        """An older init --demo made DEMO and stopped before its credit (or
        staff made DEMO by hand): the next run credits it and keeps its
        password."""
        d = self.daemon(start=False)
        self.regctl(d, "registrar", "add", "DEMO", "--name", "Demo", "--password", "old-demo-1")
        out = self.regctl(d, "init", "--demo").stdout
        self.assertIn("its password is kept", out)
        self.assertIn("demo prices set for the operations that had none", out)
        self.assertIn("demo registrar credited 10000.00 DKK", out)
        self.assertRegex(self.regctl(d, "balance", "DEMO").stdout, r"10000\.00 DKK")
        out = self.regctl(d, "init", "--demo").stdout
        self.assertNotIn("credited", out)
        self.assertRegex(self.regctl(d, "balance", "DEMO").stdout, r"10000\.00 DKK")
        d.start()
        self.assertEqual(self.login_code(d, "DEMO", "old-demo-1"), 1000)


class SqliteStaff(StaffTools, unittest.TestCase):
    backend = "sqlite"


class PgsqlStaff(StaffTools, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
