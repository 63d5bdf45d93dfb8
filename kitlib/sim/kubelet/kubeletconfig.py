"""The kubelet's configuration, as ``/configz`` shows it on a node of a kind cluster.

A kubelet started by kubeadm reads ``/var/lib/kubelet/config.yaml`` (a
KubeletConfiguration), adds its command-line flags and its defaults, and serves the result
at ``/configz`` (``kubectl get --raw /api/v1/nodes/NODE/proxy/configz``).  Lessons use it to
show where settings such as ``maxPods``, ``clusterDNS`` or the eviction thresholds live.
The values are kind's (v0.27, Kubernetes 1.32): its eviction thresholds of 0%, an image GC
threshold of 100%, the systemd cgroup driver, containerd's socket.
"""

from __future__ import annotations

import copy
from typing import Any

from kitlib.sim.kubelet.node import CAPACITY, LEASE_DURATION, NodeIdentity

JSON = dict[str, Any]

CLUSTER_DNS = "10.96.0.10"

_CONFIG: JSON = {
    "enableServer": True,
    "staticPodPath": "/etc/kubernetes/manifests",
    "podLogsDir": "/var/log/pods",
    "syncFrequency": "1m0s",
    "fileCheckFrequency": "20s",
    "httpCheckFrequency": "20s",
    "address": "0.0.0.0",
    "port": 10250,
    "tlsCertFile": "/var/lib/kubelet/pki/kubelet.crt",
    "tlsPrivateKeyFile": "/var/lib/kubelet/pki/kubelet.key",
    "rotateCertificates": True,
    "authentication": {"x509": {"clientCAFile": "/etc/kubernetes/pki/ca.crt"},
                       "webhook": {"enabled": True, "cacheTTL": "2m0s"},
                       "anonymous": {"enabled": False}},
    "authorization": {"mode": "Webhook", "webhook": {"cacheAuthorizedTTL": "5m0s",
                                                     "cacheUnauthorizedTTL": "30s"}},
    "registryPullQPS": 5,
    "registryBurst": 10,
    "eventRecordQPS": 50,
    "eventBurst": 100,
    "enableDebuggingHandlers": True,
    "healthzPort": 10248,
    "healthzBindAddress": "127.0.0.1",
    "oomScoreAdj": -999,
    "clusterDomain": "cluster.local",
    "clusterDNS": [CLUSTER_DNS],
    "streamingConnectionIdleTimeout": "4h0m0s",
    "nodeStatusUpdateFrequency": "10s",
    "nodeStatusReportFrequency": "5m0s",
    "nodeLeaseDurationSeconds": LEASE_DURATION,
    "imageMinimumGCAge": "2m0s",
    "imageMaximumGCAge": "0s",
    "imageGCHighThresholdPercent": 100,
    "imageGCLowThresholdPercent": 80,
    "volumeStatsAggPeriod": "1m0s",
    "cgroupRoot": "/kubelet",
    "cgroupsPerQOS": True,
    "cgroupDriver": "systemd",
    "cpuManagerPolicy": "none",
    "cpuManagerReconcilePeriod": "10s",
    "memoryManagerPolicy": "None",
    "topologyManagerPolicy": "none",
    "topologyManagerScope": "container",
    "runtimeRequestTimeout": "2m0s",
    "hairpinMode": "promiscuous-bridge",
    "maxPods": int(CAPACITY["pods"]),
    "podPidsLimit": -1,
    "resolvConf": "/etc/resolv.conf",
    "cpuCFSQuota": True,
    "cpuCFSQuotaPeriod": "100ms",
    "nodeStatusMaxImages": 50,
    "maxOpenFiles": 1000000,
    "contentType": "application/vnd.kubernetes.protobuf",
    "kubeAPIQPS": 50,
    "kubeAPIBurst": 100,
    "serializeImagePulls": True,
    "evictionHard": {"imagefs.available": "0%", "nodefs.available": "0%",
                     "nodefs.inodesFree": "0%"},
    "evictionPressureTransitionPeriod": "5m0s",
    "enableControllerAttachDetach": True,
    "makeIPTablesUtilChains": True,
    "iptablesMasqueradeBit": 14,
    "iptablesDropBit": 15,
    "failSwapOn": False,
    "memorySwap": {},
    "containerLogMaxSize": "10Mi",
    "containerLogMaxFiles": 5,
    "containerLogMaxWorkers": 1,
    "containerLogMonitorInterval": "10s",
    "configMapAndSecretChangeDetectionStrategy": "Watch",
    "enforceNodeAllocatable": ["pods"],
    "volumePluginDir": "/usr/libexec/kubernetes/kubelet-plugins/volume/exec/",
    "logging": {"format": "text", "flushFrequency": "5s", "verbosity": 0,
                "options": {"text": {"infoBufferSize": "0"},
                            "json": {"infoBufferSize": "0"}}},
    "enableSystemLogHandler": True,
    "enableSystemLogQuery": False,
    "shutdownGracePeriod": "0s",
    "shutdownGracePeriodCriticalPods": "0s",
    "enableProfilingHandler": True,
    "enableDebugFlagsHandler": True,
    "seccompDefault": False,
    "memoryThrottlingFactor": 0.9,
    "registerNode": True,
    "localStorageCapacityIsolation": True,
    "containerRuntimeEndpoint": "unix:///run/containerd/containerd.sock",
    "failCgroupV1": False,
}


def configz(identity: NodeIdentity) -> JSON:
    """The body of ``/configz`` for one node."""
    config = copy.deepcopy(_CONFIG)
    config["providerID"] = f"kind://docker/{identity.cluster}/{identity.name}"
    return {"kubeletconfig": config}
