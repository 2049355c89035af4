"""Every API operation, fuzzed from its own OpenAPI schema against a live server.

Schemathesis reads ``/api/openapi.json`` from a real HTTP server (pytest-django's
``live_server``) and sends generated requests, valid and invalid, to every
operation, as a member who owns a converted document and holds a token with every
scope. Each answer must not be a server error, must have a status the operation
declares, and must match the schema declared for that status.

Bounded (``MAX_EXAMPLES`` an operation, derandomized: the same requests every
run) so it takes a minute or two on a small machine.
"""

import logging
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from openwenku.api.models import ApiToken
from tests.market.conftest import grant, make_doc

# On PostgreSQL too: some inputs (a NUL character) fail only there.
pytestmark = pytest.mark.postgres

MAX_EXAMPLES = 25
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


@pytest.fixture
def fuzz_member(transactional_db, django_user_model, settings):
    """A member with coins, a ready document of their own and another member's
    priced one, and a token with every scope (its id out of the fuzzer's easy reach)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    member = django_user_model.objects.create_user(
        username="fuzzer", email="fuzzer@example.com", password="s3cret-Passw0rd"
    )
    seller = django_user_model.objects.create_user(
        username="seller", email="seller@example.com", password="s3cret-Passw0rd"
    )
    make_doc(member, title="我的文档.pdf")
    make_doc(seller, title="付费文档.pdf", price=5)
    grant(member, 100)
    token, raw = ApiToken.issue(user=member, name="fuzz", scopes=["read", "upload", "money"])
    return {"member": member, "token": token, "raw": raw}


def _fuzz(operation, mode, live_server, fuzz_member, failures):
    """Up to ``MAX_EXAMPLES`` requests of one kind to one operation; failures collected."""

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],  # no shrinking: report the first failure
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        # A fuzzed DELETE /api/auth/tokens/{id} may hit the fuzzer's own token: revive it.
        ApiToken.objects.filter(pk=fuzz_member["token"].pk).update(revoked_at=None)
        SENT[operation.label] += 1
        case.call_and_validate(
            base_url=live_server.url,
            headers={"Authorization": f"Bearer {fuzz_member['raw']}"},
            checks=CHECKS,
            timeout=30,
        )

    try:
        run()
    except Unsatisfiable:
        pass  # nothing to send wrong: the operation takes no input
    except (Exception, BaseExceptionGroup) as exc:  # every failure is reported below
        failures.append(f"{operation.label} ({mode}): {exc}")


def test_api_answers_every_request_by_its_schema(live_server, fuzz_member, quiet_refusals):
    # pytest 9 removed the node attribute schemathesis's pytest loader
    # (schemathesis.pytest.from_fixture) rewrites, so the operations are driven here.
    SENT.clear()
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 19
    failures: list[str] = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(operation, mode, live_server, fuzz_member, failures)
    print(
        f"\nschemathesis: {len(operations)} operations, {sum(SENT.values())} requests "
        f"(at most {MAX_EXAMPLES} valid and {MAX_EXAMPLES} invalid an operation)"
    )
    for label, n in sorted(SENT.items()):
        print(f"  {n:4d}  {label}")
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)
