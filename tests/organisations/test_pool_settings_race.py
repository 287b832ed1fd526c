"""Two admins reword the same agreement at the same moment, each raising it from version 3 to 4.

Version 4 may have one text only: a worker who signs version 4 must have signed the words that
stand. ``requirement_update`` locks the pool's row (then the requirement's) and reads the version
under that lock, so the second admin sees version 4 already there and is refused
(``agreement_version_unchanged``); without the lock both would read version 3 and both succeed."""

import pytest

from marketplace.core.exceptions import Conflict
from marketplace.organisations.models import Requirement, Role
from marketplace.organisations.services.requirements import requirement_add, requirement_update
from tests.factories import add_member, make_organisation
from tests.support.concurrently import at_once

from .pools_support import make_pool


@pytest.mark.parametrize("attempt", range(3))
def test_one_text_per_agreement_version(transactional_db, attempt):
    organisation = make_organisation()
    owner = organisation.memberships.get().user
    admin = add_member(organisation, Role.ADMIN)
    pool = make_pool(organisation)
    agreement = requirement_add(
        acting_user=owner,
        pool=pool,
        kind="agreement",
        config={"title": "Contractor agreement", "version": 3, "text": "I agree."},
    )

    def reword(actor, text):
        return lambda: requirement_update(
            acting_user=actor,
            pool=pool,
            requirement_id=agreement.pk,
            config={"title": "Contractor agreement", "version": 4, "text": text},
        )

    outcomes = at_once(reword(owner, "Text A."), reword(admin, "Text B."))
    refused = [o for o in outcomes if isinstance(o, Conflict)]
    saved = [o for o in outcomes if isinstance(o, Requirement)]
    assert len(saved) == 1, outcomes
    assert [exc.code for exc in refused] == ["agreement_version_unchanged"]
    agreement.refresh_from_db()
    assert agreement.config == saved[0].config
