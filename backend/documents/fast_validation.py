"""The document schemas compiled into plain checks: the fast path of validation.

Marshmallow spends ~100 µs on a replicated encounter, nearly all of it in its generic
machinery (per-field method chains, error stores, result dicts) rather than in the checks
themselves; on a 200-document `_bulk_docs` batch that is the largest single cost of a push.
`compile_schema` walks a schema once and builds closures that make the same checks with the
schema's own objects: each field's type, the field's marshmallow validators, required and
unknown keys, nested schemas, and the schema's `@validates_schema` hooks.

The compiled check answers only "valid" or "not sure". Anything it does not accept goes to
marshmallow, which decides and writes the error messages, so a document the fast path accepts
is one marshmallow accepts (tests/store/test_fast_validation.py checks both directions on
generated documents). A schema feature it does not understand (a `pre_load` hook, a field-level
`@validates`, a Tuple field...) raises at import: a new rule can never be skipped silently.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate
from marshmallow.decorators import PRE_LOAD, VALIDATES, VALIDATES_SCHEMA
from marshmallow.validate import Validator

from backend.documents import fieldtypes as ft


class _Reject(Exception):
    """Not accepted by the fast path: marshmallow must look at it."""


Check = Callable[[Any], Any]  # returns the loaded value, or raises _Reject


def compile_schema(schema: Schema) -> Callable[[dict], bool]:
    """`accepts(doc)`: True when `schema.validate(doc)` is certain to find no error."""
    check = _schema_check(schema)

    def accepts(doc: object) -> bool:
        try:
            check(doc)
        except _Reject:
            return False
        return True

    return accepts


def _schema_check(schema: Schema) -> Check:
    _refuse_unsupported(schema)
    by_key: dict[str, tuple[str, Check]] = {}
    required = []
    for name, field in schema.load_fields.items():
        key = field.data_key or name
        by_key[key] = (field.attribute or name, _field_check(field))
        if field.required:
            required.append(key)
    hooks = [(getattr(schema, attr), kwargs.get("pass_original", False))
             for attr, _many, kwargs in schema._hooks[VALIDATES_SCHEMA]]
    hook_kwargs = {"partial": schema.partial, "many": False, "unknown": schema.unknown}

    def check(value: object) -> dict:
        if type(value) is not dict:
            raise _Reject
        loaded = {}
        for key, item in value.items():
            entry = by_key.get(key)
            if entry is None:
                raise _Reject  # an unknown key: the schemas RAISE on them
            loaded[entry[0]] = entry[1](item)
        for key in required:
            if key not in value:
                raise _Reject
        for hook, pass_original in hooks:
            try:
                if pass_original:
                    hook(loaded, value, **hook_kwargs)
                else:
                    hook(loaded, **hook_kwargs)
            except ValidationError:
                raise _Reject from None
        return loaded

    return check


def _refuse_unsupported(schema: Schema) -> None:
    hooks = schema._hooks
    if schema.many or schema.unknown != RAISE or schema.partial:
        raise TypeError(f"{type(schema).__name__}: only many=False, unknown=RAISE schemas compile")
    if hooks[PRE_LOAD] or hooks[VALIDATES]:
        raise TypeError(f"{type(schema).__name__}: pre_load and @validates hooks do not compile")
    if any(many for _attr, many, _kw in hooks[VALIDATES_SCHEMA]):
        raise TypeError(f"{type(schema).__name__}: collection-level schema hooks do not compile")


def _field_check(field: fields.Field) -> Check:
    """None handling and validators around the field's value check, as Field.deserialize."""
    if field.pre_load or field.post_load:
        raise TypeError(f"{field!r}: field pre_load/post_load functions do not compile")
    value_check = _value_check(field)
    tests = tuple(_passes(validator) for validator in field.validators)
    allow_none = field.allow_none

    def check(value: object) -> object:
        if value is None:
            if allow_none:
                return None
            raise _Reject
        loaded = value_check(value)
        for passes in tests:
            if not passes(loaded):
                raise _Reject
        return loaded

    return check


def _passes(validator: Callable) -> Callable[[Any], bool]:
    """True when the validator accepts the value. Marshmallow's common validators become the
    comparison they make (no error message is formatted per call); any other is called."""
    if type(validator) is validate.Regexp:
        match = validator.regex.match
        return lambda value: match(value) is not None
    if (type(validator) is validate.Range and validator.min_inclusive and validator.max_inclusive
            and validator.min is not None and validator.max is not None):
        low, high = validator.min, validator.max
        return lambda value: low <= value <= high
    if type(validator) is validate.OneOf:
        choices = validator.choices

        def one_of(value: object) -> bool:
            try:
                return value in choices
            except TypeError:
                return False

        return one_of

    def called(value: object) -> bool:
        try:
            result = validator(value)
        except ValidationError:
            return False
        return result is not False or isinstance(validator, Validator)

    return called


def _value_check(field: fields.Field) -> Check:
    """The type check of one field (what its `_deserialize` does for JSON input)."""
    if isinstance(field, fields.Nested):
        return _nested_check(field)
    if isinstance(field, fields.List):
        return _list_check(_field_check(field.inner))
    if isinstance(field, fields.Dict):
        return _dict_check(field)
    if isinstance(field, (fields.Tuple, fields.Mapping)):
        raise TypeError(f"{field!r}: this container field does not compile")
    if isinstance(field, fields.String) and type(field)._deserialize is fields.String._deserialize:
        return _string  # String and its validator-only subclasses (DesaCode, Ref, Digits...)
    return _EXACT.get(type(field)) or _generic_check(field)


def _nested_check(field: fields.Nested) -> Check:
    if field.only or field.exclude or field.unknown not in (None, RAISE):
        raise TypeError(f"{field!r}: Nested with only/exclude/unknown does not compile")
    schema_check = _schema_check(field.schema)
    return _list_check(schema_check) if field.many else schema_check


def _list_check(item_check: Check) -> Check:
    def check(value: object) -> list:
        if type(value) is not list:
            raise _Reject
        return [item_check(item) for item in value]

    return check


def _dict_check(field: fields.Dict) -> Check:
    key_check = _field_check(field.key_field) if field.key_field else None
    value_check = _field_check(field.value_field) if field.value_field else None

    def check(value: object) -> dict:
        if type(value) is not dict:
            raise _Reject
        if key_check is None and value_check is None:
            return dict(value)
        return {(key_check(k) if key_check else k): (value_check(v) if value_check else v)
                for k, v in value.items()}

    return check


def _generic_check(field: fields.Field) -> Check:
    """Any other leaf field (dates, timestamps): its own `_deserialize`, exactly."""

    def check(value: object) -> object:
        try:
            return field._deserialize(value, None, None)
        except (ValidationError, TypeError, ValueError):
            raise _Reject from None

    return check


def _string(value: object) -> str:
    if type(value) is not str:
        raise _Reject
    return value


def _integer(value: object) -> int:
    if type(value) is not int:
        raise _Reject
    return value


def _number(value: object) -> float:
    if type(value) is not float and type(value) is not int:
        raise _Reject
    try:
        number = float(value)
    except OverflowError:
        raise _Reject from None
    if not math.isfinite(number):
        raise _Reject
    return number


def _boolean(value: object) -> bool:
    if value is not True and value is not False:
        raise _Reject
    return value


def _raw(value: object) -> object:
    return value


# Inline checks for these exact field classes (a subclass takes the generic path); the strict
# JSON types of fieldtypes.py make the inline checks exact, not just safe.
_EXACT: dict[type, Check] = {ft.Int: _integer, ft.Num: _number, ft.Bool: _boolean,
                             fields.Raw: _raw}
