#!/usr/bin/env python3
"""The zone file end to end (issue 14 items 1, 3, 4; DESIGN §9): domains,
hosts and DS made over EPP on a real registryd, holds set with regctl
status, the zone written by `regctl zone export` and checked by BIND's
named-checkzone and Knot's kzonecheck (Debian bind9-utils and
knot-dnssecutils, in scripts/debian-packages); the safety guard refusing a
zone that lost many delegations at once (exit status, the file kept,
regctl zone status and diff, the alert mail, --force). Runs on SQLite and
PostgreSQL.

Every [zone] setting is at its default except alert_email: the defaults
must make a zone both checkers load."""
import glob
import os
import re
import shutil
import subprocess
import sys
import unittest
from email import message_from_bytes

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon import Daemon  # noqa: E402
from eppclient import EPPClient, with_terms, xml_escape  # noqa: E402
from test_monitoring import http_get, metric, parse_exposition  # noqa: E402

DOMAIN_NS = "urn:ietf:params:xml:ns:domain-1.0"
HOST_NS = "urn:ietf:params:xml:ns:host-1.0"
CONTACT_NS = "urn:ietf:params:xml:ns:contact-1.0"
SECDNS_NS = "urn:ietf:params:xml:ns:secDNS-1.1"
DIGEST = "2BB183AF5F22588179A53B0A98631FAD1A292118A9B4B4D63B5E4E2B1F2F3F4C"
ALERT = "hostmaster@nic.example"
CHECKERS = ("named-checkzone", "kzonecheck")


def missing_checkers():
    return [c for c in CHECKERS if not shutil.which(c)]


def serial_of(text):
    return re.search(r"\tSOA\t\S+ \S+ (\d+) ", text).group(1)


class ZoneFile:
    backend = None

    def setUp(self):
        self.d = Daemon(backend=self.backend, name="zone", only="epp,http",
                        settings={"host.allow_private": "true", "zone.alert_email": ALERT,
                                  "mail.from": "registry@nic.example",
                                  "http.metrics_allow": "127.0.0.1"})
        self.d.add_registrar("ZREG", "zreg-pass1")
        self.d.start()
        self.c = EPPClient(self.d.host, self.d.port)
        self.assertEqual(self.c.login("ZREG", "zreg-pass1",
                                      ext_uris=[SECDNS_NS,
                                                "https://registryd.org/epp/domain-ext-1.0"]).code,
                         1000)
        self.epp('<create><contact:create xmlns:contact="%s"><contact:id>HOLDER</contact:id>'
                 '<contact:postalInfo type="int"><contact:name>Jens Hansen</contact:name>'
                 '<contact:addr><contact:city>Aarhus</contact:city><contact:cc>DK</contact:cc>'
                 '</contact:addr></contact:postalInfo><contact:email>holder@example.dk'
                 '</contact:email><contact:authInfo><contact:pw>Cpw-12345</contact:pw>'
                 '</contact:authInfo></contact:create></create>' % CONTACT_NS)
        for host in ("ns1.example.net", "ns2.example.net"):
            self.host(host)
        self.file = os.path.join(self.d.var, "dk.zone")
        self.spool = os.path.join(self.d.var, "spool", "mail")

    def tearDown(self):
        self.c.close()
        rc = self.d.stop()
        self.d.cleanup()
        self.assertEqual(rc, 0)

    # --- EPP ----------------------------------------------------------------

    def epp(self, inner, ext="", code=1000):
        r = self.c.command(inner, extension=ext)
        self.assertEqual(r.code, code, r.raw)
        return r

    def host(self, name, *addrs):
        a = "".join('<host:addr ip="%s">%s</host:addr>' % ("v6" if ":" in x else "v4", x)
                    for x in addrs)
        self.epp('<create><host:create xmlns:host="%s"><host:name>%s</host:name>%s'
                 '</host:create></create>' % (HOST_NS, xml_escape(name), a))

    def domain(self, name, *ns, ds=()):
        hosts = "".join("<domain:hostObj>%s</domain:hostObj>" % h for h in ns)
        ext = ""
        if ds:
            ext = '<secDNS:create xmlns:secDNS="%s">%s</secDNS:create>' % (SECDNS_NS, "".join(
                "<secDNS:dsData><secDNS:keyTag>%d</secDNS:keyTag><secDNS:alg>%d</secDNS:alg>"
                "<secDNS:digestType>%d</secDNS:digestType><secDNS:digest>%s</secDNS:digest>"
                "</secDNS:dsData>" % r for r in ds))
        self.epp('<create><domain:create xmlns:domain="%s"><domain:name>%s</domain:name>%s'
                 '<domain:registrant>ZREG:HOLDER</domain:registrant><domain:authInfo>'
                 '<domain:pw>Dpw-12345</domain:pw></domain:authInfo></domain:create></create>'
                 % (DOMAIN_NS, xml_escape(name), "<domain:ns>%s</domain:ns>" % hosts if ns
                    else ""), ext=with_terms(ext))

    def zone_metrics(self):
        status, _, body = http_get(self.d, "/metrics")
        self.assertEqual(status, 200, body)
        m = parse_exposition(body)
        return {k: metric(m, "registryd_zone_" + k) for k in (
            "held", "guard_refusals_total", "last_published_timestamp_seconds",
            "published_delegations", "publication_failing")}

    def hold(self, name):
        self.d.regctl("status", "add", "domain", name, "serverHold")

    # --- the zone ------------------------------------------------------------

    def read(self, path=None):
        with open(path or self.file) as f:
            return f.read()

    def check_loads(self, path):
        """Both checkers load the file (the test is skipped, saying why, only
        when they are not installed)."""
        for cmd in (["named-checkzone", "dk", path], ["kzonecheck", "-o", "dk", path]):
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
            self.assertEqual(r.returncode, 0, "%s:\n%s%s\n--- the zone:\n%s"
                             % (" ".join(cmd), r.stdout, r.stderr, self.read(path)))

    def regctl(self, *args):
        return self.d.regctl(*args, check=False)

    # --- the tests -----------------------------------------------------------

    def test_export_loads_in_named_checkzone_and_kzonecheck(self):
        missing = missing_checkers()
        if missing:
            self.fail("%s not installed (apt-get install bind9-utils knot-dnssecutils; "
                          "both are in scripts/debian-packages)" % " and ".join(missing))
        self.domain("plain.dk", "ns2.example.net", "ns1.example.net")
        self.domain("signed.dk", "ns1.example.net",
                    ds=[(60485, 13, 2, DIGEST), (2371, 8, 1, DIGEST[:40])])
        self.domain("bl\u00e5b\u00e6r.dk", "ns1.example.net", ds=[(7, 13, 2, DIGEST)])
        # glue: in-bailiwick hosts, one with IPv4 and IPv6, used by another domain
        self.domain("host.dk", "ns1.example.net")
        self.host("ns1.host.dk", "192.0.2.1", "2001:db8::1")
        self.host("ns2.host.dk", "192.0.2.2")
        self.host("unused.host.dk", "192.0.2.3")
        self.domain("glued.dk", "ns1.host.dk", "ns2.host.dk")
        # out: on hold, inactive; a held domain's host still serves glued2.dk
        self.domain("held.dk", "ns1.example.net")
        self.hold("held.dk")
        self.domain("inactive.dk")
        self.domain("orphan.dk", "ns1.example.net")
        self.host("ns.orphan.dk", "198.51.100.1")
        self.domain("glued2.dk", "ns.orphan.dk")
        self.hold("orphan.dk")

        copy = os.path.join(self.d.dir, "copy.zone")
        r = self.regctl("zone", "export", "--out", copy)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"^zone \.dk serial \d+: 6 delegations, \d+ records written "
                                   r"to .*copy\.zone\n$")
        self.check_loads(copy)
        z = self.read(copy)
        lines = z.splitlines()
        self.assertTrue(lines[0].startswith(";"))
        self.assertRegex(lines[1], r"^dk\.\t3600\tIN\tSOA\tns1\.example\.net\. "
                                   r"registry\.nic\.example\. \d+ 1800 900 1209600 900$")
        for want in ("dk.\t3600\tIN\tNS\tns1.example.net.",
                     "dk.\t3600\tIN\tNS\tns2.example.net.",
                     "plain.dk.\t3600\tIN\tNS\tns1.example.net.",
                     "plain.dk.\t3600\tIN\tNS\tns2.example.net.",
                     "signed.dk.\t3600\tIN\tDS\t2371 8 1 " + DIGEST[:40],
                     "signed.dk.\t3600\tIN\tDS\t60485 13 2 " + DIGEST,
                     "xn--blbr-roah.dk.\t3600\tIN\tDS\t7 13 2 " + DIGEST,
                     "ns1.host.dk.\t3600\tIN\tA\t192.0.2.1",
                     "ns1.host.dk.\t3600\tIN\tAAAA\t2001:db8::1",
                     "ns2.host.dk.\t3600\tIN\tA\t192.0.2.2",
                     "glued.dk.\t3600\tIN\tNS\tns1.host.dk.",
                     "ns.orphan.dk.\t3600\tIN\tA\t198.51.100.1",
                     "glued2.dk.\t3600\tIN\tNS\tns.orphan.dk."):
            self.assertIn(want, lines)
        for gone in ("held.dk.", "inactive.dk.", "orphan.dk.\t", "unused.host.dk."):
            self.assertFalse([x for x in lines if x.startswith(gone)], gone)
        owners = [x.split("\t")[0] for x in lines[4:]]
        self.assertEqual(owners[0], "glued.dk.")  # byte order of the delegations
        self.assertEqual(owners[-1], "xn--blbr-roah.dk.")

        # published to [zone] file: the same zone, the next serial
        r = self.regctl("zone", "export")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("6 delegations", r.stdout)
        self.check_loads(self.file)
        published = self.read()
        self.assertEqual(int(serial_of(published)), int(serial_of(z)) + 1)
        self.assertEqual(published.replace(serial_of(published), "S"), z.replace(serial_of(z), "S"))
        self.assertEqual(oct(os.stat(self.file).st_mode & 0o777), "0o644")
        status = self.regctl("zone", "status")
        self.assertEqual(status.returncode, 0, status.stderr)
        self.assertRegex(status.stdout, r"last published:  \S+, serial %s, 6 delegations"
                         % serial_of(published))
        self.assertIn("safety guard:    not holding (limit 5 %)", status.stdout)
        # nothing changed: no diff; the job writes the same zone
        diff = self.regctl("zone", "diff")
        self.assertEqual(diff.stdout.splitlines()[0], "0 records added, 0 removed; delegations: "
                         "6 published last, 6 next (0 (0.0 %) fewer); the safety guard "
                         "(limit 5 %) would let it through")
        r = self.regctl("jobs", "run", "--force", "zone-export")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"zone-export +ran +serial \d+: 6 delegations")
        self.check_loads(self.file)

    def test_safety_guard_holds_until_forced(self):
        names = ["d%02d.dk" % i for i in range(30)]
        for name in names:
            self.domain(name, "ns1.example.net")
        r = self.regctl("zone", "export")
        self.assertEqual(r.returncode, 0, r.stderr)
        before = self.read()
        published = self.zone_metrics()
        self.assertEqual((published["held"], published["guard_refusals_total"],
                          published["published_delegations"],
                          published["publication_failing"]), (0, 0, 30, 0))
        self.assertGreater(published["last_published_timestamp_seconds"], 0)
        for name in names[:3]:  # 10 % of the delegations at once
            self.hold(name)
        r = self.regctl("zone", "export")
        self.assertEqual(r.returncode, 1, r)
        # one log line with the numbers, then regctl's one line
        log, line = r.stderr.splitlines()
        self.assertRegex(log, r"^ts=\S+ level=error sub=zone event=zone-held tld=dk previous=30 "
                              r"next=27 removed=3 max_shrink=5 ")
        self.assertEqual(line, "regctl: zone export: held by the safety guard: 3 (10.0 %) of the "
                               "30 delegations published last would go (the limit is 5 %); "
                               "regctl zone diff shows what, regctl zone export --force "
                               "publishes it")
        self.assertEqual(self.read(), before)
        status = self.regctl("zone", "status").stdout
        self.assertRegex(status, r"safety guard:    HELD since \S+: the last run would have "
                                 r"removed 3 \(10\.0 %\) of 30 delegations")
        self.assertIn("runs held:       1", status)
        held = self.zone_metrics()
        self.assertEqual((held["held"], held["guard_refusals_total"],
                          held["published_delegations"], held["publication_failing"]),
                         (1, 1, 30, 0))
        self.assertEqual(held["last_published_timestamp_seconds"],
                         published["last_published_timestamp_seconds"])
        diff = self.regctl("zone", "diff").stdout.splitlines()
        self.assertEqual(diff[:3], ["- d0%d.dk.\t3600\tIN\tNS\tns1.example.net." % i
                                    for i in range(3)])
        self.assertTrue(diff[3].endswith("the safety guard (limit 5 %) would hold it"), diff)
        # the job is held too (and says so), and no second mail goes out
        r = self.regctl("jobs", "run", "--force", "zone-export")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("held by the safety guard", r.stdout)
        self.assertEqual(self.read(), before)
        self.d.regctl("jobs", "run", "--force", "outbox-deliver")
        mails = []
        for p in sorted(glob.glob(os.path.join(self.spool, "*.eml"))):
            with open(p, "rb") as f:
                mails.append(message_from_bytes(f.read()))
        alerts = [m for m in mails if m["To"] == ALERT]
        self.assertEqual(len(alerts), 1, [m["Subject"] for m in mails])
        self.assertEqual(alerts[0]["Subject"], "Zone .dk held by the safety guard")
        body = alerts[0].get_payload(decode=True).decode()
        self.assertIn("it would have removed 3 (10.0 %) of the 30 delegations", body)
        self.assertIn("runs held:       2", self.regctl("zone", "status").stdout)
        # staff publish it all the same
        r = self.regctl("zone", "export", "--force")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("27 delegations", r.stdout)
        z = self.read()
        self.assertNotIn("d00.dk.", z)
        self.assertIn("d03.dk.", z)
        self.assertIn("safety guard:    not holding", self.regctl("zone", "status").stdout)
        forced = self.zone_metrics()
        self.assertEqual((forced["held"], forced["guard_refusals_total"],
                          forced["published_delegations"]), (0, 2, 27))
        # --force is for the published file only
        r = self.regctl("zone", "export", "--out", os.path.join(self.d.dir, "x.zone"), "--force")
        self.assertEqual(r.returncode, 2)

    def test_failed_publication_is_shown_until_the_next_success(self):
        self.domain("a.dk", "ns1.example.net")
        os.mkdir(self.file)  # a directory where the file goes: the rename fails
        r = self.regctl("zone", "export")
        self.assertEqual(r.returncode, 1, r)
        self.assertIn("cannot replace %s: Is a directory" % self.file, r.stderr)
        self.assertRegex(self.regctl("zone", "status").stdout,
                         r"last error:      \S+: cannot replace \S+: Is a directory")
        failing = self.zone_metrics()
        self.assertEqual((failing["publication_failing"], failing["held"],
                          failing["last_published_timestamp_seconds"]), (1, 0, 0))
        os.rmdir(self.file)
        r = self.regctl("zone", "export")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("last error:      none", self.regctl("zone", "status").stdout)
        fixed = self.zone_metrics()
        self.assertEqual((fixed["publication_failing"], fixed["published_delegations"]), (0, 1))


class SqliteZone(ZoneFile, unittest.TestCase):
    backend = "sqlite"


class PgsqlZone(ZoneFile, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
