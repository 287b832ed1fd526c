"""What ``OPTIONS`` answers on an API endpoint: its name, description and media types.

DRF's default metadata also describes the fields of ``POST``/``PUT`` by asking the view for its one
``serializer_class``; our views validate with a serializer per method (``ApiView.parsed``) and have
none, so that failed an assertion (a 500). The fields are described in the OpenAPI document.
"""

from rest_framework.metadata import SimpleMetadata


class ApiMetadata(SimpleMetadata):
    def determine_actions(self, request, view) -> dict:
        """No per-field description here: /api/schema/ has it for every method."""
        return {}
