"""Every API operation, fuzzed from its own OpenAPI schema against a live server.

Schemathesis reads ``/api/openapi.json`` from a real HTTP server (pytest-django's
``live_server``) and sends generated requests, valid and invalid, to every
operation, as a member who owns a converted document and holds a token with every
scope; then a few valid ones with a token lacking the read scope and as a member
whose upload quota is used up, whose refusals the schema must declare too. Each
answer must not be a server error, must have a status the operation declares, and
must match the schema declared for that status.

Bounded (``MAX_EXAMPLES`` an operation, derandomized: the same requests every
run) so it takes a minute or two on a small machine.
"""

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass

import pytest
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from openwenku.api.models import ApiToken
from openwenku.documents.models import Document
from tests.market.conftest import grant, make_doc

# On PostgreSQL too: some inputs (a NUL character) fail only there.
pytestmark = pytest.mark.postgres

MAX_EXAMPLES = 25
FEW_EXAMPLES = 5
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]

# Requests sent, by operation; printed when the run ends.
SENT: Counter[str] = Counter()


@pytest.fixture
def quiet_refusals():
    """Refusals are the point here: no warning line for each 4xx."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@dataclass
class Caller:
    """Who the requests come from, and how many of each kind they send."""

    name: str
    raw: str
    examples: int
    modes: tuple[GenerationMode, ...] = (GenerationMode.POSITIVE,)


@pytest.fixture
def callers(transactional_db, django_user_model, settings):
    """A member with coins, a ready document of their own and another member's
    priced one, and a token with every scope; the same member's token without the
    read scope (refusals by design: 403); a member whose upload quota is used up
    (429)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.OPENWENKU = {**settings.OPENWENKU, "UPLOAD_FILES_PER_DAY": 3}

    def member(name):
        return django_user_model.objects.create_user(
            username=name, email=f"{name}@example.com", password="s3cret-Passw0rd"
        )

    fuzzer, seller, busy = member("fuzzer"), member("seller"), member("busy")
    yesterday = timezone.now() - dt.timedelta(days=1)
    mine = make_doc(fuzzer, title="我的文档.pdf")
    Document.objects.filter(pk=mine.pk).update(created_at=yesterday)  # its quota is free
    make_doc(seller, title="付费文档.pdf", price=5)
    for n in range(3):
        make_doc(busy, title=f"今天的第{n}份.pdf")
    grant(fuzzer, 100)
    every = ["read", "upload", "money"]
    issued = [
        ("every scope", fuzzer, every, MAX_EXAMPLES, tuple(GenerationMode)),
        ("no read scope", fuzzer, ["upload", "money"], FEW_EXAMPLES, ()),
        ("upload quota used up", busy, every, FEW_EXAMPLES, ()),
    ]
    out = []
    for name, user, scopes, examples, modes in issued:
        _token, raw = ApiToken.issue(user=user, name=name, scopes=scopes)
        out.append(Caller(name, raw, examples, modes or (GenerationMode.POSITIVE,)))
    return out


def _fuzz(operation, caller, mode, live_server, failures):
    """Up to ``caller.examples`` requests of one kind to one operation; failures collected."""

    @settings(
        max_examples=caller.examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],  # no shrinking: report the first failure
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        # A fuzzed DELETE /api/auth/tokens/{id} may hit the callers' own tokens: revive them.
        ApiToken.objects.update(revoked_at=None)
        SENT[operation.label] += 1
        case.call_and_validate(
            base_url=live_server.url,
            headers={"Authorization": f"Bearer {caller.raw}"},
            checks=CHECKS,
            timeout=30,
        )

    try:
        run()
    except Unsatisfiable:
        pass  # nothing to send wrong: the operation takes no input
    except (Exception, BaseExceptionGroup) as exc:  # every failure is reported below
        failures.append(f"{operation.label} ({caller.name}, {mode}): {exc}")


def test_api_answers_every_request_by_its_schema(live_server, callers, quiet_refusals):
    # pytest 9 removed the node attribute schemathesis's pytest loader
    # (schemathesis.pytest.from_fixture) rewrites, so the operations are driven here.
    SENT.clear()
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 19
    failures: list[str] = []
    for operation in operations:
        for caller in callers:
            for mode in caller.modes:
                _fuzz(operation, caller, mode, live_server, failures)
    print(
        f"\nschemathesis: {len(operations)} operations, {sum(SENT.values())} requests "
        f"(at most {MAX_EXAMPLES} valid and {MAX_EXAMPLES} invalid an operation with every "
        f"scope, {FEW_EXAMPLES} valid each without the read scope and over the upload quota)"
    )
    for label, n in sorted(SENT.items()):
        print(f"  {n:4d}  {label}")
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)
