"""The engine behind ``homes.HOMES``: puts each row's home where the old name was.

A row names a module (``tensorflow.contrib.slim``) or an attribute of one
(``scipy.misc.imsave``). The engine fills in only what the running stack lacks, and
only under ``run``:

* a row under an already imported module is put there at once;
* a row under a module imported later is put there when that module has run (a
  finder at the head of ``sys.meta_path`` wraps the real loader);
* a row, or a path to one, that no library provides is made by the engine: importing
  it finds it, at any depth, and so does ``getattr`` on its parent.

Rows under ``tensorflow`` apply on TensorFlow 2 only (TF 1.15 has them all itself).
"""
import collections
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types
import warnings

Row = collections.namedtuple("Row", "old home needs")
Row.__new__.__defaults__ = (None,)


class Ref(object):
    """The object at ``"module.path:attribute"`` (or the module ``"module.path"``),
    imported on first use."""

    def __init__(self, target):
        self.target = target

    def build(self, name, engine):
        module, _, attrs = self.target.partition(":")
        found = importlib.import_module(module)
        for attr in attrs.split(".") if attrs else ():
            found = getattr(found, attr)
        return found


class Value(object):
    """A plain value (``np.NINF`` is ``-inf``)."""

    def __init__(self, value):
        self.value = value

    def build(self, name, engine):
        return self.value


class Call(Ref):
    """The module ``"module:function"()`` makes, once."""

    def build(self, name, engine):
        return Ref.build(self, name, engine)()


class View(object):
    """A module whose attributes come from ``refs``' objects, tried in order, after the
    table's own rows below it; a name none has is ``rest`` (see ``Package``)."""

    def __init__(self, *refs):
        self.refs = [Ref(ref) for ref in refs]  # "module" or "module:name.name"

    def build(self, name, engine):
        module = package(name)
        sources = self.refs

        def __getattr__(attr):
            if attr.startswith("__"):
                raise AttributeError(attr)
            found = engine.resolve(name + "." + attr)
            if found is not _MISSING:
                return found
            for source in sources:
                found = getattr(source.build(name, engine), attr, _MISSING)
                if found is not _MISSING:
                    return found
            return engine.rest(name, attr)

        module.__getattr__ = __getattr__
        return module


class Package(object):
    """An empty package: its names are the table's rows below it; any other name is
    ``rest`` (a message: which a stand-in from ``policy.Uncarried`` gives when used),
    inherited by everything below, or missing (None)."""

    def __init__(self, rest=None):
        self.rest = rest

    def build(self, name, engine):
        module = package(name)

        def __getattr__(attr):
            if attr.startswith("__"):
                raise AttributeError(attr)
            found = engine.resolve(name + "." + attr)
            return found if found is not _MISSING else engine.rest(name, attr)

        module.__getattr__ = __getattr__
        return module


class Own(object):
    """TensorFlow still has it; the row says which library it needs on TF 2.16+."""

    def build(self, name, engine):
        return _MISSING


OWN = Own()
_PATH = Package()  # a path to rows that is not a row itself (tensorflow.contrib.learn)
_MISSING = object()


def package(name, path=None, **attributes):
    """An empty package module named ``name`` holding ``attributes``."""
    module = types.ModuleType(name)
    module.__path__ = path or []
    module.__package__ = name
    module.__dict__.update(attributes)
    return module


def _importable(name):
    """Whether a real module ``name`` exists (found on disk, not imported)."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def missing(module, attr):
    """Whether ``module`` lacks ``attr`` (a lazy attribute that fails to load, or a
    deprecated one, counts as missing; its warning is not shown)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            getattr(module, attr)
        except Exception:  # noqa: BLE001 (a lazy module may fail in its own way)
            return True
    return False


class Engine(object):
    """The rows in force, and what was made of them."""

    def __init__(self, rows, stand_in):
        self.rows = {row.old: row for row in rows}
        self.stand_in = stand_in  # (module name, what) -> a stand-in module
        self.patched = set()
        self.made = set()  # the packages the engine made (Package, View, paths to rows)
        self.below = collections.defaultdict(set)  # module name -> names one level below
        for name in self.rows:
            parts = name.split(".")
            for i in range(1, len(parts)):
                self.below[".".join(parts[:i])].add(parts[i])

    # --- Resolving a name --------------------------------------------------------

    def resolve(self, name):
        """The home of ``name`` (a row, or a path to rows), made once and put in place;
        ``_MISSING`` if the table has nothing there."""
        if name in sys.modules:
            return sys.modules[name]
        row = self.rows.get(name)
        if row is None and name not in self.below:
            return _MISSING
        home = (row.home if row is not None else _PATH).build(name, self)
        if home is _MISSING:
            return _MISSING
        if isinstance(home, types.ModuleType):
            sys.modules.setdefault(name, home)
            if row is None or isinstance(row.home, (Package, View)):
                self.made.add(name)
        parent_name, _, attr = name.rpartition(".")
        parent = sys.modules.get(parent_name)
        if parent is not None and missing(parent, attr):
            setattr(parent, attr, home)
        self._patch_once(home, name)
        return home

    def rest(self, name, attr):
        """What stands at ``name.attr``, which the table lacks: the stand-in of the
        nearest row above with a ``rest``, else AttributeError."""
        parts, full = name.split("."), name + "." + attr
        for i in range(len(parts), 0, -1):
            row = self.rows.get(".".join(parts[:i]))
            if row is not None and getattr(row.home, "rest", None):
                if full not in sys.modules:  # one stand-in per name, at its import path
                    sys.modules[full] = self.stand_in(full, row.home.rest)
                    parent = sys.modules.get(name)
                    if parent is not None:
                        setattr(parent, attr, sys.modules[full])
                return sys.modules[full]
        raise AttributeError("module {!r} has no attribute {!r}".format(name, attr))

    # --- Putting rows in place --------------------------------------------------

    def patch(self, found, name=None):
        """Fill in what ``found`` (a module, or a class) lacks of the rows below it. A
        submodule not imported yet is left to the finder (it patches it once imported)."""
        name = name or found.__name__
        if isinstance(found, types.ModuleType) and not hasattr(found, "__path__") and \
                self._holds_modules(name):
            found.__path__ = []  # importable below (scipy.sparse.linalg.eigen.arpack)
        for attr in sorted(self.below.get(name, ())):
            full = name + "." + attr
            if full in self.below and isinstance(found, types.ModuleType) and \
                    full not in sys.modules and attr not in found.__dict__ and \
                    _importable(full):
                continue  # a real submodule not imported yet: the finder patches it
            if missing(found, attr):
                home = self.resolve(full)
                if home is _MISSING:
                    continue
                if missing(found, attr):
                    setattr(found, attr, home)
            else:
                home = getattr(found, attr)
            self._patch_once(home, full)

    def _holds_modules(self, name):
        """Whether a row one level below ``name`` is a module."""
        for attr in self.below.get(name, ()):
            row = self.rows.get(name + "." + attr)
            if row is None or isinstance(row.home, (Call, View, Package)) or \
                    isinstance(row.home, Ref) and ":" not in row.home.target:
                return True
        return False

    def _patch_once(self, found, name):
        if name in self.below and isinstance(found, (types.ModuleType, type)) and \
                name not in self.patched:
            self.patched.add(name)
            self.patch(found, name)

    def install(self):
        """Patch what is imported already; patch the rest as it is imported."""
        for name in sorted(self.below):
            if "." not in name and name in sys.modules:
                self._patch_once(sys.modules[name], name)
        sys.meta_path.insert(0, _Finder(self))


class _Finder(importlib.abc.MetaPathFinder):
    """Finds the table's modules that no library has, and wraps the loader of each real
    module that has rows below it, so that they are put in place once it has run."""

    def __init__(self, engine):
        self.engine = engine

    def find_spec(self, name, path=None, target=None):
        engine = self.engine
        parent = sys.modules.get(name.rpartition(".")[0])
        if getattr(type(parent), "stand_in_below", False):  # below a stand-in, at any depth
            return _spec(name, getattr(parent, name.rpartition(".")[2]))
        if name not in engine.rows and name not in engine.below:
            return self._below_ours(name, parent)
        spec = self._real(name, path, target)
        if spec is not None:
            if name in engine.below and spec.loader is not None:
                spec.loader = _Patching(spec.loader, engine)
            return spec
        home = engine.resolve(name)
        if not isinstance(home, types.ModuleType):
            return None
        return _spec(name, home)

    def _below_ours(self, name, parent):
        """The import of ``parent.attr`` below a row's module or a package the engine
        made: the module the attribute gives (``import tensorflow.contrib.tensor_forest``,
        a stand-in; ``tensorflow.contrib.learn.preprocessing.text``), if it is one."""
        parent_name, _, attr = name.rpartition(".")
        if parent is None or parent_name not in self.engine.made and \
                parent_name not in self.engine.rows:
            return None
        try:
            found = getattr(parent, attr)
        except AttributeError:
            return None
        if not isinstance(found, types.ModuleType):
            return None
        return _spec(name, found)

    def _real(self, name, path, target):
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                return spec
        return None


def _spec(name, module):
    """The spec that imports ``module`` at ``name``. Not left in ``sys.modules`` meanwhile:
    there the import system would take the module's own spec, and run a real one again."""
    if sys.modules.get(name) is module:
        del sys.modules[name]
    return importlib.util.spec_from_loader(name, _Made(module),
                                           is_package=hasattr(module, "__path__"))


class _Made(importlib.abc.Loader):
    """Gives the module the engine made, or found (a real one at its old path keeps its
    own ``__spec__``: importing it again by its own name must not run it again)."""

    def __init__(self, module):
        self.module = module
        self.own_spec = getattr(module, "__spec__", None)

    def create_module(self, spec):
        return self.module

    def exec_module(self, module):
        if self.own_spec is not None:
            module.__spec__ = self.own_spec


class _Patching(importlib.abc.Loader):
    """The real loader, then the rows below the module it ran."""

    def __init__(self, loader, engine):
        self.loader, self.engine = loader, engine

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        with warnings.catch_warnings():
            # The era's code never saw today's deprecation notices (scipy.misc's).
            warnings.simplefilter("ignore", DeprecationWarning)
            self.loader.exec_module(module)
        self.engine._patch_once(module, module.__name__)

    def __getattr__(self, attr):  # get_resource_reader, is_package, ... of the real one
        return getattr(self.loader, attr)
