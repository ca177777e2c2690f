"""The plan: its values (``model``), how a file becomes one (``reading``, ``parsing``,
``tomlscan``, ``locations``), its JSON Schema (``schema``), its JSON form (``jsonform``), and
what an untrusted plan may read (``confine``)."""
