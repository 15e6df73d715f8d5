import subprocess
import sys


def test_core_imports_neither_flask_nor_sqlalchemy() -> None:
    code = (
        "import sys, pkgutil, importlib, quizapp.core as core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'quizapp.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in "
        "('flask', 'sqlalchemy', 'werkzeug') or n.startswith(('quizapp.data', "
        "'quizapp.web', 'quizapp.services')))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"quizapp.core pulled in: {result.stdout.strip()}"


def test_nothing_imports_the_web_layer() -> None:
    import pathlib

    root = pathlib.Path(__file__).parent.parent / "quizapp"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "web" not in path.relative_to(root).parts[:1]
        and ("from quizapp.web" in path.read_text() or "import quizapp.web" in path.read_text())
        and str(path.relative_to(root)) != "__init__.py"  # the app factory wires it in
    ]
    assert offenders == []
