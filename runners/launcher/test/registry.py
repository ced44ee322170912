"""The case registry and the payload helpers every case uses."""
from host import payload

CASES = []


def case(fn):
    CASES.append(fn)
    return fn


def py(code, tests=((b"", ()),), **kw):
    return payload([("main.py", code)], ["python3", "main.py"], tests=tests, **kw)


def only_test(records):
    assert [r["kind"] for r in records] == ["test", "done"], records
    return records[0]
