"""The pages' forms, one module per area. They parse and type-check input; the rules are the
services' (their refusals land next to the fields)."""
