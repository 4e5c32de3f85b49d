"""The page pool survives a page that kills its worker process."""

from __future__ import annotations

from ingest.runner import PoolRunner
from tests.ingest.crashy import died, echo_or_die


def test_a_page_that_kills_its_worker_does_not_stop_the_others():
    runner = PoolRunner(2, echo_or_die, on_crash=died, attempts=2)
    try:
        futures = [runner.submit({"number": n, "die": n == 3}) for n in range(1, 7)]
        outcomes = [f.result(timeout=120) for f in futures]
    finally:
        runner.close()
    assert outcomes[2] == {"number": 3, "error": {"code": "ocr.worker_died"}}
    assert [o for i, o in enumerate(outcomes) if i != 2] == [
        {"number": n} for n in (1, 2, 4, 5, 6)
    ]
