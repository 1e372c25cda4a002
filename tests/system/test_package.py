#!/usr/bin/env python3
"""Packaging (issue 13 item 5): what `cmake --install` puts where, the
manual pages and the example configuration generated from the programs'
own tables, the systemd unit, the .deb.

Run through ctest (it sets REGCTL, REGISTRYD, REG_BUILD_DIR,
REG_SOURCE_DIR, CMAKE, CPACK). Standard library only.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

BUILD = os.environ.get("REG_BUILD_DIR", "")
SOURCE = os.environ.get("REG_SOURCE_DIR", "")


def run(argv, **kw):
    return subprocess.run(argv, capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL, **kw)


def settings_in(text, prefix=""):
    """(section, name) of each "PREFIXname = value" line of an INI text."""
    names, section = [], None
    for line in text.splitlines():
        m = re.match(r"^\[(\w+)\]$", line)
        if m:
            section = m.group(1)
        m = re.match(rf"^{re.escape(prefix)}(\w+) = ", line)
        if m:
            names.append((section, m.group(1)))
    return names


def setting_names():
    """Every setting, from `regctl config show` (at the defaults no secret
    is set, so every one is a plain name = value line)."""
    out = run([harness.binary("regctl"), "config", "show"], cwd=tempfile.gettempdir()).stdout
    return settings_in(out)


class Package(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="package-", dir=harness.scratch_root())
        self.addCleanup(shutil.rmtree, self.dir, True)

    def test_version(self):
        for prog in ("registryd", "regctl"):
            r = run([harness.binary(prog), "--version"])
            self.assertEqual(r.returncode, 0, r)
            self.assertRegex(r.stdout, rf"^{prog} \d+\.\d+\.\d+\n$")
            self.assertEqual(r.stderr, "")

    def test_cmake_install_into_destdir(self):
        dest = os.path.join(self.dir, "root")
        r = run([os.environ["CMAKE"], "--install", BUILD, "--prefix", "/usr"],
                env=dict(os.environ, DESTDIR=dest))
        self.assertEqual(r.returncode, 0, r)
        files = set()
        for root, _, names in os.walk(dest):
            files |= {os.path.relpath(os.path.join(root, n), dest) for n in names}
        want = {"usr/sbin/registryd", "usr/sbin/regctl",
                "usr/share/man/man8/registryd.8", "usr/share/man/man8/regctl.8",
                "usr/share/man/man5/registryd.conf.5",
                "usr/share/registryd/registryd.conf.example",
                "usr/share/registryd/schema/all.xsd",
                "usr/share/doc/registryd/README.md", "usr/share/doc/registryd/operations.md",
                "usr/lib/systemd/system/registryd.service",
                "usr/lib/sysusers.d/registryd.conf"}
        self.assertLessEqual(want, files, sorted(files))
        xsds = {f for f in os.listdir(os.path.join(SOURCE, "schema")) if f.endswith(".xsd")}
        self.assertEqual({f for f in os.listdir(os.path.join(dest, "usr/share/registryd/schema"))},
                         xsds)
        for b in ("registryd", "regctl"):
            self.assertTrue(os.access(os.path.join(dest, "usr/sbin", b), os.X_OK))
        # the installed unit names the installed paths
        with open(os.path.join(dest, "usr/lib/systemd/system/registryd.service")) as f:
            unit = f.read()
        self.assertIn("ExecStart=/usr/sbin/registryd --config /etc/registryd/registryd.conf\n",
                      unit)
        r = run([os.path.join(dest, "usr/sbin/regctl"), "--version"])
        self.assertEqual(r.returncode, 0, r)

    def test_example_config_has_every_setting_and_passes_check(self):
        path = os.path.join(BUILD, "registryd.conf.example")
        with open(path) as f:
            text = f.read()
        names = setting_names()
        self.assertGreater(len(names), 40)
        self.assertEqual(settings_in(text, "#"), names)
        # every value line is commented out: as good as no file at all
        self.assertFalse([l for l in text.splitlines() if l and l[0] not in "#["])
        r = run([harness.binary("regctl"), "--config", path, "config", "check"], cwd=self.dir)
        self.assertEqual((r.returncode, r.stdout), (0, f"{path}: ok\n"), r)
        # uncommented, it still loads: every default is a valid value
        active = os.path.join(self.dir, "active.conf")
        with open(active, "w") as f:
            f.write(re.sub(r"(?m)^#(\w+ = )", r"\1", text))
        r = run([harness.binary("regctl"), "--config", active, "config", "check"], cwd=self.dir)
        self.assertEqual(r.returncode, 0, r)

    def test_manual_pages(self):
        pages = {n: os.path.join(BUILD, "man", n)
                 for n in ("registryd.8", "regctl.8", "registryd.conf.5")}
        text = {}
        for name, path in pages.items():
            with open(path) as f:
                text[name] = f.read()
            self.assertTrue(text[name].startswith(".\\\""), name)
            self.assertIn(".TH ", text[name])
        if shutil.which("man"):
            for name, path in pages.items():
                r = run(["man", "-l", path], env=dict(os.environ, MANWIDTH="200", MANPAGER="cat"))
                self.assertEqual(r.returncode, 0, r)
                self.assertIn("NAME", r.stdout, name)
                self.assertNotIn("warning", r.stderr, name)
        conf = text["registryd.conf.5"]
        for section, name in setting_names():
            self.assertIn(f".B {name} = ", conf, f"{section}.{name}")
            self.assertIn(f".SS [{section}]", conf)
        # regctl(8): every command of every group, as in --help
        regctl = harness.binary("regctl")
        groups = re.findall(r"^  (\S+)\s{2,}\S",
                            run([regctl, "--help"]).stdout.split("Groups:", 1)[1], re.M)
        self.assertGreater(len(groups), 10)
        for g in groups:
            self.assertIn(f".SS {g}\n".replace("-", "\\-"), text["regctl.8"])
            usage = run([regctl, g, "--help"]).stdout
            for c in re.findall(rf"^\s+regctl {re.escape(g)} ([a-z][\w-]*)", usage, re.M):
                self.assertIn(f".B regctl {g} {c}".replace("-", "\\-"), text["regctl.8"])
        for opt in ("config", "only", "version", "help"):
            self.assertIn(f".B \\-\\-{opt}", text["registryd.8"])

    def test_systemd_unit_verifies(self):
        unit = os.path.join(BUILD, "contrib", "registryd.service")
        with open(unit) as f:
            text = f.read()
        for want in ("User=registryd", "ProtectSystem=strict", "NoNewPrivileges=yes",
                     "PrivateTmp=yes", "StateDirectory=registryd",
                     "ExecStart=" + harness.binary("registryd") + " --config "):
            self.assertIn(want, text)
        tool = shutil.which("systemd-analyze")
        if not tool:
            self.fail("systemd-analyze is not installed (Debian package systemd, in "
                      "scripts/debian-packages)")
        # the Documentation= pages are checked by test_manual_pages (they
        # are not installed here for man(1) to find)
        r = run([tool, "verify", "--man=no", unit])
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(r.stderr.strip(), "", r)

    def test_deb_package(self):
        if not shutil.which("dpkg-deb"):
            self.fail("dpkg-deb is not installed (Debian package dpkg)")
        out = os.path.join(self.dir, "deb")
        r = run([os.environ["CPACK"], "-G", "DEB", "--config",
                 os.path.join(BUILD, "CPackConfig.cmake"), "-B", out])
        self.assertEqual(r.returncode, 0, r)
        debs = [f for f in os.listdir(out) if f.endswith(".deb")]
        self.assertEqual(len(debs), 1, os.listdir(out))
        deb = os.path.join(out, debs[0])
        listing = run(["dpkg-deb", "-c", deb]).stdout
        for want in ("sbin/registryd", "sbin/regctl", "man8/registryd.8", "man5/registryd.conf.5",
                     "systemd/system/registryd.service", "registryd.conf.example"):
            self.assertIn(want, listing)
        info = run(["dpkg-deb", "-I", deb]).stdout
        self.assertRegex(info, r"Depends: .*libpq5")
        self.assertIn("postinst", info)


if __name__ == "__main__":
    unittest.main()
