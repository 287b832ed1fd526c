"""The Elasticsearch backend: the one package that imports the client (``elasticsearch``, with
``elasticsearch_dsl``). ``backend`` talks to the engine; ``mapping`` declares the analyzers and
mappings and ``queries`` builds the searches and reads the answers, both testable without a client.
"""

from .backend import ElasticsearchSearchBackend

__all__ = ["ElasticsearchSearchBackend"]
