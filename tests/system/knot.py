"""A real DNS primary for system tests: Knot DNS (Debian's knotd) on a free
loopback port, serving one zone as a dynamic primary (TSIG-signed updates
and transfers), started from a zone file that holds only its SOA and NS.
Its journal keeps the updates, so a primary killed and started again
serves what it had; a new KnotPrimary starts from the bare zone.

    k = KnotPrimary("dk").start()
    k.ns("a.dk")            # the delegation's NS set, as a referral gives it
    k.ds("a.dk"), k.addresses("ns.a.dk"), k.records()   # DS, glue, AXFR
    k.update("add x.dk. 3600 NS ns.example.")   # another writer
    k.stop(kill=True); k.start(); k.rekey()
    k.cleanup()

dig and nsupdate (bind9-dnsutils) ask the questions and write. Standard library only.
"""

import base64
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

from harness import scratch_root

KEY_NAME = "registry-update"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class KnotError(RuntimeError):
    pass


class KnotPrimary:
    def __init__(self, zone="dk", algorithm="hmac-sha256"):
        self.zone = zone
        self.algorithm = algorithm
        self.secret = base64.b64encode(os.urandom(32)).decode()
        self.dir = tempfile.mkdtemp(prefix="knot-", dir=scratch_root())
        self.port = free_port()
        self.address = "127.0.0.1:%d" % self.port
        self.proc = None
        self.started = False  # once started, registryd may know the port
        with open(os.path.join(self.dir, zone + ".zone"), "w") as f:
            f.write("$ORIGIN %s.\n$TTL 3600\n"
                    "@ SOA ns1.nic.%s. hostmaster.nic.%s. 1 3600 900 1209600 300\n"
                    "@ NS ns1.nic.%s.\n" % (zone, zone, zone, zone))
        self._configure()

    def _configure(self):
        # the journal keeps every update across restarts; the zone file is
        # never rewritten; serials follow the clock as registryd's do
        zone, algorithm = self.zone, self.algorithm
        with open(os.path.join(self.dir, "knot.conf"), "w") as f:
            f.write(f"""server:
  rundir: {self.dir}
  listen: 127.0.0.1@{self.port}
log:
  - target: stderr
    any: info
database:
  storage: {self.dir}
key:
  - id: {KEY_NAME}
    algorithm: {algorithm}
    secret: {self.secret}
acl:
  - id: registry
    key: {KEY_NAME}
    action: [update, transfer]
template:
  - id: default
    storage: {self.dir}
    zonefile-sync: -1
    zonefile-load: difference-no-serial
    journal-content: all
    serial-policy: unixtime
zone:
  - domain: {zone}
    file: {zone}.zone
    acl: registry
""")

    def rekey(self, secret=None):
        """The key's secret replaced (a new random one by default), from the
        next start on; the old secret, which a registryd may still hold."""
        old = self.secret
        self.secret = secret or base64.b64encode(os.urandom(32)).decode()
        self._configure()
        return old

    def secret_file(self):
        """The key's secret in a file only its owner reads ([zone]
        tsig_secret_file); its path."""
        path = os.path.join(self.dir, "tsig-secret")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(self.secret + "\n")
        return path

    def settings(self):
        """registryd's [zone] settings for this primary."""
        return {"primary": self.address, "tsig_name": KEY_NAME,
                "tsig_algorithm": self.algorithm, "tsig_secret_file": self.secret_file()}

    def forget(self):
        """Stopped, its journal removed: the next start serves the zone file
        again, its SOA and NS only (a primary rebuilt from scratch)."""
        self.stop(kill=True)
        for entry in os.listdir(self.dir):
            path = os.path.join(self.dir, entry)
            if os.path.isdir(path):
                shutil.rmtree(path)

    # --- the server ----------------------------------------------------------

    def start(self, timeout=10):
        # the port is chosen free before knotd binds it, so a test running
        # beside may take it first: before anyone was told the port, a
        # knotd that could not bind it starts again on another
        for attempt in range(3):
            try:
                return self._start(timeout)
            except KnotError as e:
                if self.started or attempt == 2 or "in use" not in str(e):
                    raise
                self.port = free_port()
                self.address = "127.0.0.1:%d" % self.port
                self._configure()

    def _start(self, timeout):
        if self.proc:
            raise KnotError("already running")
        log = open(os.path.join(self.dir, "knotd.log"), "ab")
        since = log.tell()  # what this start logs
        self.proc = subprocess.Popen(["knotd", "-c", os.path.join(self.dir, "knot.conf")],
                                     stdout=subprocess.DEVNULL, stderr=log,
                                     stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.proc = None
                raise KnotError("knotd exited at start:\n" + self.log())
            # a knotd that cannot bind stays up, and what answers on its
            # port is another process: ready is what its own log says
            log = self.log(since)
            if "cannot bind" in log or "failed to configure" in log:
                self.stop(kill=True)
                raise KnotError("knotd cannot bind its port:\n" + log)
            if "server started" in log:
                try:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                        self.started = True
                        return self
                except OSError:
                    pass
            time.sleep(0.02)
        self.stop(kill=True)
        raise KnotError("knotd does not answer:\n" + self.log())

    def stop(self, kill=False):
        if not self.proc:
            return
        self.proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def cleanup(self):
        self.stop()
        if not os.environ.get("REG_TEST_KEEP"):
            shutil.rmtree(self.dir, ignore_errors=True)

    def log(self, since=0):
        try:
            with open(os.path.join(self.dir, "knotd.log"), "rb") as f:
                f.seek(since)
                return f.read().decode(errors="replace")[-4000:]
        except FileNotFoundError:
            return ""

    # --- questions -------------------------------------------------------------

    def dig(self, *args, tsig=False):
        argv = ["dig", "@127.0.0.1", "-p", str(self.port), "+norecurse", "+time=2", "+tries=1"]
        if tsig:
            argv += ["-y", "%s:%s:%s" % (self.algorithm, KEY_NAME, self.secret)]
        r = subprocess.run(argv + list(args), capture_output=True, text=True, timeout=30,
                           stdin=subprocess.DEVNULL)
        if r.returncode != 0:
            raise KnotError("dig %s: exit %d %s" % (" ".join(args), r.returncode, r.stderr))
        return r.stdout

    def _rrs(self, name, rtype, sections):
        """(owner, type, rdata) of the records of the given sections of the
        answer to NAME RTYPE, owned by name."""
        out = self.dig(name, rtype, "+noall", *["+" + s for s in sections])
        rows = set()
        for line in out.splitlines():
            f = line.split(None, 4)
            if len(f) == 5 and f[0].rstrip(".").lower() == name.lower() and f[3] == rtype:
                rows.add(f[4].strip().lower())
        return rows

    def ns(self, name):
        """The NS set of a delegation, as the primary's referral names it."""
        return {r.rstrip(".") for r in self._rrs(name, "NS", ("authority", "answer"))}

    def ds(self, name):
        """DS rdata at the delegation ("keytag alg type digest", lowercase)."""
        return {rdata("DS", r.split()) for r in self._rrs(name, "DS", ("answer",))}

    def addresses(self, host):
        """The host's A and AAAA addresses in the zone (by AXFR: glue under
        a delegation that does not name the host is in no answer)."""
        owner = host.lower().rstrip(".") + "."
        return {r.split()[4] for r in self.records()
                if r.split()[0] == owner and r.split()[3] in ("A", "AAAA")}

    def update(self, *commands):
        """An UPDATE signed with the key, as another writer would send it
        (nsupdate): commands like "add x.dk. 3600 NS ns.example."."""
        script = "server 127.0.0.1 %d\nzone %s.\n%s\nsend\n" % (
            self.port, self.zone, "\n".join("update " + c for c in commands))
        r = subprocess.run(["nsupdate", "-y", "%s:%s:%s" % (self.algorithm, KEY_NAME, self.secret)],
                           input=script, capture_output=True, text=True, timeout=30)
        if r.returncode != 0:
            raise KnotError("nsupdate: exit %d %s" % (r.returncode, r.stderr))

    def serial(self):
        out = self.dig(self.zone, "SOA", "+short")
        return int(out.split()[2]) if out.strip() else None

    def records(self):
        """Every record below the apex of the types registryd publishes,
        by AXFR, as a set of "owner ttl IN TYPE rdata" (lowercase, digests
        too)."""
        out = self.dig(self.zone, "AXFR", "+nocmd", "+nostats", "+nocomments", tsig=True)
        if "Transfer failed" in out:
            raise KnotError("AXFR failed:\n" + out)
        return zone_records(out, self.zone)


def zone_records(text, zone):
    """The records below the apex of NS, DS, A and AAAA in a master file or
    dig's output, normalised for comparing."""
    rows = set()
    for line in text.splitlines():
        if not line.strip() or line.startswith((";", "$")):
            continue
        f = line.split()
        if len(f) < 5 or f[3] not in ("NS", "DS", "A", "AAAA"):
            continue
        owner = f[0].lower()
        if owner.rstrip(".") == zone:
            continue
        rows.add(" ".join([owner, f[1], f[2], f[3], rdata(f[3], f[4:])]))
    return rows


def rdata(rtype, fields):
    """rdata fields as one lowercase text; a DS digest in one piece (dig
    splits long ones)."""
    fields = [x.lower() for x in fields]
    if rtype == "DS" and len(fields) > 4:
        fields = fields[:3] + ["".join(fields[3:])]
    return " ".join(fields)
