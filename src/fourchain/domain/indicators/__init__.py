"""The indicators area's pure core: the catalogue, published claims, Chinese numbers, composites."""
