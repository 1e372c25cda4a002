#!/usr/bin/env python3
"""DESIGN §11: a PostgreSQL restart or the loss of one of several
instances interrupts service for seconds, never loses an acknowledged
write, and needs no one to restart anything (issue 13 items 1 and 2).

PgRestart runs registryd on a PostgreSQL server of its own (restarting the
suite's would disturb the other tests): sessions create domains and
contacts while the server restarts (pg_ctl restart -m fast); every create
answered 1000 must be there afterwards, none may be answered as if it ran
twice, and commands succeed again within 10 s. With the server stopped,
commands get 2400 with the reason and /health answers 503; the log says
so once, not once per command.

TwoInstances runs two registryd on one database, both serving EPP and
jobs, and kills one with SIGKILL under load while it holds a job lease:
the other keeps serving, takes over every scheduled job, nothing
acknowledged is lost and the ledger verifies."""
import http.client
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from daemon import Daemon  # noqa: E402
from eppclient import EPPClient, with_terms  # noqa: E402
from harness import PSQL, lease_key, psql, scratch_root  # noqa: E402
from test_epp_contact import c_create, postal  # noqa: E402

PG_SERVER = os.path.join(HERE, "..", "pg-server.sh")
DOMAIN = 'xmlns:domain="urn:ietf:params:xml:ns:domain-1.0"'
CONTACT_NS = "{urn:ietf:params:xml:ns:contact-1.0}"
CLID, PW = "FAIL", "fail-pass1"
UNAVAILABLE = "the registry database is unavailable; try again shortly"
# within this long of the database being back, commands succeed again
RESUME_WITHIN = 10.0
# command workers, each with a connection of its own
WORKERS = 4


def pg_server(cmd, path):
    subprocess.run(["sh", PG_SERVER, cmd, path], check=True, capture_output=True, timeout=120)


def create_domain_xml(name):
    return ('<create><domain:create %s><domain:name>%s</domain:name><domain:registrant>'
            '%s:HOLDER</domain:registrant><domain:authInfo><domain:pw>Fail-123</domain:pw>'
            '</domain:authInfo></domain:create></create>' % (DOMAIN, name, CLID))


def create_contact_xml(cid):
    return c_create(cid, [postal("int", "Load Test", street=(), city="Odense", pc=None)],
                    voice=None, email="load@example.dk", pw="Cpw-123")


def make_holder(d):
    """The registrant of the load's domains, and a first domain of theirs
    (which makes their account: concurrent first creates for one
    registrant race for it, a matter of its own)."""
    c = EPPClient(d.host, d.port)
    for r in (c.login(CLID, PW), c.command(create_contact_xml("HOLDER")),
              c.command(create_domain_xml("first.dk"), extension=with_terms())):
        if r.code != 1000:
            raise AssertionError("setting up the registrant: %r" % r)
    c.close()


class Load:
    """Sessions on daemons creating domains and contacts as fast as they
    are answered. Records every create answered 1000 (domain name or the
    stored contact id) with its time, and every other answer."""

    def __init__(self, daemons_and_sessions, tag):
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.acked = []    # (kind, key, time, daemon index)
        self.failed = []   # (code, reason, time)
        self.errors = []   # exceptions other than a session that died with its daemon
        self.killed = set()  # indexes of daemons the test kills
        self.threads = []
        for di, (d, n) in enumerate(daemons_and_sessions):
            for i in range(n):
                t = threading.Thread(target=self.run, args=(d, di, "%s%d%d" % (tag, di, i)),
                                     daemon=True)
                self.threads.append(t)

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def run(self, d, di, prefix):
        try:
            s = EPPClient(d.host, d.port)
            r = s.login(CLID, PW)
            if r.code != 1000:
                raise AssertionError("login: %r" % r)
        except Exception as e:  # noqa: BLE001
            with self.lock:
                self.errors.append(e)
            return
        n = 0
        while not self.stop.is_set():
            n += 1
            kind = "domain" if n % 2 else "contact"
            key = "%s-%d" % (prefix, n)
            try:
                if kind == "domain":
                    key += ".dk"
                    r = s.command(create_domain_xml(key), extension=with_terms())
                else:
                    r = s.command(create_contact_xml(key))
            except Exception as e:  # noqa: BLE001
                if di not in self.killed:
                    with self.lock:
                        self.errors.append(e)
                return  # its daemon was killed: this one was not acknowledged
            now = time.monotonic()
            with self.lock:
                if r.code == 1000:
                    if kind == "contact":
                        key = next(r.root.iter(CONTACT_NS + "id")).text
                    self.acked.append((kind, key, now, di))
                else:
                    self.failed.append((r.code, r.reason or r.msg, now))
        s.close()

    def count(self, since=None, daemon=None):
        with self.lock:
            return sum(1 for a in self.acked
                       if (since is None or a[2] > since) and (daemon is None or a[3] == daemon))

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(60)


def http_get(d, path):
    c = http.client.HTTPConnection(d.http_host, d.http_port, timeout=30)
    try:
        c.request("GET", path)
        r = c.getresponse()
        return r.status, r.read().decode()
    finally:
        c.close()


def job_names(d):
    """Every scheduled job, from regctl jobs list."""
    return re.findall(r"^(\S+)", d.regctl("jobs", "list").stdout, re.M)[1:]


def make_all_jobs_due(url):
    psql(url, "UPDATE job_run SET last_start = last_start - 172800")


def jobs_ran(d, log_mark):
    """Jobs the daemon's log says ran well after offset log_mark."""
    return set(re.findall(r"event=job name=(\S+) status=ok", d.stderr()[log_mark:]))


def wait_until(what, timeout):
    deadline = time.monotonic() + timeout
    while not what() and time.monotonic() < deadline:
        time.sleep(0.05)
    return what()


class FailoverChecks:
    """Assertions shared by both classes."""

    def assert_all_present(self, url, load):
        """Every create answered 1000 is in the database."""
        domains = {row for row in psql(url, "SELECT name FROM domain").splitlines()}
        contacts = {row for row in psql(url, "SELECT handle FROM contact").splitlines()}
        with load.lock:
            acked = list(load.acked)
        missing = [key for kind, key, _, _ in acked
                   if key not in (domains if kind == "domain" else contacts)]
        self.assertEqual(missing, [], "acknowledged creates lost")
        return len(acked)

    def assert_failures_only_unavailable(self, load):
        """The outage answers 2400 with a reason; never "exists" (2302),
        which a create run twice after it had committed would get."""
        with load.lock:
            odd = [(code, reason) for code, reason, _ in load.failed
                   if code != 2400 or not reason or "registry database" not in reason]
            errors = list(load.errors)
        self.assertEqual(errors, [])
        self.assertEqual(odd, [])


class PgRestart(FailoverChecks, unittest.TestCase):
    """registryd on a PostgreSQL server of its own, which the tests restart
    and stop."""

    @classmethod
    def setUpClass(cls):
        cls.pg_dir = tempfile.mkdtemp(prefix="pg-own-", dir=scratch_root())
        pg_server("start", cls.pg_dir)
        with open(os.path.join(cls.pg_dir, "url")) as f:
            base = f.read().strip()
        cls.d = Daemon(backend="pgsql", name="failover", pg_base=base, only="epp,http,jobs",
                       max_sessions=20, workers=WORKERS, settings={"jobs.tick": "1s"})
        cls.d.add_registrar(CLID, PW)
        cls.d.start()
        make_holder(cls.d)

    @classmethod
    def tearDownClass(cls):
        cls.d.cleanup()
        pg_server("stop", cls.pg_dir)

    def setUp(self):
        if not self.d.running:
            self.fail("registryd is not running:\n" + self.d.stderr()[-3000:])
        self.log_mark = len(self.d.stderr())

    def new_log(self):
        return self.d.stderr()[self.log_mark:]

    def session(self):
        c = EPPClient(self.d.host, self.d.port)
        self.assertEqual(c.login(CLID, PW).code, 1000)
        return c

    def test_restart_under_load(self):
        load = Load([(self.d, 6)], "r").start()
        try:
            self.assertTrue(wait_until(lambda: load.count() >= 200, 60),
                            "the load did not get going")
            pg_server("restart", self.pg_dir)
            back = time.monotonic()
            self.assertTrue(wait_until(lambda: load.count(since=back) > 0, RESUME_WITHIN),
                            "no create succeeded within %gs of the database's return"
                            % RESUME_WITHIN)
            # and the sessions go on as before
            self.assertTrue(wait_until(lambda: load.count(since=back) >= 200, 60))
        finally:
            load.finish()
        self.assertTrue(self.d.running, self.d.stderr()[-3000:])
        n = self.assert_all_present(self.d.url, load)
        self.assertGreater(n, 400)
        self.assert_failures_only_unavailable(load)
        self.assertNotIn("commit-failed", self.new_log())

    def test_idle_restart_goes_unnoticed(self):
        """Every connection broke while idle: each worker finds out on its
        next BEGIN, which never reached the server, so the batch runs again
        on a new connection and its client never sees the restart."""
        c = self.session()
        self.assertEqual(http_get(self.d, "/health"), (200, "ok\n"))
        pg_server("restart", self.pg_dir)
        self.assertEqual(http_get(self.d, "/health"), (200, "ok\n"))
        for i in range(WORKERS * 8):
            r = c.command(create_contact_xml("IDLE%d" % i))
            self.assertEqual(r.code, 1000, r)
        c.close()
        # and the scheduler's connection: every job runs again when due
        names = job_names(self.d)
        make_all_jobs_due(self.d.url)
        self.assertTrue(wait_until(lambda: jobs_ran(self.d, self.log_mark) >= set(names), 30),
                        set(names) - jobs_ran(self.d, self.log_mark))
        log = self.new_log()
        self.assertEqual(len(re.findall(r"event=database-down", log)), 1, log)
        self.assertEqual(len(re.findall(r"event=database-back", log)), 1, log)

    def test_down_answers_2400_and_health_503_then_resumes(self):
        c = self.session()
        status, body = http_get(self.d, "/health")
        self.assertEqual((status, body), (200, "ok\n"))
        pg_server("halt", self.pg_dir)
        try:
            # few commands: most workers learn of it only after its return
            t0 = time.monotonic()
            r = c.command('<check><domain:check %s><domain:name>down.dk</domain:name>'
                          '</domain:check></check>' % DOMAIN)
            self.assertEqual((r.code, r.reason), (2400, UNAVAILABLE), r)
            r = c.command(create_domain_xml("down.dk"), extension=with_terms())
            self.assertEqual((r.code, r.reason), (2400, UNAVAILABLE), r)
            self.assertLess(time.monotonic() - t0, 5, "the commands waited for the database")
            status, body = http_get(self.d, "/health")
            self.assertEqual((status, body), (503, "database: unavailable\n"))
        finally:
            pg_server("resume", self.pg_dir)
        back = time.monotonic()
        deadline = back + RESUME_WITHIN
        while True:
            r = c.command(create_domain_xml("back.dk"), extension=with_terms())
            if r.code == 1000 or time.monotonic() > deadline:
                break
            self.assertEqual((r.code, r.reason), (2400, UNAVAILABLE), r)
            time.sleep(0.1)
        self.assertEqual(r.code, 1000, "not back within %gs: %r" % (RESUME_WITHIN, r))
        while http_get(self.d, "/health")[0] != 200 and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertEqual(http_get(self.d, "/health"), (200, "ok\n"))
        c.close()
        # one line when the database went, one when it came back: not one per command
        log = self.new_log()
        self.assertEqual(len(re.findall(r"event=database-down", log)), 1, log)
        self.assertEqual(len(re.findall(r"event=database-back", log)), 1, log)
        self.assertNotIn("commit-failed", log)


class TwoInstances(FailoverChecks, unittest.TestCase):
    """Two registryd on one database of the suite's PostgreSQL (DESIGN §1)."""

    def setUp(self):
        settings = {"jobs.tick": "1s"}
        self.a = Daemon(backend="pgsql", name="inst-a", only="epp,jobs", settings=settings,
                        max_sessions=20)
        self.b = Daemon(backend="pgsql", name="inst-b", only="epp,jobs", settings=settings,
                        max_sessions=20, shares=self.a)
        self.a.add_registrar(CLID, PW)
        self.a.start()
        self.b.start()
        self.url = self.a.url
        self.holder = None

    def tearDown(self):
        if self.holder:
            self.holder.stdin.close()
            self.holder.wait(30)
        self.b.cleanup()
        self.a.cleanup()

    def app_name(self, d):
        """application_name of a process's sessions (store/db_pgsql.c)."""
        return "registryd[%d]" % d.pid

    def leases_of(self, app):
        """Job leases (advisory locks) held by the sessions of app."""
        out = psql(self.url, "SELECT (l.classid::bigint << 32) | l.objid::bigint FROM pg_locks l "
                             "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = "
                             "'advisory' AND l.granted AND a.application_name = '%s'" % app)
        return {int(k) for k in out.split()}

    def recorded_jobs(self):
        return set(psql(self.url, "SELECT name FROM job_run").split())

    def due_and_held(self):
        """Every job made due, and at once every job_run row locked by a
        psql session of the test (one round trip later: no scheduler runs
        all its jobs in between): a scheduler runs a job, then waits to
        record it with the job's lease held."""
        self.holder = subprocess.Popen([PSQL, "-X", "-q", "-A", "-t", "-d", self.url],
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.holder.stdin.write("UPDATE job_run SET last_start = last_start - 172800;\n"
                                "BEGIN;\nSELECT 1 FROM job_run FOR UPDATE;\n"
                                "\\echo locked\n")
        self.holder.stdin.flush()
        for line in self.holder.stdout:
            if line.strip() == "locked":
                return
        raise AssertionError("psql did not lock job_run")

    def release_job_run_rows(self):
        self.holder.stdin.write("COMMIT;\n")
        self.holder.stdin.close()
        self.holder.wait(30)
        self.holder = None

    def test_sigkill_one_instance_under_load(self):
        names = job_names(self.a)
        self.assertGreater(len(names), 5, names)
        # between them the two schedulers run every job once at start
        self.assertTrue(wait_until(lambda: self.recorded_jobs() == set(names), 60))

        make_holder(self.a)
        load = Load([(self.a, 4), (self.b, 4)], "k").start()
        try:
            self.assertTrue(wait_until(lambda: load.count(daemon=0) >= 100
                                          and load.count(daemon=1) >= 100, 60))
            # A runs a job and waits to record it, holding its lease
            self.due_and_held()
            app_a = self.app_name(self.a)
            ok = wait_until(lambda: self.leases_of(app_a), 30)
            self.assertTrue(ok, "instance A took no job lease")
            held_by_a = self.leases_of(app_a)
            key_names = {lease_key(n): n for n in names}
            self.assertTrue(held_by_a <= set(key_names), held_by_a)

            # SIGKILL A under load
            log_mark_b = len(self.b.stderr())
            load.killed.add(0)
            os.kill(self.a.pid, signal.SIGKILL)
            self.a.proc.wait()
            self.a.proc = None
            killed = time.monotonic()
            self.release_job_run_rows()

            # B keeps serving, its sessions and new ones
            self.assertTrue(wait_until(lambda: load.count(since=killed, daemon=1) >= 100, 30),
                            "instance B stopped serving")
            c = EPPClient(self.b.host, self.b.port)
            self.assertEqual(c.login(CLID, PW).code, 1000)
            c.close()

            # A's sessions end, and with them its leases
            ok = wait_until(lambda: not self.leases_of(app_a), 30)
            self.assertTrue(ok, "the dead instance's leases were never freed")
            # B takes over every scheduled job, the one A held included
            make_all_jobs_due(self.url)
            wait_until(lambda: jobs_ran(self.b, log_mark_b) >= set(names), 30)
            ran = jobs_ran(self.b, log_mark_b)
            self.assertEqual(set(names) - ran, set(), "jobs B did not take over")
            self.assertTrue({key_names[k] for k in held_by_a} <= ran)
        finally:
            load.finish()
        self.assertTrue(self.b.running, self.b.stderr()[-3000:])
        self.assert_all_present(self.url, load)
        self.assert_failures_only_unavailable(load)
        r = self.b.regctl("ledger", "verify")
        self.assertEqual(r.returncode, 0, r)


if __name__ == "__main__":
    unittest.main()
