"""The REST API's plumbing every app's endpoints share: the view base (``views.ApiView``), who may call
at all (``permissions.ApiAccess``), paging, session authentication with the API's CSRF answer, and
the OpenAPI error shapes (``schema``). It knows no app's models: the authentication classes are
named in settings (``REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]``) and an API-key request is
recognised by its credential's base class."""
