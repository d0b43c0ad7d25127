"""Hypothesis strategies for the GitTarget status contract (the ``testing`` extra).

Everything a strategy here generates is something the Kubernetes API server accepts for
``metav1.Condition`` and the GitTarget status: qualified-name types within the 63/253/316 limits,
reasons matching the metav1 pattern, messages within 32768 characters *and* UTF-8 bytes, timestamps
in UTC whole seconds. Property tests of your own controller can therefore feed these values straight
into a status write. [`invalid_conditions`][gittarget_status.testing.strategies.invalid_conditions]
is the mirror image: raw API-server JSON that breaks exactly one rule, paired with the field it
breaks.

Any resource's status: [`status_models`][gittarget_status.testing.strategies.status_models] draws
instances of any [`StatusModel`][gittarget_status.StatusModel] subclass from its fields (the plugin
registers it, so ``st.from_type(MyStatus)`` works). Beyond conditions and statuses:
[`gate_results`][gittarget_status.testing.strategies.gate_results],
[`gittarget_specs`][gittarget_status.testing.strategies.gittarget_specs],
[`fake_worlds`][gittarget_status.testing.strategies.fake_worlds] and
[`world_events`][gittarget_status.testing.strategies.world_events] (scenarios for the fake world),
[`kube_objects`][gittarget_status.testing.strategies.kube_objects] (whole GitTarget objects as
JSON), and the hostile side for error paths and hardening:
[`json_values`][gittarget_status.testing.strategies.json_values] (anything JSON),
[`invalid_statuses`][gittarget_status.testing.strategies.invalid_statuses] (raw status JSON breaking
one rule, with its path), [`mutated_statuses`][gittarget_status.testing.strategies.mutated_statuses]
(valid JSON with one value replaced anywhere) and
[`damaged_statuses`][gittarget_status.testing.strategies.damaged_statuses] (JSON a lenient parse
accepts but that is full of damage: duplicates, foreign conditions, unknown fields, stale gates,
wrong generations). Another controller's data, as the server stores it:
[`foreign_conditions`][gittarget_status.testing.strategies.foreign_conditions],
[`foreign_condition_lists`][gittarget_status.testing.strategies.foreign_condition_lists] and their
parts, every server-valid oddity (types beyond Go's qualified-name rules, 32768-character multi-byte
messages, fractional and offset timestamps, any key order), plus the named fixtures
[`ODD_FOREIGN_CONDITIONS`][gittarget_status.testing.strategies.ODD_FOREIGN_CONDITIONS]. With the
plugin installed, ``st.from_type(Condition)`` and friends use these strategies without importing
this module.

Import explicitly: ``from gittarget_status.testing import strategies``.
"""

from gittarget_status.testing.strategies._conditions import (
    REASON_ENUMS,
    condition_lists,
    condition_statuses,
    condition_types,
    conditions,
    generations,
    kube_times,
    messages,
    oversized_messages,
    reasons,
)
from gittarget_status.testing.strategies._foreign import (
    ODD_FOREIGN_CONDITIONS,
    foreign_condition_lists,
    foreign_conditions,
    foreign_messages,
    foreign_reasons,
    foreign_times,
    foreign_types,
)
from gittarget_status.testing.strategies._hostile import (
    damaged_statuses,
    json_values,
    mutated_statuses,
)
from gittarget_status.testing.strategies._invalid import invalid_conditions, invalid_statuses
from gittarget_status.testing.strategies._models import status_models
from gittarget_status.testing.strategies._status import (
    API_VERSION,
    gate_results,
    gittarget_specs,
    gittarget_statuses,
    kube_objects,
)
from gittarget_status.testing.strategies._worlds import (
    fake_clocks,
    fake_worlds,
    world_event_sequences,
    world_events,
)

__all__ = [
    "API_VERSION",
    "ODD_FOREIGN_CONDITIONS",
    "REASON_ENUMS",
    "condition_lists",
    "condition_statuses",
    "condition_types",
    "conditions",
    "damaged_statuses",
    "fake_clocks",
    "fake_worlds",
    "foreign_condition_lists",
    "foreign_conditions",
    "foreign_messages",
    "foreign_reasons",
    "foreign_times",
    "foreign_types",
    "gate_results",
    "generations",
    "gittarget_specs",
    "gittarget_statuses",
    "invalid_conditions",
    "invalid_statuses",
    "json_values",
    "kube_objects",
    "kube_times",
    "messages",
    "mutated_statuses",
    "oversized_messages",
    "reasons",
    "status_models",
    "world_event_sequences",
    "world_events",
]
