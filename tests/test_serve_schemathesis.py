"""Schemathesis against the OpenAPI schema served by a real ``cronica serve`` process
(a real SQLite file holding the sample articles' records of :mod:`cronica.serve.demo`
and an editor with an API token).

Every operation gets a bounded number of generated requests, valid and invalid
(``EXAMPLES`` each); each response is checked for server errors, a status code the
schema lists, a content type the schema lists and a body that matches the schema. The
ingest operation runs with a reader's token (refused with 403 or 422 before any
extraction: one real extraction per generated text would take minutes; the pipeline
behind it is tested in test_serve_api.py and the ingest tests).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis import GenerationMode, checks  # noqa: E402

from cronica.serve.accounts import add_user, create_token  # noqa: E402
from cronica.serve.demo import demo_results  # noqa: E402
from cronica.serve.process import ServerProcess  # noqa: E402
from cronica.store import Cronica  # noqa: E402

EXAMPLES = 12  # per operation and generation mode (valid, invalid)
CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_schema_conformance]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    tmp = tmp_path_factory.mktemp("schemathesis")
    url = f"sqlite:///{tmp / 'cronica.db'}"
    with Cronica(url) as db:
        for r in demo_results():
            db.save(r)
        add_user(db.engine, "eddie", "correct horse battery", "editor")
        add_user(db.engine, "rita", "correct horse battery", "reader")
        tokens = {"editor": create_token(db.engine, "eddie"), "reader": create_token(db.engine, "rita")}
    with ServerProcess(url, log=tmp / "server.log") as srv:
        yield {"url": srv.url, "tokens": tokens, "log": tmp / "server.log"}


def test_api_conforms_to_its_schema(served: dict) -> None:
    """Every operation of the served schema, EXAMPLES valid and EXAMPLES invalid requests
    each (derandomized: the same requests every run); every failure is collected."""
    schema = schemathesis.openapi.from_url(served["url"] + "/api/v1/openapi.json")
    failures: list[str] = []
    calls = {"n": 0}
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= 17
    for op in operations:
        t0 = time.monotonic()
        role = "reader" if op.path == "/api/v1/ingest" else "editor"
        headers = {"Authorization": f"Bearer {served['tokens'][role]}"}
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=op.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            def run(case) -> None:  # type: ignore[no-untyped-def]
                calls["n"] += 1
                case.call_and_validate(base_url=served["url"], headers=headers, checks=CHECKS, timeout=60)

            try:
                run()
            except Unsatisfiable:  # no parameters: nothing invalid to generate
                assert mode is GenerationMode.NEGATIVE and not op.query and not op.body, op.path
            except Exception as exc:  # schemathesis raises one error naming the failed checks
                failures.append(f"{op.method.upper()} {op.path} ({mode.value}): {str(exc)[:1500]}")
        print(f"{op.method.upper()} {op.path}: {time.monotonic() - t0:.1f} s")
    print(f"schemathesis: {len(operations)} operations, {calls['n']} requests, {len(failures)} failures")
    assert not failures, "\n\n".join(failures)
