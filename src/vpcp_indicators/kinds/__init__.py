"""What a plugin declares to measure an indicator: a kind (``kind``), its parameters
(``params``), and what it counts (``counting``)."""
