#!/usr/bin/env python3
"""Domain lifecycle jobs (DESIGN §8, issue 4 item 10) end to end: domains
made over EPP, time moved with `regctl jobs run --now`, results read back
over EPP. Runs on SQLite and PostgreSQL."""
import os
import re
import subprocess
import sys
import unittest
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon import Daemon  # noqa: E402
from eppclient import EPPClient, with_terms  # noqa: E402
from harness import sql  # noqa: E402

DOMAIN = 'xmlns:domain="urn:ietf:params:xml:ns:domain-1.0"'
CONTACT = 'xmlns:contact="urn:ietf:params:xml:ns:contact-1.0"'


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


class Lifecycle:
    backend = None
    settings = {}

    def setUp(self):
        self.d = Daemon(backend=self.backend, name="life", settings=self.settings)
        self.d.add_registrar("LIFE", "life-pass1")
        self.d.add_registrar("OTHER", "other-pass1")
        self.d.start()
        self.c = self.login("LIFE", "life-pass1")
        self.make_contact("LIFE:HOLDER")

    def tearDown(self):
        self.c.close()
        self.d.stop()
        self.d.cleanup()

    def login(self, clid, pw):
        c = EPPClient(self.d.host, self.d.port)
        r = c.login(clid, pw)
        self.assertEqual(r.code, 1000, r)
        return c

    def make_contact(self, handle, email="holder@example.dk"):
        """Over EPP (contacts are always served: 2101 would be a failure)."""
        r = self.c.command(
            '<create><contact:create %s><contact:id>%s</contact:id><contact:postalInfo '
            'type="int"><contact:name>Holder</contact:name><contact:addr><contact:city>Aarhus'
            '</contact:city><contact:cc>DK</contact:cc></contact:addr></contact:postalInfo>'
            '<contact:email>%s</contact:email><contact:authInfo><contact:pw>'
            'Cpw-12345</contact:pw></contact:authInfo></contact:create></create>'
            % (CONTACT, handle, email))
        self.assertEqual(r.code, 1000, r)

    def sql(self, statement):
        sql(self.d, statement)

    def create(self, name, years=1, authinfo="Dpw-12345", contacts=""):
        r = self.c.command(
            '<create><domain:create %s><domain:name>%s</domain:name><domain:period unit="y">%d'
            '</domain:period><domain:registrant>LIFE:HOLDER</domain:registrant>%s'
            '<domain:authInfo><domain:pw>%s</domain:pw></domain:authInfo></domain:create>'
            '</create>' % (DOMAIN, name, years, contacts, authinfo), extension=with_terms())
        self.assertEqual(r.code, 1000, r)
        return datetime.strptime(r.findtext(".//domain:exDate"), "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=timezone.utc)

    def info(self, name, client=None):
        return (client or self.c).command(
            '<info><domain:info %s><domain:name>%s</domain:name></domain:info></info>'
            % (DOMAIN, name))

    def statuses(self, name):
        r = self.info(name)
        return {e.get("s") for e in r.root.iter("{urn:ietf:params:xml:ns:domain-1.0}status")}

    def jobs(self, when):
        out = self.d.regctl("jobs", "run", "--now", iso(when), "--force").stdout
        self.assertNotIn("failed", out)
        return out

    def assert_schema_valid(self, raw):
        path = os.path.join(self.d.dir, "poll-response.xml")
        with open(path, "w") as f:
            f.write(raw)
        # R1 contact ids may be longer than RFC 5730 allows (see test_epp_session.Recorder)
        schema = os.path.join(os.environ["REG_SCHEMA_DIR"], "all-long-ids.xsd")
        r = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", schema, path],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr + raw)

    def change_operation(self, r):
        op = r.find(".//{urn:ietf:params:xml:ns:changePoll-1.0}operation")
        return op.text if op is not None else None

    def history_actions(self, name):
        out = self.d.regctl("history", name).stdout
        return re.findall(r"^\d+\s+\S+\s+domain\s+(\S+)", out, re.M)



class AutorenewLifecycle(Lifecycle):
    def test_autorenew_at_expiry(self):
        exp = self.create("renewme.dk")
        out = self.jobs(exp + timedelta(days=1))
        self.assertRegex(out, r"domain-expiry\s+ran\s+1 ")
        r = self.info("renewme.dk")
        self.assertTrue(r.findtext(".//domain:exDate").startswith(str(exp.year + 1)), r.raw)
        self.assertIn("autorenew", self.history_actions("renewme.dk"))
        r = self.c.poll_req()
        self.assertEqual(r.code, 1301)
        self.assertIn("autoRenew of renewme.dk", r.findtext(".//epp:msgQ/epp:msg"))
        # RFC 8590: the domain after the change, and what changed
        self.assertEqual(self.change_operation(r), "autoRenew")
        self.assertEqual(r.findtext(".//domain:name"), "renewme.dk")
        self.assert_schema_valid(r.raw)
        # idempotent: running again at the same moment changes nothing
        self.assertRegex(self.jobs(exp + timedelta(days=1)), r"domain-expiry\s+ran\s+0 ")


class ExpireLifecycle(Lifecycle):
    settings = {"lifecycle.on_expiry": "expire"}

    def test_expired_hold_delete_purge(self):
        exp = self.create("goner.dk")
        self.jobs(exp + timedelta(days=1))
        self.assertNotIn("serverHold", self.statuses("goner.dk"))
        self.jobs(exp + timedelta(days=16))
        self.assertIn("serverHold", self.statuses("goner.dk"))
        self.jobs(exp + timedelta(days=31))
        r = self.info("goner.dk")
        self.assertIn("pendingDelete", {e.get("s") for e in r.root.iter(
            "{urn:ietf:params:xml:ns:domain-1.0}status")})
        self.assertEqual(r.find(".//{urn:ietf:params:xml:ns:rgp-1.0}rgpStatus").get("s"),
                         "redemptionPeriod")
        self.jobs(exp + timedelta(days=31 + 30 + 5, hours=1))
        self.assertEqual(self.info("goner.dk").code, 2303)
        ops = []
        while True:
            r = self.c.poll_req()
            if r.code != 1301:
                break
            self.assert_schema_valid(r.raw)
            ops.append(self.change_operation(r))
            self.c.poll_ack(r.find("epp:response/epp:msgQ").get("id"))
        self.assertEqual(ops, ["update", "autoDelete", "autoPurge"])
        self.assertEqual(self.history_actions("goner.dk")[-3:],
                         ["hold-expired", "delete-expired", "purge"])

    def test_renew_lifts_expiry_hold(self):
        exp = self.create("saved.dk")
        self.jobs(exp + timedelta(days=16))
        self.assertIn("serverHold", self.statuses("saved.dk"))
        r = self.c.command(
            '<renew><domain:renew %s><domain:name>saved.dk</domain:name><domain:curExpDate>%s'
            '</domain:curExpDate><domain:period unit="y">2</domain:period></domain:renew></renew>'
            % (DOMAIN, exp.strftime("%Y-%m-%d")))
        self.assertEqual(r.code, 1000, r)
        self.assertNotIn("serverHold", self.statuses("saved.dk"))


class PendingTransferLifecycle(Lifecycle):
    settings = {"transfer.mode": "pending", "transfer.pending_period": "5d"}

    def test_pending_transfer_approved_automatically(self):
        self.create("moving.dk", authinfo="Move-12345")
        other = self.login("OTHER", "other-pass1")
        r = other.command(
            '<transfer op="request"><domain:transfer %s><domain:name>moving.dk</domain:name>'
            '<domain:authInfo><domain:pw>Move-12345</domain:pw></domain:authInfo>'
            '</domain:transfer></transfer>' % DOMAIN)
        self.assertEqual(r.code, 1001, r)
        self.assertIn("pendingTransfer", self.statuses("moving.dk"))
        now = datetime.now(timezone.utc)
        self.assertRegex(self.jobs(now + timedelta(days=1)), r"transfer-approve\s+ran\s+0 ")
        self.assertRegex(self.jobs(now + timedelta(days=6)), r"transfer-approve\s+ran\s+1 ")
        r = self.info("moving.dk", other)
        self.assertEqual(r.findtext(".//domain:clID"), "OTHER")
        r = other.poll_req()
        self.assertEqual(r.code, 1301)
        self.assertEqual(r.findtext(".//domain:trStatus"), "serverApproved")
        other.close()


    def test_R4_contacts_copied_on_automatic_approval(self):
        self.make_contact("LIFE:TECH", "tech@example.dk")
        self.create("r4-moving.dk", authinfo="Move-12345",
                    contacts='<domain:contact type="tech">LIFE:TECH</domain:contact>')
        self.create("r4-staying.dk", contacts='<domain:contact type="tech">LIFE:TECH'
                                              '</domain:contact>')
        old = {h: self.contact_info(h) for h in ("LIFE:HOLDER", "LIFE:TECH")}
        other = self.login("OTHER", "other-pass1")
        r = other.command(
            '<transfer op="request"><domain:transfer %s><domain:name>r4-moving.dk</domain:name>'
            '<domain:authInfo><domain:pw>Move-12345</domain:pw></domain:authInfo>'
            '</domain:transfer></transfer>' % DOMAIN)
        self.assertEqual(r.code, 1001, r)
        now = datetime.now(timezone.utc)
        self.assertRegex(self.jobs(now + timedelta(days=6)), r"transfer-approve\s+ran\s+1 ")
        # the new sponsor's domain points at its own copies (R2 ids) ...
        r = self.info("r4-moving.dk", other)
        self.assertEqual(r.findtext(".//domain:clID"), "OTHER")
        copies = [r.findtext(".//domain:registrant"),
                  r.findtext(".//domain:contact[@type='tech']")]
        for copy, orig in zip(copies, ("LIFE:HOLDER", "LIFE:TECH")):
            self.assertRegex(copy or "", r"^OTHER:[0-9A-F]{8}$")
            c = self.contact_info(copy, other)
            self.assertEqual((c.findtext(".//contact:clID"), c.findtext(".//contact:email")),
                             ("OTHER", old[orig].findtext(".//contact:email")))
            # ... which the job made (R40)
            self.assertRegex(self.d.regctl("history", copy).stdout,
                             r"\n1\s+\S+\s+contact\s+copy\s+job:transfer-approve\s+job\s")
            # and the old objects stayed as they were
            self.assertEqual(ET.tostring(self.contact_info(orig).find("epp:response/epp:resData")),
                             ET.tostring(old[orig].find("epp:response/epp:resData")))
        self.assertNotEqual(copies[0], copies[1])
        other.close()

    def contact_info(self, handle, client=None):
        r = (client or self.c).command(
            '<info><contact:info %s><contact:id>%s</contact:id></contact:info></info>'
            % (CONTACT, handle))
        self.assertEqual(r.code, 1000, r)
        return r


class BatchedLifecycle(Lifecycle):
    """A day of many expiries (issue 18), small: 25 due at 10 a batch."""
    settings = {"jobs.batch": "10"}

    def test_regctl_reports_progress_and_counts(self):
        exp = None
        for i in range(25):
            exp = self.create("many%02d.dk" % i)
        r = self.d.regctl("jobs", "run", "--now", iso(exp + timedelta(days=1)), "--force",
                          "domain-expiry")
        # a progress line after the first batch (more to come), then the counts
        # (the log's lines: test_jobs.c)
        self.assertRegex(r.stdout, r"(?m)^domain-expiry\s+running\s+progress: 10 of 25 due "
                                   r"looked at, \d+/s: 10 domains renewed automatically$")
        self.assertRegex(r.stdout, r"(?m)^domain-expiry\s+ran\s+25 domains renewed "
                                   r"automatically, in 3 transactions$")
        lines = r.stdout.splitlines()
        self.assertTrue(lines[-1].startswith("domain-expiry"), r.stdout)
        self.assertRegex(lines[-1], r"\sran\s")
        # each renewed once: 25 poll messages, and nothing due for the next run
        for _ in range(25):
            p = self.c.poll_req()
            self.assertEqual(p.code, 1301, p)
            self.assertEqual(self.change_operation(p), "autoRenew")
            self.assertEqual(self.c.poll_ack(p.find("epp:response/epp:msgQ").get("id")).code, 1000)
        self.assertEqual(self.c.poll_req().code, 1300)
        r = self.d.regctl("jobs", "run", "--now", iso(exp + timedelta(days=1, hours=1)),
                          "--force", "domain-expiry")
        self.assertRegex(r.stdout, r"(?m)^domain-expiry\s+ran\s+0 domains renewed "
                                   r"automatically, in 1 transaction$")
        self.assertNotIn("running", r.stdout)


def suite_for(backend):
    classes = []
    for base in (AutorenewLifecycle, ExpireLifecycle, PendingTransferLifecycle,
                 BatchedLifecycle):
        classes.append(type(f"{backend.capitalize()}{base.__name__}", (base, unittest.TestCase),
                            {"backend": backend}))
    return classes


for _cls in suite_for("sqlite") + suite_for("pgsql"):
    globals()[_cls.__name__] = _cls
del _cls

if __name__ == "__main__":
    unittest.main()
