"""Golden scripts: ``sh -c SCRIPT`` -> stdout, stderr, exit status, per shell flavour
(busybox ash, debian's dash, bash)."""

from __future__ import annotations

import pytest

from kitlib.sim.runtime.shell import BUSYBOX, DEBIAN, debian
from tests.unit.shellkit import run

FLAVOURS = {"ash": BUSYBOX, "dash": DEBIAN, "bash": debian(shell="bash")}
FILES = {"/data/a.txt": "apple\nbanana\ncherry\n", "/data/b.log": "x 1\ny 2\nx 3\n"}

# (flavours, script, stdout, stderr, status)
GOLDEN: list[tuple[str, str, str, str, int]] = [
    # lists, pipes, redirections
    ("ash dash bash", "echo a; echo b", "a\nb\n", "", 0),
    ("ash dash bash", "true && echo yes || echo no; false && echo yes || echo no",
     "yes\nno\n", "", 0),
    ("ash dash bash", "echo hello | tr a-z A-Z | rev 2>/dev/null; echo $?", "127\n", "", 0),
    ("ash dash bash", "echo one > /tmp/f; echo two >> /tmp/f; cat < /tmp/f", "one\ntwo\n", "", 0),
    ("ash dash bash", "cat /nope 2>/dev/null; echo $?", "1\n", "", 0),
    ("ash", "ls /nope > /tmp/out 2>&1; cat /tmp/out", "ls: /nope: No such file or "
     "directory\n", "", 0),
    ("ash dash bash", "echo err >&2", "", "err\n", 0),
    ("ash dash bash", "{ echo a; echo b; } > /tmp/g; wc -l < /tmp/g", "2\n", "", 0),
    ("ash dash bash", "exec 3>/tmp/h; echo via3 >&3; cat /tmp/h", "via3\n", "", 0),
    ("ash bash", "echo both &> /tmp/i; cat /tmp/i", "both\n", "", 0),
    ("ash dash bash", "cat <<EOF\nHome: $HOME\n$(echo sub) `echo tick`\nEOF",
     "Home: /root\nsub tick\n", "", 0),
    ("ash dash bash", "cat <<'EOF'\n$HOME\nEOF", "$HOME\n", "", 0),
    ("ash dash bash", "cat <<-EOF\n\tindented\n\tEOF", "indented\n", "", 0),
    ("ash bash", "read x <<< 'here string'; echo $x", "here string\n", "", 0),
    # variables, quoting, expansion
    ("ash dash bash", "x=world; echo \"hello $x\" 'hello $x' hello\\ $x", "hello world hello $x "
     "hello world\n", "", 0),
    ("ash dash bash", "x='a  b'; echo $x; echo \"$x\"", "a b\na  b\n", "", 0),
    ("ash dash bash", "set -- 'a b' c; for w in \"$@\"; do echo [$w]; done; echo $#",
     "[a b]\n[c]\n2\n", "", 0),
    ("ash dash bash", "set -- 'a b' c; for w in $*; do echo [$w]; done", "[a]\n[b]\n[c]\n",
     "", 0),
    ("ash dash bash", "echo ${U:-dflt} ${U-x} ${U:+alt}; U=; echo [${U:-e}] [${U-n}]; "
     "U=v; echo ${U:+alt}", "dflt x\n[e] []\nalt\n", "", 0),
    ("ash dash bash", "echo ${Z:=assigned}; echo $Z", "assigned\nassigned\n", "", 0),
    ("ash dash bash", "f=/a/b/file.tar.gz; echo ${f##*/} ${f%.*} ${f%%.*} ${f#*/} ${#f}",
     "file.tar.gz /a/b/file.tar /a/b/file a/b/file.tar.gz 16\n", "", 0),
    ("ash bash", "s=hello; echo ${s/l/L} ${s//l/L} ${s:1:3} ${s:2}", "heLlo heLLo ell llo\n",
     "", 0),
    ("bash", "s=hello; echo ${s^^} ${s^}", "HELLO Hello\n", "", 0),
    ("ash dash bash", "echo $((1 + 2 * 3)) $(( (1+2)*3 )) $((7 / 2)) $((7 % 3)) "
     "$((1 << 4)) $((0x10))", "7 9 3 1 16 16\n", "", 0),
    ("ash dash bash", "i=1; i=$((i + 1)); : $((i += 10)); echo $i", "12\n", "", 0),
    ("ash dash bash", "echo $(echo $(echo nested))", "nested\n", "", 0),
    ("ash dash bash", "x=$(printf 'a\\n\\n\\n'); echo \"[$x]\"", "[a]\n", "", 0),
    ("ash dash bash", "echo ~ ~/x", "/root /root/x\n", "", 0),
    ("ash dash bash", "cd /data; echo *.txt; echo *.none; echo '*'", "a.txt\n*.none\n*\n", "", 0),
    ("ash dash bash", "echo /data/*", "/data/a.txt /data/b.log\n", "", 0),
    ("ash dash bash", "x=\"*\"; echo \"$x\"", "*\n", "", 0),
    ("ash dash bash", "IFS=:; set -- $(echo a:b:c); echo $2", "b\n", "", 0),
    ("ash dash bash", "echo \"$0\" $# $?", "sh 0 0\n", "", 0),
    # control flow
    ("ash dash bash", "if [ -f /data/a.txt ]; then echo file; elif true; then echo no; "
     "else echo never; fi", "file\n", "", 0),
    ("ash dash bash", "n=0; while [ $n -lt 3 ]; do n=$((n+1)); echo $n; done", "1\n2\n3\n", "", 0),
    ("ash dash bash", "n=0; until [ $n -ge 2 ]; do n=$((n+1)); done; echo $n", "2\n", "", 0),
    ("ash dash bash", "for i in 1 2 3 4 5; do [ $i = 2 ] && continue; [ $i = 4 ] && break; "
     "echo $i; done", "1\n3\n", "", 0),
    ("ash dash bash", "for i in 1 2; do for j in a b; do [ $j = b ] && continue 2; "
     "echo $i$j; done; done", "1a\n2a\n", "", 0),
    ("ash dash bash", "case abc.txt in *.log) echo log;; *.txt|*.md) echo text;; esac",
     "text\n", "", 0),
    ("ash dash bash", "case x in [a-z]) echo lower;; *) echo other;; esac", "lower\n", "", 0),
    ("ash dash bash", "f() { echo \"in f: $1\"; return 5; }; f arg; echo $?",
     "in f: arg\n5\n", "", 0),
    ("ash dash bash", "f() { local v=inner; echo $v; }; v=outer; f; echo $v",
     "inner\nouter\n", "", 0),
    ("ash dash bash", "count() { echo $#; }; count a 'b c' d", "3\n", "", 0),
    ("ash dash bash", "(exit 3); echo $?", "3\n", "", 0),
    ("ash dash bash", "x=1; (x=2); echo $x; { x=3; }; echo $x", "1\n3\n", "", 0),
    ("ash dash bash", "echo x | read v; echo \"[$v]\"", "[]\n", "", 0),
    ("ash dash bash", "! false; echo $?", "0\n", "", 0),
    ("ash dash bash", "set -e; echo a; false; echo b", "a\n", "", 1),
    ("ash dash bash", "set -e; false || true; if false; then :; fi; echo survived",
     "survived\n", "", 0),
    ("ash dash bash", "echo before; exit 7; echo after", "before\n", "", 7),
    ("ash dash bash", "trap 'echo bye' EXIT; echo hi", "hi\nbye\n", "", 0),
    ("ash dash bash", "eval 'x=5; echo $x'", "5\n", "", 0),
    ("ash dash bash", "echo 'echo sourced $1' > /tmp/s.sh; . /tmp/s.sh; echo done",
     "sourced\ndone\n", "", 0),
    ("ash dash bash", "while read line; do echo \"<$line>\"; done < /data/b.log",
     "<x 1>\n<y 2>\n<x 3>\n", "", 0),
    ("ash dash bash", "cat /data/b.log | while read k v; do echo $v$k; done",
     "1x\n2y\n3x\n", "", 0),
    ("bash", "[[ abc == a* ]] && echo glob; [[ -n x && 1 -lt 2 ]] && echo and; "
     "[[ foo123 =~ [0-9]+ ]] && echo $BASH_REMATCH", "glob\nand\n123\n", "", 0),
    ("bash", "(( 3 > 2 )) && echo gt; let x=2*3; echo $x", "gt\n6\n", "", 0),
    ("bash", "echo {a,b} f{1..3} {01..02} \"{x,y}\"; for i in {3..1}; do echo -n $i; done; echo",
     "a b f1 f2 f3 01 02 {x,y}\n321\n", "", 0),
    ("ash dash", "echo {a,b} {1..3}", "{a,b} {1..3}\n", "", 0),
    ("ash dash bash", "printf '%s-%03d|%-4s|%x\\n' a 7 b 255", "a-007|b   |ff\n", "", 0),
    ("ash dash bash", "printf '%s\\n' one two three", "one\ntwo\nthree\n", "", 0),
    ("ash bash", "echo -e 'a\\tb'; echo 'a\\tb'", "a\tb\na\\tb\n", "", 0),
    ("dash", "echo 'a\\tb'; echo -e 'x'", "a\tb\n-e x\n", "", 0),
    ("ash dash bash", "echo -n no-newline; echo", "no-newline\n", "", 0),
    # command errors
    ("ash", "nosuchcmd", "", "sh: nosuchcmd: not found\n", 127),
    ("dash", "nosuchcmd", "", "sh: 1: nosuchcmd: not found\n", 127),
    ("bash", "nosuchcmd", "", "sh: line 1: nosuchcmd: command not found\n", 127),
    ("ash", "echo a\nnosuch", "a\n", "sh: nosuch: not found\n", 127),
    ("dash", "echo a\nnosuch", "a\n", "sh: 2: nosuch: not found\n", 127),
    ("ash", "/bin/nosuch", "", "sh: /bin/nosuch: not found\n", 127),
    ("bash", "/bin/nosuch", "", "sh: line 1: /bin/nosuch: No such file or directory\n", 127),
    ("ash", "cd /nope", "", "sh: cd: can't cd to /nope: No such file or directory\n", 2),
    ("dash", "cd /nope", "", "sh: 1: cd: can't cd to /nope\n", 2),
    ("bash", "cd /nope", "", "sh: line 1: cd: /nope: No such file or directory\n", 1),
    ("ash", "echo x > /nope/f", "", "sh: can't create /nope/f: nonexistent directory\n", 2),
    ("dash", "echo x > /nope/f", "", "sh: 1: cannot create /nope/f: Directory nonexistent\n", 2),
    ("bash", "echo x > /nope/f", "", "sh: line 1: /nope/f: No such file or directory\n", 1),
    ("ash", "cat < /nope", "", "sh: can't open /nope: no such file\n", 2),
    ("dash", "cat < /nope", "", "sh: 1: cannot open /nope: No such file\n", 2),
    ("ash", "echo $((1/0)); echo after", "", "sh: divide by zero\n", 2),
    ("ash", "echo ${nope?}", "", "sh: nope: parameter not set\n", 2),
    ("ash", "set -u; echo $nope", "", "sh: nope: parameter not set\n", 2),
    ("bash", "set -u; echo $nope", "", "sh: line 1: nope: unbound variable\n", 1),
    ("ash", "[ a -eq 1 ]", "", "sh: a: bad number\n", 2),
    ("dash", "[ a -eq 1 ]", "", "sh: 1: [: Illegal number: a\n", 2),
    ("bash", "[ a -eq 1 ]", "", "sh: line 1: [: a: integer expression expected\n", 2),
    ("ash", "[ 1 -eq 1", "", "sh: missing ]\n", 2),
    ("ash", "readonly r=1; r=2", "", "sh: r: is read only\n", 2),
    # syntax errors
    ("ash", "if true; then echo x", "", "sh: syntax error: unexpected end of file "
     "(expecting \"fi\")\n", 2),
    ("dash", "if true; then echo x", "", "sh: 1: Syntax error: end of file unexpected "
     "(expecting \"fi\")\n", 2),
    ("bash", "if true; then echo x", "", "sh: -c: line 1: syntax error: unexpected end of "
     "file\n", 2),
    ("ash", "echo 'open", "", "sh: syntax error: unterminated quoted string\n", 2),
    ("dash", "echo 'open", "", "sh: 1: Syntax error: Unterminated quoted string\n", 2),
    ("bash", "echo 'open", "", "sh: -c: line 1: unexpected EOF while looking for matching "
     "`''\n", 2),
    ("ash", "echo a; done", "", "sh: syntax error: unexpected \"done\"\n", 2),
    ("dash", "echo a; done", "", "sh: 1: Syntax error: \"done\" unexpected\n", 2),
    ("bash", "echo a; done", "", "sh: -c: line 1: syntax error near unexpected token "
     "`done'\nsh: -c: line 1: `echo a; done'\n", 2),
    ("ash", "echo a\nfi", "a\n", "sh: syntax error: unexpected \"fi\"\n", 2),
    ("dash", "echo >\necho", "", "sh: 1: Syntax error: newline unexpected\n", 2),
    ("bash", "echo >", "", "sh: -c: line 1: syntax error near unexpected token `newline'\n"
     "sh: -c: line 1: `echo >'\n", 2),
    # files
    ("ash", "cat /data/a.txt /nope", "apple\nbanana\ncherry\n",
     "cat: can't open '/nope': No such file or directory\n", 1),
    ("dash bash", "cat /data/a.txt /nope", "apple\nbanana\ncherry\n",
     "cat: /nope: No such file or directory\n", 1),
    ("ash", "mkdir /data", "", "mkdir: can't create directory '/data': File exists\n", 1),
    ("dash", "mkdir /data", "", "mkdir: cannot create directory '/data': File exists\n", 1),
    ("ash", "rm /nope", "", "rm: can't remove '/nope': No such file or directory\n", 1),
    ("dash", "rm /nope", "", "rm: cannot remove '/nope': No such file or directory\n", 1),
    ("dash", "ls /nope", "", "ls: cannot access '/nope': No such file or directory\n", 2),
    ("ash dash bash", "mkdir -p /x/y/z && touch /x/y/z/f && ls -R /x",
     "/x:\ny\n\n/x/y:\nz\n\n/x/y/z:\nf\n", "", 0),
    ("ash dash bash", "cp /data/a.txt /tmp/c && mv /tmp/c /tmp/d && cat /tmp/d | head -1 && "
     "ls /tmp", "apple\nd\n", "", 0),
    ("ash dash bash", "ln -s /data/a.txt /tmp/l; cat /tmp/l | wc -l; readlink /tmp/l",
     "3\n/data/a.txt\n", "", 0),
    ("ash dash bash", "cd /data && cd .. && pwd && cd - && cd ../../../.. && pwd",
     "/\n/data\n/\n", "", 0),
    ("ash dash bash", "[ -d /data ] && [ -f /data/a.txt ] && [ ! -e /nope ] && [ -s /data/a.txt ]"
     " && echo ok", "ok\n", "", 0),
    ("ash dash bash", "test -z '' -a -n x && echo both", "both\n", "", 0),
]


def _cases() -> list[tuple[str, str, str, str, int]]:
    return [(flavour, script, out, err, status)
            for flavours, script, out, err, status in GOLDEN for flavour in flavours.split()]


@pytest.mark.parametrize("flavour,script,stdout,stderr,status", _cases(),
                         ids=[f"{c[0]}:{c[1][:40]}" for c in _cases()])
def test_golden(flavour: str, script: str, stdout: str, stderr: str, status: int) -> None:
    result = run(script, flavour=FLAVOURS[flavour], files=FILES)
    assert (result.stdout, result.stderr, result.status) == (stdout, stderr, status)


def test_script_file_and_shebang() -> None:
    files = {"/app/run.sh": "#!/bin/sh\necho \"run $1 as $0\"\nnosuch\n",
             "/app/plain": "echo plain"}
    result = run("chmod +x /app/run.sh; /app/run.sh arg; cd /app && ./plain; echo $?",
                 files=files)
    assert result.stdout == "run arg as /app/run.sh\n126\n"
    assert result.stderr == ("/app/run.sh: line 3: nosuch: not found\n"
                             "sh: ./plain: Permission denied\n")


def test_sh_runs_a_script_file_with_arguments() -> None:
    result = run(argv=["sh", "/app/s.sh", "one", "two"],
                 files={"/app/s.sh": "echo $# $1 $2\nexit 3\n"})
    assert (result.stdout, result.status) == ("2 one two\n", 3)


def test_sh_c_sets_dollar_zero_and_arguments() -> None:
    result = run(argv=["sh", "-c", "echo $0 $1 $#", "name", "first"])
    assert result.stdout == "name first 1\n"


def test_missing_script_file() -> None:
    result = run(argv=["sh", "/nope.sh"])
    assert (result.stderr, result.status) == \
        ("sh: can't open '/nope.sh': No such file or directory\n", 2)


def test_bash_is_not_in_busybox() -> None:
    result = run("bash -c 'echo hi'")
    assert (result.stderr, result.status) == ("sh: bash: not found\n", 127)


def test_debian_has_bash_and_dash() -> None:
    result = run("bash -c 'echo $((2**8))'; sh -c 'echo -n x'; echo", flavour=DEBIAN)
    assert result.stdout == "256\nx\n"


def test_background_job_and_wait() -> None:
    result = run("(sleep 5; echo late) & echo early; wait; echo after")
    assert result.stdout == "early\nlate\nafter\n"


def test_pipefail_and_pipeline_status() -> None:
    result = run("false | true; echo $?; set -o pipefail; false | true; echo $?",
                 flavour=FLAVOURS["bash"])
    assert result.stdout == "0\n1\n"


def test_a_thousand_iterations_stay_within_the_step_limit() -> None:
    result = run("i=0; while [ $i -lt 1000 ]; do i=$((i+1)); done; echo $i")
    assert (result.stdout, result.stderr, result.status) == ("1000\n", "", 0)


def test_getopts_loop() -> None:
    script = ('while getopts "ab:" opt; do case $opt in a) echo A;; b) echo "B=$OPTARG";; '
              'esac; done; shift $((OPTIND-1)); echo "rest: $*"')
    result = run(argv=["sh", "-c", script, "sh", "-a", "-b", "val", "file"])
    assert result.stdout == "A\nB=val\nrest: file\n"
