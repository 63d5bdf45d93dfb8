"""The controllers of kube-controller-manager, one module each, as clients of the API."""
