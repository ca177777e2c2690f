"""The plan: its values (``model``), every key a plan file may hold (``keys``), how a file
becomes a plan (``parsing``, ``tomlscan``, ``locations``, then ``reading`` and ``indicators``,
whose checks ``checking`` makes from the keys), its JSON Schema (``schema``), its JSON form
(``jsonform``), and what an untrusted plan may read (``confine``)."""
