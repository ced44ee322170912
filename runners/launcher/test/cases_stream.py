"""Live output cases (payload flag bit 1): chunk records while a test runs, in order, bounded, framed."""
from host import payload
from registry import case, py

CHUNK_MAX = 16384


def split(records):
    """(chunk records, the other records)."""
    return [r for r in records if r["kind"] == "chunk"], [r for r in records if r["kind"] != "chunk"]


def joined(chunks, test, fd):
    return b"".join(c["data"] for c in chunks if c["test"] == test and c["fd"] == fd)


@case
def stream_chunks_arrive_while_the_test_runs_in_order(h):
    code = ("import sys, time\n"
            "print('first', flush=True); time.sleep(0.6)\n"
            "print('second', file=sys.stderr, flush=True); time.sleep(0.6)\n"
            "print('third', flush=True)\n")
    records, _ = h.py.run(py(code, stream=True))
    chunks, rest = split(records)
    assert [r["kind"] for r in rest] == ["test", "done"], records
    assert [(c["fd"], c["data"]) for c in chunks] == [(1, b"first\n"), (2, b"second\n"), (1, b"third\n")], chunks
    assert records.index(rest[0]) == len(chunks), "every chunk precedes the test record"
    assert chunks[1]["at"] - chunks[0]["at"] > 0.4, "the first chunk came while the program slept"
    assert rest[0]["out"] == b"first\nthird\n" and rest[0]["err"] == b"second\n", rest[0]


@case
def stream_binary_and_huge_output_keep_the_framing_and_the_cap(h):
    # Random bytes with record separators and fake records, far over the cap: chunks carry exactly the
    # kept bytes, none over CHUNK_MAX, and the stream stays parseable (the next case runs on this host).
    code = ("import os, sys\n"
            "fake = b'\\x1eCODEEXEC ' + b'0' * 32 + b' done\\n'\n"
            "sys.stderr.buffer.write(fake * 10); sys.stderr.flush()\n"
            "for _ in range(64): sys.stdout.buffer.write(os.urandom(16000) + fake)\n")
    records, _ = h.py.run(py(code, stream=True, output_bytes=200_000))
    chunks, rest = split(records)
    test = rest[0]
    assert [r["kind"] for r in rest] == ["test", "done"], rest
    assert all(0 < c["len"] <= CHUNK_MAX and c["test"] == 0 for c in chunks), [c["len"] for c in chunks]
    assert test["outLen"] == 200_000 and test["outTotal"] > 200_000, test
    assert joined(chunks, 0, 1) == test["out"] and joined(chunks, 0, 2) == test["err"], "chunks = kept output"
    assert sum(c["len"] for c in chunks if c["fd"] == 1) == 200_000


@case
def stream_graded_tests_get_their_own_chunks(h):
    code = "import sys; print('test', sys.argv[1])"
    records, _ = h.py.run(py(code, tests=[(b"", ["0"]), (b"", ["1"]), (b"", ["2"])], stream=True))
    kinds = [(r["kind"], r.get("test")) for r in records]
    assert kinds == [("chunk", 0), ("test", 0), ("chunk", 1), ("test", 1), ("chunk", 2), ("test", 2),
                     ("done", None)], kinds
    assert [c["data"] for c in records if c["kind"] == "chunk"] == [b"test 0\n", b"test 1\n", b"test 2\n"]


@case
def stream_a_chatty_program_is_coalesced(h):
    code = "for i in range(20000): print(i, flush=True)"
    records, _ = h.py.run(py(code, stream=True, output_bytes=1 << 20))
    chunks, rest = split(records)
    assert joined(chunks, 0, 1) == rest[0]["out"] == "".join(f"{i}\n" for i in range(20000)).encode()
    assert len(chunks) < 2000, f"{len(chunks)} chunk records for 20000 writes"
    h.notes.append(f"20000 flushed prints streamed as {len(chunks)} chunk records")


@case
def stream_flag_off_sends_no_chunk_and_compiles_never_stream(h):
    code = "import sys; print('out'); print('err', file=sys.stderr)"
    records, _ = h.py.run(py(code))
    assert [r["kind"] for r in records] == ["test", "done"], records
    assert records[0]["out"] == b"out\n" and records[0]["err"] == b"err\n"
    c = '#include <stdio.h>\nint main(void){puts("hi"); return 0;}\n'
    records, _ = h.c.run(payload([("main.c", c)], ["./main"], compile=["sh", "-c", "echo compiling; gcc -o main main.c"],
                                 stream=True))
    assert [r["kind"] for r in records] == ["compile", "chunk", "test", "done"], records
    assert records[0]["out"] == b"compiling\n" and records[1]["data"] == b"hi\n", records
