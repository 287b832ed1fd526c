"""The REST API's views: parse the request, call one service or selector, render the answer."""
