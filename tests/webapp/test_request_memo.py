"""What several parts of one page ask for is worked out once per request, and afresh in the next."""

from __future__ import annotations

from flask import Flask

from webapp.request_memo import once_per_request


def test_a_value_is_worked_out_once_per_request_and_on_every_call_outside_one():
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    app = Flask(__name__)
    with app.test_request_context():
        assert [once_per_request("n", compute) for _ in range(3)] == [1, 1, 1]
    with app.test_request_context():
        assert once_per_request("n", compute) == 2
    with app.app_context():
        assert [once_per_request("n", compute) for _ in range(2)] == [3, 4]
