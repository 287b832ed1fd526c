"""Talent search: clients find freelancers (the page /talent/ and GET /api/search/talent/)."""
