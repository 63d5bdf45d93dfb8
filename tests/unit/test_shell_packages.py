"""apt-get, apt and apk in the sandboxed shell: the tutorials' installs, what they print,
and the tools they leave on $PATH (procps's ps, tcpdump, lsof)."""

from __future__ import annotations

from kitlib.sim.runtime.images import COMMAND, binary
from kitlib.sim.runtime.process import ProcessContext
from kitlib.sim.runtime.shell import ALPINE, DEBIAN, UBUNTU
from kitlib.sim.runtime.shell.commands.packaging import apt_size, packages, plan
from tests.unit.shellkit import run

INSTALL = "apt-get update >/dev/null && apt-get install -y procps >/dev/null 2>&1"


def test_install_before_update_cannot_locate_the_package() -> None:
    result = run("apt-get install -y procps", flavour=DEBIAN)
    assert result.stdout == ("Reading package lists...\nBuilding dependency tree...\n"
                             "Reading state information...\n")
    assert result.stderr == "E: Unable to locate package procps\n"
    assert result.status == 100


def test_update_fetches_the_bookworm_indexes_then_hits_them() -> None:
    result = run("apt-get update; echo ---; apt-get update", flavour=DEBIAN)
    first, second = result.stdout.split("---\n")
    assert first.splitlines()[0] == "Get:1 http://deb.debian.org/debian bookworm InRelease " \
                                    "[151 kB]"
    assert "Get:4 http://deb.debian.org/debian bookworm/main amd64 Packages [8792 kB]\n" in first
    assert first.endswith("Fetched 9303 kB in 1s (8400 kB/s)\nReading package lists...\n")
    assert second == ("Hit:1 http://deb.debian.org/debian bookworm InRelease\n"
                      "Hit:2 http://deb.debian.org/debian bookworm-updates InRelease\n"
                      "Hit:3 http://deb.debian.org/debian-security bookworm-security "
                      "InRelease\nReading package lists...\n")
    assert result.status == 0


def test_update_takes_simulated_time_and_leaves_the_lists() -> None:
    result = run("apt-get update >/dev/null; ls /var/lib/apt/lists", flavour=DEBIAN)
    assert "deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages\n" in result.stdout
    assert result.clock.time() > run("true", flavour=DEBIAN).clock.time()


def test_install_procps_prints_apts_steps_and_puts_ps_on_the_path() -> None:
    result = run("ps; apt-get update >/dev/null; apt-get install -y procps; which ps",
                 flavour=DEBIAN)
    out = result.stdout
    assert result.stderr.startswith("sh: 1: ps: not found\n")
    assert ("The following additional packages will be installed:\n"
            "  libncursesw6 libproc2-0 psmisc\n"
            "The following NEW packages will be installed:\n"
            "  libncursesw6 libproc2-0 procps psmisc\n"
            "0 upgraded, 4 newly installed, 0 to remove and 0 not upgraded.\n"
            "Need to get 1165 kB of archives.\n") in out
    assert "Get:3 http://deb.debian.org/debian bookworm/main amd64 procps amd64 2:4.0.2-3 " \
           "[709 kB]\n" in out
    assert "Selecting previously unselected package libproc2-0:amd64.\n" \
           "(Reading database ... 7582 files and directories currently installed.)\n" \
           "Preparing to unpack .../0-libproc2-0_2%3a4.0.2-3_amd64.deb ...\n" in out
    assert "Setting up procps (2:4.0.2-3) ...\n" in out
    assert out.endswith("Processing triggers for libc-bin (2.36-9+deb12u9) ...\n/usr/bin/ps\n")
    assert "debconf: delaying package configuration, since apt-utils is not installed\n" \
        in result.stderr


def test_without_yes_apt_asks_and_aborts_on_end_of_input_or_no() -> None:
    script = INSTALL.replace("procps", "lsof") + "; echo $?; apt-get install lsof; echo $?; lsof"
    result = run(script.replace(" -y lsof", " lsof"), flavour=DEBIAN, stdin=b"n\n")
    assert "Do you want to continue? [Y/n] Abort.\n1\n" in result.stdout
    assert "lsof: not found" in result.stderr
    assert run("apt-get update >/dev/null; apt-get install lsof </dev/null",
               flavour=DEBIAN).stdout.endswith("Do you want to continue? [Y/n] Abort.\n")


def test_without_yes_a_yes_answer_installs() -> None:
    result = run("apt-get update >/dev/null; apt-get install lsof >/dev/null 2>&1; "
                 "lsof | head -2", flavour=DEBIAN, stdin=b"Y\n")
    assert result.stdout.splitlines()[0].split() == ["COMMAND", "PID", "USER", "FD", "TYPE",
                                                     "DEVICE", "SIZE/OFF", "NODE", "NAME"]
    assert result.stdout.splitlines()[1].split()[:4] == ["sh", "1", "root", "cwd"]


def test_a_package_installs_without_asking_when_nothing_else_comes_with_it() -> None:
    result = run("apt-get update >/dev/null; apt-get install net-tools </dev/null", flavour=DEBIAN)
    assert "Do you want to continue" not in result.stdout
    assert "Setting up net-tools (2.10-0.1) ...\n" in result.stdout


def test_unknown_package_and_already_installed() -> None:
    result = run("apt-get update >/dev/null; apt-get install -y curl nosuchthing",
                 flavour=DEBIAN)
    assert result.stderr == "E: Unable to locate package nosuchthing\n"
    assert result.status == 100
    shipped = run("apt-get install -y curl", flavour=DEBIAN,
                  files={"/usr/bin/curl": binary(COMMAND)})
    assert "curl is already the newest version (7.88.1-10+deb12u12).\n" \
           "0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n" in shipped.stdout
    assert shipped.status == 0


def test_on_a_terminal_the_steps_say_done_and_apt_does_not_warn() -> None:
    result = run("apt update", flavour=DEBIAN, tty=True)
    assert "Reading package lists... Done\r\n" in result.stdout
    assert "All packages are up to date." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_apt_warns_when_its_output_is_not_a_terminal() -> None:
    result = run("apt install -y procps", flavour=DEBIAN)
    assert result.stderr.startswith("\nWARNING: apt does not have a stable CLI interface. "
                                    "Use with caution in scripts.\n\n")


def test_ubuntu_fetches_from_its_own_archive() -> None:
    result = run("apt-get update", flavour=UBUNTU)
    assert result.stdout.startswith("Get:1 http://archive.ubuntu.com/ubuntu noble InRelease")


def test_installed_tools_are_gone_with_a_new_container_filesystem() -> None:
    assert run(INSTALL + "; ps >/dev/null; echo $?", flavour=DEBIAN).stdout == "0\n"
    assert run("ps", flavour=DEBIAN).status == 127


def _processes(table: list[tuple[int, list[str], bool]]):  # type: ignore[no-untyped-def]
    async def during(ctx: ProcessContext) -> None:
        ctx.list_processes = lambda: [*table, (ctx.pid, list(ctx.argv), ctx.tty)]
    return during


def test_ps_aux_shows_nginx_master_as_pid_1_and_its_workers() -> None:
    result = run(INSTALL + "; ps aux", flavour=DEBIAN, pid=7,
                 during=_processes([(1, ["nginx", "-g", "daemon off;"], False)]))
    lines = result.stdout.splitlines()
    assert lines[0] == "USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME " \
                       "COMMAND"
    assert lines[1] == "root           1  0.0  0.0  11472  7620 ?        Ss   16:00   0:00 " \
                       "nginx: master process nginx -g daemon off;"
    assert lines[2] == "nginx         29  0.0  0.0  11936  2880 ?        S    16:00   0:00 " \
                       "nginx: worker process"
    assert len([line for line in lines if line.endswith("worker process")]) == 8
    assert lines[-2].split()[1] == "7" and lines[-1].endswith(" ps aux")


def test_ps_shows_redis_server_and_kill_reaches_it() -> None:
    sent: list[tuple[int, str]] = []

    async def during(ctx: ProcessContext) -> None:
        await _processes([(1, ["redis-server"], False)])(ctx)
        ctx.send_signal = lambda pid, name: sent.append((pid, name)) is None
    result = run(INSTALL + "; ps aux; kill 1", flavour=DEBIAN, pid=7, during=during)
    assert result.stdout.splitlines()[1] == ("redis          1  0.0  0.0 139516 12288 ?        "
                                             "Ssl  16:00   0:00 redis-server *:6379")
    assert result.status == 0


def test_ps_forms() -> None:
    result = run(INSTALL + "; ps; ps -ef", flavour=DEBIAN, pid=7,
                 during=_processes([(1, ["sleep", "3600"], False)]))
    assert result.stdout.startswith("    PID TTY          TIME CMD\n      1 ?        00:00:00 "
                                    "sleep\n      7 ?        00:00:00 sh\n")
    assert "UID          PID    PPID  C STIME TTY          TIME CMD\n" \
           "root           1       0  0 16:00 ?        00:00:00 sleep 3600\n" in result.stdout


def test_tcpdump_listens_until_stopped_and_reports_nothing_captured() -> None:
    result = run("apt-get update >/dev/null; apt-get install -y tcpdump >/dev/null 2>&1; "
                 "timeout 5 tcpdump -i eth0; echo $?", flavour=DEBIAN)
    assert result.stderr.endswith(
        "tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\n"
        "listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n"
        "\n0 packets captured\n0 packets received by filter\n0 packets dropped by kernel\n")
    assert result.stdout == "124\n"


def test_apk_add_fetches_indexes_and_installs_with_dependencies() -> None:
    result = run("apk add curl; curl -s http://nowhere/ >/dev/null; echo $?", flavour=ALPINE)
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "fetch https://dl-cdn.alpinelinux.org/alpine/v3.20/main/x86_64/APKINDEX.tar.gz",
        "fetch https://dl-cdn.alpinelinux.org/alpine/v3.20/community/x86_64/APKINDEX.tar.gz",
        "(1/10) Installing ca-certificates (20241121-r1)"]
    assert "(10/10) Installing curl (8.11.1-r0)" in lines
    assert "Executing busybox-1.36.1-r29.trigger" in lines
    assert lines[-2].startswith("OK: ") and lines[-2].endswith(" in 24 packages")
    assert lines[-1] == "6"                    # curl ran: it could not resolve the host


def test_apk_update_no_cache_and_unknown() -> None:
    result = run("apk update; apk add --no-cache bind-tools >/dev/null; apk add nope",
                 flavour=ALPINE)
    assert result.stdout.splitlines()[2:] == [
        "v3.20.3-235-g1d8e0f2b1e3 [https://dl-cdn.alpinelinux.org/alpine/v3.20/main]",
        "v3.20.3-234-g6a4f1c9e0b7 [https://dl-cdn.alpinelinux.org/alpine/v3.20/community]",
        "OK: 24166 distinct packages available"]
    assert result.stderr == ("ERROR: unable to select packages:\n  nope (no such package):\n"
                             "    required by: world[nope]\n")
    assert result.status == 1


def test_apt_sizes_and_dependency_order() -> None:
    assert [apt_size(n) for n in (512, 8808, 55400, 8792000, 19300000)] == \
        ["512 B", "8808 B", "55.4 kB", "8792 kB", "19.3 MB"]
    order = [p.name for p in plan(["lsof"], packages("apt", "debian"), {"libgssapi-krb5-2"})]
    assert order == ["libtirpc-common", "libtirpc3", "lsof"]
