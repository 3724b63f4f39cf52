"""Foresight: policy what-if scenarios, the support-measure register and the plan outlook."""
