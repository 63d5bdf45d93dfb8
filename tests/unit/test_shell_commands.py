"""The command table: files, text, grep and sed, system information, in busybox and GNU
wording."""

from __future__ import annotations

import pytest

from kitlib.sim.runtime.shell import BUSYBOX, DEBIAN, ExecNotFound
from tests.unit.shellkit import run

FILES = {"/data/a.txt": "apple\nbanana\ncherry\n", "/data/b.log": "x 1\ny 2\nx 3\n",
         "/etc/passwd": "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n",
         "/data/n.txt": "10\n9\n100\n"}


def sh(script: str, flavour=BUSYBOX) -> tuple[str, str, int]:  # type: ignore[no-untyped-def]
    result = run(script, flavour=flavour, files=FILES)
    return result.stdout, result.stderr, result.status


@pytest.mark.parametrize("script,stdout", [
    ("grep an /data/a.txt", "banana\n"),
    ("grep -c x /data/b.log", "2\n"),
    ("grep -v x /data/b.log", "y 2\n"),
    ("grep -n x /data/b.log", "1:x 1\n3:x 3\n"),
    ("grep -i APPLE /data/a.txt", "apple\n"),
    ("grep -E '^(x|y) [13]$' /data/b.log", "x 1\nx 3\n"),
    ("grep -o 'an' /data/a.txt", "an\nan\n"),
    ("grep -w 'x' /data/b.log | wc -l", "2\n"),
    ("grep -l x /data/a.txt /data/b.log", "/data/b.log\n"),
    ("grep x /data/a.txt /data/b.log", "/data/b.log:x 1\n/data/b.log:x 3\n"),
    ("grep -F 'a.' /data/a.txt; echo $?", "1\n"),
    ("grep -r banana /data", "/data/a.txt:banana\n"),
    ("grep -A1 apple /data/a.txt", "apple\nbanana\n"),
    ("grep -q cherry /data/a.txt && echo found", "found\n"),
    ("sed 's/x/z/g' /data/b.log", "z 1\ny 2\nz 3\n"),
    ("sed -n '2p' /data/a.txt", "banana\n"),
    ("sed '1d' /data/a.txt", "banana\ncherry\n"),
    ("sed -n '/an/p' /data/a.txt", "banana\n"),
    ("sed -E 's/([a-z]+) ([0-9])/\\2-\\1/' /data/b.log", "1-x\n2-y\n3-x\n"),
    ("sed 's/a/[&]/2' /data/a.txt", "apple\nban[a]na\ncherry\n"),
    ("echo hello | sed 'y/lo/01/'", "he001\n"),
    ("sed -i 's/apple/pear/' /data/a.txt; head -1 /data/a.txt", "pear\n"),
    ("cut -d: -f1,7 /etc/passwd", "root:/bin/sh\nnobody:/bin/false\n"),
    ("echo abcdef | cut -c2-4", "bcd\n"),
    ("sort /data/n.txt", "10\n100\n9\n"),
    ("sort -n /data/n.txt", "9\n10\n100\n"),
    ("sort -rn /data/n.txt | head -1", "100\n"),
    ("printf 'b 2\\na 1\\nb 1\\n' | sort -k2 -n | head -1", "a 1\n"),
    ("cut -d' ' -f1 /data/b.log | sort | uniq -c", "      2 x\n      1 y\n"),
    ("printf 'a\\na\\nb\\n' | uniq", "a\nb\n"),
    ("echo HELLO | tr A-Z a-z; echo 'a  b' | tr -s ' '; echo abc | tr -d b",
     "hello\na b\nac\n"),
    ("echo hello | tr '[:lower:]' '[:upper:]'", "HELLO\n"),
    ("seq 3; seq 2 2 6; seq -s, 3", "1\n2\n3\n2\n4\n6\n1,2,3\n"),
    ("tac /data/a.txt", "cherry\nbanana\napple\n"),
    ("echo abc | base64; echo YWJjCg== | base64 -d", "YWJjCg==\nabc\n"),
    ("echo hi | tee /tmp/t; cat /tmp/t", "hi\nhi\n"),
    ("head -n 2 /data/a.txt; head -1 /data/b.log", "apple\nbanana\nx 1\n"),
    ("tail -n 1 /data/a.txt; tail -n +2 /data/b.log", "cherry\ny 2\nx 3\n"),
    ("head -c 3 /data/a.txt; echo", "app\n"),
    ("wc -l /data/a.txt", "3 /data/a.txt\n"),
    ("cat /data/a.txt | wc -l", "3\n"),
    ("cat -n /data/b.log", "     1\tx 1\n     2\ty 2\n     3\tx 3\n"),
    ("expr 3 + 4; expr 10 / 3; expr length hello; expr abc : 'a\\(.\\)'", "7\n3\n5\nb\n"),
    ("echo a b c | xargs -n1 echo item", "item a\nitem b\nitem c\n"),
    ("printf '1\\n2\\n' | xargs -I{} echo 'n={}'", "n=1\nn=2\n"),
    ("basename /a/b/c.txt .txt; dirname /a/b/c.txt; dirname c", "c\n/a/b\n.\n"),
    ("md5sum /data/a.txt", "e010d6feef1f45c753f750f94af6e9c5  /data/a.txt\n"),
    ("echo -n abc | sha256sum",
     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  -\n"),
    ("date; date +%s; date -u +%Y-%m-%dT%H:%M:%SZ",
     "Thu Nov 26 16:00:00 UTC 2026\n1795708800\n2026-11-26T16:00:00Z\n"),
    ("date -d @0 '+%F %T'", "1970-01-01 00:00:00\n"),
    ("uname; uname -m; whoami; id -u; hostname", "Linux\nx86_64\nroot\n0\npod\n"),
    ("id", "uid=0(root) gid=0(root) groups=0(root),10(wheel)\n"),
    ("pwd; cd /data; pwd", "/\n/data\n"),
    ("ls /data", "a.txt\nb.log\nn.txt\n"),
    ("ls -a /data | head -2", ".\n..\n"),
    ("ls -d /data /etc", "/data\n/etc\n"),
    ("find /data -name '*.txt'", "/data/a.txt\n/data/n.txt\n"),
    ("find /data -type d", "/data\n"),
    ("mkdir -p /a/b && touch /a/b/c && find /a", "/a\n/a/b\n/a/b/c\n"),
    ("stat -c '%s %A %n' /data/a.txt", "20 -rw-r--r-- /data/a.txt\n"),
    ("chmod 755 /data/a.txt; stat -c %a /data/a.txt; chmod u-x,go-rx /data/a.txt; "
     "stat -c %A /data/a.txt", "755\n-rw-------\n"),
    ("which ls sh; which nosuch; echo $?", "/bin/ls\n/bin/sh\n1\n"),
    ("type cd echo ls", "cd is a shell builtin\necho is a shell builtin\nls is /bin/ls\n"),
    ("command -v ls cd", "/bin/ls\ncd\n"),
    ("env -i FOO=bar env", "FOO=bar\n"),
    ("FOO=1 printenv FOO; printenv NOPE; echo $?", "1\n1\n"),
    ("timeout 1 sleep 5; echo $?", "124\n"),
    ("mktemp | grep -c '^/tmp/tmp\\.'", "1\n"),
    ("du -s /data", "16\t/data\n"),
])
def test_command_output(script: str, stdout: str) -> None:
    out, err, _ = sh(script)
    assert (out, err) == (stdout, "")


def test_ls_long_format_busybox() -> None:
    out, _, _ = sh("ls -l /data/a.txt")
    assert out == "-rw-r--r--    1 root     root            20 Nov 26 16:00 /data/a.txt\n"


def test_ls_long_format_gnu() -> None:
    out, _, _ = sh("ls -l /data", flavour=DEBIAN)
    assert out == ("total 12\n"
                   "-rw-r--r-- 1 root root 20 Nov 26 16:00 a.txt\n"
                   "-rw-r--r-- 1 root root 12 Nov 26 16:00 b.log\n"
                   "-rw-r--r-- 1 root root  9 Nov 26 16:00 n.txt\n")


@pytest.mark.parametrize("script,busybox,gnu", [
    ("cat /nope", "cat: can't open '/nope': No such file or directory\n",
     "cat: /nope: No such file or directory\n"),
    ("head /nope", "head: can't open '/nope': No such file or directory\n",
     "head: cannot open '/nope' for reading: No such file or directory\n"),
    ("touch /nope/x", "touch: /nope/x: No such file or directory\n",
     "touch: cannot touch '/nope/x': No such file or directory\n"),
    ("rm /data", "rm: '/data' is a directory\n", "rm: cannot remove '/data': Is a directory\n"),
    ("cp /nope /tmp", "cp: can't stat '/nope': No such file or directory\n",
     "cp: cannot stat '/nope': No such file or directory\n"),
    ("cp /data /tmp", "cp: omitting directory '/data'\n",
     "cp: -r not specified; omitting directory '/data'\n"),
    ("rmdir /data", "rmdir: '/data': Directory not empty\n",
     "rmdir: failed to remove '/data': Directory not empty\n"),
    ("wc /nope", "wc: can't open '/nope': No such file or directory\n",
     "wc: /nope: No such file or directory\n"),
    ("sleep abc", "sleep: invalid number 'abc'\n",
     "sleep: invalid time interval 'abc'\nTry 'sleep --help' for more information.\n"),
    ("ls -z", "ls: invalid option -- 'z'\n",
     "ls: invalid option -- 'z'\nTry 'ls --help' for more information.\n"),
])
def test_error_messages_follow_the_userland(script: str, busybox: str, gnu: str) -> None:
    assert sh(script)[1] == busybox
    assert sh(script, flavour=DEBIAN)[1] == gnu


def test_echo_flavours() -> None:
    script = "echo -e 'a\\tb'; echo 'c\\td'; echo -n x; echo -en '\\n'"
    assert sh(script)[0] == "a\tb\nc\\td\nx\n"
    assert sh(script, flavour=DEBIAN)[0] == "-e a\tb\nc\td\nx-en \n\n"
    assert sh("env echo -e 'a\\tb'", flavour=DEBIAN)[0] == "a\tb\n"   # /bin/echo is GNU's


def test_printf_formats() -> None:
    out, err, status = sh("printf '%5s|%-5s|%05d|%.2f|%x|%o|%c|%%|%b\\n' ab cd 42 3.14159 255 8 "
                          "xyz 'a\\tb'")
    assert out == "   ab|cd   |00042|3.14|ff|10|x|%|a\tb\n"
    assert sh("printf '%d\\n' abc")[1] == "printf: invalid number 'abc'\n"


def test_tail_follow_on_the_clock() -> None:
    script = ("(for i in 1 2 3; do echo line$i >> /tmp/log; sleep 1; done) & "
              "tail -f /tmp/log & sleep 5; kill %1 2>/dev/null; exit 0")
    result = run(script, files={"/tmp/log": ""})
    assert result.stdout == "line1\nline2\nline3\n"


def test_run_command_execs_without_a_shell() -> None:
    result = run(argv=["ls", "/data"], command=True, files=FILES)
    assert (result.stdout, result.status) == ("a.txt\nb.log\nn.txt\n", 0)
    shell = run(argv=["sh", "-c", "echo $0"], command=True)
    assert shell.stdout == "sh\n"


def test_run_command_reports_a_missing_program_like_runc() -> None:
    with pytest.raises(ExecNotFound) as caught:
        run(argv=["bash"], command=True)
    assert caught.value.message == 'exec: "bash": executable file not found in $PATH'
    with pytest.raises(ExecNotFound) as caught:
        run(argv=["/app/server"], command=True)
    assert caught.value.message == \
        'exec: "/app/server": stat /app/server: no such file or directory'
    assert run(argv=["bash", "-c", "echo $BASH_VERSION$0"], command=True,
               flavour=DEBIAN).stdout == "5.2.15(1)-releasebash\n"


def test_kill_of_pid_1_is_ignored_and_of_a_job_ends_it() -> None:
    result = run("sleep 100 & kill $!; wait $!; echo $?; kill 1; echo $?; kill 999")
    assert result.stdout == "143\n0\n"
    assert result.stderr == "kill: can't kill pid 999: No such process\n"


def test_programs_of_the_image_come_from_the_runtime() -> None:
    from kitlib.sim.runtime.fs.api import FsError
    from kitlib.sim.runtime.process import ProcessContext, Program

    seen: list[tuple[list[str], str, int, bool]] = []

    async def nginx(ctx: ProcessContext) -> int:
        seen.append((ctx.argv, ctx.env.get("X", ""), ctx.pid, ctx.tty))
        ctx.stderr.write(b"nginx version: nginx/1.27.0\n")
        return 0

    def find(argv: list[str], ctx: ProcessContext) -> tuple[Program, list[str]]:
        if argv[0] in ("nginx", "/usr/sbin/nginx"):
            return nginx, ["/usr/sbin/nginx", *argv[1:]]
        raise FsError("ENOENT", argv[0])

    result = run("X=1 nginx -v 2>&1 | cat; which nginx; nosuch", find_program=find,
                 flavour=DEBIAN)
    assert result.stdout == "nginx version: nginx/1.27.0\n/usr/sbin/nginx\n"
    assert result.stderr == "sh: 1: nosuch: not found\n"
    assert seen[0][:2] == (["/usr/sbin/nginx", "-v"], "1")
    assert seen[0][2] > 1 and seen[0][3] is False
