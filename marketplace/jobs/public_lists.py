"""Find work as anonymous visitors see it (``/api/jobs/`` and the page ``/jobs/``), cached briefly
(``marketplace.core.public_lists``), and everything whose change shows in it: a job (created,
published, edited, closed, expired, its visibility and skills), a new or removed proposal (the
count per job), and the client's name, the organisation, the city and the skills shown beside it."""

from marketplace.accounts.models import City, Skill, User
from marketplace.accounts.public_lists import USER_FIELDS_NOT_LISTED
from marketplace.core.public_lists import PublicList, invalidate_on
from marketplace.organisations.models import Organisation

from .models import Job, Proposal

FIND_WORK = PublicList("jobs.find_work")


def connect() -> None:
    invalidate_on(FIND_WORK, Job, m2m=(Job.skills.through,))
    invalidate_on(FIND_WORK, Proposal, created_only=True)
    invalidate_on(FIND_WORK, User, ignored_fields=USER_FIELDS_NOT_LISTED)
    invalidate_on(FIND_WORK, Organisation, City, Skill)
