"""A review's private note is for the platform: no answer of the API carries it to anyone but the
author's side — not the reviewee, not the public, not staff's queue, not the answers to a reply or a
report. The positive control: the author's side reads its own note on the contract."""

import pytest

from reviews.services import review_report
from tests.factories import make_freelancer, make_user
from tests.reviews.world import CLIENT_REVIEW, ended_contract, review_by_client, review_by_freelancer
from tests.support.api import as_user

pytestmark = pytest.mark.django_db

FREELANCERS_NOTE = "Their purchasing team paid a week late; worth a look."


def test_no_answer_carries_a_note_to_anyone_but_its_author():
    contract = ended_contract()
    of_freelancer = review_by_client(contract)
    of_client = review_by_freelancer(contract, private_note=FREELANCERS_NOTE)  # publishes both
    of_freelancer.refresh_from_db()
    report = review_report(acting_user=contract.freelancer, review=of_freelancer, reason="other")
    staff = make_user(staff=True)
    handle = contract.freelancer.freelancer_profile.handle
    reads = [
        f"/api/contracts/{contract.pk}/reviews/",
        f"/api/freelancers/{handle}/reviews/",
        "/api/reviews/waiting/",
        "/api/staff/review-reports/",
        f"/api/profiles/{handle}/",
    ]
    notes = {contract.client: CLIENT_REVIEW["private_note"], contract.freelancer: FREELANCERS_NOTE}

    def answers(user) -> list[bytes]:
        api = as_user(user)
        return [api.get(url).content for url in reads]

    # The positive control: each author reads their own note, on the contract.
    for author, note in notes.items():
        assert note.encode() in as_user(author).get(reads[0]).content
    # The other side, anyone else and staff never do.
    for reader, hidden in [
        (contract.freelancer, CLIENT_REVIEW["private_note"]),
        (contract.client, FREELANCERS_NOTE),
    ]:
        assert not [body for body in answers(reader) if hidden.encode() in body]
    for reader in (None, make_freelancer(), staff):
        for body in answers(reader):
            assert not any(note.encode() in body for note in notes.values())
            assert b"private_note" not in body
    # Nor do the answers to a reply, a report, and staff's moderation.
    answered = [
        as_user(contract.freelancer).post(
            f"/api/reviews/{of_freelancer.pk}/reply/", {"text": "Thanks!"}, format="json"
        ),
        as_user(contract.client).post(
            f"/api/reviews/{of_client.pk}/reports/", {"reason": "false"}, format="json"
        ),
        as_user(staff).post(f"/api/staff/review-reports/{report.pk}/dismiss/", {}, format="json"),
        as_user(staff).post(
            f"/api/staff/review-reports/{report.pk}/remove/", {"reason": "Not about the work."}, format="json"
        ),
    ]
    assert [response.status_code for response in answered] == [200, 201, 200, 200]
    for response in answered:
        assert b"private_note" not in response.content
        assert not any(note.encode() in response.content for note in notes.values())
