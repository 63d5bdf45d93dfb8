"""A container book reads its spec from the pod's books, and keeps the running one apart
only once the pod's spec moved on."""

from __future__ import annotations

from typing import Any

from kitlib.sim.kubelet.books import SAME, ContainerBook, PodBook, new_books
from kitlib.sim.store.records import make_record


def _pod(image: str = "nginx:1.25") -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "p", "namespace": "ns", "uid": "u1"},
            "spec": {"initContainers": [{"name": "init", "image": "busybox"}],
                     "containers": [{"name": "web", "image": image}]}}


def _books(image: str = "nginx:1.25", rv: int = 1) -> PodBook:
    record = make_record(_pod(image), rv=rv, fields={})
    pod = record.object()
    return PodBook(uid="u1", namespace="ns", name="p", pod=pod, source=record,
                   containers=new_books(pod))


def test_books_of_a_pod_hold_no_copy_of_their_spec() -> None:
    pod = _books()
    init, web = pod.containers
    assert web._spec_json is None and init._spec_json is None
    pod.release()
    assert web._spec is None
    assert web.spec == {"name": "web", "image": "nginx:1.25"}      # found in the pod again
    assert init.spec == {"name": "init", "image": "busybox"}


def test_running_spec_is_the_spec_itself_until_the_pod_changes() -> None:
    pod = _books()
    web = pod.containers[1]
    web.running_spec = web.spec
    assert web._running_json is SAME
    pod.release()
    assert web.running_spec is web.spec
    # A new image: the running container keeps the old spec.
    newer = _books("nginx:1.26", rv=2)
    web.spec = newer.containers[1].spec
    pod.see(newer.source, newer.pod)            # type: ignore[arg-type]
    pod.release()
    assert web.spec["image"] == "nginx:1.26"
    assert web.running_spec == {"name": "web", "image": "nginx:1.25"}
    assert web.running_spec is not web.spec
    # Back to the first: the same again.
    web.spec = {"name": "web", "image": "nginx:1.25"}
    assert web._running_json is SAME and web.running_spec is web.spec


def test_a_detached_book_keeps_its_spec() -> None:
    pod = _books()
    web = pod.containers[1]
    web.detach()
    emptied = make_record({"metadata": {"name": "p", "namespace": "ns", "uid": "u1"},
                           "spec": {"containers": []}}, rv=2, fields={})
    pod.see(emptied, emptied.object())
    pod.release()
    assert web.spec == {"name": "web", "image": "nginx:1.25"}


def test_a_book_on_its_own_keeps_its_spec_as_json() -> None:
    book = ContainerBook(name="app", kind="regular", spec={"name": "app", "image": "busybox"})
    book.release()
    assert book.spec == {"name": "app", "image": "busybox"}
    book.running_spec = {"name": "app", "image": "busybox"}
    assert book.running_spec is book.spec
