"""Training code for the learned components that ship with Cronica (``cronica train``).

Never imported at run time: nothing under ``cronica.extract`` imports this package, so
extraction needs none of its dependencies (checked by tests/test_layout.py).
``muc4_roles`` and ``muc4_roles_nn`` train the MUC-4 role taggers (``cronica train muc4``).
"""
