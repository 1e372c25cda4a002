#!/usr/bin/env python3
"""Backup and restore (issue 13; docs/operations.md "Backup and restore").

A registry is filled over EPP (a registrar with credit whose creates charge
the ledger), then backed up while registryd runs and two sessions keep
creating domains; the backup is restored into a fresh location, where

- `regctl ledger verify` passes (and fails once a ledger row is changed:
  the negative control),
- every domain acknowledged before the backup started is there, each
  session's domains are a prefix of what it created (the copy is of one
  instant), and every domain has its one ledger debit,
- registryd starts on it with the pepper file restored apart, and auth
  info still verifies (the right one 1000, a wrong one 2202).

SQLite (SqliteBackup): `regctl db backup FILE` (refuses an existing FILE
without --force, names the pepper file it does not copy) and `regctl db
restore FILE` (refuses a running registryd's database, a database that
holds a registry without --force). PostgreSQL (PgsqlBackup): `regctl db
backup` refuses and names pg_dump; pg_dump -Fc of the running database,
pg_restore into a new one.

Run through ctest (tests/system/epp_tests.cmake), or directly with REGCTL,
REGISTRYD and REG_TEST_PG_URL_FILE set.
"""

import glob
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from daemon import Daemon  # noqa: E402
from eppclient import EPPClient, with_terms  # noqa: E402
from harness import psql, q, sql  # noqa: E402
from test_epp_contact import c_create  # noqa: E402
from test_epp_domain import check_xml, create_xml, info_xml  # noqa: E402

A, B = "BK-A", "BK-B"
PASSWORDS = {A: "bk-Secret-A1", B: "bk-Secret-B1"}
HOLDER = A + ":HOLDER"
DOMAIN_PW = "Dpw-backup-1"
BEFORE = 20          # domains created before the load starts
WRITERS = 2          # sessions creating while the backup is taken
ACKS_BEFORE_BACKUP = 20
ACKS_AFTER_BACKUP = 10


def pg_tool(name):
    """A PostgreSQL client program of the server's version (as
    tests/pg-server.sh picks the server)."""
    bin_dir = os.environ.get("PG_BIN")
    if not bin_dir:
        dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                      key=lambda p: int(p.split("/")[-2]))
        bin_dir = dirs[-1] if dirs else ""
    path = os.path.join(bin_dir, name)
    return path if os.access(path, os.X_OK) else shutil.which(name)


def run(argv, **kw):
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL, **kw)


class Load:
    """WRITERS sessions creating w<t>-<n>.dk until stopped; acked[t] lists
    what each got 1000 for, in order."""

    def __init__(self, test, d):
        self.test, self.d = test, d
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.acked = [[] for _ in range(WRITERS)]
        self.errors = []
        self.threads = [threading.Thread(target=self.writer, args=(t,)) for t in range(WRITERS)]

    def writer(self, t):
        try:
            c = self.test.login(self.d, A)
            n = 0
            while not self.stop.is_set():
                name = "w%d-%d.dk" % (t, n)
                r = c.command(create_xml(name, HOLDER, pw=DOMAIN_PW), extension=with_terms())
                if r.code != 1000:
                    raise AssertionError("create %s: %s" % (name, r))
                with self.lock:
                    self.acked[t].append(name)
                n += 1
            c.close()
        except Exception as e:  # reported by finish()
            self.errors.append(e)

    def count(self):
        with self.lock:
            return sum(len(a) for a in self.acked)

    def snapshot(self):
        with self.lock:
            return [list(a) for a in self.acked]

    def wait_for(self, n, timeout=60):
        deadline = time.monotonic() + timeout
        while self.count() < n and not self.errors and time.monotonic() < deadline:
            time.sleep(0.01)
        self.test.assertFalse(self.errors, self.errors)
        self.test.assertGreaterEqual(self.count(), n, "the writers stalled")

    def start(self):
        for th in self.threads:
            th.start()

    def finish(self):
        self.stop.set()
        for th in self.threads:
            th.join(60)
        self.test.assertFalse(self.errors, self.errors)


class Backup:
    backend = None

    def setUp(self):
        self.d = Daemon(self.backend, name="backup", max_sessions=WRITERS + 4)
        self.addCleanup(self.d.cleanup)
        self.d.regctl("price", "set", "create", "15.00", "--from", "2000-01-01T00:00:00Z")
        for handle, pw in PASSWORDS.items():
            self.d.add_registrar(handle, pw)
        self.d.regctl("credit", "add", A, "100000.00", "--text", "opening payment")
        self.d.start()
        a = self.login(self.d, A)
        self.assertEqual(a.command(c_create(HOLDER, email="holder@example.dk")).code, 1000)
        self.before = ["pre%d.dk" % i for i in range(BEFORE)]
        for name in self.before:
            r = a.command(create_xml(name, HOLDER, pw=DOMAIN_PW), extension=with_terms())
            self.assertEqual(r.code, 1000, r)
        a.close()
        self.backup = os.path.join(self.d.dir, "backups", "registry.backup")
        os.makedirs(os.path.dirname(self.backup))

    def login(self, d, handle):
        c = EPPClient(d.host, d.port)
        r = c.login(handle, PASSWORDS[handle])
        self.assertEqual(r.code, 1000, r)
        return c

    def regctl_fails(self, d, *args, config=None):
        """regctl exits 1 with one line on stderr; that line."""
        argv = [d.regctl_path, "--config", config or d.config] + list(args)
        r = run(argv, cwd=d.dir)
        self.assertEqual(r.returncode, 1, r)
        self.assertEqual(len(r.stderr.splitlines()), 1, r)
        self.assertTrue(r.stderr.startswith("regctl: "), r)
        return r.stderr

    def backup_under_load(self, take):
        """Runs take() (the backup) while the writers create domains; the
        domains acknowledged before it started, and the load's record."""
        load = Load(self, self.d)
        load.start()
        try:
            load.wait_for(ACKS_BEFORE_BACKUP)
            acked_before = self.before + [n for per in load.snapshot() for n in per]
            at_start = load.count()
            take()
            # the writers were not held up: they go on after it
            load.wait_for(at_start + ACKS_AFTER_BACKUP)
        finally:
            load.finish()
        return acked_before, load

    def fresh_location(self):
        """A second registry (its own directory, configuration and empty
        database) with the first one's pepper file, as restored from its
        own backup: a Daemon whose initial database and pepper are
        removed."""
        r = Daemon(self.backend, name="restored", max_sessions=4)
        self.addCleanup(r.cleanup)
        if self.backend == "sqlite":
            for f in glob.glob(os.path.join(r.var, "registry.db*")):
                os.unlink(f)
        else:
            psql(r.pg_admin, "DROP DATABASE %s WITH (FORCE)" % r.pg_dbname)
            psql(r.pg_admin, "CREATE DATABASE %s" % r.pg_dbname)
        shutil.copy2(os.path.join(self.d.var, "pepper"), os.path.join(r.var, "pepper"))
        r.registrars = dict(PASSWORDS)
        return r

    def check_restored(self, r, acked_before, load):
        """What a restored registry must show (see the module's doc)."""
        out = r.regctl("ledger", "verify", check=False)
        self.assertEqual(out.returncode, 0, out)
        self.assertIn("every balance equals", out.stdout)
        names = {n for (n,) in sql(r, "SELECT name FROM domain")}
        missing = [n for n in acked_before if n not in names]
        self.assertEqual(missing, [], "acknowledged before the backup, missing after restore")
        # one instant: each session's domains in the copy are a prefix of its creates
        everything = load.snapshot()
        for t in range(WRITERS):
            got = sorted((n for n in names if n.startswith("w%d-" % t)),
                         key=lambda n: int(n.split("-")[1].split(".")[0]))
            self.assertEqual(got, ["w%d-%d.dk" % (t, i) for i in range(len(got))])
            self.assertLessEqual(len(got), len(everything[t]))
        # every create in the copy has its debit, and no debit is without one
        (debits,), = sql(r, "SELECT COUNT(*) FROM ledger l JOIN registrar g ON g.id = "
                            "l.registrar_id WHERE g.handle = %s AND l.kind = 'debit' AND "
                            "l.operation = 'create'" % q(A))
        self.assertEqual(int(debits), len(names))

        # registryd runs on it, with the pepper restored apart: auth info verifies
        r.start()
        a, b = self.login(r, A), self.login(r, B)
        resp = a.command(check_xml(*acked_before[-5:]))
        self.assertEqual(resp.code, 1000, resp)
        self.assertEqual([cd.get("avail") for cd in
                          resp.root.iter("{urn:ietf:params:xml:ns:domain-1.0}name")],
                         ["0"] * 5, resp.raw)
        self.assertEqual(b.command(info_xml(self.before[0], pw="Wrong-pw-1")).code, 2202)
        self.assertEqual(b.command(info_xml(self.before[0], pw=DOMAIN_PW)).code, 1000)
        a.close()
        b.close()
        self.assertEqual(r.stop(), 0, r.stderr()[-2000:])

        # negative control: a changed ledger row fails the verification
        sql(r, "UPDATE ledger SET balance_after = balance_after + 1 WHERE id = "
               "(SELECT MAX(id) FROM ledger)")
        out = r.regctl("ledger", "verify", check=False)
        self.assertEqual(out.returncode, 1, out)
        self.assertIn("disagree", out.stderr)


class SqliteBackup(Backup, unittest.TestCase):
    backend = "sqlite"

    def test_online_backup_restores_whole_and_verifies(self):
        outputs = []

        def take():
            outputs.append(self.d.regctl("db", "backup", self.backup))

        acked_before, load = self.backup_under_load(take)
        out = outputs[0].stdout
        self.assertRegex(out, r"^backup written to %s: schema version \d+, \d+ bytes, checked\n"
                         % re.escape(self.backup))
        pepper = os.path.join(self.d.var, "pepper")
        self.assertIn("not in the backup: the pepper file %s (key " % pepper, out)
        self.assertEqual(os.stat(self.backup).st_mode & 0o777, 0o600)
        self.assertEqual(os.listdir(os.path.dirname(self.backup)), ["registry.backup"])
        # an existing file is not replaced unless asked
        before = os.stat(self.backup)
        self.assertIn("exists: give a new name, or --force",
                      self.regctl_fails(self.d, "db", "backup", self.backup))
        self.assertEqual(os.stat(self.backup).st_mtime_ns, before.st_mtime_ns)
        # the running registryd's database is never restored over
        self.assertIn("in use by another process",
                      self.regctl_fails(self.d, "db", "restore", self.backup, "--force"))
        a = self.login(self.d, A)
        self.assertEqual(a.command(info_xml(self.before[0])).code, 1000)
        a.close()

        r = self.fresh_location()
        out = r.regctl("db", "restore", self.backup).stdout
        self.assertIn("database restored from %s (schema version" % self.backup, out)
        self.assertIn("the pepper file %s holds the key of its hashes" % os.path.join(r.var,
                                                                                    "pepper"), out)
        # once it holds a registry, only with --force
        self.assertIn("holds a registry already",
                      self.regctl_fails(r, "db", "restore", self.backup))
        r.regctl("db", "restore", self.backup, "--force")
        self.check_restored(r, acked_before, load)

    def test_backup_of_no_database_makes_nothing(self):
        config = self.d.config_with("database", {"url": "sqlite:" + os.path.join(
            self.d.dir, "nowhere.db")})
        err = self.regctl_fails(self.d, "db", "backup", self.backup, config=config)
        self.assertIn("there is no SQLite database at", err)
        self.assertFalse(os.path.exists(os.path.join(self.d.dir, "nowhere.db")))
        self.assertEqual(os.listdir(os.path.dirname(self.backup)), [])


class PgsqlBackup(Backup, unittest.TestCase):
    backend = "pgsql"

    def test_pg_dump_under_load_restores_and_verifies(self):
        err = self.regctl_fails(self.d, "db", "backup", self.backup)
        self.assertIn("pg_dump", err)
        self.assertFalse(os.path.exists(self.backup))

        def take():
            p = run([pg_tool("pg_dump"), "-Fc", "-f", self.backup, "-d", self.d.url])
            self.assertEqual(p.returncode, 0, p)

        acked_before, load = self.backup_under_load(take)
        r = self.fresh_location()
        p = run([pg_tool("pg_restore"), "--no-owner", "--exit-on-error", "-d", r.url,
                 self.backup])
        self.assertEqual(p.returncode, 0, p)
        self.check_restored(r, acked_before, load)


if __name__ == "__main__":
    unittest.main()
