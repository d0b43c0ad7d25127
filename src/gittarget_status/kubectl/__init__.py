"""``kubectl wait --for=...`` semantics, evaluated offline on one object.

A faithful port of the checks in kubectl's ``pkg/cmd/wait`` (``condition.go`` and
``json.go``; compared by the test suite with kubectl v1.32 and v1.36 on a real API
server), so that a test or a script can tell, from a saved object,
whether ``kubectl wait`` would return. The rules, exactly as kubectl applies them:

``condition=NAME[=VALUE]`` (VALUE defaults to ``true``)
    * ``status.conditions`` is scanned in list order; a condition whose ``type`` is not a
      string, or does not equal NAME after Unicode simple case folding (Go's
      ``strings.EqualFold``), is skipped; so is one whose ``status`` is not a string.
    * The first remaining condition decides; nothing after it is looked at (a duplicated
      type is therefore decided by its first entry).
    * If ``metadata.generation`` is an integer and the condition's ``observedGeneration``
      (or, when the condition has none, ``status.observedGeneration``) is an integer below
      it, the condition is stale: not met, whatever its status.
    * Otherwise met iff ``status`` equals VALUE after simple case folding.
    * A list entry that is not an object is skipped like a mismatched one (what kubectl
      v1.36 does; v1.32 crashes with a panic when its scan reaches such an entry).

``jsonpath={EXPR}[=VALUE]``
    * EXPR may be written ``{.a.b}``, ``{a.b}``, ``.a.b`` or ``a.b`` (kubectl's relaxed
      form); missing keys are allowed (not met, not an error).
    * No result: not met. More than one result: an error, as in kubectl.
    * Without VALUE: met iff there is a result. With VALUE: the result, printed the way
      Go's ``%v`` prints it, equals VALUE after both are stripped of surrounding spaces;
      quotes around VALUE are removed. Objects and lists cannot be compared (an error).
    * The expression ``EXPR=VALUE`` is split on single ``=`` only, so filters such as
      ``[?(@.type=="Ready")]`` keep their ``==``.

Supported JSONPath: ``.field``, ``['field']`` (single quotes only, as client-go),
``[n]`` (negative counts from the end), ``[*]`` (lists only), ``.*`` (an object's values,
a list's elements, a string's bytes), and filters ``[?(@.path)]`` /
``[?(@.path OP operand)]`` with ``==``, ``<``, ``>`` and string, integer, float, boolean
or ``@.path`` operands. ``!=``, ``<=`` and ``>=`` are parsed, but kubectl splits
``--for=jsonpath=`` on every single ``=``, so an expression containing them is refused
(by kubectl and here alike). Other constructs (recursive descent, unions, slices,
``range``, spaces in a path or inside brackets) raise
[`WaitExpressionError`][gittarget_status.kubectl.WaitExpressionError] rather than guess.

[`wait_verdict`][gittarget_status.kubectl.wait_verdict] gives the same answer with the reason
for it (what ``gittarget-status wait`` prints when a condition is not met).

The package's modules: ``_wait`` (the expressions,
[`condition_met`][gittarget_status.kubectl.condition_met],
[`wait_verdict`][gittarget_status.kubectl.wait_verdict]), ``_jsonpath`` (the JSONPath
subset), ``_fold`` (Go's ``strings.EqualFold``), ``_unstructured`` (apimachinery's
accessors), ``_gofmt`` (Go's ``%v``), ``_errors``.
"""

from gittarget_status.kubectl._errors import WaitEvaluationError, WaitExpressionError
from gittarget_status.kubectl._fold import equal_fold
from gittarget_status.kubectl._jsonpath import Step as Step, relaxed_jsonpath as relaxed_jsonpath
from gittarget_status.kubectl._wait import (
    ConditionWait,
    JSONPathWait,
    WaitExpression,
    WaitVerdict,
    condition_met,
    parse_wait_expression,
    wait_verdict,
)

__all__ = [
    "ConditionWait",
    "JSONPathWait",
    "WaitEvaluationError",
    "WaitExpression",
    "WaitExpressionError",
    "WaitVerdict",
    "condition_met",
    "equal_fold",
    "parse_wait_expression",
    "wait_verdict",
]
