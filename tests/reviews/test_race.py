"""Both sides submitting at the same moment (threads at a barrier, each on its own PostgreSQL
connection) both end revealed, in one reveal; two people of the client side at once give one review
and a 409.

What makes this hold is the contract row's lock, taken first by ``review_submit``: the second
submission reads the first's review only once the first has committed, and publishes both. Without it
each transaction looks for the other's review before the other has committed, finds none, and both
reviews stay hidden until the window closes. Each race runs several rounds, so a missing lock shows.
"""

from marketplace.contracts.models import Contract
from marketplace.core.exceptions import Conflict
from marketplace.organisations.models import Role
from reviews.models import Review
from tests.factories import add_member, make_organisation
from tests.reviews.world import ended_contract, recording, review_by_client, review_by_freelancer
from tests.support.concurrently import at_once

ROUNDS = 5


def _fresh(contract: Contract) -> Contract:
    return Contract.objects.get(pk=contract.pk)


def test_both_sides_submitting_at_once_both_end_revealed(transactional_db):
    for round_ in range(ROUNDS):
        contract = ended_contract()
        with recording() as heard:
            outcomes = at_once(
                lambda contract=contract: review_by_client(_fresh(contract)),
                lambda contract=contract: review_by_freelancer(_fresh(contract)),
            )
        label = f"round {round_}: {outcomes!r}"
        assert all(isinstance(outcome, Review) for outcome in outcomes), label
        reviews = list(Review.objects.filter(contract=contract).order_by("pk"))
        assert len(reviews) == 2, label
        assert all(review.is_published for review in reviews), label
        assert reviews[0].revealed_at == reviews[1].revealed_at, label
        revealed = [kwargs["reviews"] for name, kwargs in heard if name == "reviews_revealed"]
        assert [sorted(r.pk for r in batch) for batch in revealed] == [[r.pk for r in reviews]], label


def test_two_people_of_the_client_side_at_once_give_one_review(transactional_db):
    for round_ in range(ROUNDS):
        organisation = make_organisation()
        hiring = add_member(organisation, Role.HIRING_MANAGER)
        contract = ended_contract(organisation=organisation)
        outcomes = at_once(
            lambda contract=contract: review_by_client(_fresh(contract)),
            lambda contract=contract, hiring=hiring: review_by_client(_fresh(contract), user=hiring),
        )
        label = f"round {round_}: {outcomes!r}"
        written = [o for o in outcomes if isinstance(o, Review)]
        refused = [o for o in outcomes if isinstance(o, Conflict)]
        assert (len(written), len(refused)) == (1, 1), label
        assert refused[0].code == "already_reviewed", label  # read under the lock: the real reason
        assert Review.objects.filter(contract=contract).count() == 1, label
        assert Review.objects.get(contract=contract).revealed_at is None, label
