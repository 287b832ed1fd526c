"""Held-out measurement of the off-platform contact check.

The detector's own fixture was written by the detector's author while tuning it, so its score is not
independent. This set was written blind (see the fixture's docstring) and gave the honest estimate
on its first run: detection rate on disguised contacts and false-positive rate on innocent messages,
with every miss and every false positive printed (run pytest with -s to see them). Round 2 is a
second set written before the detector was changed after the first run, to check that the changes
generalise; round 3 the same for the changes drawn from round 2. Every round here has since been
used for tuning (round 3 last, see below), so together they are regression tests, not estimates.
"""

from collections import Counter

from messaging.contact_check import contact_findings
from tests.messaging.fixtures.contact_messages_heldout import (
    BORDERLINE,
    CONTACT,
    CONTACT_ROUND2,
    CONTACT_ROUND3,
    INNOCENT,
    INNOCENT_ROUND2,
    INNOCENT_ROUND3,
)

DETECTION_TARGET = 0.90
FALSE_POSITIVE_LIMIT = 0.05


def _category(kind: str) -> str:
    return kind.split(":", 1)[0]


def _per_category(entries, flagged_texts) -> str:
    totals = Counter(_category(kind) for kind, _ in entries)
    hits = Counter(_category(kind) for kind, text in entries if text in flagged_texts)
    return ", ".join(f"{name} {hits[name]}/{totals[name]}" for name in sorted(totals))


def _scored(name, contact, innocent):
    """Print the rates, misses and false positives of one set; return (detection, false positives)."""
    misses = [(kind, text) for kind, text in contact if not contact_findings(text)]
    false_positives = [(kind, text, contact_findings(text)) for kind, text in innocent]
    false_positives = [row for row in false_positives if row[2]]
    flagged = {text for kind, text in contact if (kind, text) not in misses}
    flagged |= {text for _, text, _ in false_positives}
    detection = 1 - len(misses) / len(contact)
    false_positive_rate = len(false_positives) / len(innocent)

    print(f"\n{name} detection: {len(contact) - len(misses)}/{len(contact)} = {detection:.1%}")
    print(f"  per category: {_per_category(contact, flagged)}")
    for kind, text in misses:
        print(f"  MISS [{kind}] {text!r}")
    print(f"{name} false positives: {len(false_positives)}/{len(innocent)} = {false_positive_rate:.1%}")
    print(f"  per category: {_per_category(innocent, flagged)}")
    for kind, text, findings in false_positives:
        print(f"  FALSE POSITIVE [{kind}] {text!r} -> {findings}")
    return detection, false_positive_rate


def _assert_targets(detection, false_positive_rate):
    summary = (
        f"detection {detection:.1%} (target >= {DETECTION_TARGET:.0%}), "
        f"false positives {false_positive_rate:.1%} (limit <= {FALSE_POSITIVE_LIMIT:.0%})"
    )
    assert detection >= DETECTION_TARGET, summary
    assert false_positive_rate <= FALSE_POSITIVE_LIMIT, summary


def test_heldout_sets_are_large_and_unambiguous():
    every = (
        CONTACT + INNOCENT + BORDERLINE + CONTACT_ROUND2 + INNOCENT_ROUND2 + CONTACT_ROUND3 + INNOCENT_ROUND3
    )
    texts = [text for _, text in every]
    assert len(CONTACT) >= 70
    assert len(INNOCENT) >= 70
    assert len(CONTACT_ROUND2) >= 40
    assert len(INNOCENT_ROUND2) >= 40
    assert len(CONTACT_ROUND3) >= 40
    assert len(INNOCENT_ROUND3) >= 40
    assert len(texts) == len(set(texts)), "a message appears twice or in two classes"
    assert all(":" in kind for kind, _ in every)


def test_heldout_detection_and_false_positive_rates():
    rates = _scored("held-out", CONTACT, INNOCENT)
    print("borderline (not scored):")
    for kind, text in BORDERLINE:
        print(f"  {'flagged' if contact_findings(text) else 'passed '} [{kind}] {text!r}")
    _assert_targets(*rates)


def test_round2_detection_and_false_positive_rates():
    _assert_targets(*_scored("round 2", CONTACT_ROUND2, INNOCENT_ROUND2))


# Round 3 is no longer blind. When it was written the detector did not meet the targets on it (34/40
# detected, 6/40 false positives: its innocent half names payment apps and third-party sites as
# products). The change that split ``messaging.contact_check`` into a package was tuned on round 3's
# misses and false positives (through general rules: a payment app counts only when used to pay,
# third-party sites recognised by their sentence), so from then on round 3 measures nothing
# independent; it is a regression test like rounds 1 and 2 and the detector's own fixture. The honest
# estimate for that change is a set written blind after it (round 4), run once on the final detector.
def test_round3_detection_and_false_positive_rates():
    _assert_targets(*_scored("round 3", CONTACT_ROUND3, INNOCENT_ROUND3))
