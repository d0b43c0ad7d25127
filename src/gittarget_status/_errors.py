"""The error types: bad input (StatusValidationError) and bad calls (UsageError)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import ValidationError

__all__ = ["FieldError", "StatusValidationError", "UnknownFieldsError", "UsageError"]


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem, located by its path in the Kubernetes JSON (``conditions[2].reason``)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '<root>'}: {self.message}"


class UnknownFieldsError(ValueError):
    """Raised inside validation for fields a model does not declare.

    Carries the keys so
    [`StatusValidationError.from_pydantic`][gittarget_status.StatusValidationError.from_pydantic]
    can name each one in its path (``conditions[0].severity``) instead of only the object holding
    them.
    """

    def __init__(self, keys: Iterable[str]) -> None:
        self.keys = tuple(keys)
        super().__init__(f"unknown field(s) {', '.join(repr(key) for key in self.keys)}")


class StatusValidationError(ValueError):
    """Raised for any input that the API server would reject or that makes no sense.

    A ``ValueError`` subclass so existing ``except ValueError`` blocks keep working;
    ``errors`` lists every problem found, each naming its field path.
    """

    errors: tuple[FieldError, ...]

    def __init__(self, errors: Iterable[FieldError], *, model: str = "") -> None:
        self.errors = tuple(errors)
        self.model = model
        head = f"invalid {model}" if model else "invalid input"
        lines = "\n".join(f"  {error}" for error in self.errors)
        super().__init__(f"{head} ({len(self.errors)} error(s)):\n{lines}")

    @property
    def paths(self) -> tuple[str, ...]:
        """The field paths that failed, in order."""
        return tuple(error.path for error in self.errors)

    @classmethod
    def single(cls, path: str, message: str, *, model: str = "") -> StatusValidationError:
        return cls([FieldError(path, message)], model=model)

    @classmethod
    def from_pydantic(cls, exc: ValidationError, *, prefix: str = "") -> StatusValidationError:
        """Translate pydantic's error list into paths in the Kubernetes JSON."""
        errors: list[FieldError] = []
        for err in exc.errors(include_url=False):
            cause = err.get("ctx", {}).get("error")
            if isinstance(cause, UnknownFieldsError):
                errors.extend(
                    FieldError(format_path(prefix, (*err["loc"], key)), "unknown field")
                    for key in cause.keys
                )
            else:
                errors.append(
                    FieldError(format_path(prefix, err["loc"]), _clean_message(err["msg"]))
                )
        return cls(errors, model=exc.title)


def format_path(prefix: str, loc: Sequence[int | str]) -> str:
    """``("conditions", 0, "reason")`` -> ``conditions[0].reason``."""
    path = prefix
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part.startswith(("function-", "json-or-python", "lax-or-strict")) or "[" in part:
            continue  # pydantic's internal validator names, not fields
        else:
            path = f"{path}.{part}" if path else part
    return path


def _clean_message(msg: str) -> str:
    prefix = "Value error, "
    return msg[len(prefix) :] if msg.startswith(prefix) else msg


class UsageError(TypeError):
    """The library was called the wrong way: a bug in the controller, not in the world.

    Async ports handed to a sync pass, an object that is not a ports implementation, a
    gate returning something other than a GateResult. Raised to the caller, never
    recorded as an ``EvaluationFailed`` condition (which a controller would write to the
    cluster). A ``TypeError``, so existing ``except TypeError`` blocks keep working.
    """
