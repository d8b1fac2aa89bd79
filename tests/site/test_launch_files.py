"""The files behind the launch buttons (Binder builds environment.yml -> requirements.txt).

The pins of requirements.txt must be the versions of requirements.lock, so that a reader on
Binder runs the notebooks with the packages the book was built and tested with.
"""

from __future__ import annotations

import re

import yaml
from sitecheck import ROOT

PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;#]+)")


def _pins(text: str) -> dict[str, str]:
    pins = {}
    for line in text.splitlines():
        if m := PIN.match(line.strip()):
            pins[re.sub(r"[-_.]+", "-", m.group(1)).lower()] = m.group(2)
    return pins


def test_requirements_txt_pins_match_the_lock():
    req = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    lock = _pins((ROOT / "requirements.lock").read_text(encoding="utf-8"))
    pins = _pins(req)
    assert {"numpy", "scipy", "matplotlib", "ipywidgets"} <= set(pins), pins
    differ = {k: (v, lock.get(k)) for k, v in pins.items() if lock.get(k) != v}
    assert not differ, f"requirements.txt pins that differ from requirements.lock: {differ}"
    lines = [ln.strip() for ln in req.splitlines() if ln.strip() and not ln.startswith("#")]
    assert "." in lines, "requirements.txt must install the course package itself ('.')"


def test_environment_yml_builds_python_311_from_requirements_txt():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    deps = env["dependencies"]
    assert "python=3.11" in deps
    pip = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    assert pip == ["-r requirements.txt"]
