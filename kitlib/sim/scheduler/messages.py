"""The text of a scheduling failure, as kube-scheduler 1.32 writes it.

``FitError.Error()``: ``0/N nodes are available:``, then either the PreFilter message or
a histogram of the filter reasons -- "<count> <reason>" for every distinct reason, sorted
as strings (so "10 ..." sorts before "2 ...") and joined by ", " -- and a full stop; then
the PostFilter (preemption) message, itself a FitError text after ``preemption: ``.
Nodes that were never filtered (a PreFilter narrowed the candidates) count under one
"absent" reason.  For example::

    0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/
    control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3
    nodes are available: 3 Preemption is not helpful for scheduling.

The same text is the FailedScheduling event's note (cut to 1024 bytes) and the
PodScheduled condition's message.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Mapping, Sequence

#: ErrNoNodesAvailable: the cluster has no nodes at all.
NO_NODES = "no nodes available to schedule pods"
#: What the preemption FitError says of nodes where evicting pods cannot help.
NOT_HELPFUL = "Preemption is not helpful for scheduling"
#: What it says of nodes with nothing of lower priority to evict.
NO_VICTIMS = "No preemption victims found for incoming pod"
#: PodEligibleToPreemptOthers, for a pod with preemptionPolicy: Never.
NEVER_PREEMPTS = "not eligible due to preemptionPolicy=Never."
#: ... and for one whose earlier victims are still shutting down.
TERMINATING_VICTIM = "not eligible due to a terminating pod on the nominated node."
#: NodeAffinity PreFilter, when the metadata.name terms leave no node at all.
TERMS_CONFLICT = "pod affinity terms conflict"
#: events.k8s.io note length limit (validation.NoteLengthLimit).
NOTE_LIMIT = 1024


def absent_reason(plugins: Iterable[str]) -> str:
    """The status of nodes a PreFilter result left out."""
    return f"node(s) didn't satisfy plugin(s) [{' '.join(sorted(plugins))}]"


def histogram(reasons: Iterable[Sequence[str]], *, absent: int = 0,
              absent_reasons: Sequence[str] = ()) -> list[str]:
    """``"<count> <reason>"`` per distinct reason, in Go's sort.Strings order."""
    counts: Counter[str] = Counter()
    for node_reasons in reasons:
        for reason in node_reasons:
            counts[reason] += 1
    if absent > 0:
        for reason in absent_reasons:
            counts[reason] += absent
    # Go compares the UTF-8 bytes; code point order is the same thing.
    return sorted(f"{count} {reason}" for reason, count in counts.items())


def fit_error(num_all_nodes: int, statuses: Mapping[str, Sequence[str]], *,
              absent_reasons: Sequence[str] = (), prefilter: str = "",
              postfilter: str = "") -> str:
    """FitError.Error() for ``statuses`` (node name -> reasons) out of ``num_all_nodes``."""
    text = f"0/{num_all_nodes} nodes are available:"
    if prefilter:
        text += f" {prefilter}."
    else:
        items = histogram(statuses.values(), absent=num_all_nodes - len(statuses),
                          absent_reasons=absent_reasons)
        if items:
            text += f" {', '.join(items)}."
    if postfilter:
        text += f" {postfilter}"
    return text


def preemption(num_all_nodes: int, statuses: Mapping[str, Sequence[str]]) -> str:
    """DefaultPreemption's message when no node can be freed up for the pod."""
    return "preemption: " + fit_error(num_all_nodes, statuses, absent_reasons=(NOT_HELPFUL,))


def truncate_note(message: str) -> str:
    """truncateMessage: an event note longer than 1024 bytes ends in `` ...``."""
    data = message.encode()
    if len(data) <= NOTE_LIMIT:
        return message
    suffix = " ..."
    return data[:NOTE_LIMIT - len(suffix)].decode(errors="ignore") + suffix


def scheduled(namespace: str, name: str, node: str) -> str:
    """The Normal/Scheduled event's note."""
    return f"Successfully assigned {namespace}/{name} to {node}"
