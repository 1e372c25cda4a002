#!/usr/bin/env python3
"""The front doors (issue 12 items 1, 2, 3 and 5): nobody, logged in or not,
can exhaust registryd. Each test makes one attack on a real registryd on
loopback and shows it fails, with the daemon's memory (VmRSS) and CPU time
(/proc/PID/stat) bounded and an honest client served meanwhile.

Clients are told apart by their source address: any 127.x.y.z reaches the
daemon on 127.0.0.1, so each test speaks from addresses of its own, and
the per-source limits ([epp] and [http] exempt = nothing here; by default
loopback is exempt) keep the tests apart as they keep attackers apart.

  1  connections past [epp]/[http] max_connections and
     max_connections_per_source are closed at once, before TLS; with the
     process out of file descriptors the listener backs off (no spinning
     on accept, no flood of log lines) and recovers.
  2  a client that sends without reading stops being read once
     [epp] max_unsent bytes of answers wait for it, and is closed when it
     stays there for [epp] frame_timeout. While a command runs the session
     goes on reading (issue 18), but holds at most [epp] max_frame bytes of
     what follows: a client that pipelines without end meanwhile is held
     by the kernel's buffers, not by the daemon's memory.
  3  a frame (EPP) or a request (HTTP) trickled in byte by byte is closed
     after [epp] frame_timeout / [http] request_timeout although the idle
     timeout never fires; the TLS handshake has the same deadline.
  5  hellos before login leave no audit row (the session's close line
     counts them); a session must log in within [epp] login_timeout;
     [epp] max_errors errors before login close the session
     (2500); commands before login are paced ([epp] prelogin_rate and
     prelogin_burst); [epp] session_rate / session_burst refuse new
     connections from one source beyond the rate.

Runs on SQLite (SqliteLimits) and PostgreSQL (PgsqlLimits)."""
import http.client
import os
import re
import resource
import socket
import sqlite3
import ssl
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon import Daemon  # noqa: E402
from eppclient import EPP_NS, HELLO, EPPClient, EPPError, frame  # noqa: E402
from harness import PSQL, sql  # noqa: E402

MAX_CONN, PER_SOURCE, RATE, BURST = 12, 4, 6, 4
FRAME_TIMEOUT = 2
MAX_UNSENT = 65536
MAX_ERRORS = 3
PRELOGIN_RATE, PRELOGIN_BURST = 6000, 10  # commands a minute before login: 100 a second
REQUEST_TIMEOUT = 2
MIB = 1024 * 1024
# what a refused connection looks like to a TLS client
REFUSED = (ssl.SSLError, ConnectionError, EPPError, OSError)


def usage(pid):
    """(CPU seconds, resident KiB) of a process so far."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    with open("/proc/%d/status" % pid) as f:
        rss = int(re.search(r"^VmRSS:\s+(\d+) kB", f.read(), re.M).group(1))
    return cpu, rss


def sanitized(pid):
    """Is the process built with AddressSanitizer (scripts/test.sh
    --sanitize)? Its quarantine keeps freed memory resident, so RSS says
    nothing of what is in use there."""
    with open("/proc/%d/maps" % pid) as f:
        return "libasan" in f.read()


def report(what, **figures):
    """Writes what a test measured to stderr (CTest keeps it in its log)."""
    sys.stderr.write("  %s: %s\n" % (what, ", ".join("%s=%s" % kv for kv in figures.items())))


def closed_by_peer(sock, timeout):
    """Does the other side close (EOF or reset) within timeout seconds,
    without sending anything first?"""
    sock.settimeout(timeout)
    try:
        return sock.recv(4096) == b""
    except (socket.timeout, TimeoutError):
        return False
    except (ConnectionError, ssl.SSLError, OSError):
        return True


def cmd(inner, cltrid):
    return ('<?xml version="1.0" encoding="UTF-8"?><epp xmlns="%s"><command>%s'
            '<clTRID>%s</clTRID></command></epp>' % (EPP_NS, inner, cltrid))


class Limits:
    backend = None

    @classmethod
    def setUpClass(cls):
        cls.d = Daemon(cls.backend, name="limits", only="epp,http", settings={
            "epp.exempt": "",
            "epp.max_connections": MAX_CONN,
            "epp.max_connections_per_source": PER_SOURCE,
            "epp.session_rate": RATE,
            "epp.session_burst": BURST,
            "epp.frame_timeout": "%ds" % FRAME_TIMEOUT,
            "epp.max_unsent": MAX_UNSENT,
            "epp.max_errors": MAX_ERRORS,
            "epp.prelogin_rate": PRELOGIN_RATE,
            "epp.prelogin_burst": PRELOGIN_BURST,
            # one HTTP loop: the caps below are counted exactly by it (with
            # N loops each holds max_connections / N; test_rdap's RdapThreads*
            # cover several loops)
            "http.threads": "1",
            "http.exempt": "",
            "http.max_connections": MAX_CONN,
            "http.max_connections_per_source": PER_SOURCE,
            "http.request_timeout": "%ds" % REQUEST_TIMEOUT,
            "http.timeout": "30s",
        })
        cls.addClassCleanup(cls.d.cleanup)
        cls.d.add_registrar("REG-LIM", "lim-Secret-1")
        cls.d.start()

    @classmethod
    def tearDownClass(cls):
        rc = cls.d.stop()
        if rc != 0:
            raise AssertionError("registryd exited with %s:\n%s" % (rc, cls.d.stderr()[-3000:]))

    # --- helpers ---------------------------------------------------------

    def client(self, source, daemon=None, **kw):
        d = daemon or self.d
        c = EPPClient(d.host, d.port, source=source, timeout=kw.pop("timeout", 10), **kw)
        self.addCleanup(c.close)
        return c

    def session(self, source, daemon=None):
        c = self.client(source, daemon)
        r = c.login("REG-LIM", "lim-Secret-1")
        self.assertEqual(r.code, 1000, r.raw)
        return c

    def assertRssGrowth(self, kib, bound_kib, daemon=None):
        """The daemon's resident memory grew by less than bound_kib (not
        checked under AddressSanitizer, whose quarantine keeps what was
        freed)."""
        if not sanitized((daemon or self.d).pid):
            self.assertLess(kib, bound_kib, "KiB of RSS")

    def assertRefused(self, source, daemon=None):
        """A new EPP connection from source is closed before TLS, at once."""
        t = time.monotonic()
        with self.assertRaises(REFUSED):
            self.client(source, daemon, timeout=10)
        self.assertLess(time.monotonic() - t, 5, "refused, but not at once")

    def tcp(self, source, port=None, daemon=None):
        d = daemon or self.d
        s = socket.create_connection((d.host, port or d.port), timeout=10,
                                     source_address=(source, 0))
        self.addCleanup(s.close)
        return s

    def wait_for_log(self, pattern, timeout=15, daemon=None):
        """The daemon's log line matching pattern, once written (polled)."""
        d = daemon or self.d
        deadline = time.monotonic() + timeout
        while True:
            m = re.search(pattern, d.stderr(), re.M)
            if m:
                return m
            if time.monotonic() > deadline:
                self.fail("no log line like %r within %ss; log tail:\n%s"
                          % (pattern, timeout, d.stderr()[-3000:]))
            time.sleep(0.05)

    def hold_audit_rows(self):
        """Takes the lock that a command's audit row needs (SQLite: the
        write lock; PostgreSQL: epp_log's) until the returned function is
        called: a command sent meanwhile stays with the workers."""
        if self.d.backend == "sqlite":
            con = sqlite3.connect(self.d.url[len("sqlite:"):], timeout=30, isolation_level=None)
            con.execute("BEGIN IMMEDIATE")
            undo = lambda: (con.execute("ROLLBACK"), con.close())  # noqa: E731
        else:
            p = subprocess.Popen([PSQL, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d",
                                  self.d.url], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 text=True)
            p.stdin.write("BEGIN; LOCK TABLE epp_log IN EXCLUSIVE MODE; SELECT 'locked';\n")
            p.stdin.flush()
            self.assertEqual(p.stdout.readline().strip(), "locked")

            def undo():
                p.stdin.write("ROLLBACK;\n")
                p.stdin.close()
                p.wait(30)
        held = [True]

        def release():
            if held[0]:
                held[0] = False
                undo()
        self.addCleanup(release)
        return release

    def settled_log_rows(self):
        """The EPP log's rows once every row queued so far is stored (on
        SQLite a read command's row is written a few milliseconds after its
        answer, by the log's writer thread): a command that writes, a
        logout here, is answered only after the rows queued before it."""
        c = self.session("127.0.7.9")
        self.assertEqual(c.logout().code, 1500)
        c.close()
        return self.epp_log_rows()

    def epp_log_rows(self, at_least=0, timeout=10):
        """The EPP log's rows, once there are at least `at_least`: a read
        command's row is written by the log's writer thread a few
        milliseconds after its answer (on SQLite)."""
        deadline = time.monotonic() + timeout
        while True:
            n = int(sql(self.d, "SELECT COUNT(*) FROM epp_log")[0][0])
            if n >= at_least or time.monotonic() > deadline:
                return n
            time.sleep(0.02)

    def http_get(self, source, path="/nothing"):
        c = http.client.HTTPConnection(self.d.http_host, self.d.http_port, timeout=10,
                                       source_address=(source, 0))
        self.addCleanup(c.close)
        c.request("GET", path)
        r = c.getresponse()
        r.read()
        return c, r.status

    # --- 1. connections ----------------------------------------------------

    def test_1_connections_per_source_and_in_total(self):
        cpu0, rss0 = usage(self.d.pid)
        log0 = len(self.d.stderr())
        honest = self.session("127.0.1.1")
        # one source gets max_connections_per_source, the next is closed at once
        for _ in range(PER_SOURCE):
            self.client("127.0.1.2")
        self.assertRefused("127.0.1.2")
        # while another source is served
        self.assertTrue(self.client("127.0.1.3").greeting.is_greeting)
        # fill max_connections from other sources: the next is refused
        held = []
        for i in range(MAX_CONN - 2 - PER_SOURCE):
            held.append(self.client("127.0.1.%d" % (10 + i // PER_SOURCE)))
        self.assertRefused("127.0.1.30")
        # the honest session is answered all along
        for _ in range(20):
            self.assertEqual(honest.poll_req().code, 1300)
        grown = self.d.stderr()[log0:]
        self.assertRegex(grown, r"sub=epp event=refused reason=per-source")
        # the refusals are logged once per 10 s, not once each
        self.assertEqual(len(re.findall(r"event=refused", grown)), 1, grown)
        # once the others are gone, a new client is served again
        for c in held:
            c.close()
        deadline = time.monotonic() + 10
        while True:
            try:
                c = self.client("127.0.1.31")
                break
            except REFUSED:
                self.assertLess(time.monotonic(), deadline, "connection slots leaked")
                time.sleep(0.1)
        self.assertEqual(c.login("REG-LIM", "lim-Secret-1").code, 1000)
        cpu1, rss1 = usage(self.d.pid)
        report("connection caps", rss_kib=rss1 - rss0, cpu_s=round(cpu1 - cpu0, 2))
        self.assertRssGrowth(rss1 - rss0, 32 * 1024)
        self.assertLess(cpu1 - cpu0, 10, "CPU seconds")

    def test_1_http_connections_per_source_and_in_total(self):
        held = [self.tcp("127.0.2.1", self.d.http_port) for _ in range(PER_SOURCE)]
        s = self.tcp("127.0.2.1", self.d.http_port)
        self.assertTrue(closed_by_peer(s, 5), "a connection over the per-source cap stays open")
        for h in held:  # those are held open (idle timeout 30 s)
            self.assertFalse(closed_by_peer(h, 0.2))
        self.assertEqual(self.http_get("127.0.2.2")[1], 404)  # another source is served
        for i in range(MAX_CONN - PER_SOURCE - 1):  # .2's connection is kept alive
            held.append(self.tcp("127.0.2.%d" % (10 + i // PER_SOURCE), self.d.http_port))
        s = self.tcp("127.0.2.30", self.d.http_port)
        self.assertTrue(closed_by_peer(s, 5), "a connection over the total cap stays open")
        self.assertRegex(self.d.stderr(), r"sub=http event=refused reason=(per-source|total)")
        for h in held:
            h.close()
        deadline = time.monotonic() + 10
        while True:
            try:
                if self.http_get("127.0.2.31")[1] == 404:
                    break
            except (ConnectionError, http.client.HTTPException, OSError):
                pass
            self.assertLess(time.monotonic(), deadline, "HTTP connection slots leaked")
            time.sleep(0.1)

    def test_1_out_of_file_descriptors_backs_off(self):
        # started with few descriptors: the caps are fitted below them
        def few_fds():
            resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))

        d = Daemon(self.backend, name="limits-fd", only="epp", preexec_fn=few_fds,
                   settings={"epp.exempt": ""})
        self.addCleanup(d.cleanup)
        d.add_registrar("REG-LIM", "lim-Secret-1")
        d.start()
        self.assertRegex(d.stderr(), r"event=fd-limit limit=256 reserve=\d+ "
                                     r"setting=epp.max_connections configured=1000 lowered_to=\d+")
        honest = self.session("127.0.3.1", d)
        # now the process is out of descriptors: accept(2) fails (EMFILE)
        # while clients queue in the listen backlog
        nfds = len(os.listdir("/proc/%d/fd" % d.pid))
        resource.prlimit(d.pid, resource.RLIMIT_NOFILE, (nfds, 256))
        queued = [self.tcp("127.0.3.2", daemon=d) for _ in range(10)]
        log0 = len(d.stderr())
        cpu0, rss0 = usage(d.pid)
        time.sleep(3)  # the window in which a spinning listener would burn a core
        cpu1, rss1 = usage(d.pid)
        grown = d.stderr()[log0:]
        report("out of descriptors", cpu_s_in_3s=round(cpu1 - cpu0, 2), log_bytes=len(grown),
               rss_kib=rss1 - rss0)
        self.assertLess(cpu1 - cpu0, 0.5, "CPU seconds in 3 s: spinning on accept")
        self.assertLess(len(grown), 2000, "the log grew by %d bytes:\n%s"
                        % (len(grown), grown[:2000]))
        self.assertRegex(d.stderr(), r"event=accept-failed error=\"Too many open files\"")
        self.assertRssGrowth(rss1 - rss0, 8 * 1024, d)
        # a session that is open goes on being served
        self.assertEqual(honest.poll_req().code, 1300)
        # descriptors back: the queued clients are taken, new ones served
        resource.prlimit(d.pid, resource.RLIMIT_NOFILE, (256, 256))
        c = self.client("127.0.3.3", d, timeout=15)
        self.assertEqual(c.login("REG-LIM", "lim-Secret-1").code, 1000)
        self.wait_for_log(r"event=accept-resumed failures=\d+", daemon=d)
        for q in queued:
            q.close()

    # --- 2. a client that does not read ------------------------------------------

    def flood_without_reading(self, c, count):
        """Sends up to count hellos without reading a byte; stops when the
        server no longer takes them. Returns how many went out."""
        chunk = frame(HELLO) * 500
        c.sock.settimeout(2)
        sent = 0
        try:
            while sent < count:
                c.sock.sendall(chunk)
                sent += 500
        except (socket.timeout, TimeoutError, ssl.SSLError, OSError):
            pass
        return sent

    def check_unread(self, c):
        cpu0, rss0 = usage(self.d.pid)
        sent = self.flood_without_reading(c, 40000)
        cpu1, _ = usage(self.d.pid)
        # closed for not reading, without us reading a byte (reading would let it go on)
        m = self.wait_for_log(r"event=unread-timeout seconds=%d unsent=(\d+)" % FRAME_TIMEOUT)
        self.assertGreater(int(m.group(1)), 0)
        cpu2, rss2 = usage(self.d.pid)
        report("unread", hellos_sent=sent, rss_kib=rss2 - rss0, cpu_s=round(cpu2 - cpu0, 2),
               cpu_stalled_s=round(cpu2 - cpu1, 2))
        self.assertRssGrowth(rss2 - rss0, 12 * 1024)
        self.assertLess(cpu2 - cpu1, 1.0, "CPU seconds while the client did not read")
        self.assertLess(cpu2 - cpu0, 20, "CPU seconds")

    def test_2_hellos_without_reading_before_login(self):
        self.check_unread(self.client("127.0.4.1"))
        self.wait_for_log(r"event=close clid=- peer=127\.0\.4\.1 ")
        self.assertEqual(self.session("127.0.4.2").poll_req().code, 1300)

    def test_2_commands_without_reading_after_login(self):
        self.check_unread(self.session("127.0.4.3"))
        self.wait_for_log(r"event=close clid=REG-LIM peer=127\.0\.4\.3 ")
        self.assertEqual(self.session("127.0.4.4").poll_req().code, 1300)

    def test_2_pipelined_while_a_command_runs_is_held(self):
        """Reading goes on while a command runs (issue 18): what the
        client sends meanwhile waits in the session's input, at most
        [epp] max_frame bytes of it, then reading stops until the answer.
        Here the command cannot finish (its audit row waits for a lock the
        test holds) while the client pipelines 64 MiB of hellos."""
        c = self.session("127.0.4.5")
        _, rss0 = usage(self.d.pid)
        unread0 = len(re.findall(r"event=unread-timeout", self.d.stderr()))
        release = self.hold_audit_rows()
        c.send_raw(cmd('<poll op="req"/>', "PIPE-1"))
        chunk = frame(HELLO) * (65536 // len(frame(HELLO)))
        c.sock.settimeout(3)
        sent = 0
        try:
            while sent < 64 * MIB:
                c.sock.sendall(chunk)
                sent += len(chunk)
        except (socket.timeout, TimeoutError, ssl.SSLError, OSError):
            pass
        _, rss1 = usage(self.d.pid)
        release()
        report("pipelined while a command ran", bytes_taken=sent, rss_kib=rss1 - rss0)
        # taken: the kernel's buffers on both sides (a few MiB) and max_frame
        self.assertLess(sent, 32 * MIB, "bytes the daemon took while the command ran")
        self.assertRssGrowth(rss1 - rss0, 16 * 1024)
        # the command is answered, then the hellos, unread: closed as before
        self.wait_for_log(r"event=close clid=REG-LIM peer=127\.0\.4\.5 ", timeout=30)
        self.assertGreater(len(re.findall(r"event=unread-timeout", self.d.stderr())), unread0)
        self.assertEqual(self.session("127.0.4.6").poll_req().code, 1300)

    # --- 3. slowloris ---------------------------------------------------------------

    def trickle(self, sock, data, pause=0.2):
        """Sends data a byte at a time, `pause` seconds apart, until the
        server closes; returns (bytes sent, seconds) at the close, or fails
        if all of data went out first."""
        t = time.monotonic()
        for i in range(len(data)):
            try:
                sock.sendall(data[i:i + 1])
            except (ssl.SSLError, OSError):
                return i, time.monotonic() - t
            if closed_by_peer(sock, pause):
                return i + 1, time.monotonic() - t
        self.fail("the whole of %d bytes was sent a byte per %ss and the server waited"
                  % (len(data), pause))

    def test_3_epp_frame_trickled_is_closed(self):
        cpu0, _ = usage(self.d.pid)
        c = self.client("127.0.5.1")  # idle_timeout is 300 s: a byte each 0.2 s keeps it alive
        sent, seconds = self.trickle(c.sock, frame(HELLO))
        self.assertLess(sent, len(frame(HELLO)))
        self.assertGreaterEqual(seconds, FRAME_TIMEOUT - 0.5)
        self.assertLess(seconds, FRAME_TIMEOUT + 8)
        self.wait_for_log(r"event=frame-timeout seconds=%d" % FRAME_TIMEOUT)
        # a frame sent whole, after the same pause, is answered
        c = self.client("127.0.5.2")
        time.sleep(FRAME_TIMEOUT + 0.5)
        self.assertTrue(c.hello().is_greeting)
        self.assertLess(usage(self.d.pid)[0] - cpu0, 5, "CPU seconds")

    def test_3_tls_handshake_trickled_is_closed(self):
        s = self.tcp("127.0.5.3")
        # a TLS record header announcing a 512-byte ClientHello, then a byte at a time
        sent, seconds = self.trickle(s, b"\x16\x03\x01\x02\x00" + b"\x01" * 512)
        self.assertLess(seconds, FRAME_TIMEOUT + 8)
        self.wait_for_log(r"event=handshake-timeout")

    def test_3_http_request_trickled_is_closed(self):
        # headers that never end
        s = self.tcp("127.0.6.1", self.d.http_port)
        s.sendall(b"GET /nothing HTTP/1.1\r\nHost: x\r\n")
        sent, seconds = self.trickle(s, b"X-Slow: " + b"a" * 200 + b"\r\n\r\n")
        self.assertLess(seconds, REQUEST_TIMEOUT + 8)
        # a body that never ends
        s = self.tcp("127.0.6.2", self.d.http_port)
        s.sendall(b"POST /confirm/x HTTP/1.1\r\nHost: x\r\nContent-Length: 300\r\n"
                  b"Content-Type: application/x-www-form-urlencoded\r\n\r\n")
        sent, seconds = self.trickle(s, b"a" * 300)
        self.assertLess(seconds, REQUEST_TIMEOUT + 8)
        self.assertGreaterEqual(len(re.findall(r"sub=http event=request-timeout",
                                               self.d.stderr())), 2)
        # the deadline runs from a request's first byte: a kept-alive
        # connection that waits longer than it between requests is served
        c, status = self.http_get("127.0.6.3")
        self.assertEqual(status, 404)
        time.sleep(REQUEST_TIMEOUT + 0.5)
        c.request("GET", "/nothing")
        r = c.getresponse()
        r.read()
        self.assertEqual(r.status, 404)

    # --- 5. before login ---------------------------------------------------------------

    def test_5_hellos_before_login_counted_not_stored(self):
        before = self.settled_log_rows()
        cpu0, rss0 = usage(self.d.pid)
        c = self.client("127.0.7.1")
        n = 300
        c.send_bytes(frame(HELLO) * n)
        for _ in range(n):
            self.assertTrue(c.read_response().is_greeting)
        c.close()
        m = self.wait_for_log(r"event=close clid=- peer=127\.0\.7\.1 frames=(\d+) "
                              r"hellos_before_login=(\d+) errors_before_login=0")
        self.assertEqual((int(m.group(1)), int(m.group(2))), (n, n))
        self.assertEqual(self.epp_log_rows(), before, "hellos before login were stored")
        # a login is stored as ever, and after login every command is
        c = self.session("127.0.7.2")
        self.assertTrue(c.hello().is_greeting)
        self.assertEqual(self.epp_log_rows(before + 2), before + 2)
        cpu1, rss1 = usage(self.d.pid)
        report("hellos before login", rss_kib=rss1 - rss0, cpu_s=round(cpu1 - cpu0, 2))
        self.assertRssGrowth(rss1 - rss0, 16 * 1024)
        self.assertLess(cpu1 - cpu0, 10, "CPU seconds")

    def test_5_errors_before_login_close_the_session(self):
        before = self.settled_log_rows()
        c = self.client("127.0.7.3")
        r = c.request("<epp")
        self.assertEqual(r.code, 2001)
        self.assertTrue(c.hello().is_greeting)  # not progress: the count goes on
        self.assertEqual(c.poll_req().code, 2002)
        r = c.request(cmd("<bogus/>", "ERR-3"))
        self.assertEqual(r.code, 2500, r.raw)
        self.assertIn("closing the session: %d errors before login" % MAX_ERRORS, r.msg)
        self.assertEqual(r.cltrid, "ERR-3")
        self.assertEqual(c.wait_closed(10), [])
        # the errors are stored (at most max_errors of them per session), the hello not
        self.assertEqual(self.epp_log_rows(before + MAX_ERRORS), before + MAX_ERRORS)
        self.wait_for_log(r"event=close clid=- peer=127\.0\.7\.3 frames=4 hellos_before_login=1 "
                          r"errors_before_login=%d" % MAX_ERRORS)
        # failed logins keep their own count ([epp] max_login_failures)
        c = self.client("127.0.7.4")
        self.assertEqual(c.login("REG-LIM", "wrong-Pass-1").code, 2200)
        self.assertEqual(c.login("REG-LIM", "wrong-Pass-2").code, 2200)
        self.assertEqual(c.poll_req().code, 2002)
        self.assertEqual(c.login("REG-LIM", "lim-Secret-1").code, 1000)
        # after login errors are a registrar's own business: not counted
        for i in range(MAX_ERRORS + 2):
            self.assertEqual(c.request("<epp").code, 2001)
        self.assertEqual(c.poll_req().code, 1300)

    def test_5_commands_before_login_are_paced(self):
        cpu0, _ = usage(self.d.pid)
        c = self.client("127.0.7.7")
        n = PRELOGIN_BURST + 100
        t = time.monotonic()
        c.send_bytes(frame(HELLO) * n)
        for _ in range(n):
            self.assertTrue(c.read_response().is_greeting)
        seconds = time.monotonic() - t
        # the burst at once, then 100 a second: never faster than that
        self.assertGreater(seconds, 100 * 60 / PRELOGIN_RATE - 0.2)
        self.assertLess(usage(self.d.pid)[0] - cpu0, 5, "CPU seconds")
        # the login still goes through, and after it nothing is paced
        self.assertEqual(c.login("REG-LIM", "lim-Secret-1").code, 1000)
        c.send_bytes(frame(HELLO) * n)
        for _ in range(n):
            self.assertTrue(c.read_response().is_greeting)

    def test_5_logged_in_commands_go_first(self):
        # one worker taking one command at a time: a queue forms
        d = Daemon(self.backend, name="limits-queue", only="epp",
                   settings={"epp.workers": 1, "epp.batch_max": 1})
        self.addCleanup(d.cleanup)
        d.add_registrar("REG-LIM", "lim-Secret-1")
        d.start()
        honest = self.session("127.0.8.1", d)
        others = [self.client("127.0.8.%d" % (2 + i // 20), d) for i in range(40)]
        # logins with a wrong password: each costs the worker an argon2id check
        logins = [frame(cmd("<login><clID>REG-LIM</clID><pw>wrong-Pass-%d</pw><options>"
                            "<version>1.0</version><lang>en</lang></options><svcs><objURI>"
                            "urn:ietf:params:xml:ns:domain-1.0</objURI></svcs></login>" % i,
                            "Q-%d" % i)) for i in range(len(others))]
        for c, f in zip(others, logins):
            c.send_bytes(f)
        mine = honest.poll_req()
        self.assertEqual(mine.code, 1300)
        served = []
        for c in others:
            r = c.read_response()
            self.assertEqual(r.code, 2200, r.raw)
            served.append(int(r.svtrid.rsplit("-", 1)[1]))
        before = sum(1 for n in served if n < int(mine.svtrid.rsplit("-", 1)[1]))
        report("queue", served_before_the_registrar=before, queued=len(others))
        # first come would have served (nearly) all of them first
        self.assertLess(before, len(others) // 2)

    def test_5_sessions_that_never_log_in_are_closed(self):
        # hellos keep the idle timeout from firing: without a login deadline
        # a few sources could hold every place under max_connections
        d = Daemon(self.backend, name="limits-login", only="epp",
                   settings={"epp.login_timeout": "2s", "epp.idle_timeout": "300s"})
        self.addCleanup(d.cleanup)
        d.add_registrar("REG-LIM", "lim-Secret-1")
        d.start()
        honest = self.session("127.0.9.2", d)
        # before the connection: its 2 s run from the daemon's accept, after
        # this (the honest session's login first: it takes a while under ASan)
        start = time.monotonic()
        idler = self.client("127.0.9.1", d)
        closed = None
        while time.monotonic() - start < 20:
            try:
                self.assertTrue(idler.hello().is_greeting)
            except REFUSED:
                closed = time.monotonic() - start
                break
            time.sleep(0.3)
        self.assertIsNotNone(closed, "a session sending hellos and never logging in stayed open")
        self.assertGreater(closed, 1.5)
        self.wait_for_log(r"event=login-timeout seconds=2", daemon=d)
        # a session that logged in is not touched by it
        self.assertEqual(honest.poll_req().code, 1300)
        d.stop()

    def test_5_new_sessions_per_source_rate(self):
        cpu0, _ = usage(self.d.pid)
        for _ in range(BURST):  # the burst: one after the other, each closed again
            self.client("127.0.7.5").close()
        self.assertRefused("127.0.7.5")
        self.assertRegex(self.d.stderr(), r"event=refused reason=rate")
        self.assertTrue(self.client("127.0.7.6").greeting.is_greeting)  # another source
        self.assertLess(usage(self.d.pid)[0] - cpu0, 5, "CPU seconds")


class SqliteLimits(Limits, unittest.TestCase):
    backend = "sqlite"


class PgsqlLimits(Limits, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
