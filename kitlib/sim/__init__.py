"""A simulated Kubernetes cluster that speaks the real Kubernetes REST API on loopback.

Nothing in ``kitlib.sim`` imports the layers above it (kitlib's facade, widgets, the ``kit``
command); it could be published on its own.
"""
