"""The Elasticsearch client's transport node for the in-memory test server (osmem-server).

The 8.x client always asks for ``application/vnd.elasticsearch+json; compatible-with=8``, which the
test server answers with 406. In test configuration only (``SEARCH_BACKENDS`` OPTIONS
``NODE_CLASS``), this node sends plain ``application/json`` instead; a real cluster takes the
client's own media types.
"""

from elastic_transport import Urllib3HttpNode
from elastic_transport.client_utils import DEFAULT

_REWRITTEN = ("accept", "content-type")


def _plain(headers):
    """A copy of ``headers`` with the compatible-with media types made plain JSON."""
    headers = headers.copy()
    for name in _REWRITTEN:
        if name in headers and "vnd.elasticsearch" in headers[name]:
            headers[name] = "application/json"
    return headers


class JsonHeadersNode(Urllib3HttpNode):
    def __init__(self, config):
        super().__init__(config)
        self._headers = _plain(self._headers)

    def perform_request(self, method, target, body=None, headers=None, request_timeout=DEFAULT):
        headers = _plain(headers) if headers else headers
        return super().perform_request(method, target, body, headers, request_timeout)
