"""Search backends (database, Elasticsearch), index definitions, indexing tasks."""
