"""Helpers for system tests: run the real binaries against a throw-away
database on either backend.

Environment (set by CTest, see tests/system/CMakeLists.txt):
  REGCTL                path of the regctl binary
  REGISTRYD             path of the registryd binary
  REG_TEST_PG_URL_FILE  file holding the base URL of the suite's PostgreSQL
                        server (written by the pg.start fixture)
  REG_TEST_TMP          where scratch directories go (default: system tmp)

Standard library only. libsodium is loaded through ctypes (it is a
dependency of the program under test) to check stored argon2id hashes.
"""

import contextlib
import ctypes
import ctypes.util
import fcntl
import glob
import itertools
import os
import shutil
import sqlite3
import subprocess
import tempfile

BACKENDS = ("sqlite", "pgsql")
_counter = itertools.count(1)


def binary(name):
    path = os.environ.get(name.upper())
    if not path or not os.access(path, os.X_OK):
        raise RuntimeError(f"${name.upper()} must name the {name} binary (run through ctest)")
    return path


def scratch_root():
    root = os.environ.get("REG_TEST_TMP") or tempfile.gettempdir()
    os.makedirs(root, exist_ok=True)
    return root


def pg_base_url():
    path = os.environ.get("REG_TEST_PG_URL_FILE")
    if not path or not os.path.exists(path):
        raise RuntimeError("no PostgreSQL test server: REG_TEST_PG_URL_FILE is unset or missing "
                           "(the pg.start CTest fixture writes it)")
    with open(path) as f:
        return f.read().strip()


def _psql_binary():
    """The newest server version's psql itself: /usr/bin/psql is Debian's
    Perl wrapper (pg_wrapper), 60 ms more at every call."""
    def version(path):
        return int(path.split("/")[-3]) if path.split("/")[-3].isdigit() else 0
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"), key=version)
    return found[-1] if found else "psql"


PSQL = _psql_binary()
# Made migrated by the pg.start fixture (tests/pg-server.sh) on the suite's
# server: a database that `regctl init` migrates anyway is copied from it.
PG_TEMPLATE = "registry_template"


def psql(url, sql):
    """Runs SQL with the psql client; returns its unaligned, tuples-only output."""
    r = subprocess.run([PSQL, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url,
                        "-c", sql], capture_output=True, text=True, timeout=60,
                       stdin=subprocess.DEVNULL)
    if r.returncode != 0:
        raise RuntimeError(f"psql {sql!r}: {r.stderr.strip()}")
    return r.stdout.strip()


def sql(d, statement):
    """Runs SQL on a Daemon's database (either backend); returns the rows as
    tuples of strings, None for NULL (and, from psql, for "")."""
    if d.backend == "sqlite":
        con = sqlite3.connect(d.url[len("sqlite:"):], timeout=30)
        try:
            rows = con.execute(statement).fetchall()
            con.commit()
        finally:
            con.close()
        return [tuple(None if v is None else str(v) for v in row) for row in rows]
    out = psql(d.url, statement)
    return [tuple(v if v != "" else None for v in line.split("|"))
            for line in out.splitlines() if line]


def q(value):
    """An SQL literal: NULL or a quoted string."""
    if value is None:
        return "NULL"
    return "'%s'" % str(value).replace("'", "''")


class Result:
    def __init__(self, args, proc):
        self.args = args
        self.rc = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    @property
    def err_lines(self):
        return self.err.splitlines()

    def __repr__(self):
        return (f"regctl {' '.join(self.args)}\n  exit {self.rc}\n"
                f"  stdout: {self.out!r}\n  stderr: {self.err!r}")


_sodium = None


def sodium():
    global _sodium
    if _sodium is None:
        name = ctypes.util.find_library("sodium") or "libsodium.so.23"
        lib = ctypes.CDLL(name)
        if lib.sodium_init() < 0:
            raise RuntimeError("sodium_init failed")
        lib.crypto_pwhash_str_verify.argtypes = [ctypes.c_char_p, ctypes.c_char_p,
                                                 ctypes.c_ulonglong]
        lib.crypto_pwhash_str_verify.restype = ctypes.c_int
        _sodium = lib
    return _sodium


def password_matches(stored_hash, password):
    pw = password.encode()
    return sodium().crypto_pwhash_str_verify(stored_hash.encode(), pw, len(pw)) == 0


def lease_key(name):
    """The PostgreSQL advisory-lock key of a job lease: 64-bit FNV-1a of
    "registryd:" + name, as a signed integer (mirrors lease_key() in
    src/store/db_pgsql.c)."""
    h = 14695981039346656037
    for b in ("registryd:" + name).encode():
        h = ((h ^ b) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return h - (1 << 64) if h >= (1 << 63) else h


class Env:
    """A scratch directory, a configuration file and an empty database on
    one backend. regctl runs with the scratch directory as its cwd."""

    def __init__(self, backend, name="t"):
        assert backend in BACKENDS, backend
        self.backend = backend
        self.regctl_path = binary("regctl")
        self.dir = tempfile.mkdtemp(prefix=f"{name}-{backend}-", dir=scratch_root())
        self.var = os.path.join(self.dir, "var")
        self.pg_admin = None
        self.pg_dbname = None
        if backend == "sqlite":
            self.db_path = os.path.join(self.var, "registry.db")
            self.url = "sqlite:" + self.db_path
        else:
            base = pg_base_url()
            self.pg_admin = base + "/postgres"
            self.pg_dbname = f"sys_{os.getpid()}_{next(_counter)}"
            psql(self.pg_admin, f"DROP DATABASE IF EXISTS {self.pg_dbname} WITH (FORCE)")
            psql(self.pg_admin, f"CREATE DATABASE {self.pg_dbname}")
            self.url = f"{base}/{self.pg_dbname}"
        self.config = self.write_config("registryd.conf")

    def close(self):
        if self.pg_dbname:
            try:
                psql(self.pg_admin, f"DROP DATABASE IF EXISTS {self.pg_dbname} WITH (FORCE)")
            except RuntimeError:
                pass
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def write_file(self, name, text):
        p = self.path(name)
        with open(p, "w") as f:
            f.write(text)
        return p

    def write_config(self, name, extra="", url=None):
        """A configuration for this environment; `extra` is appended INI."""
        text = ("# written by tests/system/harness.py\n"
                "[database]\n"
                f"url = {url or self.url}\n"
                "[paths]\n"
                f"var = {self.var}\n"
                "[mail]\n"
                f"spool = {self.var}/spool/mail\n") + extra
        return self.write_file(name, text)

    def make_var(self):
        os.makedirs(self.var, exist_ok=True)

    def regctl(self, *args, config=True, timeout=120):
        """Runs regctl; config=True adds --config (our file), a string
        names another file, False gives none."""
        argv = [self.regctl_path]
        if config is True:
            argv += ["--config", self.config]
        elif config:
            argv += ["--config", config]
        argv += list(args)
        proc = subprocess.run(argv, cwd=self.dir, capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)
        return Result(list(args), proc)

    # --- looking into the database behind regctl's back ---------------

    def query(self, sql):
        """Rows of a query as lists of strings."""
        if self.backend == "sqlite":
            con = sqlite3.connect(self.db_path)
            try:
                return [[None if v is None else str(v) for v in row]
                        for row in con.execute(sql).fetchall()]
            finally:
                con.close()
        out = psql(self.url, sql)
        return [line.split("|") for line in out.splitlines()] if out else []

    def password_hash(self, handle):
        rows = self.query(f"SELECT password_hash FROM registrar WHERE handle = '{handle}'")
        return rows[0][0] if rows else None

    def password_works(self, handle, password):
        h = self.password_hash(handle)
        return h is not None and password_matches(h, password)

    @contextlib.contextmanager
    def hold_lease(self, name):
        """Holds job lease `name` from another process, as a second
        registryd instance would."""
        if self.backend == "sqlite":
            fd = os.open(f"{self.db_path}.lease-{name}", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                yield
            finally:
                os.close(fd)
            return
        proc = subprocess.Popen([PSQL, "-X", "-q", "-A", "-t", "-d", self.url],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            proc.stdin.write(f"SELECT pg_advisory_lock({lease_key(name)});\n\\echo locked\n")
            proc.stdin.flush()
            for line in proc.stdout:
                if line.strip() == "locked":
                    break
            else:
                raise RuntimeError("psql did not take the advisory lock")
            yield
        finally:
            proc.stdin.close()
            proc.wait(timeout=30)


class RegctlChecks:
    """Mixed into TestCases that run regctl on an Env of self.backend: a
    fresh Env per test, ok() and fails()."""

    backend = None

    def setUp(self):
        self.env = Env(self.backend, self._testMethodName[5:25])
        self.addCleanup(self.env.close)

    def ok(self, *args, **kw):
        r = self.env.regctl(*args, **kw)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.err, "", r)
        return r

    def fails(self, *args, **kw):
        """Non-zero exit, exactly one line on stderr, starting "regctl:"."""
        r = self.env.regctl(*args, **kw)
        self.assertNotEqual(r.rc, 0, r)
        self.assertEqual(len(r.err_lines), 1, f"want exactly one line on stderr: {r}")
        self.assertTrue(r.err.startswith("regctl:"), r)
        self.assertTrue(r.err.endswith("\n"), r)
        self.assertGreater(len(r.err.strip()), len("regctl:") + 5, r)
        return r
