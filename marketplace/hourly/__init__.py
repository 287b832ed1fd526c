"""Hourly contracts: time logged by the freelancer, weeks billed to the client's saved card,
reviewed, disputed and released through escrow's primitives."""
