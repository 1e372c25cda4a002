#!/usr/bin/env python3
"""No answer before the disk (DESIGN §11, issue 18). On SQLite a batch of
several commands that writes commits, lets the next batch in, and only
then waits for the write-ahead log's fdatasync; its answers go out after
that. Here the disk fails: tests/system/failsync.c, preloaded, makes every
sync of the WAL fail while a flag file exists. Sessions then create
domains all at once, so that the workers take several in one batch: no
create may be answered 1000, a create answered "may have been saved" must
be in the registry once the disk works again, one answered "not saved"
must not, and once the flag is gone creates succeed again."""
import glob
import os
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon import Daemon  # noqa: E402
from eppclient import EPPClient, with_terms  # noqa: E402
from test_epp_contact import c_create, postal  # noqa: E402

DOMAIN = 'xmlns:domain="urn:ietf:params:xml:ns:domain-1.0"'
SESSIONS = 16
ROUNDS = 40  # at most: each round is a burst of SESSIONS creates
MAYBE = "may have been saved"
NOT_SAVED = "was not saved"


def set_flag(path, mode):
    """failsync.c's flag, written whole: a half-written "ours" would fail
    SQLite's own syncs too for a moment."""
    with open(path + ".new", "w") as f:
        f.write(mode)
    os.replace(path + ".new", path)


def create_xml(name):
    return ('<create><domain:create %s><domain:name>%s</domain:name><domain:registrant>'
            'SYNC:HOLDER</domain:registrant><domain:authInfo><domain:pw>Sync-123</domain:pw>'
            '</domain:authInfo></domain:create></create>' % (DOMAIN, name))


def info_xml(name):
    return '<info><domain:info %s><domain:name>%s</domain:name></domain:info></info>' % (
        DOMAIN, name)


class Preloaded:
    """A daemon (self.d) whose processes get failsync.c (self.env), its
    flag file self.flag."""

    def preload(self):
        self.flag = os.path.join(self.d.dir, "failsync")
        asan = os.environ.get("ASAN_OPTIONS", "")
        # the shim comes before ASan's runtime in the preload list
        asan = (asan + ":" if asan else "") + "verify_asan_link_order=0"
        self.env = {"LD_PRELOAD": os.environ["REG_FAILSYNC_LIB"], "REG_FAILSYNC": self.flag,
                    "ASAN_OPTIONS": asan}

    def tearDown(self):
        if os.path.exists(self.flag):
            os.unlink(self.flag)
        self.d.cleanup()


class FailingDisk(Preloaded, unittest.TestCase):
    def setUp(self):
        self.d = Daemon(backend="sqlite", name="sync", max_sessions=SESSIONS + 2)
        self.d.add_registrar("SYNC", "sync-pass1")
        self.preload()
        self.d.start(env=self.env)

    def login(self):
        c = EPPClient(self.d.host, self.d.port)
        self.assertEqual(c.login("SYNC", "sync-pass1").code, 1000)
        return c

    def burst(self, sessions, names):
        """One create per session, sent as nearly at once as threads can."""
        answers, barrier = [None] * len(sessions), threading.Barrier(len(sessions))

        def one(i):
            barrier.wait()
            r = sessions[i].command(create_xml(names[i]), extension=with_terms())
            answers[i] = (names[i], r.code, r.msg)

        threads = [threading.Thread(target=one, args=(i,)) for i in range(len(sessions))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        return answers

    def test_no_answer_before_the_wal_is_synced(self):
        c = self.login()
        r = c.command(c_create("HOLDER", [postal("int", "Holder", street=(), city="Odense",
                                                   pc=None)],
                               voice=None, email="h@example.dk", pw="Cpw-123"))
        self.assertEqual(r.code, 1000, r)
        sessions = [self.login() for _ in range(SESSIONS)]
        set_flag(self.flag, "")
        maybe, not_saved = [], []
        for n in range(ROUNDS):
            answers = self.burst(sessions, ["sync%d-%d.dk" % (n, i) for i in range(SESSIONS)])
            for name, code, msg in answers:
                self.assertNotEqual(code, 1000, "%s answered 1000 though the disk failed" % name)
                self.assertEqual(code, 2400, (name, code, msg))
                if MAYBE in msg:
                    maybe.append(name)
                else:
                    self.assertIn(NOT_SAVED, msg, (name, msg))
                    not_saved.append(name)
            if maybe:
                break
        self.assertTrue(maybe, "no batch of several creates in %d bursts" % ROUNDS)
        self.assertIn("sync-failed", self.d.stderr() + self.d.stdout())
        os.unlink(self.flag)
        # committed before its sync failed: in the registry; refused by
        # SQLite's own failed sync: not
        for name in maybe:
            self.assertEqual(c.command(info_xml(name)).code, 1000, name)
        for name in not_saved:
            self.assertEqual(c.command(info_xml(name)).code, 2303, name)
        # the disk works again, but what followed a failed sync in the WAL
        # could be lost with it: changes are refused until a restart
        answers = self.burst(sessions, ["after-%d.dk" % i for i in range(SESSIONS)])
        self.assertEqual([a[1] for a in answers], [2400] * SESSIONS, answers)
        self.assertIn("changes are refused until the program is restarted",
                      self.d.stderr() + self.d.stdout())
        for s in sessions + [c]:
            s.close()
        self.d.stop()
        self.d.start(env=self.env)
        c = self.login()
        for name in maybe:
            self.assertEqual(c.command(info_xml(name)).code, 1000, name)
        r = c.command(create_xml("after-restart.dk"), extension=with_terms())
        self.assertEqual(r.code, 1000, r)
        c.close()

    def test_zone_is_written_once_what_it_read_is_on_the_disk(self):
        """What the zone is made of may be committed by a batch whose sync
        is still to come: a zone file is written only after the WAL's sync
        (db_sync_commits), as are DNS updates and mail."""
        c = self.login()
        r = c.command(c_create("HOLDER", [postal("int", "Holder", street=(), city="Odense",
                                                   pc=None)],
                               voice=None, email="h@example.dk", pw="Cpw-123"))
        self.assertEqual(r.code, 1000, r)
        c.close()
        out = os.path.join(self.d.dir, "zone.out")
        set_flag(self.flag, "ours")  # SQLite's own syncs work: only registryd's fail
        r = self.d.regctl("zone", "export", "--out", out, check=False, env=self.env)
        self.assertNotEqual(r.returncode, 0, r.stdout)
        self.assertIn("cannot sync the write-ahead log", r.stderr)
        self.assertFalse(os.path.exists(out))
        os.unlink(self.flag)
        r = self.d.regctl("zone", "export", "--out", out, env=self.env)
        with open(out) as f:
            self.assertIn("\tIN\tSOA\t", f.read())


class FailingDiskMail(Preloaded, unittest.TestCase):
    """Mail is sent only once the commit that queued it is on the disk:
    the outbox's delivery calls db_sync_commits before each message."""

    def setUp(self):
        self.d = Daemon(backend="sqlite", name="syncmail",
                        settings={"mail.from": "registry@nic.example"})
        self.spool = os.path.join(self.d.var, "spool", "mail")
        self.preload()
        self.d.regctl("registrar", "add", "SYNCM", "--name", "Mail Registrar", "--password",
                      "syncm-pass1", "--email", "billing@registrar.example")
        self.d.regctl("price", "set", "create", "100")
        self.d.regctl("credit", "add", "SYNCM", "10.00", "--text", "payment")
        self.d.regctl("registrar", "billing", "SYNCM", "--low-balance", "950")
        self.d.start(env=self.env)

    def mails(self):
        return sorted(glob.glob(os.path.join(self.spool, "*.eml")))

    def test_mail_waits_for_the_disk(self):
        c = EPPClient(self.d.host, self.d.port)
        self.assertEqual(c.login("SYNCM", "syncm-pass1").code, 1000)
        r = c.command(c_create("HOLDER", [postal("int", "Holder", street=(), city="Odense",
                                                   pc=None)],
                               voice=None, email="h@example.dk", pw="Cpw-123"))
        self.assertEqual(r.code, 1000, r)
        r = c.command(create_xml("mail-a.dk").replace("SYNC:HOLDER", "SYNCM:HOLDER"),
                      extension=with_terms())
        self.assertEqual(r.code, 1000, r)  # 1000 -> 900: below 950, one mail queued
        c.close()
        set_flag(self.flag, "ours")
        r = self.d.regctl("jobs", "run", "--force", "outbox-deliver", check=False, env=self.env)
        self.assertIn("cannot sync the write-ahead log", r.stdout + r.stderr)
        self.assertEqual(self.mails(), [])
        os.unlink(self.flag)
        self.d.regctl("jobs", "run", "--force", "outbox-deliver", env=self.env)
        self.assertEqual(len(self.mails()), 1)


if __name__ == "__main__":
    unittest.main()
