#!/usr/bin/env python3
"""Monitoring (issue 13 item 6; docs/operations.md "Monitoring"):

- /metrics in the Prometheus text format 0.0.4: the counters of EPP
  commands (by command and result code), HTTP requests, job runs and the
  outbox move by exactly what the test did; sessions and the outbox's
  backlog are gauges; only [http] metrics_allow may read it (403 from
  another source address);
- /health names each thing that is wrong, one line each: a job that has
  not succeeded for three intervals (the daemon's clock moved four hours
  past the jobs' last run, and one job's lease held by "another
  instance"), a filesystem nearly full;
- [log] file, opened again on SIGHUP after it was moved away.

Runs on SQLite and PostgreSQL."""
import calendar
import fcntl
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon import Daemon  # noqa: E402
from harness import PSQL  # noqa: E402
from eppclient import EPPClient  # noqa: E402

CLID, PW = "MON", "mon-pass1"
DOMAIN = 'xmlns:domain="urn:ietf:params:xml:ns:domain-1.0"'
CONTACT = 'xmlns:contact="urn:ietf:params:xml:ns:contact-1.0"'
# The jobs last ran at T0; the daemon's clock stands four hours later.
T0 = "2027-03-01T00:00:00Z"
T1 = "2027-03-01T04:00:00Z"
HELD_JOB = "otp-expire"  # runs every hour: overdue after 3 h + [health] job_grace


def epoch(iso):
    return calendar.timegm(time.strptime(iso, "%Y-%m-%dT%H:%M:%SZ"))


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def wait_until(what, timeout=30):
    deadline = time.monotonic() + timeout
    while not what() and time.monotonic() < deadline:
        time.sleep(0.05)
    return what()


def http_get(d, path, source=None):
    c = http.client.HTTPConnection(d.http_host, d.http_port, timeout=10,
                                   source_address=(source, 0) if source else None)
    try:
        c.request("GET", path)
        r = c.getresponse()
        return r.status, dict(r.getheaders()), r.read().decode("utf-8")
    finally:
        c.close()


SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)')


def parse_exposition(text):
    """{(name, ((label, value), ...)): value}; fails on anything that is
    not the text format 0.0.4 as Prometheus reads it."""
    types, samples = {}, {}
    assert text.endswith("\n"), "no final line feed"
    for line in text.splitlines():
        if line.startswith("# HELP "):
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            assert kind in ("counter", "gauge", "histogram"), line
            assert name not in types, "TYPE twice: " + line
            types[name] = kind
            continue
        m = SAMPLE.match(line)
        assert m, "not a sample: %r" % line
        name, labels, value = m.groups()
        base = re.sub(r"_(bucket|sum|count)$", "", name)
        assert name in types or types.get(base) == "histogram", "no TYPE before " + line
        if types.get(name) == "counter":
            assert name.endswith("_total"), line
        pairs = []
        if labels:
            pos = 0
            while pos < len(labels):
                lm = LABEL.match(labels, pos)
                assert lm, "bad labels: %r" % line
                pairs.append((lm.group(1), lm.group(2)))
                pos = lm.end()
        key = (name, tuple(pairs))
        assert key not in samples, "sample twice: " + line
        samples[key] = float(value)
    # histograms: buckets grow with le, +Inf is the count
    for (name, pairs), v in samples.items():
        if name.endswith("_bucket") and ("le", "+Inf") in pairs:
            rest = tuple(p for p in pairs if p[0] != "le")
            count = samples[(name[:-len("_bucket")] + "_count", rest)]
            assert v == count, (name, pairs)
            buckets = sorted((float(dict(p)["le"]), c) for (n, p), c in samples.items()
                             if n == name and tuple(q for q in p if q[0] != "le") == rest)
            assert all(a[1] <= b[1] for a, b in zip(buckets, buckets[1:])), (name, buckets)
    return samples


def metric(samples, name, **labels):
    """The value of one series (0 when it is not there yet)."""
    want = tuple(sorted(labels.items()))
    for (n, pairs), v in samples.items():
        if n == name and tuple(sorted(pairs)) == want:
            return v
    return 0


def total(samples, name, **labels):
    """The sum of every series of name whose labels include `labels`."""
    return sum(v for (n, pairs), v in samples.items()
               if n == name and set(labels.items()) <= set(pairs))


def lease_key(name):
    """The PostgreSQL advisory-lock key of a job lease (store/db_pgsql.c)."""
    h = 14695981039346656037
    for b in ("registryd:" + name).encode():
        h = ((h ^ b) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return h - (1 << 64) if h >= 1 << 63 else h


class LeaseHolder:
    """Holds a job's lease as another instance would: the flock beside an
    SQLite database, or the advisory lock in a PostgreSQL session."""

    def __init__(self, d, job):
        self.proc = self.fd = None
        if d.backend == "sqlite":
            self.fd = os.open(d.url[len("sqlite:"):] + ".lease-" + job, os.O_RDWR | os.O_CREAT)
            fcntl.flock(self.fd, fcntl.LOCK_EX)
            return
        self.proc = subprocess.Popen([PSQL, "-X", "-q", "-A", "-t", "-d", d.url],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.proc.stdin.write("SELECT pg_advisory_lock(%d), 'locked';\n" % lease_key(job))
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if "locked" not in line:
            raise RuntimeError("psql did not take the lock: %r" % line)

    def release(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        if self.proc:
            self.proc.stdin.close()
            self.proc.wait(30)
            self.proc.stdout.close()
            self.proc = None


class Monitoring:
    backend = None

    @classmethod
    def setUpClass(cls):
        cls.d = Daemon(backend=cls.backend, name="monitor", only="epp,http,jobs,whois", settings={
            "clock.now": T1, "clock.frozen": "true", "jobs.tick": "1s",
            "http.metrics_allow": "127.0.0.1, ::1",
            # one connection at a time from 127.0.0.9: the second is refused
            "whois.max_connections_per_source": "1", "whois.rate": "0",
            "log.file": "registryd.log",  # in the daemon's directory, its working directory
            # the machine's disks are not this test's business (test_disk_line)
            "health.disk_min_free": "0", "health.disk_min_free_percent": "0"})
        cls.holder = None
        try:
            cls.d.add_registrar(CLID, PW)
            # every job succeeds at T0 ...
            out = cls.d.regctl("jobs", "run", "--now", T0).stdout
            assert not re.search(r"(?m)^\S+\s+failed\b", out), out
            # ... and at T1 the daemon runs them again, but for one whose
            # lease "another instance" holds
            cls.holder = LeaseHolder(cls.d, HELD_JOB)
            cls.d.start()
        except Exception:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        if cls.holder:
            cls.holder.release()
        rc = cls.d.stop()
        cls.d.cleanup()
        if rc not in (0, None):
            raise AssertionError("registryd exited with %s" % rc)

    def scrape(self):
        status, headers, body = http_get(self.d, "/metrics")
        self.assertEqual(status, 200, body)
        self.assertEqual(headers.get("Content-Type"), "text/plain; version=0.0.4; charset=utf-8")
        return parse_exposition(body)

    def session(self):
        c = EPPClient(self.d.host, self.d.port)
        self.assertEqual(c.login(CLID, PW).code, 1000)
        return c

    def sessions_closed(self):
        m = self.scrape()
        return (metric(m, "registryd_epp_sessions", state="logged_in"),
                metric(m, "registryd_epp_sessions", state="before_login")) == (0, 0)

    # --- /metrics -------------------------------------------------------------

    def test_epp_commands_counted(self):
        self.assertTrue(wait_until(self.sessions_closed))
        before = self.scrape()
        c = self.session()
        check = ('<check><domain:check %s><domain:name>free%d.dk</domain:name></domain:check>'
                 '</check>')
        for i in range(3):
            self.assertEqual(c.command(check % (DOMAIN, i)).code, 1000)
        r = c.command('<info><domain:info %s><domain:name>none.dk</domain:name></domain:info>'
                      '</info>' % DOMAIN)
        self.assertEqual(r.code, 2303)
        self.assertTrue(c.hello().is_greeting)
        during = self.scrape()
        self.assertEqual(metric(during, "registryd_epp_sessions", state="logged_in"), 1)
        self.assertEqual(metric(during, "registryd_epp_sessions", state="before_login"), 0)
        self.assertEqual(c.logout().code, 1500)
        c.close()
        self.assertTrue(wait_until(self.sessions_closed))
        after = self.scrape()

        def delta(name, **labels):
            return metric(after, name, **labels) - metric(before, name, **labels)

        name = "registryd_epp_commands_total"
        self.assertEqual(delta(name, command="login", code="1000"), 1)
        self.assertEqual(delta(name, command="domain:check", code="1000"), 3)
        self.assertEqual(delta(name, command="domain:info", code="2303"), 1)
        self.assertEqual(delta(name, command="hello", code="1000"), 1)
        self.assertEqual(delta(name, command="logout", code="1500"), 1)
        self.assertEqual(total(after, name) - total(before, name), 7)
        seconds = "registryd_epp_command_duration_seconds"
        self.assertEqual(delta(seconds + "_count", command="domain:check"), 3)
        self.assertGreater(delta(seconds + "_sum", command="domain:check"), 0)
        self.assertEqual(delta(seconds + "_bucket", command="domain:check", le="+Inf"), 3)
        # one session, one command at a time: a batch each
        self.assertEqual(delta("registryd_epp_batch_commands_sum"), 7)
        self.assertEqual(delta("registryd_epp_batch_commands_count"), 7)
        self.assertEqual(delta("registryd_epp_batch_commands_bucket", le="1"), 7)
        # issue 18: a check is its SAVEPOINT, its query and its RELEASE; it
        # runs in a snapshot that refuses writes, where a savepoint has
        # nothing to undo and is no statement, and its audit row is written
        # apart, by the EPP log's writer thread: its query alone, 1 round
        # trip (on PostgreSQL the BEGIN goes with it). On PostgreSQL a
        # worker's connection also prepares the query the first time (one
        # more): 2 a check at most, where its savepoint's RELEASE made 2 a
        # check at least, 7 for these three (the workers start unprepared)
        trips = "registryd_epp_db_round_trips_total"
        if self.backend == "sqlite":
            self.assertEqual(delta(trips, command="domain:check"), 3 * 1)
        else:
            self.assertLessEqual(delta(trips, command="domain:check"), 3 * 2)
        self.assertGreater(delta(trips, command="domain:info"), 0)
        # issue 18: on SQLite a logged-in session's read runs on the event
        # loop while no worker has a command, once its last command only
        # read: the second and third checks, the info and the hello (not
        # the login, the first check after it, nor the logout, which write)
        self.assertEqual(delta("registryd_epp_loop_commands_total"),
                         4 if self.backend == "sqlite" else 0)

    def whois(self, query, source="127.0.0.1"):
        s = socket.create_connection((self.d.whois_host, self.d.whois_port), timeout=10,
                                     source_address=(source, 0))
        s.sendall(query + b"\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
        s.close()
        return data.decode()

    def test_whois_queries_and_refusals_counted(self):
        before = self.scrape()
        self.assertIn("No match for", self.whois(b"nothing-here.dk"))
        self.whois(b"domain nothing-here.dk")
        self.whois(b"help")
        self.assertTrue(self.whois(b"\x01bad").startswith("Error:"))
        held = socket.create_connection((self.d.whois_host, self.d.whois_port), timeout=10,
                                        source_address=("127.0.0.9", 0))
        # a query begun: the kernel hands the connection over with its first
        # bytes (TCP_DEFER_ACCEPT), so it is accepted before the next one
        held.sendall(b"hel")
        try:
            self.assertIn("too many", self.whois(b"help", source="127.0.0.9"))
        finally:
            # its query ends with the half-close: "hel" is answered (a bare name)
            held.shutdown(socket.SHUT_WR)
            while held.recv(65536):
                pass
            held.close()
        after = self.scrape()
        name = "registryd_whois_queries_total"
        for labels, n in (({"kind": "any", "result": "answered"}, 2),
                          ({"kind": "domain", "result": "answered"}, 1),
                          ({"kind": "help", "result": "answered"}, 1),
                          ({"kind": "invalid", "result": "malformed"}, 1)):
            self.assertEqual(metric(after, name, **labels) - metric(before, name, **labels), n,
                             labels)
        self.assertEqual(metric(after, "registryd_whois_refused_total")
                         - metric(before, "registryd_whois_refused_total"), 1)

    def test_http_requests_counted(self):
        before = self.scrape()
        for _ in range(2):
            self.assertEqual(http_get(self.d, "/nothing")[0], 404)
        http_get(self.d, "/health")
        after = self.scrape()
        name = "registryd_http_requests_total"
        # by route, never by path
        self.assertEqual(metric(after, name, route="other", status="404")
                         - metric(before, name, route="other", status="404"), 2)
        self.assertEqual(total(after, name, route="/health") - total(before, name, route="/health"),
                         1)
        # the scrape before this one
        self.assertEqual(metric(after, name, route="/metrics", status="200")
                         - metric(before, name, route="/metrics", status="200"), 1)
        self.assertFalse([k for k in after if k[0] == name and ("route", "/nothing") in k[1]])

    def test_metrics_only_to_allowed_sources(self):
        before = self.scrape()
        # 127.0.0.2 is this machine too, but not in [http] metrics_allow
        status, _, body = http_get(self.d, "/metrics", source="127.0.0.2")
        self.assertEqual(status, 403)
        self.assertEqual(body, "forbidden: /metrics is served to the addresses of "
                               "[http] metrics_allow\n")
        self.assertNotIn("registryd_", body)
        # /health is for anyone (a load balancer)
        self.assertIn(http_get(self.d, "/health", source="127.0.0.2")[0], (200, 503))
        after = self.scrape()
        name = "registryd_http_requests_total"
        self.assertEqual(metric(after, name, route="/metrics", status="403")
                         - metric(before, name, route="/metrics", status="403"), 1)
        self.assertEqual(metric(after, "registryd_build_info", version=self.version()), 1)
        self.assertGreater(metric(after, "process_start_time_seconds"), time.time() - 3600)

    def version(self):
        out = subprocess.run([self.d.registryd_path, "--version"], capture_output=True,
                             text=True, check=True).stdout
        return out.split()[1]

    def test_outbox_backlog_and_deliveries(self):
        before = self.scrape()
        # queued by regctl two minutes before the daemon's (frozen) now: it
        # waits, the periodic delivery not being due at a standing clock
        self.d.regctl("--now", iso(epoch(T1) - 120), "outbox", "test", "--email",
                      "ops@example.test")
        m = self.scrape()
        self.assertEqual(metric(m, "registryd_outbox_backlog", channel="email"), 1)
        self.assertEqual(metric(m, "registryd_outbox_oldest_age_seconds", channel="email"), 120)
        self.assertEqual(metric(m, "registryd_outbox_backlog", channel="sms"), 0)
        # R10: a new e-mail address mails the old and the new one, and the
        # commit that queued them wakes the delivery at once
        c = self.session()
        r = c.command(
            '<create><contact:create %s><contact:id>mon1</contact:id><contact:postalInfo '
            'type="loc"><contact:name>Mona Monitor</contact:name><contact:addr><contact:city>'
            'Aarhus</contact:city><contact:cc>DK</contact:cc></contact:addr></contact:postalInfo>'
            '<contact:email>old@example.test</contact:email><contact:authInfo><contact:pw>'
            'Cpw-12345</contact:pw></contact:authInfo></contact:create></create>' % CONTACT)
        self.assertEqual(r.code, 1000, r)
        r = c.command('<update><contact:update %s><contact:id>MON:MON1</contact:id><contact:chg>'
                      '<contact:email>new@example.test</contact:email></contact:chg>'
                      '</contact:update></update>' % CONTACT)
        self.assertEqual(r.code, 1000, r)
        c.close()
        sent = "registryd_outbox_sent_total"
        self.assertTrue(wait_until(lambda: metric(self.scrape(), sent, channel="email")
                                   - metric(before, sent, channel="email") == 3),
                        metric(self.scrape(), sent, channel="email"))
        after = self.scrape()
        self.assertEqual(metric(after, "registryd_outbox_backlog", channel="email"), 0)
        self.assertEqual(metric(after, "registryd_outbox_oldest_age_seconds", channel="email"), 0)
        items = "registryd_job_items_total"
        self.assertEqual(metric(after, items, job="outbox-deliver", result="done")
                         - metric(before, items, job="outbox-deliver", result="done"), 3)
        runs = "registryd_job_runs_total"
        self.assertGreaterEqual(metric(after, runs, job="outbox-deliver", outcome="ran")
                                - metric(before, runs, job="outbox-deliver", outcome="ran"), 1)
        self.assertEqual(total(after, "registryd_outbox_delivery_failures_total"), 0)

    # --- /health ----------------------------------------------------------------

    def test_overdue_job_in_health_and_metrics(self):
        """The daemon's clock stands 4 h after the jobs' last runs; each runs
        at its first tick but the one whose lease is held elsewhere: that
        one is overdue (3 × 1 h + 10 min) until it can run."""
        line = ("jobs: %s has not succeeded since %s (it runs every 3600s)\n" % (HELD_JOB, T0))
        # on failure, the jobs' lines of the log say what ran and how
        self.assertTrue(wait_until(lambda: http_get(self.d, "/health")[::2] == (503, line)),
                        (http_get(self.d, "/health"), self.job_lines()))
        m = self.scrape()
        self.assertEqual(metric(m, "registryd_job_overdue", job=HELD_JOB), 1)
        self.assertEqual(metric(m, "registryd_job_overdue", job="domain-expiry"), 0)
        last = "registryd_job_last_success_timestamp_seconds"
        self.assertEqual(metric(m, last, job=HELD_JOB), epoch(T0))
        self.assertEqual(metric(m, last, job="domain-expiry"), epoch(T1))
        runs = "registryd_job_runs_total"
        self.assertGreaterEqual(metric(m, runs, job=HELD_JOB, outcome="busy"), 1)
        self.assertEqual(metric(m, runs, job=HELD_JOB, outcome="ran"), 0)
        self.assertEqual(metric(m, runs, job="domain-expiry", outcome="ran"), 1)
        # the other instance lets go: the next tick runs it
        self.holder.release()
        self.assertTrue(wait_until(lambda: http_get(self.d, "/health")[::2] == (200, "ok\n")),
                        http_get(self.d, "/health"))
        m = self.scrape()
        self.assertEqual(metric(m, "registryd_job_overdue", job=HELD_JOB), 0)
        self.assertEqual(metric(m, last, job=HELD_JOB), epoch(T1))
        self.assertEqual(metric(m, runs, job=HELD_JOB, outcome="ran"), 1)
        self.assertEqual(metric(m, "registryd_job_duration_seconds_count", job=HELD_JOB), 1)
        self.assertEqual(metric(m, "registryd_job_transactions_total", job=HELD_JOB), 1)
        self.assertIn(("registryd_job_items_total", (("job", HELD_JOB), ("result", "done"))), m)
        self.assertEqual(metric(m, "registryd_job_items_total", job=HELD_JOB, result="failed"), 0)
        # the log line of the run has the same counts
        self.assertRegex(self.log(), r"event=job name=%s status=ok ms=\d+ done=0 declined=0 "
                                     r"failed=0 transactions=1\n" % HELD_JOB)

    def job_lines(self):
        return "".join(l for l in self.log().splitlines(True) if "sub=jobs" in l)[-4000:]

    def log(self):
        """[log] file, with what logrotate moved away (test_log_file_...)."""
        text = ""
        for name in ("registryd.log.1", "registryd.log"):
            path = os.path.join(self.d.dir, name)
            if os.path.exists(path):
                with open(path) as f:
                    text += f.read()
        return text

    def test_disk_line(self):
        """A filesystem with less free than disk_min_free_percent (100: any)."""
        with Daemon(backend=self.backend, name="disk", only="http",
                    settings={"health.disk_min_free_percent": "100"}) as d:
            d.start()
            status, _, body = http_get(d, "/health")
            self.assertEqual(status, 503)
            # SQLite: the database is in [paths] var, one filesystem, one line
            where = ("the database and \\[paths\\] var" if self.backend == "sqlite"
                     else "\\[paths\\] var")
            self.assertRegex(body, r"\Adisk: %s: \d+ MiB free of \d+ MiB \(\d+\.\d%%\)\n\Z"
                             % where)

    # --- [log] file -------------------------------------------------------------

    def test_log_file_reopened_on_sighup(self):
        log = os.path.join(self.d.dir, "registryd.log")
        with open(log) as f:
            self.assertIn("event=started", f.read())
        self.assertNotIn("event=started", self.d.stderr())
        # logrotate: move it away, then SIGHUP
        os.rename(log, log + ".1")
        http_get(self.d, "/before-rotation")
        os.kill(self.d.pid, signal.SIGHUP)

        def read(path):
            try:
                with open(path) as f:
                    return f.read()
            except FileNotFoundError:
                return ""

        # the file appears a moment before it takes over the descriptor;
        # the reopen's own line is written once it has
        self.assertTrue(wait_until(lambda: "event=log-reopened" in read(log)), read(log))
        http_get(self.d, "/after-rotation")

        self.assertTrue(wait_until(lambda: "path=/after-rotation" in read(log)), read(log))
        new, old = read(log), read(log + ".1")
        self.assertIn("event=log-reopened", new)
        self.assertNotIn("path=/before-rotation", new)
        self.assertIn("path=/before-rotation", old)
        self.assertNotIn("path=/after-rotation", old)
        self.assertNotIn("event=log-reopened", old)
        self.assertTrue(self.d.running)


class SqliteMonitoring(Monitoring, unittest.TestCase):
    backend = "sqlite"


class PgsqlMonitoring(Monitoring, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
