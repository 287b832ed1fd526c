"""Stripe's form encoding (``a[b][c]=v``, ``list[0]=v``, ``list[]=v``) to nested dicts and lists, and
typed readers of the parsed parameters that answer Stripe's own validation errors."""

import json
import re
from typing import Any
from urllib.parse import parse_qsl

from escrow.fake_stripe.errors import StripeError, invalid

_KEY_PART = re.compile(r"\[([^\[\]]*)\]")
# Stripe types these as hashes whatever their keys look like: never turn them into lists.
_ALWAYS_DICTS = {"metadata"}


def parse_form(text: str) -> dict[str, Any]:
    """Parse a form-encoded body or a query string into nested parameters (values stay strings)."""
    root: dict[str, Any] = {}
    for raw_key, value in parse_qsl(text, keep_blank_values=True):
        base, _, rest = raw_key.partition("[")
        parts = [base, *_KEY_PART.findall("[" + rest)] if rest else [base]
        _assign(root, parts, value)
    return {key: _listify(key, value) for key, value in root.items()}


def parse_json(text: str) -> dict[str, Any]:
    if not text.strip():
        return {}
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise invalid(f"Invalid JSON body: {exc}") from exc
    if not isinstance(data, dict):
        raise invalid("The JSON body must be an object.")
    return data


def _assign(node: dict[str, Any], parts: list[str], value: str) -> None:
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        key = str(len(node)) if part == "" else part  # "list[]" appends
        if last:
            node[key] = value
            return
        child = node.get(key)
        if not isinstance(child, dict):
            child = node[key] = {}
        node = child


def _listify(name: str, value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if name in _ALWAYS_DICTS:
        return value
    converted = {key: _listify(key, item) for key, item in value.items()}
    if converted and all(key.isdigit() for key in converted):
        return [converted[key] for key in sorted(converted, key=int)]
    return converted


# --- typed readers -------------------------------------------------------------------------------


def words(text: str) -> frozenset[str]:
    """A set of names written as one whitespace-separated string."""
    return frozenset(text.split())


def missing(name: str) -> StripeError:
    return invalid(f"Missing required param: {name}.", param=name, code="parameter_missing")


def check_known(params: dict[str, Any], allowed: set[str]) -> None:
    """Stripe refuses parameters it does not know (a typo must not pass silently)."""
    for name in params:
        if name not in allowed and name != "expand":
            raise invalid(f"Received unknown parameter: {name}", param=name, code="parameter_unknown")


def text(params: dict[str, Any], name: str, *, required: bool = False, max_length: int = 5000) -> str | None:
    value = params.get(name)
    if value is None or value == "":
        if required:
            raise missing(name)
        return None
    if not isinstance(value, str):
        raise invalid(f"Invalid string: {value!r}", param=name)
    if len(value) > max_length:
        raise invalid(f"Invalid string: {value[:20]}...; must be at most {max_length} characters", param=name)
    return value


def integer(params: dict[str, Any], name: str, *, required: bool = False, minimum: int | None = None):
    value = params.get(name)
    if value is None or value == "":
        if required:
            raise missing(name)
        return None
    if isinstance(value, bool) or not re.fullmatch(r"-?\d+", str(value)):
        raise invalid(f"Invalid integer: {value}", param=name)
    number = int(value)
    if minimum is not None and number < minimum:
        raise invalid(f"This value must be greater than or equal to {minimum}.", param=name)
    return number


def boolean(params: dict[str, Any], name: str, default: bool = False) -> bool:
    value = params.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise invalid(f"Invalid boolean: {value}", param=name)


def choice(params: dict[str, Any], name: str, options: tuple[str, ...], default: str | None = None):
    value = params.get(name)
    if value is None or value == "":
        return default
    if value not in options:
        allowed = ", ".join(f"`{option}`" for option in options)
        raise invalid(f"Invalid {name}: must be one of {allowed}", param=name)
    return value


def string_list(params: dict[str, Any], name: str) -> list[str]:
    value = params.get(name)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    raise invalid(f"Invalid array: {name}", param=name)


def mapping(params: dict[str, Any], name: str) -> dict[str, Any]:
    value = params.get(name)
    if value is None or value == "":
        return {}
    if not isinstance(value, dict):
        raise invalid(f"Invalid object: {name}", param=name)
    return value


def apply_metadata(current: dict[str, str], value: Any) -> dict[str, str]:
    """Stripe's metadata update: an empty string unsets a key, ``metadata=""`` unsets them all."""
    if value is None:
        return current
    if value == "":
        return {}
    if not isinstance(value, dict):
        raise invalid("Invalid object", param="metadata")
    result = dict(current)
    for key, item in value.items():
        if not isinstance(item, str):
            item = json.dumps(item) if not isinstance(item, (int, float)) else str(item)
        if len(key) > 40:
            raise invalid(
                f"Metadata keys can have up to 40 characters. You passed in a key that was {len(key)} "
                "characters.",
                param=f"metadata[{key}]",
            )
        if len(item) > 500:
            raise invalid(
                f"Metadata values can have up to 500 characters, but you passed in a value that is "
                f"{len(item)} characters.",
                param=f"metadata[{key}]",
            )
        if item == "":
            result.pop(key, None)
        else:
            result[key] = item
    if len(result) > 50:
        raise invalid("You can have up to 50 metadata keys.", param="metadata")
    return result
