"""The Kubernetes Learning Kit's helper library."""
