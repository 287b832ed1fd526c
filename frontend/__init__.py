"""Page views, templates and static assets: pages call services and selectors, hold no logic."""
