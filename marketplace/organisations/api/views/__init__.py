"""The REST API's views of organisations and pools: parse the request, call one service or selector,
render the answer."""
