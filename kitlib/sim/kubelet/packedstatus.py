"""The last status a pod worker published, kept small while the worker sleeps.

Each of 10,000 pod workers remembers the status it last handed to the status manager
(to write only what changed, and to keep the conditions' transition times).  As JSON a
Running pod's status is about 1.3 kB, nearly all of it the same for every pod: keys,
condition types, the image and its digest.  Deflated with a dictionary that holds those
shared parts, it is about 250 bytes; inflating it again takes microseconds, and happens
only when the worker wakes.
"""

from __future__ import annotations

import zlib

from kitlib.sim.store.packing import Codec

#: What pod statuses have in common (a Running pod, a waiting container, a terminated
#: one), as deflate's preset dictionary: the most common text last.
_SHARED = (
    b'{"state":{"waiting":{"reason":"ContainerCreating"}},"lastState":{"terminated":'
    b'{"exitCode":0,"reason":"Completed","startedAt":"2025-01-01T00:00:00Z","finishedAt":'
    b'"2025-01-01T00:00:00Z","containerID":"containerd://"}},"ready":false,"restartCount":0,'
    b'"message":"","reason":"CrashLoopBackOff","ImagePullBackOff","ErrImagePull",'
    b'"phase":"Pending","Succeeded","Failed","nominatedNodeName","initContainerStatuses":'
    b'"qosClass":"BestEffort","Burstable","Guaranteed","resources":{},'
    b'{"phase":"Running","conditions":[{"type":"PodReadyToStartContainers","status":"True",'
    b'"lastProbeTime":null,"lastTransitionTime":"2025-01-01T00:00:00Z"},{"type":"Initialized",'
    b'"status":"True","lastProbeTime":null,"lastTransitionTime":"2025-01-01T00:00:00Z"},'
    b'{"type":"Ready","status":"True","lastProbeTime":null,"lastTransitionTime":'
    b'"2025-01-01T00:00:00Z"},{"type":"ContainersReady","status":"True","lastProbeTime":null,'
    b'"lastTransitionTime":"2025-01-01T00:00:00Z"},{"type":"PodScheduled","status":"True",'
    b'"lastProbeTime":null,"lastTransitionTime":"2025-01-01T00:00:00Z"}],"hostIP":"172.18.0.2",'
    b'"hostIPs":[{"ip":"172.18.0.2"}],"podIP":"10.244.0.3","podIPs":[{"ip":"10.244.0.3"}],'
    b'"startTime":"2025-01-01T00:00:00Z","containerStatuses":[{"name":"web","state":'
    b'{"running":{"startedAt":"2025-01-01T00:00:00Z"}},"lastState":{},"ready":true,'
    b'"restartCount":0,"image":"docker.io/library/nginx:1.25","imageID":'
    b'"docker.io/library/nginx@sha256:","containerID":"containerd://","started":true,'
    b'"volumeMounts":[{"name":"kube-api-access-","mountPath":'
    b'"/var/run/secrets/kubernetes.io/serviceaccount","readOnly":true,'
    b'"recursiveReadOnly":"Disabled"}]}],"qosClass":"BestEffort"}')

_codec: Codec | None = None


def pack(raw: bytes) -> bytes:
    """``raw`` (a status as JSON), deflated with the shared dictionary."""
    global _codec
    if _codec is None:
        _codec = Codec(_SHARED)
    return _codec.pack(raw)


def unpack(packed: bytes) -> bytes:
    return zlib.decompressobj(15, _SHARED).decompress(packed)
