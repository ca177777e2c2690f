"""The hook contract, typed: what each registration hook's ``register`` takes."""

from __future__ import annotations


def test_each_register_callable_is_typed_with_a_public_class():
    import typing
    from collections.abc import Callable

    import vpcp_indicators
    from vpcp_indicators import hookspecs

    public = {name: getattr(vpcp_indicators, name) for name in vpcp_indicators.__all__}
    expected = {
        "register_kinds": "Kind",
        "register_source_readers": "SourceReader",
        "register_aggregations": "Aggregation",
        "register_formats": "Format",
    }
    for hook, name in expected.items():
        hints = typing.get_type_hints(getattr(hookspecs, hook), {**vars(hookspecs), **public})
        assert hints["register"] == Callable[[public[name]], None], hook
    assert {"Aggregation", "SourceReader"} <= set(dir(vpcp_indicators))
    from vpcp_indicators.sources import SourceReader

    assert vpcp_indicators.SourceReader is SourceReader
