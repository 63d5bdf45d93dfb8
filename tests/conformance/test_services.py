"""Conformance rows for the docs' Services: ClusterIPs, ports, and endpoints that follow
the ready pods their selector picks (Endpoints and EndpointSlices alike)."""

from __future__ import annotations

import ipaddress
import re

from tests.conformance.conftest import apply, jsonpath, make_namespace, row, rows, wait_for
from tests.kubectl.conftest import Kubectl


def pod_ips(kubectl: Kubectl, *selector: str, namespace: str, count: int) -> list[str]:
    """The IPs of ``kubectl get pods -o wide`` once ``count`` pods are Running and ready."""
    def ready() -> list[str] | None:
        found = rows(kubectl, "pods", *selector, namespace=namespace, wide=True)
        if len(found) == count and all(p["READY"] == "1/1" and p["STATUS"] == "Running"
                                       for p in found):
            return sorted(p["IP"] for p in found)
        return None
    return wait_for(ready, what=f"{count} pods Running")


def endpoints(kubectl: Kubectl, name: str, *, namespace: str) -> list[str]:
    """``ip:port`` of each ready address of the Service's Endpoints, sorted."""
    out = jsonpath(kubectl, "endpoints", name,
                   "{range .subsets[*]}{range .addresses[*]}{.ip}{' '}{end}"
                   "{range .ports[*]}{'/'}{.port}{end}{'\\n'}{end}", namespace=namespace)
    found = []
    for line in out.splitlines():
        ips, _, port = line.rpartition("/")
        found += [f"{ip}:{port}" for ip in ips.split()]
    return sorted(found)


def cluster_ip(service: dict[str, str]) -> ipaddress.IPv4Address:
    address = ipaddress.ip_address(service["CLUSTER-IP"])
    assert isinstance(address, ipaddress.IPv4Address) and address in \
        ipaddress.ip_network("10.96.0.0/12"), service
    return address


def test_nginx_service(kubectl: Kubectl) -> None:
    ns = make_namespace(kubectl, "nginx-service")
    apply(kubectl, "controllers/nginx-deployment.yaml", namespace=ns)
    assert apply(kubectl, "service/nginx-service.yaml", namespace=ns) == \
        "service/nginx-service created\n"
    service = row(kubectl, "service", "nginx-service", namespace=ns)
    assert (service["TYPE"], service["PORT(S)"]) == ("ClusterIP", "8000/TCP")
    cluster_ip(service)
    ips = pod_ips(kubectl, "-l", "app.kubernetes.io/name=nginx", namespace=ns, count=3)
    wanted = sorted(f"{ip}:80" for ip in ips)
    wait_for(lambda: endpoints(kubectl, "nginx-service", namespace=ns) == wanted,
             what="the deployment's 3 pods as endpoints")
    described = kubectl.ok("describe", "service", "nginx-service", namespace=ns)
    assert re.search(r"\nPort: +<unset>  8000/TCP\nTargetPort: +80/TCP\n", described)


def test_simple_service(kubectl: Kubectl) -> None:
    ns = make_namespace(kubectl, "simple-service")
    apply(kubectl, "service/simple-service.yaml", namespace=ns)
    service = row(kubectl, "service", "my-service", namespace=ns)
    assert (service["TYPE"], service["PORT(S)"]) == ("ClusterIP", "80/TCP")
    cluster_ip(service)
    assert row(kubectl, "endpoints", "my-service", namespace=ns)["ENDPOINTS"] == "<none>"
    described = kubectl.ok("describe", "service", "my-service", namespace=ns)
    assert re.search(r"\nTargetPort: +9376/TCP\nEndpoints: +\n", described), described
    kubectl.ok("run", "myapp", "--image=nginx", "--labels=app.kubernetes.io/name=MyApp",
               namespace=ns)
    (ip,) = pod_ips(kubectl, namespace=ns, count=1)
    wait_for(lambda: row(kubectl, "endpoints", "my-service", namespace=ns)["ENDPOINTS"]
             == f"{ip}:9376", what="the labelled pod as endpoint")


def test_networking_run_my_nginx(kubectl: Kubectl) -> None:
    ns = make_namespace(kubectl, "networking")
    assert apply(kubectl, "service/networking/run-my-nginx.yaml",
                 "service/networking/nginx-svc.yaml", namespace=ns) == \
        "deployment.apps/my-nginx created\nservice/my-nginx created\n"
    ips = pod_ips(kubectl, "-l", "run=my-nginx", namespace=ns, count=2)
    wait_for(lambda: endpoints(kubectl, "my-nginx", namespace=ns) == [f"{ip}:80" for ip in ips],
             what="the 2 pods as endpoints")
    (slice_,) = rows(kubectl, "endpointslices", "-l", "kubernetes.io/service-name=my-nginx",
                     namespace=ns)
    assert (slice_["ADDRESSTYPE"], slice_["PORTS"]) == ("IPv4", "80")
    assert sorted(slice_["ENDPOINTS"].split(",")) == ips
    described = kubectl.ok("describe", "service", "my-nginx", namespace=ns)
    shown = re.search(r"\nEndpoints: +(\S+)\n", described)
    assert shown and sorted(shown.group(1).split(",")) == [f"{ip}:80" for ip in ips]


def test_access_backend(kubectl: Kubectl) -> None:
    ns = make_namespace(kubectl, "access-backend")
    apply(kubectl, "service/access/backend-deployment.yaml",
          "service/access/backend-service.yaml", namespace=ns)
    service = row(kubectl, "service", "hello", namespace=ns)
    assert (service["TYPE"], service["PORT(S)"]) == ("ClusterIP", "80/TCP")
    ips = pod_ips(kubectl, "-l", "app.kubernetes.io/name=hello", namespace=ns, count=3)
    wanted = sorted(f"{ip}:80" for ip in ips)
    wait_for(lambda: endpoints(kubectl, "hello", namespace=ns) == wanted,
             what="3 endpoints on port 80")
    described = kubectl.ok("describe", "service", "hello", namespace=ns)
    assert "\nTargetPort:               http/TCP\n" in described
    shown = re.search(r"\nEndpoints: +(\S+)\n", described)
    assert shown and sorted(shown.group(1).split(",")) == wanted
