"""Runs a real registryd for system tests: a scratch directory with a
configuration file, a fresh database (SQLite, or a new PostgreSQL database
on the suite's server), `regctl init`, registrars, then `registryd` with
`[epp] listen = 127.0.0.1:0` (and `[http] listen`); the printed
"epp: listening on HOST:PORT" and "http: listening on HOST:PORT" lines give
the addresses (and "whois: listening on HOST:PORT" for whois_host and
whois_port).

    d = Daemon(backend="sqlite", idle_timeout="5s", max_sessions=2)
    d.add_registrar("REG-A", "secret-A1")      # before or after start()
    d.start()
    ... EPPClient(d.host, d.port) ...
    d.stop()                                    # returns registryd's exit code

    d = Daemon(only="epp,http")                 # also the HTTP service:
    ... urllib to http://{d.http_host}:{d.http_port}/ ...

Environment (set by CTest, see tests/system/epp_tests.cmake):
  REGCTL, REGISTRYD      the binaries
  REG_TEST_PG_URL_FILE   file holding the base URL of the test PostgreSQL server
  REG_TEST_TMP           where scratch directories go (default: system tmp)

Command-line mode, for tests in other languages:

    python3 daemon.py start --json [--backend sqlite|pgsql] [--only SERVICES]
                                   [--registrar HANDLE:PASSWORD]... [--set SECTION.KEY=VALUE]...

starts a daemon, prints one JSON line {"host", "port", "clid", "pw",
"registrars", "pid", "supervisor_pid", "config", "dir", "backend",
"http_host", "http_port"} (the HTTP ones null unless --only names http) and keeps
running until its standard input reaches end of file (or it gets SIGTERM /
SIGINT); then it stops registryd and removes everything. So a caller that
holds the pipe open and dies still gets the daemon stopped.

Standard library only.
"""

import argparse
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

# the environment helpers are shared with the regctl tests
from harness import BACKENDS, PG_TEMPLATE, binary, pg_base_url, psql, scratch_root  # noqa: E402

_counter = itertools.count(1)
LISTEN_RE = re.compile(r"^epp: listening on (\S+):(\d+) \(TLS\)$", re.M)
HTTP_LISTEN_RE = re.compile(r"^http: listening on (\S+):(\d+)(?: \(.*\))?$", re.M)
WHOIS_LISTEN_RE = re.compile(r"^whois: listening on (\S+):(\d+)", re.M)


class DaemonError(RuntimeError):
    pass


class Daemon:
    """One registryd with its own directory and database.

    idle_timeout, max_frame, max_sessions, max_login_failures, workers:
    [epp] settings (None = the built-in default). `settings` maps
    "section.key" to further values. `only` is passed as --only (None runs
    every service); with http among them, http_host and http_port say where
    the HTTP service listens. Identity checks (R21, R22) are off unless
    settings give "idcheck.enabled": "true". preexec_fn runs in the child
    before registryd (e.g. to lower its resource limits).

    On pgsql the database is made on the suite's server, or on the server
    at `pg_base` (a base URL like the suite's). `shares` is another Daemon
    whose database this one uses as a second instance (DESIGN §1): no
    `regctl init`, its registrars and its pepper file known, the database
    left to it."""

    def __init__(self, backend="sqlite", name="epp", idle_timeout=None, max_frame=None,
                 max_sessions=None, max_login_failures=None, workers=None, settings=None,
                 only="epp", log_level="info", preexec_fn=None, pg_base=None, shares=None):
        if backend not in BACKENDS:
            raise DaemonError(f"unknown backend {backend!r} (sqlite or pgsql)")
        self.backend = backend
        self.regctl_path = binary("regctl")
        self.registryd_path = binary("registryd")
        self.only = only
        self.preexec_fn = preexec_fn
        self.proc = None
        self.host = self.port = None
        self.http_host = self.http_port = None
        self.whois_host = self.whois_port = None
        self.exit_code = None
        self.registrars = {}
        self.pg_admin = self.pg_dbname = None
        self.dir = tempfile.mkdtemp(prefix=f"{name}-{backend}-", dir=scratch_root())
        self.var = os.path.join(self.dir, "var")
        self.stdout_path = os.path.join(self.dir, "registryd.out")
        self.stderr_path = os.path.join(self.dir, "registryd.err")
        if shares:
            if shares.backend != "pgsql" or backend != "pgsql":
                raise DaemonError("only a PostgreSQL database is shared by instances")
            self.url = shares.url
            self.registrars = shares.registrars
        elif backend == "sqlite":
            self.url = "sqlite:" + os.path.join(self.var, "registry.db")
        else:
            base = pg_base or pg_base_url()
            self.pg_admin = base + "/postgres"
            self.pg_dbname = f"epp_{os.getpid()}_{next(_counter)}_{os.urandom(3).hex()}"
            # regctl init below migrates it: on the suite's server a copy
            # of the migrated template saves that (a server of the test's
            # own has none, and its databases are migrated by init)
            template = "" if pg_base else f" TEMPLATE {PG_TEMPLATE}"
            psql(self.pg_admin, f"CREATE DATABASE {self.pg_dbname}{template}")
            self.url = f"{base}/{self.pg_dbname}"
        epp = {"listen": "127.0.0.1:0"}
        for key, value in (("idle_timeout", idle_timeout), ("max_frame", max_frame),
                           ("max_sessions", max_sessions),
                           ("max_login_failures", max_login_failures), ("workers", workers)):
            if value is not None:
                epp[key] = value
        sections = {
            "database": {"url": self.url},
            "paths": {"var": self.var},
            "log": {"level": log_level},
            "epp": epp,
            # port 0 keeps parallel daemons apart
            "whois": {"listen": "127.0.0.1:0"},
            "http": {"listen": "127.0.0.1:0"},
            "mail": {"spool": os.path.join(self.var, "spool", "mail")},
            # R21/R22 identity checks would mail every new registrant and
            # suspend its domains 25 days on: tests that move time turn
            # them on when they are about them (test_idcheck.py)
            "idcheck": {"enabled": "false"},
            # an operation without a price is refused by default: tests
            # that are not about prices run without any (test_billing.py
            # turns this off for the refusal)
            "billing": {"allow_unpriced": "true"},
        }
        if shares:
            # every instance reads the one pepper (docs/operations.md "Secrets")
            sections["security"] = {"pepper_file": os.path.join(shares.var, "pepper")}
        for dotted, value in (settings or {}).items():
            section, key = dotted.split(".", 1)
            sections.setdefault(section, {})[key] = value
        self.config = os.path.join(self.dir, "registryd.conf")
        with open(self.config, "w") as f:
            f.write("# written by tests/system/daemon.py\n")
            for section, values in sections.items():
                f.write(f"[{section}]\n")
                for key, value in values.items():
                    f.write(f"{key} = {value}\n")
        try:
            if not shares:
                self.regctl("init")
        except Exception:
            self.cleanup()
            raise

    # --- regctl --------------------------------------------------------

    def regctl(self, *args, check=True, timeout=60, env=None):
        """Runs regctl with this daemon's config; returns the CompletedProcess
        (text). check=True raises DaemonError on a non-zero exit. env:
        variables added to its environment."""
        argv = [self.regctl_path, "--config", self.config] + [str(a) for a in args]
        r = subprocess.run(argv, cwd=self.dir, capture_output=True, text=True, timeout=timeout,
                           stdin=subprocess.DEVNULL,
                           env={**os.environ, **env} if env else None)
        if check and r.returncode != 0:
            raise DaemonError(f"regctl {' '.join(map(str, args))}: exit {r.returncode}\n"
                              f"stdout: {r.stdout}\nstderr: {r.stderr}")
        return r

    def config_with(self, section, values):
        """A copy of this daemon's configuration with `values` (key: value) of
        [section] replaced, as a new file in its directory; its path. A
        setting may appear once, so the replaced lines are left out."""
        path = os.path.join(self.dir, "variant-%d.conf" % len(os.listdir(self.dir)))
        with open(self.config) as f, open(path, "w") as out:
            current = None
            for line in f:
                if line.startswith("["):
                    current = line.strip()
                if current != f"[{section}]" or line.split("=")[0].strip() not in values:
                    out.write(line)
            out.write(f"[{section}]\n")
            for k, v in values.items():
                out.write("%s = %s\n" % (k, v))
        return path

    def add_registrar(self, handle, password, name=None, cert_fingerprints=(), allow_ips=()):
        args = ["registrar", "add", handle, "--name", name or f"Registrar {handle}",
                "--password", password]
        for fp in cert_fingerprints:
            args += ["--cert-fingerprint", fp]
        for ip in allow_ips:
            args += ["--allow-ip", ip]
        self.regctl(*args)
        self.registrars[handle] = password
        return handle

    # --- the daemon ----------------------------------------------------

    def start(self, timeout=30, env=None):
        """env: variables added to the daemon's environment."""
        if self.proc:
            raise DaemonError("already started")
        argv = [self.registryd_path, "--config", self.config]
        if self.only:
            argv += ["--only", self.only]
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(argv, cwd=self.dir, stdout=out, stderr=err,
                                         stdin=subprocess.DEVNULL, preexec_fn=self.preexec_fn,
                                         env={**os.environ, **env} if env else None)
        deadline = time.monotonic() + timeout
        while True:
            text = self.stdout()
            if re.search(r"^ready$", text, re.M):
                for service, regex, attrs in (("epp", LISTEN_RE, ("host", "port")),
                                              ("http", HTTP_LISTEN_RE, ("http_host", "http_port")),
                                              ("whois", WHOIS_LISTEN_RE,
                                               ("whois_host", "whois_port"))):
                    if not self._runs(service):
                        continue
                    m = regex.search(text)
                    if not m:
                        self.stop()
                        raise DaemonError(f"registryd said ready without a '{service}: "
                                          f"listening on' line:\n{text}")
                    setattr(self, attrs[0], m.group(1).strip("[]"))
                    setattr(self, attrs[1], int(m.group(2)))
                return self
            rc = self.proc.poll()
            if rc is not None:
                self.exit_code = rc
                self.proc = None
                raise DaemonError(f"registryd exited with {rc} before it was ready\n"
                                  f"stdout: {text}\nstderr: {self.stderr()}")
            if time.monotonic() > deadline:
                self.stop()
                raise DaemonError(f"registryd not ready after {timeout}s\nstdout: {text}\n"
                                  f"stderr: {self.stderr()}")
            time.sleep(0.02)

    def _runs(self, service):
        return not self.only or service in self.only.split(",")

    def stdout(self):
        return _read(self.stdout_path)

    def stderr(self):
        return _read(self.stderr_path)

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    @property
    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=15):
        """SIGTERM, then SIGKILL after `timeout`; returns the exit code
        (negative for a signal), or None if it was not running."""
        if not self.proc:
            return self.exit_code
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.exit_code = self.proc.returncode
        self.proc = None
        return self.exit_code

    def cleanup(self):
        """Stops the daemon, drops the database and removes the directory.
        Set REG_TEST_KEEP=1 to keep the directory for a post-mortem."""
        self.stop()
        if self.pg_dbname:
            try:
                psql(self.pg_admin, f"DROP DATABASE IF EXISTS {self.pg_dbname} WITH (FORCE)")
            except (DaemonError, subprocess.TimeoutExpired):
                pass
            self.pg_dbname = None
        if not os.environ.get("REG_TEST_KEEP"):
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cleanup()


def _read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""


# --- command-line mode ------------------------------------------------------

def _cli(argv):
    p = argparse.ArgumentParser(prog="daemon.py", description="run a registryd for a test")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("start", help="start; stop when stdin reaches EOF")
    s.add_argument("--json", action="store_true", help="print the address etc. as JSON")
    s.add_argument("--backend", choices=BACKENDS, default="sqlite")
    s.add_argument("--registrar", action="append", default=[], metavar="HANDLE:PASSWORD")
    s.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE")
    s.add_argument("--only", default="epp", help="services to run (registryd --only)")
    args = p.parse_args(argv)

    regs = [r.split(":", 1) for r in args.registrar] or [["PERL-REG", "perl-Pass1"]]
    settings = dict(kv.split("=", 1) for kv in args.set)

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    d = Daemon(backend=args.backend, name="cli", settings=settings, only=args.only)
    try:
        for handle, pw in regs:
            d.add_registrar(handle, pw)
        d.start()
        info = {"host": d.host, "port": d.port, "clid": regs[0][0], "pw": regs[0][1],
                "registrars": dict(regs), "pid": d.pid, "supervisor_pid": os.getpid(),
                "config": d.config, "dir": d.dir, "backend": d.backend,
                "http_host": d.http_host, "http_port": d.http_port}
        if args.json:
            print(json.dumps(info), flush=True)
        else:
            print(f"registryd pid {d.pid} on {d.host}:{d.port} (config {d.config}); "
                  "close stdin (Ctrl-D) to stop", flush=True)
        try:
            while sys.stdin.buffer.read(65536):
                pass
        except KeyboardInterrupt:
            pass
    finally:
        rc = d.stop()
        if rc not in (0, None):
            sys.stderr.write(f"daemon.py: registryd exited with {rc}\n{d.stderr()[-4000:]}")
        d.cleanup()
    return 0 if rc in (0, None) else 1


if __name__ == "__main__":
    try:
        sys.exit(_cli(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(1)
    except DaemonError as e:
        sys.stderr.write(f"daemon.py: {e}\n")
        sys.exit(1)
