"""Protocol cases: records, stdin and arguments, stop on failure, --once, compiled languages, errors."""
from host import SandboxHost, payload
from registry import case, only_test, py


@case
def hello_python(h):
    t = only_test(h.py.run(py("print('Hello, World!')"))[0])
    assert t["exit"] == 0 and t["signal"] == 0 and t["out"] == b"Hello, World!\n", t
    assert t["cpuMs"] > 0 and t["memoryKb"] > 0 and t["wallMs"] >= 0, t


@case
def stdin_to_eof_and_args(h):
    data = b"x" * 200_000 + b"\nend"
    code = "import sys; d = sys.stdin.buffer.read(); print(len(d), d[-3:].decode(), sys.argv[1:])"
    t = only_test(h.py.run(py(code, tests=[(data, ["a b", "c"])]))[0])
    assert t["out"] == b"200004 end ['a b', 'c']\n", t


@case
def stop_on_failure(h):
    code = "import sys; print(sys.argv[1]); sys.exit(int(sys.argv[1]))"
    records, _ = h.py.run(py(code, tests=[(b"", ["0"]), (b"", ["3"]), (b"", ["0"])], stop_on_failure=True))
    assert [r["kind"] for r in records] == ["test", "test", "done"] and records[1]["exit"] == 3, records
    records, _ = h.py.run(py(code, tests=[(b"", ["0"]), (b"", ["3"]), (b"", ["0"])]))
    assert [r.get("test") for r in records] == [0, 1, 2, None], records


@case
def c_compile_and_run(h):
    code = '#include <stdio.h>\nint main(void){int c=getchar(); printf("hello %d\\n", c); return 0;}\n'
    compile = ["gcc", "-O2", "-o", "main", "main.c"]
    records, _ = h.c.run(payload([("main.c", code)], ["./main"], tests=[(b"A", ()), (b"", ())], compile=compile))
    assert [r["kind"] for r in records] == ["compile", "test", "test", "done"], records
    assert records[0]["exit"] == 0 and records[0]["cpuMs"] > 0, records[0]
    assert records[1]["out"] == b"hello 65\n" and records[2]["out"] == b"hello -1\n", records


@case
def c_compile_error_and_empty_compiler_stdin(h):
    records, _ = h.c.run(payload([("main.c", "int main(void) { return x; }\n")], ["./main"],
                                 compile=["gcc", "-o", "main", "main.c"]))
    assert [r["kind"] for r in records] == ["compile", "done"] and records[0]["exit"] != 0, records
    assert b"error" in records[0]["out"], records[0]
    records, _ = h.c.run(payload([("x", "")], ["true"], compile=["sh", "-c", "wc -c; ls -A"]))
    assert records[0]["out"] == b"0\nx\n", records[0]  # empty stdin; the build dir holds only the files


@case
def nested_file_names_and_bad_names(h):
    t = only_test(h.py.run(payload([("pkg/mod.py", "V = 5\n"), ("main.py", "from pkg.mod import V; print(V)")],
                                   ["python3", "main.py"]))[0])
    assert t["out"] == b"5\n", t


@case
def once_mode_runs_one_payload_and_exits(h):
    host = SandboxHost(h.image("python"), mode="--once")
    try:
        records, _ = host.run(py("print('once')"))
        assert records[0]["out"] == b"once\n" and records[-1]["kind"] == "done", records
        assert host.close() == 0
    finally:
        host.close()


HELLO = {
    "javascript": ("main.js", "console.log('hello ' + require('fs').readFileSync(0, 'utf8'))", (), ["node", "main.js"]),
    "ruby": ("main.rb", "puts 'hello ' + STDIN.read", (), ["ruby", "main.rb"]),
    "cpp": ("main.cpp", "#include <iostream>\nint main(){std::string s; std::cin >> s; std::cout << \"hello \" << s << std::endl;}\n",
            ["g++", "-std=c++17", "-O2", "-o", "main", "main.cpp"], ["./main"]),
    "java": ("Main.java", "public class Main { public static void main(String[] a) throws Exception {"
             " System.out.println(\"hello \" + new String(System.in.readAllBytes())); } }",
             ["javac", "-J-XX:+UseSerialGC", "-J-XX:TieredStopAtLevel=1", "-encoding", "UTF-8", "Main.java"],
             ["java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", ".", "Main"]),
    "go": ("main.go", "package main\nimport (\"fmt\"; \"io\"; \"os\")\nfunc main() { b, _ := io.ReadAll(os.Stdin); fmt.Println(\"hello \" + string(b)) }\n",
           ["codeexec-go-build", "main.go", "main"], ["./main"]),
    "rust": ("main.rs", "use std::io::Read; fn main() { let mut s = String::new(); std::io::stdin().read_to_string(&mut s).unwrap(); println!(\"hello {}\", s); }\n",
             ["rustc", "-O", "-o", "main", "main.rs"], ["./main"]),
}


@case
def every_language_compiles_and_runs_inside(h):
    for lang, (name, code, compile, run) in HELLO.items():
        host = SandboxHost(h.image(lang), memory_mb=1024, pids=256, tmpfs_mb=512)
        try:
            records, seconds = host.run(payload([(name, code)], run, tests=[(b"w1", ()), (b"w2", ())], compile=compile,
                                                memory_kb=512 * 1024, compile_memory_kb=900 * 1024))
            tests = [r for r in records if r["kind"] == "test"]
            assert [t["out"].strip() for t in tests] == [b"hello w1", b"hello w2"], (lang, records)
            h.notes.append(f"{lang}: compile+2 tests in {seconds * 1000:.0f} ms")
        finally:
            host.close()


@case
def a_host_without_the_profile_or_systempaths_reports_an_error(h):
    for options, expected in (({"seccomp": None}, "clone"), ({"systempaths": None}, "/proc")):
        host = SandboxHost(h.image("python"), **options)
        try:
            records, _ = host.run(py("print(1)"))
            assert records[-1]["kind"] == "error" and expected in records[-1]["message"], (options, records)
        finally:
            host.close()


@case
def malformed_payloads_give_an_error_record(h):
    for bad_name in ("../x", "/abs", "a//b", "a/./b", "sp ace"):
        host = SandboxHost(h.image("python"))
        try:
            records, _ = host.run(payload([(bad_name, "x")], ["true"]))
            assert records[-1]["kind"] == "error", (bad_name, records)
            assert host.close() != 0, bad_name
        finally:
            host.close()
    host = SandboxHost(h.image("python"))
    try:
        nonce = "ab" * 16
        records, _ = host.run((nonce, f"CE3 {nonce} 0\nlimits 1 2 3\n".encode()))
        assert records[-1]["kind"] == "error" and "limits" in records[-1]["message"], records
        assert host.close() != 0
    finally:
        host.close()
