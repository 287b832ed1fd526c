"""Every change that alters a talent or jobs document records "this id changed" in the outbox
(``services.indexing.index_changed``), in the writer's transaction; the send follows the commit.

What each document is built from (``indexes/talent.py``, ``indexes/jobs.py``) decides what is
watched here:

- talent: the profile (its fields and city), its skills, portfolio items, the user (name, active,
  freelancer role, suspension), their badges, pool memberships (the ``pools`` field and a pool-only
  profile's audience) and reputation (rating, JSS); a skill renamed, a city moved;
- jobs: the job (fields, status: opened, closed, expired), its skills, its invitations (an
  invite-only job's audience), accepted offers (hires see the job), the client's scorecard (the
  client rating of every open job of that client or organisation); a skill renamed, a city moved.

Model signals rather than the apps' domain events, as ``core.public_lists.invalidate_on`` does and
for the same reasons: every domain event here is sent *after* commit, so a crash between the commit
and the receiver would lose the change until the next reconcile, while ``post_save`` runs inside the
writer's transaction and commits with it; and a signal sees every save whoever makes it (services,
the admin, the demo seeding). These receivers hold no logic beyond "which ids changed", like
Wagtail's search signal handlers. What they cannot see (``QuerySet.update()``, raw SQL) the hourly
reconciler (``search.reconcile``) finds.

Organisation memberships need nothing: documents name organisations (``member:<org>``,
``pool:<org>``), and who is a member is resolved when someone searches.
"""

from django.db.models.signals import m2m_changed, post_delete, post_init, post_save

from marketplace.accounts.models import (
    Badge,
    City,
    ClientScorecard,
    FreelancerProfile,
    FreelancerReputation,
    PortfolioItem,
    Skill,
    User,
)
from marketplace.jobs.models import Job, JobInvitation, Offer
from marketplace.organisations.models import PoolMembership

from .services.indexing import index_changed

TALENT, JOBS = "talent", "jobs"

# The user fields a talent document reads; a save of others only (a login's last_login) is ignored.
USER_FIELDS = frozenset({"full_name", "is_active", "is_freelancer", "suspended_at"})
# The fields of the reputation rows the documents read: a recompute that leaves them as they were
# (the nightly one, mostly) records nothing.
REPUTATION_FIELDS = ("rating_avg", "rating_count", "job_success_score")
SCORECARD_FIELDS = ("rating_avg", "rating_count")


def _profiles_of(user_ids) -> list[int]:
    return list(FreelancerProfile.objects.filter(user_id__in=list(user_ids)).values_list("pk", flat=True))


def _talent_of_user(user_id: int | None) -> None:
    if user_id is not None:
        index_changed(index=TALENT, ids=_profiles_of([user_id]))


def _open_jobs(**filters) -> list[int]:
    return list(Job.objects.filter(status=Job.Status.OPEN, **filters).values_list("pk", flat=True))


# Talent


def _profile_saved(sender, instance: FreelancerProfile, **kwargs) -> None:
    index_changed(index=TALENT, ids=[instance.pk])


def _user_saved(sender, instance: User, created=False, update_fields=None, **kwargs) -> None:
    if created or (update_fields is not None and not USER_FIELDS & set(update_fields)):
        return
    _talent_of_user(instance.pk)


def _portfolio_item_changed(sender, instance: PortfolioItem, **kwargs) -> None:
    index_changed(index=TALENT, ids=[instance.profile_id])


def _user_row_changed(sender, instance, **kwargs) -> None:
    """A badge or a reputation row: the talent document of its user."""
    _talent_of_user(instance.user_id)


def _pool_membership_changed(sender, instance: PoolMembership, **kwargs) -> None:
    _talent_of_user(instance.freelancer_id)


# Jobs


def _job_saved(sender, instance: Job, **kwargs) -> None:
    # A draft was never in the index, and a job never goes back to draft.
    if instance.status != Job.Status.DRAFT:
        index_changed(index=JOBS, ids=[instance.pk])


def _job_deleted(sender, instance: Job, **kwargs) -> None:
    index_changed(index=JOBS, ids=[instance.pk])


def _invitation_changed(sender, instance: JobInvitation, **kwargs) -> None:
    index_changed(index=JOBS, ids=[instance.job_id])


def _offer_changed(sender, instance: Offer, **kwargs) -> None:
    if instance.status == Offer.Status.ACCEPTED:
        index_changed(index=JOBS, ids=[instance.job_id])


def _scorecard_saved(sender, instance: ClientScorecard, **kwargs) -> None:
    if instance.organisation_id is not None:
        ids = _open_jobs(organisation_id=instance.organisation_id)
    else:
        ids = _open_jobs(client_id=instance.user_id, organisation__isnull=True)
    index_changed(index=JOBS, ids=ids)


# Both: shared reference rows and many-to-many links


def _skill_saved(sender, instance: Skill, created=False, **kwargs) -> None:
    if created:
        return
    index_changed(
        index=TALENT,
        ids=FreelancerProfile.skills.through.objects.filter(skill=instance).values_list(
            "freelancerprofile_id", flat=True
        ),
    )
    index_changed(index=JOBS, ids=_open_jobs(skills=instance))


def _city_saved(sender, instance: City, created=False, **kwargs) -> None:
    if created:
        return
    profiles = FreelancerProfile.objects.filter(city=instance).values_list("pk", flat=True)
    index_changed(index=TALENT, ids=profiles)
    index_changed(index=JOBS, ids=_open_jobs(city=instance))


class _Linked:
    """``m2m_changed`` of a ``skills`` field: the documents on the owning side of the links."""

    def __init__(self, index: str, through, owner_column: str):
        self.index, self.through, self.owner_column = index, through, owner_column

    def __call__(self, sender, instance, action: str, reverse: bool, pk_set=None, **kwargs) -> None:
        if not reverse:
            if action in ("post_add", "post_remove", "post_clear"):
                index_changed(index=self.index, ids=[instance.pk])
        elif action in ("post_add", "post_remove"):
            index_changed(index=self.index, ids=pk_set or ())
        elif action == "pre_clear":  # from the skill's side: who had it, before the links go
            owners = self.through.objects.filter(skill_id=instance.pk)
            index_changed(index=self.index, ids=owners.values_list(self.owner_column, flat=True))


class _ChangeOf:
    """For rows recomputed wholesale (``update_or_create``): remember the watched fields as loaded
    (``post_init``), and call ``then`` after a save only when one of them differs."""

    def __init__(self, fields: tuple[str, ...], then):
        self.fields, self.then = fields, then

    def _values(self, instance) -> tuple:
        return tuple(getattr(instance, field) for field in self.fields)

    def loaded(self, sender, instance, **kwargs) -> None:
        instance._search_loaded = self._values(instance)

    def saved(self, sender, instance, created=False, **kwargs) -> None:
        if created or getattr(instance, "_search_loaded", None) != self._values(instance):
            self.then(sender, instance)
        instance._search_loaded = self._values(instance)


_keep = []  # the signals hold their receivers weakly


def connect() -> None:
    """Called from ``SearchConfig.ready()``."""

    def on_save_and_delete(model, receiver, name: str) -> None:
        post_save.connect(receiver, sender=model, dispatch_uid=f"search.{name}.save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"search.{name}.delete")

    on_save_and_delete(FreelancerProfile, _profile_saved, "profile")
    on_save_and_delete(PortfolioItem, _portfolio_item_changed, "portfolio_item")
    on_save_and_delete(Badge, _user_row_changed, "badge")
    on_save_and_delete(PoolMembership, _pool_membership_changed, "pool_membership")
    post_save.connect(_user_saved, sender=User, dispatch_uid="search.user.save")

    post_save.connect(_job_saved, sender=Job, dispatch_uid="search.job.save")
    post_delete.connect(_job_deleted, sender=Job, dispatch_uid="search.job.delete")
    on_save_and_delete(JobInvitation, _invitation_changed, "job_invitation")
    on_save_and_delete(Offer, _offer_changed, "offer")

    post_save.connect(_skill_saved, sender=Skill, dispatch_uid="search.skill.save")
    post_save.connect(_city_saved, sender=City, dispatch_uid="search.city.save")

    links = (
        _Linked(TALENT, FreelancerProfile.skills.through, "freelancerprofile_id"),
        _Linked(JOBS, Job.skills.through, "job_id"),
    )
    for linked in links:
        m2m_changed.connect(linked, sender=linked.through, dispatch_uid=f"search.{linked.index}.skills")
    _keep.extend(links)

    watched = (
        (FreelancerReputation, REPUTATION_FIELDS, _user_row_changed),
        (ClientScorecard, SCORECARD_FIELDS, _scorecard_saved),
    )
    for model, fields, then in watched:
        change = _ChangeOf(fields, then)
        post_init.connect(change.loaded, sender=model, dispatch_uid=f"search.{model._meta.model_name}.init")
        post_save.connect(change.saved, sender=model, dispatch_uid=f"search.{model._meta.model_name}.save")
        _keep.append(change)
