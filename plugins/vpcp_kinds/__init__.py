"""The indicator kinds that ship with vpcp-indicators.

Each module is a plugin of its own, published under the ``vpcp_indicators`` entry-point
group: the core finds them the way it finds any third-party plugin, and imports none of them.
They use the public API of ``vpcp_indicators`` only.
"""
