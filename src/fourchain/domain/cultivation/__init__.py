"""Gradient cultivation (梯度培育): versioned qualification rules and the pre-screen."""

from fourchain.domain.cultivation.evaluate import DEFAULT_TOLERANCE, assess
from fourchain.domain.cultivation.explain import assessment_json
from fourchain.domain.cultivation.features import EnterpriseProfile
from fourchain.domain.cultivation.model import Outcome, RuleSet, TierAssessment, Verdict
from fourchain.domain.cultivation.rulesets import (
    RULE_SETS,
    for_year,
    in_force,
    parse_tier,
    rule_set,
)

__all__ = [
    "DEFAULT_TOLERANCE",
    "RULE_SETS",
    "EnterpriseProfile",
    "Outcome",
    "RuleSet",
    "TierAssessment",
    "Verdict",
    "assess",
    "assessment_json",
    "for_year",
    "in_force",
    "parse_tier",
    "rule_set",
]
