"""Plugins: how they are found and what they register (``discovery``), the set an evaluation
uses (``sets``), and the observers told how an evaluation goes (``lifecycle``)."""
