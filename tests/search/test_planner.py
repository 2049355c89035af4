"""The planner's own rules, without a database: filters, ranking order, estimates."""

from datetime import UTC, datetime
from itertools import product

from openwenku.search.planner import (
    BODY_TIER,
    TITLE_TIER,
    Candidate,
    SearchFilters,
    popularity_order,
    round_estimate,
)


def test_filters_narrow_exactly_when_they_add_a_condition():
    """Only ready documents is no filter; any condition beyond it narrows the matches."""
    for formats, category_ids, pages_min, pages_max, price in product(
        ([], ["pdf"], ["doc", "docx"]),
        (None, [], [3, 4]),
        (None, 0, 5),
        (None, 0, 5),
        ("", "free", "paid", "other"),
    ):
        search_filters = SearchFilters(formats, category_ids, pages_min, pages_max, price)
        where, _ = search_filters.sql()
        assert search_filters.narrows == (where != "d.status = %s"), search_filters


def test_candidates_rank_by_tier_score_then_popularity_newest_and_id():
    old, new = datetime(2024, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC)
    expected = [
        Candidate(3, TITLE_TIER, -2.0, 0, 0, old, 1),
        Candidate(3, TITLE_TIER, -1.0, 9, 0, old, 2),
        Candidate(3, TITLE_TIER, -1.0, 1, 5, old, 3),
        Candidate(3, TITLE_TIER, -1.0, 1, 2, new, 4),
        Candidate(3, TITLE_TIER, -1.0, 1, 2, old, 9),
        Candidate(3, TITLE_TIER, -1.0, 1, 2, old, 5),
        Candidate(3, BODY_TIER, -9.0, 99, 99, new, 6),
    ]
    assert popularity_order(reversed(expected)) == expected
    assert popularity_order(sorted(expected, key=lambda c: c.id)) == expected


def test_estimates_keep_two_significant_digits():
    assert [round_estimate(n) for n in (0, 42, 99.4, 123, 96_123, 1001)] == [
        0,
        42,
        99,
        120,
        96_000,
        1000,
    ]
