"""The checks of the rules declared in ``quality.rules``, registered under their rule ids.

A check is the code that decides that a cell or row breaks a rule. It sits beside the staging
code of its input and is registered there under the rule id and the input, with :func:`check`
(a decorator), :func:`register_checks` (a table rule id -> function, for parsers and readers that
decide several rules) or a :class:`RowChecks` list. Registering a check of a rule that is not
declared for that input raises at import; ``tests/sources/test_rule_catalogue.py`` checks the
other way round: every declared rule has a check, and a test that breaks it.

Row checks (:class:`RowCheck`) are vectorised: ``fails(frame)`` is True on the rows that break
the rule, ``shown(frame)`` the value reported for each row (the cell, or a computed sum).
:func:`failing` runs a list of them over a frame.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd

from rmrp_pipeline.domain import MAX_PERSONS_IN_A_ROW
from rmrp_pipeline.quality import rules

Frame = pd.DataFrame

#: input -> rule id -> the functions registered as its checks.
_REGISTERED: dict[str, dict[str, list[Callable]]] = {}


def register_checks(source: str | tuple[str, ...], table: Mapping[str, Callable | tuple[Callable, ...]]) -> None:
    """Register ``table`` (rule id -> the function, or functions, that decide it) as checks of
    input ``source`` (a key of ``rules.INPUTS``, or several).

    Raises:
        ValueError: a rule id that ``quality.rules`` does not declare for that input.
    """
    for name in (source,) if isinstance(source, str) else source:
        declared = rules.rules_for(name)
        for rule_id, given in table.items():
            if rule_id not in declared:
                raise ValueError(f"a check of {rule_id!r} is registered, but quality.rules does not declare "
                                 f"that rule for input {name!r}")
            functions = _REGISTERED.setdefault(name, {}).setdefault(rule_id, [])
            for function in given if isinstance(given, tuple) else (given,):
                if function not in functions:
                    functions.append(function)


def check(*rule_ids: str, source: str | tuple[str, ...]) -> Callable[[Callable], Callable]:
    """Decorator: register the function as the check of ``rule_ids`` in input(s) ``source``."""
    def register(function: Callable) -> Callable:
        register_checks(source, dict.fromkeys(rule_ids, function))
        return function
    return register


def registered_checks(source: str) -> dict[str, tuple[Callable, ...]]:
    """rule id -> the checks registered for input ``source`` so far (import its staging modules
    first: registration happens when they are imported)."""
    return {rule_id: tuple(functions) for rule_id, functions in _REGISTERED.get(source, {}).items()}


@dataclass(frozen=True)
class RowCheck:
    """A rule as a vectorised check of one column: ``fails(frame)`` is True on failing rows;
    ``shown(frame)`` is the value reported for them; ``needs``: the columns ``fails`` reads (it
    gets only those; all of them when empty)."""

    rule_id: str
    column: str
    fails: Callable[[Frame], pd.Series]
    shown: Callable[[Frame], pd.Series]
    needs: tuple[str, ...] = ()

    @property
    def severity(self) -> str:
        return rules.RULES[self.rule_id].severity


def _cell(frame: Frame, column: str) -> pd.Series:
    return frame[column]


class RowChecks:
    """The row checks of one input, in the order they are added (the order of its issues)."""

    def __init__(self, source: str):
        self.source = source
        self.checks: list[RowCheck] = []

    def add(self, rule_id: str, column: str, fails: Callable[[Frame], pd.Series],
            shown: Callable[[Frame], pd.Series] | None = None, needs: Iterable[str] = ()) -> RowCheck:
        """Add and register one check (``shown`` by default: the cell of ``column``)."""
        register_checks(self.source, {rule_id: getattr(fails, "func", fails)})
        added = RowCheck(rule_id, column, fails, shown or partial(_cell, column=column), tuple(needs))
        self.checks.append(added)
        return added

    def __call__(self, rule_id: str, column: str | None = None, *, each: Iterable[str] | None = None,
                 shown: Callable[[Frame], pd.Series] | None = None,
                 needs: Iterable[str] | None = None) -> Callable[[Callable], Callable]:
        """Decorator: the function is the check of ``rule_id`` on ``column`` (``fails(frame)``), or,
        with ``each``, on each of those columns (``fails(frame, column)``, ``shown(frame, column)``).
        ``shown`` is by default the cell of the column."""
        def register(function: Callable) -> Callable:
            if each is None:
                assert column is not None, "a row check names its column"
                self.add(rule_id, column, function, shown, needs or ())
            else:
                for name in each:
                    self.add(rule_id, name, partial(function, column=name), shown and partial(shown, column=name),
                             needs or ())
            return function
        return register

    def of(self, severity: str) -> list[RowCheck]:
        """The checks of rules of ``severity`` (``rules.REJECT`` or ``rules.FINDING``)."""
        return [c for c in self.checks if c.severity == severity]

    def __iter__(self) -> Iterator[RowCheck]:
        return iter(self.checks)


def _columns(frame: Frame, names: tuple[str, ...]) -> Frame:
    """The columns ``names`` of ``frame`` as a frame of their own, without copying them."""
    return pd.DataFrame({name: frame[name] for name in names}, index=frame.index, copy=False)


def as_mask(result: pd.Series | np.ndarray) -> np.ndarray:
    """A check's result as a numpy bool mask (a missing value passes)."""
    if isinstance(result, pd.Series):
        if result.dtype == bool:
            return result.to_numpy()
        result = result.fillna(False)
    return np.asarray(result, dtype=bool)


def failing(checks: Iterable[RowCheck], frame: Frame, *, rows: np.ndarray | None = None,
            skip: Mapping[str, np.ndarray] | None = None) -> Iterator[tuple[RowCheck, np.ndarray]]:
    """Each check that fails somewhere, with its mask of failing rows (aligned with ``frame``).

    Args:
        checks: the checks, run in their order.
        frame: the rows, with every column the checks read.
        rows: only these rows are checked (a mask), e.g. the rows not rejected.
        skip: column -> cells left out (a mask), e.g. the cells that already failed to parse.
    """
    for item in checks:
        mask = as_mask(item.fails(_columns(frame, item.needs) if item.needs else frame))
        if rows is not None:
            mask = mask & rows
        if skip is not None and item.column in skip:
            mask = mask & ~skip[item.column]
        if mask.any():
            yield item, mask


# ---- the checks every input with counts of persons or amounts shares --------------------------

def negative(df: Frame, column: str) -> pd.Series:
    """Rows whose ``column`` is below 0 (``count_negative``, ``amount_negative``)."""
    return df[column] < 0


def not_whole(df: Frame, column: str) -> pd.Series:
    """Rows whose ``column`` has a fraction (``count_not_whole``, ``breakdown_not_whole``); an empty
    cell is whole."""
    values = df[column]
    if values.dtype == np.float64:   # the usual column: in NumPy, a tenth of the time of pandas' %
        array = values.to_numpy()
        return pd.Series(np.isfinite(array) & (array != np.floor(array)), index=values.index)
    return (values % 1).fillna(0) != 0


def above_persons_bound(df: Frame, column: str) -> pd.Series:
    """Rows whose ``column`` counts more persons than the whole population concerned
    (``count_implausible``; ``domain.MAX_PERSONS_IN_A_ROW``)."""
    return df[column] > MAX_PERSONS_IN_A_ROW


def spelled_otherwise(df: Frame, column: str, listed: str) -> pd.Series:
    """Rows whose ``column`` (the text as written) found its entry of a reference list (``listed``:
    the list's own spelling, empty where none was found) only after normalisation: it differs from
    the list character by character (``admin1_spelling_differs_from_reference``: R4V's scripts
    join and group such names as written)."""
    written, spelling = df[column], df[listed]
    return spelling.notna() & written.notna() & (written.astype(object) != spelling.astype(object))
