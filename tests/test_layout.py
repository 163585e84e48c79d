"""Run-time code stays apart from training and storage code.

Extraction (``cronica.extract``) must run without the store's SQLAlchemy, without the
training package ``cronica.train`` and without training-only libraries (PyTorch,
scikit-learn): a fresh interpreter that imports the stage, builds the extractor and
extracts articles must not load any of them, and no file under ``src/cronica/extract``
may import ``cronica.train``, ``cronica.store`` or ``sqlalchemy``.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "cronica"
EXTRACT = SRC / "extract"
FORBIDDEN_AT_RUN_TIME = ("sqlalchemy", "cronica.store", "cronica.train", "torch", "sklearn")
FORBIDDEN_IMPORTS = ("cronica.train", "cronica.store", "sqlalchemy")


def _loaded_in_fresh_python(body: str) -> list[str]:
    """Run ``body`` in a new interpreter; return the forbidden modules it loaded."""
    code = textwrap.dedent(body) + textwrap.dedent(f"""
        import json, sys
        bad = {FORBIDDEN_AT_RUN_TIME!r}
        print(json.dumps(sorted(m for m in sys.modules
                                if any(m == b or m.startswith(b + ".") for b in bad))))
        """)
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=600, cwd=SRC.parents[1])
    assert res.returncode == 0, res.stderr[-3000:]
    return json.loads(res.stdout.strip().splitlines()[-1])


def test_importing_extract_and_building_the_extractor_loads_no_training_or_store_code():
    loaded = _loaded_in_fresh_python("""
        import importlib, pkgutil
        import cronica.extract
        extractor = cronica.extract.Extractor()
        for info in pkgutil.iter_modules(cronica.extract.__path__):  # every module of the stage
            importlib.import_module(f"cronica.extract.{info.name}")
        """)
    assert loaded == [], f"run-time extraction imported {loaded}"


@pytest.mark.slow
def test_extracting_articles_loads_no_training_or_store_code():
    loaded = _loaded_in_fresh_python("""
        import cronica.extract
        from cronica.records import Document

        texts = [("en", "Gunmen killed three police officers in an ambush near Tumaco, Colombia, "
                        "on Saturday, the army said. The attack was blamed on the ELN."),
                 ("es", "Hombres armados mataron a tres policías en una emboscada cerca de "
                        "Tumaco, Colombia, el pasado sábado, informó el ejército.")]
        docs = [Document(id=f"doc_{lang}", text=t, language=lang, published="2021-05-15")
                for lang, t in texts]
        results = list(cronica.extract.Extractor().extract_many(docs))
        assert all(r.incidents for r in results), [r.to_dict() for r in results]
        """)
    assert loaded == [], f"run-time extraction imported {loaded}"


def _imports(path: Path, root: Path = SRC.parent) -> list[tuple[int, str]]:
    """(line, module) for every import in ``path`` (a module under the source root
    ``root``), relative imports made absolute, plus ``importlib.import_module("...")`` /
    ``__import__("...")`` with a literal name."""
    pkg = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    out: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = pkg.split(".")[: len(pkg.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            out.append((node.lineno, base))
            out += [(node.lineno, f"{base}.{a.name}") for a in node.names]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            if name in ("import_module", "__import__"):
                out.append((node.lineno, node.args[0].value))
    return out


def test_the_import_finder_sees_every_form(tmp_path):
    probe = tmp_path / "cronica" / "extract" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text(textwrap.dedent("""
        import sqlalchemy.orm
        from ..store import api
        from .. import train
        from . import dates
        def f():
            import importlib
            return importlib.import_module("cronica.train.muc4_roles")
        """), encoding="utf-8")
    found = {m for _, m in _imports(probe, root=tmp_path)}
    assert {"sqlalchemy.orm", "cronica.store", "cronica.train", "cronica.extract.dates",
            "cronica.train.muc4_roles"} <= found


def test_no_extract_module_imports_training_or_store_code():
    files = sorted(EXTRACT.rglob("*.py"))
    assert len(files) > 10
    bad = [f"{p.relative_to(SRC.parents[1])}:{line}: imports {mod}"
           for p in files for line, mod in _imports(p)
           if any(mod == b or mod.startswith(b + ".") for b in FORBIDDEN_IMPORTS)]
    assert not bad, "\n".join(bad)


def test_training_code_lives_in_cronica_train():
    assert not list(EXTRACT.glob("*train*.py")), "training code belongs in src/cronica/train/"
    init = SRC / "train" / "__init__.py"
    assert "never imported at run time" in init.read_text(encoding="utf-8").lower()
    assert (SRC / "train" / "muc4_roles.py").is_file() and (SRC / "train" / "muc4_roles_nn.py").is_file()
