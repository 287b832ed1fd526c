"""``client_side_grants`` answers, for many rows at once, what ``require_client_side`` answers for one:
for every role of an organisation, the client's own rows, another client's rows and a suspended user."""

import pytest
from django.utils import timezone

from marketplace.core.exceptions import DomainError
from marketplace.jobs.permissions import client_side_grants, require_client_side
from marketplace.organisations.models import Role
from marketplace.organisations.permissions import ALL_PERMISSIONS
from tests.factories import add_member, make_client, make_job, make_organisation

pytestmark = pytest.mark.django_db


def _required(user, job, codename: str) -> bool:
    try:
        require_client_side(user, client_id=job.client_id, organisation=job.organisation, codename=codename)
    except DomainError:
        return False
    return True


def test_the_grants_agree_with_require_client_side_for_every_role_and_permission():
    owner = make_client()
    organisation = make_organisation(owner=owner)
    members = [owner] + [add_member(organisation, role) for role in Role.values if role != Role.OWNER]
    outsider = make_client()
    jobs = [make_job(client=owner, organisation=organisation), make_job(client=owner)]
    jobs.append(make_job(client=outsider))
    suspended = add_member(organisation, Role.FINANCE)
    suspended.suspended_at = timezone.now()
    suspended.save(update_fields=["suspended_at"])
    checked = 0
    for user in [*members, outsider, suspended]:  # the suspended one may do nothing
        grants = client_side_grants(user)
        for job in jobs:
            for codename in sorted(ALL_PERMISSIONS):
                assert grants.allow(job, codename) is _required(user, job, codename), (user, job, codename)
                checked += grants.allow(job, codename)
    assert checked > 0  # positive control: some were granted
