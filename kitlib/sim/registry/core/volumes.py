"""Validation of a pod's volumes (ValidateVolumes in pkg/apis/core/validation).

Each volume needs a DNS-1123 label for a name, unique in the pod, and exactly one source;
the common sources (emptyDir, hostPath, configMap, secret, persistentVolumeClaim,
projected, downwardAPI, ephemeral, csi, nfs) are checked field by field, the rarer cloud
sources for their required fields.  Volumes that fail are left out of the returned map, so
mounts that name them are reported as not found, as on a real server.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kitlib.sim.machinery.errors import FieldError, forbidden, invalid, not_supported, required
from kitlib.sim.machinery.quantity import QuantityError, parse_quantity
from kitlib.sim.machinery.validation import (is_dns1123_subdomain, validate_annotations,
                                             validate_labels)
from kitlib.sim.registry.core.containers import (local_descending_path, validate_dns_label,
                                                 validate_object_field_selector,
                                                 validate_resource_field_selector)

#: Volume sources in the order Go checks them, with the path segment its errors use.
_SOURCES = (("emptyDir", "emptyDir"), ("hostPath", "hostPath"), ("gitRepo", "gitRepo"),
            ("gcePersistentDisk", "persistentDisk"),
            ("awsElasticBlockStore", "awsElasticBlockStore"), ("secret", "secret"),
            ("nfs", "nfs"), ("iscsi", "iscsi"), ("glusterfs", "glusterfs"),
            ("flocker", "flocker"), ("persistentVolumeClaim", "persistentVolumeClaim"),
            ("rbd", "rbd"), ("cinder", "cinder"), ("cephfs", "cephfs"),
            ("quobyte", "quobyte"), ("downwardAPI", "downwardAPI"), ("fc", "fc"),
            ("flexVolume", "flexVolume"), ("configMap", "configMap"),
            ("azureFile", "azureFile"), ("vsphereVolume", "vsphereVolume"),
            ("photonPersistentDisk", "photonPersistentDisk"),
            ("portworxVolume", "portworxVolume"), ("azureDisk", "azureDisk"),
            ("storageos", "storageos"), ("projected", "projected"), ("scaleIO", "scaleIO"),
            ("csi", "csi"), ("ephemeral", "ephemeral"), ("image", "image"))
# What "may not specify more than 1 volume type" names each source (downwarAPI sic).
_FORBIDDEN_NAMES = {"cephfs": "cephFS", "downwardAPI": "downwarAPI"}
_REQUIRED_KEYS = {
    "hostPath": ("path",), "gitRepo": ("repository",), "gcePersistentDisk": ("pdName",),
    "awsElasticBlockStore": ("volumeID",), "nfs": ("server", "path"),
    "iscsi": ("targetPortal", "iqn"), "glusterfs": ("endpoints", "path"),
    "persistentVolumeClaim": ("claimName",), "rbd": ("monitors", "image"),
    "cinder": ("volumeID",), "cephfs": ("monitors",), "flexVolume": ("driver",),
    "azureFile": ("secretName", "shareName"), "vsphereVolume": ("volumePath",),
    "photonPersistentDisk": ("pdID",), "portworxVolume": ("volumeID",),
    "azureDisk": ("diskName", "diskURI"), "scaleIO": ("gateway", "system", "volumeName"),
    "storageos": ("volumeName",), "quobyte": ("registry", "volume"), "secret": ("secretName",),
    "configMap": ("name",),
}
_HOST_PATH_TYPES = ("", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File",
                    "FileOrCreate", "Socket")
_VOLUME_FIELD_PATHS = ("metadata.annotations", "metadata.labels", "metadata.name",
                       "metadata.namespace", "metadata.uid")
_FILE_MODE_ERROR = "must be a number between 0 and 0777 (octal), both inclusive"
_ACCESS_MODES = ("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod")


def _d(value: Any) -> Mapping[str, Any]:
    # A dict first: the ABC check is slow, and this runs for every field.
    return value if type(value) is dict or isinstance(value, Mapping) else {}


def _l(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _mode(value: Any, path: str) -> list[FieldError]:
    if isinstance(value, int) and not 0 <= value <= 0o777:
        return [invalid(path, value, _FILE_MODE_ERROR)]
    return []


def _local_non_reserved(target: str, path: str) -> list[FieldError]:
    errs = local_descending_path(target, path)
    if target.startswith("..") and not target.startswith("../"):
        errs.append(invalid(path, target, "must not start with '..'"))
    return errs


def _key_to_paths(items: Any, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, item in enumerate(_l(items)):
        item, ipath = _d(item), f"{path}[{i}]"
        key, target = str(item.get("key") or ""), str(item.get("path") or "")
        if not key:
            errs.append(required(f"{ipath}.key"))
        if not target:
            errs.append(required(f"{ipath}.path"))
        errs += _local_non_reserved(target, f"{ipath}.path")
        errs += _mode(item.get("mode"), f"{ipath}.mode")
    return errs


def _downward_files(items: Any, path: str) -> list[FieldError]:
    # Go reports these at the downwardAPI path itself, not per item.
    errs: list[FieldError] = []
    for item in _l(items):
        item = _d(item)
        target = str(item.get("path") or "")
        if not target:
            errs.append(required(f"{path}.path"))
        errs += _local_non_reserved(target, f"{path}.path")
        if isinstance(item.get("fieldRef"), Mapping):
            errs += validate_object_field_selector(item["fieldRef"], _VOLUME_FIELD_PATHS,
                                                   f"{path}.fieldRef")
            if isinstance(item.get("resourceFieldRef"), Mapping):
                errs.append(invalid(path, "resource", "fieldRef and resourceFieldRef can not "
                                                      "be specified simultaneously"))
        elif isinstance(item.get("resourceFieldRef"), Mapping):
            errs += validate_resource_field_selector(item["resourceFieldRef"],
                                                     f"{path}.resourceFieldRef", volume=True)
        else:
            errs.append(required(path, "one of fieldRef and resourceFieldRef is required"))
        errs += _mode(item.get("mode"), f"{path}.mode")
    return errs


def _projected(source: Mapping[str, Any], path: str) -> list[FieldError]:
    errs = _mode(source.get("defaultMode"), f"{path}.defaultMode")
    for i, projection in enumerate(_l(source.get("sources"))):
        projection, spath = _d(projection), f"{path}.sources[{i}]"
        count = 0
        for key in ("secret", "configMap"):
            if isinstance(projection.get(key), Mapping):
                count += 1
                if not projection[key].get("name"):
                    errs.append(required(f"{spath}.{key}.name"))
                errs += _key_to_paths(projection[key].get("items"), f"{spath}.{key}.items")
        if isinstance(projection.get("downwardAPI"), Mapping):
            count += 1
            errs += _downward_files(projection["downwardAPI"].get("items"),
                                    f"{spath}.downwardAPI")
        token = projection.get("serviceAccountToken")
        if isinstance(token, Mapping):
            count += 1
            seconds = token.get("expirationSeconds", 0)
            if isinstance(seconds, int) and seconds < 600:
                errs.append(invalid(f"{spath}.serviceAccountToken.expirationSeconds", seconds,
                                    "may not specify a duration less than 10 minutes"))
            if isinstance(seconds, int) and seconds > 1 << 32:
                errs.append(invalid(f"{spath}.serviceAccountToken.expirationSeconds", seconds,
                                    "may not specify a duration larger than 2^32 seconds"))
            if not token.get("path"):
                errs.append(required(f"{path}.path"))
            else:
                errs += _local_non_reserved(str(token["path"]), f"{path}.path")
        if count > 1:
            errs.append(forbidden(spath, "may not specify more than 1 volume type per source"))
    return errs


def _ephemeral(source: Mapping[str, Any], path: str) -> list[FieldError]:
    template = source.get("volumeClaimTemplate")
    tpath = f"{path}.volumeClaimTemplate"
    if not isinstance(template, Mapping):
        return [required(tpath)]
    meta = _d(template.get("metadata"))
    errs = validate_annotations(meta.get("annotations"), f"{tpath}.metadata.annotations")
    errs += validate_labels(meta.get("labels"), f"{tpath}.metadata.labels")
    spec = _d(template.get("spec"))
    modes = _l(spec.get("accessModes"))
    if not modes:
        errs.append(required(f"{tpath}.spec.accessModes", "at least 1 access mode is required"))
    for mode in modes:
        if mode not in _ACCESS_MODES:
            errs.append(not_supported(f"{tpath}.spec.accessModes", mode, _ACCESS_MODES))
    storage = _d(_d(spec.get("resources")).get("requests")).get("storage")
    storage_path = f"{tpath}.spec.resources[storage]"
    if storage is None:
        errs.append(required(storage_path))
    else:
        try:
            amount = parse_quantity(storage)
        except QuantityError:
            amount = None
        if amount is not None and amount.value <= 0:
            errs.append(invalid(storage_path, str(amount), "must be greater than zero"))
    return errs


def _validate_source(volume: Mapping[str, Any], path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    count = 0
    for key, segment in _SOURCES:
        source = volume.get(key)
        if source is None or not isinstance(source, Mapping):    # None: skip the slow ABC check
            continue
        if count:
            errs.append(forbidden(f"{path}.{_FORBIDDEN_NAMES.get(key, key)}",
                                  "may not specify more than 1 volume type"))
            continue
        count += 1
        spath = f"{path}.{segment}"
        errs += [required(f"{spath}.{field}") for field in _REQUIRED_KEYS.get(key, ())
                 if not source.get(field)]
        if key == "emptyDir" and source.get("sizeLimit") is not None:
            try:
                negative = parse_quantity(source["sizeLimit"]).value < 0
            except QuantityError:
                negative = False
            if negative:
                errs.append(forbidden(f"{spath}.sizeLimit",
                                      "SizeLimit field must be a valid resource quantity"))
        elif key == "hostPath" and source.get("path"):
            errs += _local_descending_backsteps(str(source["path"]), f"{spath}.path")
            kind = source.get("type")
            if kind is not None and kind not in _HOST_PATH_TYPES:
                errs.append(not_supported(f"{spath}.type", kind, _HOST_PATH_TYPES))
        elif key in ("secret", "configMap"):
            errs += _mode(source.get("defaultMode"), f"{spath}.defaultMode")
            errs += _key_to_paths(source.get("items"), f"{spath}.items")
        elif key == "downwardAPI":
            errs += _mode(source.get("defaultMode"), f"{spath}.defaultMode")
            errs += _downward_files(source.get("items"), spath)
        elif key == "projected":
            errs += _projected(source, spath)
        elif key == "nfs" and source.get("path") and not str(source["path"]).startswith("/"):
            errs.append(invalid(f"{spath}.path", source["path"], "must be an absolute path"))
        elif key == "ephemeral":
            errs += _ephemeral(source, spath)
        elif key == "csi":
            driver = str(source.get("driver") or "")
            if not driver:
                errs.append(required(f"{spath}.driver"))
            if len(driver) > 63:
                errs.append(FieldError("FieldValueTooLong", f"{spath}.driver",
                                       detail="may not be more than 63 bytes"))
            errs += [invalid(f"{spath}.driver", driver, msg)
                     for msg in is_dns1123_subdomain(driver.lower())]
    if count == 0:
        errs.append(required(path, "must specify a volume type"))
    return errs


def _local_descending_backsteps(target: str, path: str) -> list[FieldError]:
    if ".." in target.replace("\\", "/").split("/"):
        return [invalid(path, target, "must not contain '..'")]
    return []


def validate_volumes(volumes: Any, path: str) -> tuple[dict[str, Mapping[str, Any]],
                                                         list[FieldError]]:
    """The volumes by name (only those without errors), and the errors."""
    good: dict[str, Mapping[str, Any]] = {}
    names: set[str] = set()
    errs: list[FieldError] = []
    for i, volume in enumerate(_l(volumes)):
        volume, ipath = _d(volume), f"{path}[{i}]"
        name = str(volume.get("name") or "")
        own = _validate_source(volume, ipath)
        if not name:
            own.append(required(f"{ipath}.name"))
        else:
            own += validate_dns_label(name, f"{ipath}.name")
        if name in names:
            own.append(FieldError("FieldValueDuplicate", f"{ipath}.name", name))
        if own:
            errs += own
        else:
            names.add(name)
            good[name] = volume
    return good, errs
