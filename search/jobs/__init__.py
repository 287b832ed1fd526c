"""Job search for freelancers: find work (/jobs/) and GET /api/search/jobs/. ``params`` checks
what people send, ``results`` searches."""
