"""The permission matrix's objects for the pool managers' routes: a vetting pool of A with one rule,
a member awaiting review with a pending credential (its file a kernel file) and a requested override."""

from marketplace.core.files import file_check, file_store
from marketplace.organisations.models import Credential, PoolMembership, PoolOverride, Requirement, TalentPool
from marketplace.organisations.services.credential_files import POOL_CREDENTIAL_FILES
from marketplace.organisations.services.evaluation import membership_evaluate

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pool_members_ids(organisation, worker) -> dict:
    pool = TalentPool.objects.create(
        organisation=organisation, name="Probe vetting pool", visibility=TalentPool.Visibility.INVITEES
    )
    rule = Requirement.objects.create(pool=pool, kind="tax_form", config={"forms": ["w9"]})
    membership = PoolMembership.objects.create(
        pool=pool, freelancer=worker, status=PoolMembership.Status.AWAITING_REVIEW
    )
    stored = file_store(
        acting_user=worker, checked=file_check(PDF, "w9.pdf"), owner_kind=POOL_CREDENTIAL_FILES
    )
    credential = Credential.objects.create(
        worker=worker, organisation=organisation, kind="tax_form", form="w9", file=stored
    )
    membership_evaluate(membership)
    override = PoolOverride.objects.create(membership=membership, request_reason="Probe")
    return {
        "pm_pool": pool.pk,
        "pm_member": membership.pk,
        "pm_rule": rule.pk,
        "pm_override": override.pk,
        "pm_credential": credential.pk,
        "pm_file": stored.pk,
    }
