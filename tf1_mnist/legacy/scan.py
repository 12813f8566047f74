"""What a TF1 script uses of TensorFlow, read from its source before it runs."""
import ast

# The module paths of TensorFlow that name what the script sees as ``tf``.
_TF_ROOTS = ("tensorflow.compat.v1", "tensorflow")


def _dotted(module):
    """'tensorflow.contrib.slim' -> 'tf.contrib.slim'; 'tensorflow.compat.v1' -> 'tf'."""
    for root in _TF_ROOTS:
        if module == root:
            return "tf"
        if module.startswith(root + "."):
            return "tf." + module[len(root) + 1:]
    return None


def _chain(node):
    """['tf', 'layers', 'dense'] for the expression ``tf.layers.dense``, else None."""
    names = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    names.append(node.id)
    return names[::-1]


def _tree(source):
    """``source`` parsed, unless it is a tree already (a notebook cell, as IPython
    transformed it)."""
    return source if isinstance(source, ast.AST) else ast.parse(source)


def api_uses(source, bound=None):
    """Sorted (line, 'tf.x.y') for each use of TensorFlow in the script (its text or
    tree): the longest attribute chain on a name bound to a TensorFlow module, and each
    import of one. ``bound`` (local name -> dotted TensorFlow name) carries the imports
    of a notebook's earlier cells in, and this one's out."""
    tree = _tree(source)
    bound = {} if bound is None else bound
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                dotted = _dotted(alias.name)
                if dotted is None:
                    continue
                found.add((node.lineno, dotted))
                if alias.asname:
                    bound[alias.asname] = dotted
                else:  # `import tensorflow.contrib.slim` binds `tensorflow`
                    bound[alias.name.split(".")[0]] = "tf" if alias.name.startswith(
                        "tensorflow") else alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            dotted = _dotted(node.module)
            if dotted is None:
                continue
            for alias in node.names:
                if alias.name != "*":
                    found.add((node.lineno, dotted + "." + alias.name))
                    bound[alias.asname or alias.name] = dotted + "." + alias.name
    inner = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            inner.add(id(node.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and id(node) not in inner and \
                not isinstance(node.ctx, (ast.Store, ast.Del)):
            names = _chain(node)
            if names and names[0] in bound:
                found.add((node.lineno, ".".join([bound[names[0]]] + names[1:])))
    return sorted(found)


def attribute_uses(source, names):
    """(line, name) of each ``.name`` attribute in the script, for ``name`` in ``names``."""
    return sorted({(node.lineno, node.attr) for node in ast.walk(_tree(source))
                   if isinstance(node, ast.Attribute) and node.attr in names})


def keyword_uses(source, names):
    """(line, name) of each ``name=`` keyword argument in the script, for ``name`` in
    ``names``."""
    return sorted({(node.value.lineno, node.arg) for node in ast.walk(_tree(source))
                   if isinstance(node, ast.keyword) and node.arg in names})


def program_files(entry, root):
    """The program's own Python files that ``entry`` imports, directly or through each
    other (absolute imports of a module under ``root``, and relative imports), read
    without running any: ``entry`` first, then in the order found."""
    import os

    entry, root = os.path.abspath(entry), os.path.abspath(root)
    found, queue = [entry], [entry]
    while queue:
        path = queue.pop(0)
        try:
            with open(path, "rb") as f:
                tree = ast.parse(f.read().decode("utf-8"))
        except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
            continue  # Python reports it itself, when the program imports it
        for dotted in _imported(tree, _package_of(path, root)):
            for candidate in _module_files(dotted, root):
                if candidate not in found:
                    found.append(candidate)
                    queue.append(candidate)
    return found


def _package_of(path, root):
    """The dotted package of the file ``path`` below ``root`` ('' at the top)."""
    import os

    folder = os.path.relpath(os.path.dirname(path), root)
    return "" if folder == os.curdir else folder.replace(os.sep, ".")


def _imported(tree, package):
    """Every dotted module name the tree imports, relative ones resolved in ``package``;
    for ``from a import b``, both ``a`` and ``a.b`` (b may be a module)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".") if package else []
                if node.level - 1 > len(parts):
                    continue  # beyond the top: Python says so itself
                parts = parts[:len(parts) - (node.level - 1)]
                base = ".".join(parts + ([base] if base else []))
            if base:
                yield base
            for alias in node.names:
                if alias.name != "*":
                    yield (base + "." if base else "") + alias.name


def _module_files(dotted, root):
    """The files under ``root`` that importing ``dotted`` runs: each package's
    ``__init__.py`` on the way, and the module."""
    import os

    files, folder = [], root
    for part in dotted.split("."):
        package = os.path.join(folder, part)
        if os.path.isfile(os.path.join(package, "__init__.py")):
            files.append(os.path.join(package, "__init__.py"))
            folder = package
        elif os.path.isfile(package + ".py"):
            files.append(package + ".py")
            break
        elif os.path.isdir(package):
            folder = package  # a namespace package
        else:
            break
    return files
