from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """``?page=N``; ``?page_size=`` up to 100 (25 by default)."""

    page_size_query_param = "page_size"
    max_page_size = 100
