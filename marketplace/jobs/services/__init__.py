"""Every write to jobs, invitations, proposals and offers."""

from .attachments import job_attachment_add, proposal_attachment_add
from .expiry import expire_due
from .jobs import (
    job_close,
    job_create,
    job_expire,
    job_expiry_warn,
    job_fields,
    job_publish,
    job_template_delete,
    job_template_save,
    job_update,
)
from .offers import (
    fee_rates,
    offer_breakdown,
    offer_decline,
    offer_expire,
    offer_fee_preview,
    offer_send,
    offer_withdraw,
)
from .proposals import (
    job_invitation_decline,
    job_invitation_withdraw,
    job_invite,
    proposal_archive,
    proposal_decline,
    proposal_shortlist,
    proposal_submit,
    proposal_update,
    proposal_withdraw,
    proposals_today,
)

__all__ = [
    "expire_due",
    "fee_rates",
    "job_attachment_add",
    "job_close",
    "job_create",
    "job_expire",
    "job_expiry_warn",
    "job_fields",
    "job_invitation_decline",
    "job_invitation_withdraw",
    "job_invite",
    "job_publish",
    "job_template_delete",
    "job_template_save",
    "job_update",
    "offer_breakdown",
    "offer_decline",
    "offer_expire",
    "offer_fee_preview",
    "offer_send",
    "offer_withdraw",
    "proposal_archive",
    "proposal_attachment_add",
    "proposal_decline",
    "proposal_shortlist",
    "proposal_submit",
    "proposal_update",
    "proposal_withdraw",
    "proposals_today",
]
