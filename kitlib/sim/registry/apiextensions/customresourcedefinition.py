"""CustomResourceDefinitions: served so that clients can ask, never stored.

kubectl lists ``/apis/apiextensions.k8s.io/v1/customresourcedefinitions`` whenever a
manifest names a kind the server's schema does not know, to tell a custom resource whose
definition is missing from a typo (``no matches for kind "Deploymnt" in version
"apps/v1"`` / ``ensure CRDs are installed first``).  A cluster without that group makes
kubectl fail earlier with ``failed to check CRD: failed to list CRDs``, which no learner
on a real cluster ever sees.

The simulator does not serve custom resources, so it holds no definitions: the resource is
read-only.  Discovery offers only ``get``, ``list`` and ``watch``; lists are empty, a get is
a NotFound, a watch sees nothing; a create, update, patch or delete is refused by the API
server with 405 MethodNotAllowed (``the server does not allow this method on the
requested resource``), before its body is read.  The strategy below also refuses any
write that reaches the registry another way (in-process clients), with a message that
says why.
"""

from __future__ import annotations

from typing import Any

from kitlib.sim.machinery.errors import StatusError
from kitlib.sim.registry.base import Strategy

JSON = dict[str, Any]

#: The verbs offered in discovery: what the simulator really does with this resource.
READ_ONLY_VERBS = ("get", "list", "watch")

UNSUPPORTED = ("the simulated cluster does not support custom resources: "
               "customresourcedefinitions can be listed and watched, not created or changed")


def refusal() -> StatusError:
    """The answer to a write of a CustomResourceDefinition."""
    return StatusError(UNSUPPORTED, code=405, reason="MethodNotAllowed", details={})


class CustomResourceDefinitionStrategy(Strategy):
    """Refuses every write: no definition is ever stored."""

    def default(self, obj: JSON) -> None:
        raise refusal()
