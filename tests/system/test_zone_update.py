#!/usr/bin/env python3
"""Incremental publication to a real DNS primary (issue 14 item 2;
docs/zone.md "Incremental publication"): Knot DNS (tests/system/knot.py)
serves .dk as a dynamic primary with a TSIG key, registryd publishes to it
([zone] primary, tsig_name, tsig_secret_file), and dig asks the primary.

- Each change shows within 5 s of the EPP answer (or of regctl's exit):
  a delegation after a create with NS, its new NS set after an update,
  gone on serverHold and back when it is cleared, DS after a secDNS add,
  glue for an in-bailiwick name server and its changed address. Polled,
  never a fixed sleep.
- The primary killed, changes made, the primary started again: every
  change arrives, the primary's records equal the zone file exported
  from the database (`regctl zone export --out -`) within 10 s.
- Existing domains and a primary holding only its SOA and NS: brought
  level at start; a primary that loses its journal while registryd runs
  is found (its serial) and brought level again.
- Another writer changing the primary (nsupdate): its serial moved, the
  level (AXFR and difference) takes the zone back to the data.
- The safety guard: more than max_shrink percent of the delegations gone
  is held on the stream, every change kept queued, until
  `regctl zone export --force`.
- A key the primary refuses: logged, shown by `regctl zone status`, and
  the changes arrive once the key is right.
- PostgreSQL, two instances on one database: one publishes (the lease),
  the other takes over when it dies.
Runs on SQLite and PostgreSQL."""
import os
import re
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon import Daemon  # noqa: E402
from harness import RegctlChecks  # noqa: E402
from eppclient import EPPClient, regd_verified, with_terms  # noqa: E402
from knot import KnotPrimary, zone_records  # noqa: E402
from test_epp_domain import (CONTACT_NS, EXT_URIS, HOST_NS, create_xml, delete_xml,  # noqa: E402
                             ds, rgp_restore, secdns_create, secdns_update, update_xml)

CHANGE_DEADLINE = 5.0   # seconds from the answer to the change at the primary
CATCH_UP_DEADLINE = 10.0  # from the primary's return to every change there
REG, PW = "ZONE-REG", "zone-pass1"
NS1, NS2 = "ns1.example.net", "ns2.example.net"


class ZoneUpdate:
    backend = None

    def setUp(self):
        self.knot = KnotPrimary("dk").start()
        self.addCleanup(self.knot.cleanup)

    # --- the daemon and its objects ---------------------------------------------

    def daemon(self, primary=True, zone=None, **kw):
        settings = {"host.allow_private": "true"}  # documentation addresses
        if primary:
            settings.update({"zone." + k: v for k, v in self.knot.settings().items()})
        settings.update({"zone." + k: v for k, v in (zone or {}).items()})
        d = Daemon(backend=self.backend, name="zoneupd", only="epp,jobs", settings=settings, **kw)
        self.addCleanup(d.cleanup)
        if not kw.get("shares"):
            d.add_registrar(REG, PW)
        return d

    def start(self, d):
        d.start()
        self.addCleanup(d.stop)
        c = EPPClient(d.host, d.port)
        self.addCleanup(c.close)
        self.assertEqual(c.login(REG, PW, ext_uris=EXT_URIS).code, 1000)
        return c

    def ok(self, c, xml, extension=""):
        r = c.command(xml, extension=extension)
        self.assertIn(r.code, (1000, 1001), r.raw)
        return r

    def objects(self, c):
        """The holder and two external name servers."""
        self.ok(c, '<create><contact:create xmlns:contact="%s"><contact:id>holder</contact:id>'
                   '<contact:postalInfo type="loc"><contact:name>Holder</contact:name>'
                   '<contact:addr><contact:city>Aarhus</contact:city><contact:cc>DK</contact:cc>'
                   '</contact:addr></contact:postalInfo><contact:email>h@example.dk'
                   '</contact:email><contact:authInfo><contact:pw>Cpw-12345</contact:pw>'
                   '</contact:authInfo></contact:create></create>' % CONTACT_NS)
        for ns in (NS1, NS2):
            self.host(c, ns)

    def host(self, c, name, addr=None):
        a = '<host:addr ip="v4">%s</host:addr>' % addr if addr else ""
        self.ok(c, '<create><host:create xmlns:host="%s"><host:name>%s</host:name>%s'
                   '</host:create></create>' % (HOST_NS, name, a))

    def create(self, c, name, ns=(NS1,), dsdata=()):
        ext = with_terms(secdns_create(dsdata) if dsdata else "")
        self.ok(c, create_xml(name, REG + ":HOLDER", ns=ns, pw="Dpw-12345"), extension=ext)

    # --- waiting for the primary -------------------------------------------------

    def wait(self, d, what, check, deadline):
        """Polls check() until it is true; fails after `deadline` seconds
        from now, saying what was waited for."""
        start = time.monotonic()
        got = None
        while True:
            got = check()
            if got is True:
                return time.monotonic() - start
            if time.monotonic() - start > deadline:
                break
            time.sleep(0.05)
        self.fail("%s: not at the primary %.1fs later (last: %r)\nregistryd:\n%s\nknotd:\n%s"
                  % (what, deadline, got, d.stderr()[-3000:], self.knot.log()[-1500:]))

    def wait_ns(self, d, name, want, deadline=CHANGE_DEADLINE):
        want = set(want)
        return self.wait(d, "%s NS %s" % (name, sorted(want) or "gone"),
                         lambda: self.knot.ns(name) == want or self.knot.ns(name), deadline)

    def exported(self, d):
        """The zone file registryd writes from the database now, as records."""
        return zone_records(d.regctl("zone", "export", "--out", "-").stdout, "dk")

    def wait_level(self, d, deadline):
        def same():
            want, have = self.exported(d), self.knot.records()
            return want == have or {"missing": sorted(want - have), "extra": sorted(have - want)}
        return self.wait(d, "the primary equal to the zone file", same, deadline)

    # --- the tests ---------------------------------------------------------------------

    def test_each_change_reaches_the_primary_within_seconds(self):
        d = self.daemon()
        c = self.start(d)
        self.objects(c)
        self.wait_level(d, CATCH_UP_DEADLINE)  # the first level, of nothing
        took = []
        self.create(c, "a.dk", ns=(NS1,))
        took.append(self.wait_ns(d, "a.dk", {NS1}))
        self.ok(c, update_xml("a.dk", add={"ns": [NS2]}, rem={"ns": [NS1]}))
        took.append(self.wait_ns(d, "a.dk", {NS2}))
        d.regctl("status", "add", "domain", "a.dk", "serverHold")
        took.append(self.wait_ns(d, "a.dk", set()))
        d.regctl("status", "rem", "domain", "a.dk", "serverHold")
        took.append(self.wait_ns(d, "a.dk", {NS2}))
        rec = ds(2371, 13, 2, seed="a.dk")
        self.ok(c, update_xml("a.dk"), extension=secdns_update(add=[rec]))
        want = {"2371 13 2 " + rec[3].lower()}
        took.append(self.wait(d, "a.dk DS", lambda: self.knot.ds("a.dk") == want
                              or self.knot.ds("a.dk"), CHANGE_DEADLINE))
        # an in-bailiwick name server: its glue with the delegation using it
        self.host(c, "ns.a.dk", "192.0.2.53")
        self.create(c, "b.dk", ns=("ns.a.dk", NS1))
        took.append(self.wait_ns(d, "b.dk", {"ns.a.dk", NS1}))
        took.append(self.wait(d, "ns.a.dk glue", lambda: self.knot.addresses("ns.a.dk")
                              == {"192.0.2.53"} or self.knot.addresses("ns.a.dk"),
                              CHANGE_DEADLINE))
        self.ok(c, '<update><host:update xmlns:host="%s"><host:name>ns.a.dk</host:name>'
                   '<host:add><host:addr ip="v4">192.0.2.54</host:addr></host:add>'
                   '<host:rem><host:addr ip="v4">192.0.2.53</host:addr></host:rem>'
                   '</host:update></update>' % HOST_NS)
        took.append(self.wait(d, "ns.a.dk's new address", lambda: self.knot.addresses("ns.a.dk")
                              == {"192.0.2.54"} or self.knot.addresses("ns.a.dk"),
                              CHANGE_DEADLINE))
        # delete (redemption) takes it out, restore puts it back
        self.ok(c, delete_xml("b.dk"), extension=regd_verified("delete"))
        took.append(self.wait_ns(d, "b.dk", set()))
        self.ok(c, update_xml("b.dk", chg=True), extension=rgp_restore())
        took.append(self.wait_ns(d, "b.dk", {"ns.a.dk", NS1}))
        self.wait_level(d, CHANGE_DEADLINE)
        print("\nseconds from the answer to the primary: %s"
              % " ".join("%.2f" % t for t in took), file=sys.stderr)

    def test_changes_while_the_primary_is_down_all_arrive(self):
        d = self.daemon()
        c = self.start(d)
        self.objects(c)
        for name in ("k1.dk", "k2.dk", "k3.dk", "k4.dk"):
            self.create(c, name)
        self.wait_level(d, CATCH_UP_DEADLINE)
        self.knot.stop(kill=True)
        # every kind of change, some of one name one after another
        self.create(c, "k5.dk", ns=(NS1, NS2))
        self.ok(c, update_xml("k1.dk", add={"ns": [NS2]}, rem={"ns": [NS1]}))
        self.ok(c, update_xml("k1.dk", add={"ns": [NS1]}))
        d.regctl("status", "add", "domain", "k2.dk", "serverHold")
        self.ok(c, update_xml("k3.dk"), extension=secdns_update(add=[ds(7, 13, 2, seed="k3")]))
        self.ok(c, delete_xml("k4.dk"), extension=regd_verified("delete"))
        self.wait(d, "the publisher finding the primary gone",
                  lambda: "event=primary-failed" in d.stderr(), CHANGE_DEADLINE)
        # staff see the changes waiting and why
        out = d.regctl("zone", "status").stdout
        self.assertRegex(out, r"(?m)^primary: +%s," % self.knot.address, out)
        self.assertRegex(out, r"(?m)^queued updates: +[1-9]", out)
        self.assertRegex(out, r"(?m)^primary error: +.*cannot connect", out)
        self.knot.start()
        took = self.wait_level(d, CATCH_UP_DEADLINE)
        self.assertEqual(self.knot.ns("k1.dk"), {NS1, NS2})
        self.assertEqual(self.knot.ns("k2.dk"), set())
        self.assertEqual(self.knot.ns("k4.dk"), set())
        self.assertEqual(len(self.knot.ds("k3.dk")), 1)
        self.assertIn("event=primary-back", d.stderr())
        self.wait(d, "regctl zone status with nothing waiting", lambda: re.search(
            r"(?m)^queued updates: +0\n(.|\n)*^primary error: +none",
            d.regctl("zone", "status").stdout) is not None, CHANGE_DEADLINE)
        print("\ncaught up %.2fs after the primary's return" % took, file=sys.stderr)

    def test_existing_domains_brought_level_at_start(self):
        d = self.daemon(primary=False)
        c = self.start(d)
        self.objects(c)
        self.create(c, "e1.dk")
        self.host(c, "ns.e1.dk", "192.0.2.7")
        self.create(c, "e2.dk", ns=("ns.e1.dk", NS2), dsdata=[ds(11, 8, 2, seed="e2")])
        self.create(c, "e3.dk")
        d.regctl("status", "add", "domain", "e3.dk", "serverHold")
        c.close()
        d.stop()
        # without a primary nothing was queued
        self.assertNotIn("zone: updates to the primary", d.stdout())
        d.config = d.config_with("zone", self.knot.settings())
        d.start()
        self.assertIn("zone: updates to the primary %s" % self.knot.address, d.stdout())
        took = self.wait_level(d, CATCH_UP_DEADLINE)
        self.assertEqual(self.knot.ns("e2.dk"), {"ns.e1.dk", NS2})
        self.assertEqual(self.knot.addresses("ns.e1.dk"), {"192.0.2.7"})
        self.assertEqual(self.knot.ns("e3.dk"), set())
        print("\nlevel %.2fs after the start" % took, file=sys.stderr)
        # the primary rebuilt from its zone file (SOA and NS only) while
        # registryd runs: its serial gives it away, and it is levelled
        self.knot.forget()
        self.knot.start()
        self.assertEqual(self.knot.ns("e1.dk"), set())
        took = self.wait_level(d, CATCH_UP_DEADLINE)
        print("levelled %.2fs after the primary came back empty" % took, file=sys.stderr)
        # another writer: a delegation the registry does not have and an
        # NS set changed behind its back; the serial moved, the level
        # takes both back
        self.knot.update("add stray.dk. 3600 NS ns.stray.example.",
                         "add e1.dk. 3600 NS ns.stray.example.")
        self.assertEqual(self.knot.ns("stray.dk"), {"ns.stray.example"})
        self.wait_level(d, CATCH_UP_DEADLINE)
        self.assertEqual(self.knot.ns("e1.dk"), {NS1})
        self.assertIn("event=primary-drifted", d.stderr())

    def test_the_guard_holds_a_mass_removal(self):
        # 10 delegations published in the zone file; more than 20 % of
        # them gone is held, on the stream as in the file
        d = self.daemon(zone={"max_shrink": "20"})
        c = self.start(d)
        self.objects(c)
        names = ["g%d.dk" % i for i in range(10)]
        for name in names:
            self.create(c, name)
        self.wait_level(d, CATCH_UP_DEADLINE)
        d.regctl("zone", "export")
        # one removal of ten (10 %) passes
        self.ok(c, delete_xml(names[0]), extension=regd_verified("delete"))
        self.wait_ns(d, names[0], set())
        # three more (40 % in all): held, with every change still queued
        for name in names[1:4]:
            d.regctl("status", "add", "domain", name, "serverHold")
        self.wait(d, "the stream held", lambda: "event=zone-held" in d.stderr(), CHANGE_DEADLINE)
        out = d.regctl("zone", "status").stdout
        self.assertRegex(out, r"(?m)^safety guard: +HELD", out)
        self.assertRegex(out, r"(?m)^queued updates: +[1-9]", out)
        time.sleep(1.5)  # the publisher polls the hold every second: still nothing sent
        # the second removal may have passed (20 %), the third cannot
        self.assertEqual(self.knot.ns(names[2]), {NS1})
        self.assertEqual(self.knot.ns(names[3]), {NS1})
        # staff publish it: the hold is lifted and the stream goes on
        d.regctl("zone", "export", "--force")
        self.wait_level(d, CATCH_UP_DEADLINE)
        self.assertEqual([n for n in names if self.knot.ns(n)], names[4:])

    def test_a_key_the_primary_refuses_is_reported_and_recovered(self):
        d = self.daemon()
        c = self.start(d)
        self.objects(c)
        self.wait_level(d, CATCH_UP_DEADLINE)
        # the primary's key changed, registryd still signs with the old one
        self.knot.stop()
        old = self.knot.rekey()
        self.knot.start()
        self.create(c, "tsig.dk")
        self.wait(d, "the refused key in the log",
                  lambda: "refused TSIG key registry-update" in d.stderr(), CHANGE_DEADLINE)
        self.assertIn("event=primary-failed", d.stderr())
        out = d.regctl("zone", "status").stdout
        self.assertRegex(out, r"(?m)^primary error: +.*refused TSIG key registry-update", out)
        self.assertRegex(out, r"(?m)^queued updates: +[1-9]", out)
        self.assertEqual(self.knot.ns("tsig.dk"), set())
        # the key set right on the primary: the change arrives
        self.knot.stop()
        self.knot.rekey(old)
        self.knot.start()
        self.wait_ns(d, "tsig.dk", {NS1}, CATCH_UP_DEADLINE)
        # logged once the primary's answer is read: after the primary shows it
        self.wait(d, "the primary's return in the log",
                  lambda: "event=primary-back" in d.stderr(), CHANGE_DEADLINE)


class ZoneConfig(RegctlChecks, unittest.TestCase):
    """The primary's settings: a key is required, its secret is never
    shown, and tsig_secret_file follows the rules of every secret file."""
    backend = "sqlite"
    SECRET = "c2VjcmV0LW9mLXRoZS1yZWdpc3RyeS11cGRhdGUta2V5"

    def secret_file(self, name, text, mode=0o600):
        path = self.env.path(name)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.chmod(path, mode)
        return path

    def conf(self, name, zone):
        return self.env.write_config(name, extra="[zone]\n" + "".join(
            "%s = %s\n" % kv for kv in zone.items()))

    def test_primary_needs_a_key_and_hides_it(self):
        r = self.fails("config", "check", config=self.conf("nokey.conf",
                                                           {"primary": "127.0.0.1:53"}))
        self.assertIn("zone.primary: updates are signed with TSIG", r.err)
        good = self.secret_file("tsig", self.SECRET + "\n")
        conf = self.conf("good.conf", {"primary": "127.0.0.1:53", "tsig_name": "registry-update",
                                       "tsig_secret_file": good})
        out = self.ok("config", "show", config=conf).out
        self.assertIn("# tsig_secret = (set; not shown)\n", out)
        self.assertNotIn(self.SECRET, out)
        for name, extra, error in [
            ("loose", {"tsig_secret_file": self.secret_file("loose", self.SECRET, 0o644)},
             "may be read or changed by others"),
            ("both", {"tsig_secret": self.SECRET, "tsig_secret_file": good},
             "zone.tsig_secret_file and zone.tsig_secret are both set"),
            ("notbase64", {"tsig_secret_file": self.secret_file("bad", "not base64!\n")},
             "zone.tsig_secret"),
            ("algorithm", {"tsig_algorithm": "hmac-md5"}, "zone.tsig_algorithm"),
            ("address", {"primary": "primary.example"}, "zone.primary"),
        ]:
            with self.subTest(name):
                zone = {"primary": "127.0.0.1:53", "tsig_name": "registry-update"}
                zone.update(extra)
                if "tsig_secret" not in zone and "tsig_secret_file" not in zone:
                    zone["tsig_secret_file"] = good
                r = self.fails("config", "check", config=self.conf(name + ".conf", zone))
                self.assertIn(error, r.err)
                self.assertNotIn(self.SECRET, r.err)


class SqliteZoneUpdate(ZoneUpdate, unittest.TestCase):
    backend = "sqlite"


class PgsqlZoneUpdate(ZoneUpdate, unittest.TestCase):
    backend = "pgsql"

    def test_one_of_two_instances_publishes(self):
        d1 = self.daemon()
        c = self.start(d1)
        self.objects(c)
        d2 = self.daemon(shares=d1)
        d2.start()
        self.addCleanup(d2.stop)
        self.create(c, "t1.dk")
        self.wait_ns(d1, "t1.dk", {NS1})
        self.assertIn("event=publisher", d1.stderr())
        self.assertNotIn("event=publisher", d2.stderr())
        # the publisher dies: the other takes its lease and goes on
        d1.proc.kill()
        d1.proc.wait()
        d1.proc = None
        c2 = EPPClient(d2.host, d2.port)
        self.addCleanup(c2.close)
        self.assertEqual(c2.login(REG, PW, ext_uris=EXT_URIS).code, 1000)
        self.ok(c2, create_xml("t2.dk", REG + ":HOLDER", ns=(NS2,), pw="Dpw-12345"),
                extension=with_terms())
        self.wait_ns(d2, "t2.dk", {NS2}, CATCH_UP_DEADLINE)
        self.assertIn("event=publisher", d2.stderr())


if __name__ == "__main__":
    unittest.main()
