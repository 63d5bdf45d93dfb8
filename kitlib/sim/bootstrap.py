"""What a new cluster holds before anyone touches it, as kubeadm (and kind) leave it.

The four system namespaces, the ``kubernetes`` Service in ``default`` that pods use to
reach the API server (its ClusterIP is always the first address of the service range), and
the cluster DNS Service ``kube-dns`` (always the tenth).
"""

from __future__ import annotations

from kitlib.sim.registry.generic import Registry

NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system")
#: Where the control-plane node's API server listens inside the simulated network.
API_ENDPOINT = {"ip": "172.18.0.2", "port": 6443}


#: The cluster DNS Service's address, as kubeadm reserves it (the tenth of the range).
DNS_IP = "10.96.0.10"


async def seed(registry: Registry) -> None:
    for name in NAMESPACES:
        await registry["namespaces"].create({"apiVersion": "v1", "kind": "Namespace",
                                             "metadata": {"name": name}})
    await registry["services"].create({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "kubernetes", "namespace": "default",
                     "labels": {"component": "apiserver", "provider": "kubernetes"}},
        "spec": {"clusterIP": "10.96.0.1", "type": "ClusterIP", "sessionAffinity": "None",
                 "ports": [{"name": "https", "port": 443, "protocol": "TCP",
                            "targetPort": API_ENDPOINT["port"]}]},
    }, namespace="default")
    await registry["endpoints"].create({
        "apiVersion": "v1", "kind": "Endpoints",
        "metadata": {"name": "kubernetes", "namespace": "default",
                     "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
        "subsets": [{"addresses": [{"ip": API_ENDPOINT["ip"]}],
                     "ports": [{"name": "https", "port": API_ENDPOINT["port"],
                                "protocol": "TCP"}]}],
    }, namespace="default")
    await registry["services"].create({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "kube-dns", "namespace": "kube-system",
                     "labels": {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true",
                                "kubernetes.io/name": "CoreDNS"},
                     "annotations": {"prometheus.io/port": "9153",
                                     "prometheus.io/scrape": "true"}},
        "spec": {"clusterIP": DNS_IP, "selector": {"k8s-app": "kube-dns"},
                 "ports": [{"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                           {"name": "dns-tcp", "port": 53, "protocol": "TCP",
                            "targetPort": 53},
                           {"name": "metrics", "port": 9153, "protocol": "TCP",
                            "targetPort": 9153}]},
    }, namespace="kube-system")
    await registry["endpointslices.discovery.k8s.io"].create({
        "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
        "metadata": {"name": "kubernetes", "namespace": "default",
                     "labels": {"kubernetes.io/service-name": "kubernetes"}},
        "addressType": "IPv4",
        "endpoints": [{"addresses": [API_ENDPOINT["ip"]], "conditions": {"ready": True}}],
        "ports": [{"name": "https", "port": API_ENDPOINT["port"], "protocol": "TCP"}],
    }, namespace="default")
