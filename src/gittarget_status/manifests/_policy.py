"""RBAC PolicyRules a controller declares: checked, normalised, and parsed from the CLI.

The CLI form is ``KEY=VALUES`` parts joined by ``;``, VALUES comma-separated:
``apiGroups=;resources=secrets;verbs=get,create`` (an empty apiGroups is the core
group). Keys are the PolicyRule fields: ``apiGroups``, ``resources``, ``verbs``,
``resourceNames``, ``nonResourceURLs``. Every error names the part that is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

__all__ = ["GITTARGET_RBAC_RULES", "PolicyRule", "parse_policy_rule", "policy_rules"]

#: One ``rbac.authorization.k8s.io/v1`` PolicyRule, as JSON.
PolicyRule = Mapping[str, Any]

_KEYS: Final = ("apiGroups", "resources", "verbs", "resourceNames", "nonResourceURLs")

#: What the GitTarget lifecycle ports need beyond the resource itself: read the SOPS age
#: key Secret and create it when ``generateWhenMissing`` is set.
GITTARGET_RBAC_RULES: Final[tuple[PolicyRule, ...]] = (
    {"apiGroups": [""], "resources": ["secrets"], "verbs": ["create", "get"]},
)


def _check(rule: PolicyRule, where: str) -> dict[str, list[str]]:
    if not isinstance(rule, Mapping):
        raise ValueError(f"{where}: expected a mapping, got {type(rule).__name__}")
    unknown = [key for key in rule if key not in _KEYS]
    if unknown:
        raise ValueError(
            f"{where}: unknown key {unknown[0]!r} (expected one of {', '.join(_KEYS)})"
        )
    checked: dict[str, list[str]] = {}
    for key in _KEYS:  # the PolicyRule field order, whatever order it was given in
        if key not in rule:
            continue
        values = rule[key]
        if isinstance(values, str) or not isinstance(values, Iterable):
            raise ValueError(f"{where}: {key} must be a list of strings")
        items = list(values)
        if not all(isinstance(item, str) for item in items):
            raise ValueError(f"{where}: {key} must be a list of strings")
        if key != "apiGroups" and any(not item for item in items):
            raise ValueError(f"{where}: {key} has an empty entry")
        checked[key] = items
    if not checked.get("verbs"):
        raise ValueError(f"{where}: verbs is required")
    if "resources" in checked and "nonResourceURLs" in checked:
        raise ValueError(f"{where}: resources and nonResourceURLs cannot be combined")
    if "resources" in checked:
        if "apiGroups" not in checked:
            raise ValueError(f"{where}: apiGroups is required with resources")
    elif "nonResourceURLs" not in checked:
        raise ValueError(f"{where}: resources (or nonResourceURLs) is required")
    return checked


def policy_rules(rules: Iterable[PolicyRule]) -> list[dict[str, list[str]]]:
    """``rules`` checked and copied (field order normalised), or ValueError naming the rule."""
    return [_check(rule, f"rule {index}") for index, rule in enumerate(rules)]


def parse_policy_rule(text: str) -> dict[str, list[str]]:
    """``apiGroups=;resources=secrets;verbs=get,create`` as a PolicyRule."""
    rule: dict[str, list[str]] = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        key, equals, values = part.partition("=")
        key = key.strip()
        if not equals:
            raise ValueError(f"rule {text!r}: part {part!r} is not KEY=VALUES")
        if key not in _KEYS:
            raise ValueError(
                f"rule {text!r}: unknown key {key!r} (expected one of {', '.join(_KEYS)})"
            )
        if key in rule:
            raise ValueError(f"rule {text!r}: {key} given twice")
        items = [item.strip() for item in values.split(",")]
        if key == "apiGroups":
            items = items or [""]
        elif any(not item for item in items):
            raise ValueError(f"rule {text!r}: {key}={values!r} has an empty entry")
        rule[key] = items
    return _check(rule, f"rule {text!r}")
