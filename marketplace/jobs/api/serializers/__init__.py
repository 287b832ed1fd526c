"""Shapes of the jobs API's requests and responses.

Input serializers only parse and type-check; the rules (lengths, sums, who may, which state) are
the services' and come back as error codes. Money is always integer minor units in ``*_minor``
fields with the ``currency`` beside them. Integer fields are declared explicitly so the schema
does not carry one database backend's ranges (see the accounts API's serializers).
"""
