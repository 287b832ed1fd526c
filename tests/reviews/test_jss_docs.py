"""docs/reputation.md's worked examples are right: each ```jss-example block (a moment, a table
of ended contracts with each one's class and whether it is in the period, then the period and the
JSS) is read here and checked against the independent reference and against the code."""

import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from reviews.reputation import jss
from tests.reviews.jss_reference import Case, as_facts, reference_class, reference_jss

DOC = Path(__file__).resolve().parents[2] / "docs" / "reputation.md"
BLOCK = re.compile(r"^```jss-example\n(.*?)^```", re.MULTILINE | re.DOTALL)
HOW = re.compile(r"^cancelled by the (client|freelancer): (\w+)$")


def _flag(text: str) -> bool:
    return {"yes": True, "no": False}[text]


def _case(cells: list[str]) -> tuple[Case, str, bool]:
    ended, value, how, funded, released, dispute, stars, kind, in_period = cells
    amount, currency = value.split()
    if how == "completed":
        status, by, reason = "completed", None, ""
    else:
        status, (by, reason) = "cancelled", HOW.match(how).groups()
    case = Case(
        ended=datetime.fromisoformat(ended).replace(hour=12, tzinfo=UTC),
        value=Decimal(amount),
        currency=currency,
        status=status,
        cancelled_by=by,
        reason=reason,
        funded=_flag(funded),
        released=_flag(released),
        dispute=dispute,
        stars=None if stars == "none" else int(stars),
    )
    return case, kind, _flag(in_period)


def _examples() -> list[dict]:
    examples = []
    for block in BLOCK.findall(DOC.read_text()):
        example = {"rows": []}
        for line in block.strip().splitlines():
            if line.startswith("|"):
                cells = [cell.strip() for cell in line.strip("|").split("|")]
                if cells[0] != "ended" and not set(cells[0]) <= {"-"}:
                    example["rows"].append(_case(cells))
            else:
                key, _, value = line.partition(":")
                example[key.strip()] = value.strip()
        example["now"] = datetime.fromisoformat(example["now"]).replace(tzinfo=UTC)
        examples.append(example)
    return examples


EXAMPLES = _examples()


def test_the_page_has_at_least_four_worked_examples():
    assert len(EXAMPLES) >= 4
    assert all(len(example["rows"]) >= 2 for example in EXAMPLES)


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"example {n}" for n in range(1, len(EXAMPLES) + 1)])
def test_a_worked_example_agrees_with_the_reference_and_the_code(example):
    cases = [case for case, _, _ in example["rows"]]
    reference = reference_jss(cases, example["now"])
    for case, kind, in_period in example["rows"]:
        assert reference_class(case) == kind, case
        assert jss.classify(as_facts(case)) == kind, case
        assert (case in reference.counted) == in_period, case
    expected = None if example["JSS"] == "none" else int(example["JSS"])
    assert (reference.period_months, reference.score) == (int(example["period"]), expected)

    result = jss.job_success([as_facts(c) for c in cases], now=example["now"], rules=jss.Rules())
    assert (result.period_months, result.score) == (int(example["period"]), expected)
    assert result.ended == sum(in_period for _, _, in_period in example["rows"])
