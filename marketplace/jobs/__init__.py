"""Jobs, invitations, proposals, offers, contracts and milestones."""
