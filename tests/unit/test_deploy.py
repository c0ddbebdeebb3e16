"""deploy/: the KubeRay manifests validate against Kubernetes' schemas and agree with each other.

No Kubernetes cluster can be started here, so the built-in kinds are checked
offline with `kubernetes-validate` (the schemas of the newest Kubernetes it
ships), the way `kubectl kustomize deploy/kuberay` would assemble them; the
RayCluster (KubeRay's own kind) is checked for what the rest relies on.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import kubernetes_validate  # type: ignore[import-untyped]
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
KUBERAY = REPO / "deploy" / "kuberay"
BUILT_IN = {"Namespace", "PersistentVolumeClaim", "Deployment", "Service"}


def kustomization() -> Mapping[str, Any]:
    document: Mapping[str, Any] = yaml.safe_load((KUBERAY / "kustomization.yaml").read_text())
    return document


def resources() -> list[dict[str, Any]]:
    """Every document the kustomization lists, in order."""
    found: list[dict[str, Any]] = []
    for name in kustomization()["resources"]:
        found += [doc for doc in yaml.safe_load_all((KUBERAY / name).read_text()) if doc]
    return found


def by_kind(kind: str) -> dict[str, Any]:
    [found] = [doc for doc in resources() if doc["kind"] == kind]
    return found


def test_the_kustomization_lists_every_manifest_and_each_exists() -> None:
    listed = set(kustomization()["resources"])

    assert listed == {p.name for p in KUBERAY.glob("*.yaml")} - {"kustomization.yaml"}
    assert {doc["kind"] for doc in resources()} == BUILT_IN | {"RayCluster"}


@pytest.mark.parametrize("kind", sorted(BUILT_IN))
def test_each_built_in_kind_validates_strictly(kind: str) -> None:
    version = kubernetes_validate.latest_version()

    kubernetes_validate.validate(by_kind(kind), version, strict=True)


def test_the_validator_refuses_a_misspelt_field() -> None:
    deployment = by_kind("Deployment")
    deployment["spec"]["replica"] = deployment["spec"].pop("replicas")

    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, kubernetes_validate.latest_version(), strict=True)


def test_the_server_points_at_the_ray_clusters_head_service_with_the_same_image() -> None:
    cluster = by_kind("RayCluster")
    [serve] = by_kind("Deployment")["spec"]["template"]["spec"]["containers"]
    head = cluster["spec"]["headGroupSpec"]["template"]["spec"]["containers"]
    workers = [
        container
        for group in cluster["spec"]["workerGroupSpecs"]
        for container in group["template"]["spec"]["containers"]
    ]

    assert cluster["apiVersion"] == "ray.io/v1"
    # KubeRay names the head's Service <cluster>-head-svc; 6379 is its GCS port.
    assert f"--cluster={cluster['metadata']['name']}-head-svc:6379" in serve["args"]
    images = {c["image"] for c in [serve, *head, *workers]}
    assert images == {image["name"] for image in kustomization()["images"]}
    # The head runs no workers; each worker pod offers CPUs for worker actors.
    assert cluster["spec"]["headGroupSpec"]["rayStartParams"]["num-cpus"] == "0"
    assert all(c["resources"]["limits"]["cpu"] for c in workers)


def test_the_image_installs_extras_the_package_defines() -> None:
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    dockerfile = (REPO / "deploy" / "Dockerfile").read_text()

    assert 'pip install ".[ray,server]"' in dockerfile
    assert {"ray", "server"} <= set(extras)
