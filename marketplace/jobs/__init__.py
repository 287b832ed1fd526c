"""The hiring funnel: jobs, invitations, proposals and offers (contracts are marketplace.contracts)."""
