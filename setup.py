"""Wheels are installed builds: build_py writes caseworker_app/_build_kind.py into them.

The metadata is in pyproject.toml. An editable install (`pip install -e .`, the developer
setup) is a source checkout and gets no such module, so it keeps reading CASEWORKER_POLICY.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

# The same text as caseworker_app.buildinfo.BUILD_KIND_SOURCE (setup.py cannot import the package).
BUILD_KIND_SOURCE = (
    '"""Written when this copy was built: an installed build, which never reads CASEWORKER_POLICY."""\n'
    "INSTALLED = True\n"
)


class BuildPyWithKind(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "caseworker_app" / "_build_kind.py"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(BUILD_KIND_SOURCE, encoding="utf-8")

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = list(super().get_outputs(include_bytecode))
        if not getattr(self, "editable_mode", False):
            outputs.append(str(Path(self.build_lib) / "caseworker_app" / "_build_kind.py"))
        return outputs


setup(cmdclass={"build_py": BuildPyWithKind})
