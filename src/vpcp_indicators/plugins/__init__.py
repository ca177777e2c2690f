"""Plugins: how they are found (``discovery``), the manager they are registered on and those
hooks are called on (``manager``), each call guarded so that a failure stays with its plugin
(``guards``), what they register (``registry``), the set an evaluation uses (``sets``), the
observers told how an evaluation goes (``lifecycle``), and ``--debug``'s account of the hook
calls (``tracing``)."""
