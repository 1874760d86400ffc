# SPDX-License-Identifier: GPL-2.0-only
"""scripts/setup-deps and scripts/fetch-arm64-deb against fake apt-get,
dpkg-query, dpkg-deb, id and qemu-system-aarch64 first in PATH: what they ask
apt for, what they refuse and say, without root, network or a real install.
Each fake logs its arguments; the package database is a file of names."""

import shutil
import stat
from pathlib import Path

import pytest

from script_run import run_script

REPO = Path(__file__).resolve().parents[2]
SETUP_DEPS = REPO / "scripts" / "setup-deps"
FETCH_DEB = REPO / "scripts" / "fetch-arm64-deb"

FAKES = {
    "dpkg-query": r"""#!/bin/bash
# dpkg-query -W -f=FMT PKG: "installed" for a name listed in $FAKE/installed
pkg=${!#}
grep -qx "$pkg" "$FAKE/installed" && printf installed
exit 0
""",
    "apt-get": r"""#!/bin/bash
echo "apt-get $*" >> "$FAKE/log"
for a in "$@"; do
	case $a in
	update)
		[ -e "$FAKE/update-fails" ] && exit 100
		[ -n "${FAKE_LISTS:-}" ] && mkdir -p "$FAKE_LISTS" &&
			touch "$FAKE_LISTS/deb.debian.org_dists_bookworm_main_binary-arm64_Packages"
		exit 0 ;;
	install)
		# everything after the options is a package; qemu from backports is 10
		for p in "$@"; do
			case $p in -*|install|bookworm-backports|Dpkg::*) ;; *) echo "$p" >> "$FAKE/installed" ;; esac
		done
		[ -e "$FAKE/qemu-stays-old" ] || echo 10.0.3 > "$FAKE/qemu-version"
		exit 0 ;;
	download)
		[ -e "$FAKE/download-fails" ] && exit 100
		p=${!#}; touch "${p}_1.0_arm64.deb"; exit 0 ;;
	esac
done
exit 0
""",
    "dpkg-deb": r"""#!/bin/bash
echo "dpkg-deb $*" >> "$FAKE/log"
mkdir -p "$3/usr/lib" && echo "from $(basename "$2")" > "$3/usr/lib/unpacked"
""",
    "id": r"""#!/bin/bash
echo "${FAKE_UID:-0}"
""",
    "qemu-system-aarch64": r"""#!/bin/bash
[ -e "$FAKE/qemu-version" ] || exit 1
echo "QEMU emulator version $(cat "$FAKE/qemu-version") (Debian fake)"
""",
}


@pytest.fixture
def fake(tmp_path):
    """A fake Debian: bin/ with the fakes, etc/ with os-release and apt's
    sources folder, the package database and the log."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, text in FAKES.items():
        f = bin_dir / name
        f.write_text(text)
        f.chmod(f.stat().st_mode | stat.S_IXUSR)
    etc = tmp_path / "etc"
    (etc / "apt" / "sources.list.d").mkdir(parents=True)
    (etc / "os-release").write_text('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'
                                    "VERSION_CODENAME=bookworm\n")
    (etc / "apt" / "sources.list").write_text("deb http://deb.debian.org/debian bookworm main\n")
    (tmp_path / "installed").write_text("")
    (tmp_path / "log").write_text("")
    return tmp_path


def install(fake, *packages):
    with open(fake / "installed", "a") as f:
        f.write("".join(p + "\n" for p in packages))


def apt_calls(fake):
    return [line for line in (fake / "log").read_text().splitlines() if line.startswith("apt-get")]


def run(fake, script, *args, uid=0, **env):
    environ = {"PATH": f"{fake / 'bin'}:/usr/bin:/bin", "FAKE": str(fake),
               "FAKE_UID": str(uid), "BULKHEAD_SETUP_ETC": str(fake / "etc"),
               "BULKHEAD_CACHE": str(fake / "cache"), "HOME": str(fake)}
    environ.update(env)
    return run_script([str(script), *args], timeout=60, env=environ)


def packages_of_setup_deps():
    """PACKAGES as the script lists them, ipxe-qemu and the QEMU package."""
    text = SETUP_DEPS.read_text()
    block = text[text.index("PACKAGES=(") + len("PACKAGES=("):text.index(")", text.index("PACKAGES=("))]
    return block.split() + ["ipxe-qemu", "qemu-system-arm"]


def test_setup_deps_with_everything_present_only_checks(fake):
    install(fake, *packages_of_setup_deps())
    (fake / "qemu-version").write_text("10.0.3")
    r = run(fake, SETUP_DEPS, uid=1000)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "setup-deps: all packages present (QEMU emulator version 10.0.3 (Debian fake))\n"
    assert apt_calls(fake) == []


def test_setup_deps_as_a_user_names_what_is_missing_and_installs_nothing(fake):
    install(fake, *[p for p in packages_of_setup_deps() if p not in ("cloc", "libfdt-dev")])
    (fake / "qemu-version").write_text("10.0.3")
    r = run(fake, SETUP_DEPS, uid=1000)
    assert r.returncode == 1
    assert "setup-deps: error: missing: libfdt-dev cloc. Run as root" in r.stderr
    assert apt_calls(fake) == []
    # QEMU too old as well: it comes last, with where it comes from.
    (fake / "qemu-version").write_text("7.2.0")
    r = run(fake, SETUP_DEPS, uid=1000)
    assert ("setup-deps: error: missing: libfdt-dev cloc qemu-system-arm>=10 "
            "(from bookworm-backports). Run as root") in r.stderr
    # Only QEMU: no blank before it (before 2026-11-25 "missing:libfdt-dev" lacked one).
    install(fake, "cloc", "libfdt-dev")
    r = run(fake, SETUP_DEPS, uid=1000)
    assert "setup-deps: error: missing: qemu-system-arm>=10 (from bookworm-backports). Run as root" \
        in r.stderr


def test_setup_deps_installs_just_the_missing_packages_without_recommends(fake):
    install(fake, *[p for p in packages_of_setup_deps() if p not in ("cloc", "libfdt-dev")])
    (fake / "qemu-version").write_text("10.0.3")
    r = run(fake, SETUP_DEPS)
    assert r.returncode == 0, r.stderr
    calls = apt_calls(fake)
    assert calls == ["apt-get -q -y -o Dpkg::Use-Pty=0 update",
                     "apt-get -q -y -o Dpkg::Use-Pty=0 install --no-install-recommends libfdt-dev cloc"]
    assert "setup-deps: installing libfdt-dev cloc" in r.stdout
    assert not list((fake / "etc" / "apt" / "sources.list.d").iterdir())


def test_setup_deps_takes_qemu_9_for_missing_and_adds_bookworm_backports(fake):
    install(fake, *packages_of_setup_deps())
    (fake / "qemu-version").write_text("9.2.1")
    r = run(fake, SETUP_DEPS)
    assert r.returncode == 0, r.stderr
    source = fake / "etc" / "apt" / "sources.list.d" / "bulkhead-backports.sources"
    assert "Suites: bookworm-backports" in source.read_text()
    assert apt_calls(fake)[-1] == ("apt-get -q -y -o Dpkg::Use-Pty=0 install -t bookworm-backports "
                                   "--no-install-recommends qemu-system-arm")
    assert r.stdout.splitlines()[-2:] == ["setup-deps: QEMU emulator version 10.0.3 (Debian fake)",
                                          "setup-deps: done"]


def test_setup_deps_uses_a_backports_source_it_finds(fake):
    install(fake, *[p for p in packages_of_setup_deps() if p != "qemu-system-arm"])
    (fake / "etc" / "apt" / "sources.list.d" / "debian.sources").write_text(
        "Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-backports\n")
    r = run(fake, SETUP_DEPS)
    assert r.returncode == 0, r.stderr
    assert "setup-deps: found an apt source for bookworm-backports" in r.stdout
    assert not (fake / "etc" / "apt" / "sources.list.d" / "bulkhead-backports.sources").exists()


def test_setup_deps_fails_when_backports_gives_no_qemu_10(fake):
    install(fake, *packages_of_setup_deps())
    (fake / "qemu-version").write_text("9.2.1")
    (fake / "qemu-stays-old").touch()
    r = run(fake, SETUP_DEPS)
    assert r.returncode == 1
    assert ("setup-deps: error: qemu-system-aarch64 is version 9 after install; "
            "need >= 10 from bookworm-backports") in r.stderr


def test_setup_deps_stops_when_apt_update_fails(fake):
    (fake / "update-fails").touch()
    r = run(fake, SETUP_DEPS)
    assert r.returncode == 1
    assert "setup-deps: error: apt-get update failed" in r.stderr
    assert [c for c in apt_calls(fake) if " install " in c] == []


def test_setup_deps_warns_off_debian_12_and_goes_on(fake):
    (fake / "etc" / "os-release").write_text('PRETTY_NAME="Debian GNU/Linux 13 (trixie)"\n'
                                             "VERSION_CODENAME=trixie\n")
    r = run(fake, SETUP_DEPS)
    assert r.returncode == 0, r.stderr
    assert ("setup-deps: warning: this is Debian GNU/Linux 13 (trixie), not Debian 12 (bookworm); "
            "trying anyway") in r.stdout


def test_fetch_arm64_deb_downloads_once_then_unpacks_offline(fake):
    lists = fake / "cache" / "apt-arm64" / "lists"
    dest = fake / "cache" / "libfdt-arm64"
    r = run(fake, FETCH_DEB, "libfdt-dev", str(dest), FAKE_LISTS=str(lists))
    assert r.returncode == 0, r.stderr
    assert (dest / "usr" / "lib" / "unpacked").read_text() == "from libfdt-dev_1.0_arm64.deb\n"
    calls = apt_calls(fake)
    assert [c.split()[-1] for c in calls] == ["update", "libfdt-dev"]
    assert all("-o APT::Architecture=arm64" in c for c in calls)
    # The folder gone, the cached .deb is unpacked again without apt.
    shutil.rmtree(dest)
    (fake / "log").write_text("")
    (fake / "download-fails").touch()
    r = run(fake, FETCH_DEB, "libfdt-dev", str(dest), FAKE_LISTS=str(lists))
    assert r.returncode == 0, r.stderr
    assert apt_calls(fake) == []
    assert (dest / "usr" / "lib" / "unpacked").exists()
    assert not list((fake / "cache").glob("download.*")), "its temporary folder was left"


def test_fetch_arm64_deb_without_a_list_says_no_network(fake):
    r = run(fake, FETCH_DEB, "--update-list")
    assert r.returncode == 1
    assert "fetch-arm64-deb: error: apt-get update got no arm64 package list (no network?)" in r.stderr


def test_fetch_arm64_deb_refreshes_a_stale_list_once_then_names_the_package(fake):
    lists = fake / "cache" / "apt-arm64" / "lists"
    (fake / "download-fails").touch()
    r = run(fake, FETCH_DEB, "libfdt-dve", str(fake / "cache" / "x"), FAKE_LISTS=str(lists))
    assert r.returncode == 1
    assert "could not download arm64 package 'libfdt-dve' (is the name right?" in r.stderr
    assert [c.split()[-1] for c in apt_calls(fake)] == ["update", "libfdt-dve", "update", "libfdt-dve"]
    assert not (fake / "cache" / "x").exists()
    assert not list((fake / "cache").glob("download.*"))
