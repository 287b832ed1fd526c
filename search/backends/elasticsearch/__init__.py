"""The Elasticsearch backend: the one package that imports the client (``elasticsearch``, with
``elasticsearch_dsl``). ``backend`` talks to the engine; ``queries`` builds the requests and reads the
answers, testable without a client.
"""

from .backend import ElasticsearchSearchBackend

__all__ = ["ElasticsearchSearchBackend"]
