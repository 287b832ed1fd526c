"""The kernel: no imports from any other app of ours; everything may import it."""
