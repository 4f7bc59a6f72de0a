"""Answers taken out of a learner's kernel as data, and rebuilt in the grader's own process.

The grader (``nnlib.gradebook``) never reads a verdict from a learner's kernel: a cell can
replace ``check``, the answer keys or the judges there, or write any results file.  It
takes out the *values* of the answers instead and judges them itself.  This module is
both halves of that exchange; it is imported in the kernel (``capture``, ``call``) and
in the grader (``decode``, ``LearnerFunction``, ``check_calls``).

The values travel as JSON, never pickled, so rebuilding one runs no code of the learner's:

- ``None``, bools, ints, floats (NaN and infinities included), strings, ``...``;
- complex numbers, numpy scalars and numeric numpy arrays (dtype kept, so float32 is
  still float32: dtype, shape and the raw bytes in base64);
- lists, tuples, sets and dicts of these;
- sympy objects as ``sympy.srepr`` text, read back by ``parse_srepr`` only after an
  ``ast`` whitelist check (sympy class names, number and string constants where sympy
  takes them; no attributes, subscripts, lambdas or other names), never with ``eval``
  of the text as it came;
- a function as a handle: the function stays in the kernel, and ``LearnerFunction`` calls
  it there (the arguments go in, the result and the arguments as the call left them come
  back, so an array changed in place shows);
- anything else as an opaque description (its type, a short repr, and the phrase
  ``judges.describe`` gives for it in the kernel), which a judge calls wrong with the same
  words it would have used in the notebook.

What a learner's kernel sends can be anything its code chooses (it runs the learner's
code): the point is that whatever it sends is judged here, with the answer keys this
process imported, so no message can *say* "correct".
"""
from __future__ import annotations

import ast
import base64
import json
import re
import types

import numpy as np

#: the MIME type under which the kernel publishes a capture or a call's result
MIME = "application/x-nnlib-grade+json"
#: the largest array (bytes) and the longest list, string, repr sent as data
MAX_BYTES = 64 * 2**20
MAX_ITEMS = 100_000
MAX_TEXT = 1_000_000
MAX_DEPTH = 32
NUMERIC_KINDS = "biufc"


# ============================================================================ encoding

class _Encoder:
    """Turns values into JSON-able data; ``side`` is 'kernel' or 'grader'.

    In the kernel, functions become handles (kept in ``HANDLES``) and other objects opaque
    descriptions; an object that the grader sent (``sent``: id -> ref) goes back as its ref.
    In the grader, functions are sent by their importable name, and other objects (the
    nodes of a graph an answer key hands to the learner's function) by class and state.
    """

    def __init__(self, side: str, sent: dict | None = None):
        self.side = side
        self.sent = sent or {}       # id(obj) -> ref, objects that came from the other side
        self.memo: dict = {}         # id(obj) -> ref, objects encoded in this message
        self.keep: list = []         # keep encoded objects alive, so ids stay unique

    def encode(self, value, depth: int = 0):
        if depth > MAX_DEPTH:
            return self.opaque(value, "nested too deeply to be sent")
        if value is None or isinstance(value, (bool, str)):
            if isinstance(value, str) and len(value) > MAX_TEXT:
                return self.opaque(value, "too long to be sent")
            return value
        if value is Ellipsis:
            return {"ellipsis": True}
        if id(value) in self.sent:
            return {"ref": self.sent[id(value)]}
        if type(value) is int:
            return value
        if type(value) is float:
            return {"float": repr(value)} if not np.isfinite(value) else value
        if type(value) is complex:
            return {"complex": [repr(value.real), repr(value.imag)]}
        if isinstance(value, (np.generic, np.ndarray)):
            array = np.asarray(value)
            if array.dtype.kind not in NUMERIC_KINDS:
                if array.dtype.kind == "O" and array.size <= MAX_ITEMS and isinstance(value, np.ndarray):
                    return {"objarray": list(array.shape),
                            "items": [self.encode(v, depth + 1) for v in array.ravel().tolist()]}
                return self.opaque(value)
            if array.nbytes > MAX_BYTES:
                return self.opaque(value, "too large to be sent")
            data = array if array.flags.c_contiguous else array.copy(order="C")
            return {"array" if isinstance(value, np.ndarray) else "scalar": data.dtype.str,
                    "shape": list(data.shape),
                    "b64": base64.b64encode(data.tobytes()).decode("ascii")}
        if isinstance(value, (list, tuple, set, frozenset, dict)):
            if len(value) > MAX_ITEMS:
                return self.opaque(value, "too long to be sent")
            if type(value) is list:
                return [self.encode(v, depth + 1) for v in value]
            if type(value) is tuple:
                return {"tuple": [self.encode(v, depth + 1) for v in value]}
            if type(value) in (set, frozenset):
                return {"set": [self.encode(v, depth + 1) for v in value]}
            if type(value) is dict:
                return {"dict": [[self.encode(k, depth + 1), self.encode(v, depth + 1)]
                                 for k, v in value.items()]}
        if type(value).__module__.split(".")[0] == "sympy":
            return self.sympy(value)
        if self.side == "grader":
            return self.grader_object(value, depth)
        if isinstance(value, np.random.Generator):
            return {"rng": json.loads(json.dumps(value.bit_generator.state, default=int))}
        if callable(value) and not isinstance(value, type):
            return self.function(value)
        return self.opaque(value)

    # ---- kernel side
    def sympy(self, value):
        import sympy

        try:
            text = sympy.srepr(value)
        except Exception:
            return self.opaque(value)
        if len(text) > MAX_TEXT:
            return self.opaque(value, "too long to be sent")
        return {"sympy": text, "describe": _describe(value)}

    def function(self, value):
        handle = f"f{len(HANDLES)}"
        HANDLES[handle] = value
        code = getattr(value, "__code__", None)
        names = _names_used(code)[:500] if code is not None else []
        space = getattr(value, "__globals__", None) or {}
        where = {}
        for name in dict.fromkeys(names):
            if name in space:
                where[name] = _whence(space[name], names)
        try:
            from .check import is_blank

            blank = bool(is_blank(value))
        except Exception:
            blank = False
        return {"function": handle, "name": str(getattr(value, "__name__", "your function")),
                "module": _text_or_none(getattr(value, "__module__", None)),
                "blank": blank, "names": names if code is not None else None, "globals": where,
                "describe": _describe(value)}

    def opaque(self, value, why: str = ""):
        try:
            text = repr(value)
        except Exception as error:
            text = f"<{type(value).__name__} whose repr raised {type(error).__name__}>"
        text = text if len(text) <= 200 else text[:197] + "..."
        length = None
        try:
            length = len(value) if hasattr(value, "__len__") else None
        except Exception:
            length = None
        return {"opaque": type(value).__name__, "repr": text, "describe": _describe(value),
                "why": why, "len": length if isinstance(length, int) else None}

    # ---- grader side
    def grader_object(self, value, depth):
        if isinstance(value, np.random.Generator):
            return {"rng": json.loads(json.dumps(value.bit_generator.state, default=int))}
        name = _importable_name(value)
        if name is not None:
            import sys

            source = getattr(sys.modules.get(name[0]), "__file__", None)
            return {"named": name + [source if isinstance(source, str) else None]}
        if id(value) in self.memo:
            return {"ref": self.memo[id(value)]}
        cls = type(value)
        if "<" in cls.__qualname__ or not hasattr(value, "__dict__"):
            raise TypeError(f"cannot send {cls.__name__} {value!r} to the learner's kernel")
        ref = f"o{len(self.memo)}"
        self.memo[id(value)] = ref
        self.keep.append(value)
        state = {k: self.encode(v, depth + 1) for k, v in vars(value).items()}
        return {"object": [cls.__module__, cls.__qualname__], "id": ref, "state": state}


def _text_or_none(value):
    return value if isinstance(value, str) else None


def _describe(value) -> str:
    try:
        from .exercises.judges import describe

        return str(describe(value))[:300]
    except Exception:
        return f"an object of type {type(value).__name__}"


def _names_used(code) -> list:
    """Every name a function's code (nested functions included) looks up."""
    if code is None:
        return []
    names = list(getattr(code, "co_names", ()))
    for const in getattr(code, "co_consts", ()):
        if hasattr(const, "co_names"):
            names += _names_used(const)
    return names


def _module_of(obj):
    module = getattr(obj, "__module__", None) or getattr(obj, "__name__", "")
    return module if isinstance(module, str) else ""


def _whence(obj, names) -> dict:
    """Where a global the function uses comes from (its module; for a module, where each
    attribute the function may use comes from)."""
    if isinstance(obj, types.ModuleType):
        attrs = {}
        for name in dict.fromkeys(names):
            try:
                if hasattr(obj, name):
                    attrs[name] = _module_of(getattr(obj, name))
            except Exception:
                continue
        return {"module": obj.__name__ if isinstance(obj.__name__, str) else "", "attrs": attrs}
    return {"from": _module_of(obj)}


def _importable_name(value):
    """[module, qualname] when importing that gives back this very object, else None."""
    module = getattr(value, "__module__", None)
    qualname = getattr(value, "__qualname__", None) or getattr(value, "__name__", None)
    if not (isinstance(module, str) and isinstance(qualname, str)) or "<" in qualname:
        return None
    if isinstance(value, type) or not (callable(value)):
        return None
    try:
        found = _resolve([module, qualname])
    except Exception:
        return None
    return [module, qualname] if found is value else None


def _resolve(name):
    import importlib

    module, qualname = name
    obj = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    return obj


_PRIVATE_COPIES: dict = {}


def _resolve_in_kernel(name):
    """The grader's function in the kernel: imported by name, or, when a cell replaced or
    broke that module in ``sys.modules``, from a private copy of the module's file."""
    module, qualname, *rest = name
    try:
        return _resolve([module, qualname])
    except Exception:
        source = rest[0] if rest else None
        if not source:
            raise
    import importlib.util

    if source not in _PRIVATE_COPIES:
        spec = importlib.util.spec_from_file_location(module, source)
        copy = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(copy)
        _PRIVATE_COPIES[source] = copy
    obj = _PRIVATE_COPIES[source]
    for part in qualname.split("."):
        obj = getattr(obj, part)
    return obj


def dumps(value, side: str, sent: dict | None = None) -> tuple[str, _Encoder]:
    encoder = _Encoder(side, sent)
    return json.dumps(encoder.encode(value), allow_nan=True), encoder


# ============================================================================ decoding

class Opaque:
    """A value the kernel could not send as data: judges see its type's name, its repr and
    the phrase ``judges.describe`` gave for it in the kernel (``__nnlib_describe__``)."""

    def __init__(self, type_name: str, text: str, description: str, why: str = "", length=None):
        self.type_name, self.text, self.why = type_name, text, why
        self.__nnlib_describe__ = description or f"an object of type {type_name}"
        self._length = length

    def __repr__(self):
        return self.text

    def __str__(self):
        return self.text

    def __new__(cls, *args, **kwargs):
        length = args[4] if len(args) > 4 else kwargs.get("length")
        return object.__new__(_SizedOpaque if cls is Opaque and length is not None else cls)


class _SizedOpaque(Opaque):
    """An opaque value that had a length in the kernel (a range, a custom container)."""

    def __len__(self):
        return self._length


class LearnerFunction:
    """A learner's function that stays in their kernel: calling this calls it there.

    The arguments are sent as data, the result comes back as data; arrays among the
    arguments that the function changed in place are changed here too, as they would be
    by a local call.  An exception in the kernel is raised here with the same type name
    and message.  ``__code__``/``__globals__`` are stand-ins that carry only the names the
    function uses and where each comes from (enough for a judge that refuses a library
    call); ``blank`` tells a function whose body is only ``...`` or ``pass``.
    """

    def __init__(self, session, handle: str, name: str, module, blank: bool, names, where,
                 description: str):
        self._session, self._handle = session, handle
        self.__name__ = self.__qualname__ = name
        self.__module__ = module
        self.blank = blank
        self.__nnlib_describe__ = description
        if names is not None:
            self.__code__ = (lambda: 0).__code__.replace(co_names=tuple(str(n) for n in names))
            self.__globals__ = {name: _stand_in(info) for name, info in (where or {}).items()
                                if isinstance(info, dict)}

    def __call__(self, *args, **kwargs):
        if self._session is None:
            raise RuntimeError("the learner's kernel is gone: this function can no longer run")
        return self._session.call(self._handle, args, kwargs)

    def __repr__(self):
        return f"<function {self.__name__}>"


class _Named:
    def __init__(self, module: str):
        self.__module__ = module


def _stand_in(info: dict):
    if "module" in info:
        module = types.ModuleType(str(info.get("module", "")))
        for attr, source in (info.get("attrs") or {}).items():
            if isinstance(attr, str) and isinstance(source, str):
                setattr(module, attr, _Named(source))
        return module
    return _Named(str(info.get("from", "")))


class DecodeError(ValueError):
    """Data that is not a value this module sends."""


class _Decoder:
    def __init__(self, side: str, session=None, refs: dict | None = None):
        self.side, self.session = side, session
        self.refs = refs or {}           # ref -> object (sent earlier, or built in this message)

    def decode(self, data, depth: int = 0):
        if depth > MAX_DEPTH + 2:
            raise DecodeError("nested too deeply")
        if data is None or isinstance(data, (bool, int, float, str)):
            return data
        if isinstance(data, list):
            return [self.decode(v, depth + 1) for v in data]
        if not isinstance(data, dict) or len(data) < 1:
            raise DecodeError(f"unexpected {type(data).__name__}")
        if "ellipsis" in data:
            return Ellipsis
        if "float" in data:
            return float(data["float"])
        if "complex" in data:
            re_, im = data["complex"]
            return complex(float(re_), float(im))
        if "array" in data or "scalar" in data:
            return _array(data)
        if "objarray" in data:
            items = [self.decode(v, depth + 1) for v in data["items"]]
            array = np.empty(len(items), dtype=object)
            array[:] = items
            return array.reshape([int(n) for n in data["objarray"]])
        if "tuple" in data:
            return tuple(self.decode(v, depth + 1) for v in data["tuple"])
        if "set" in data:
            return set(self.decode(v, depth + 1) for v in data["set"])
        if "dict" in data:
            return {self.decode(k, depth + 1): self.decode(v, depth + 1) for k, v in data["dict"]}
        if "ref" in data:
            if data["ref"] not in self.refs:
                raise DecodeError("a reference to an unknown object")
            return self.refs[data["ref"]]
        if "sympy" in data:
            try:
                return parse_srepr(str(data["sympy"]))
            except Exception:
                return Opaque("sympy object", str(data["sympy"])[:200], str(data.get("describe", "")))
        if "opaque" in data:
            return Opaque(str(data["opaque"]), str(data.get("repr", ""))[:200],
                          str(data.get("describe", ""))[:300], str(data.get("why", "")),
                          data.get("len") if isinstance(data.get("len"), int) else None)
        if "function" in data:
            if self.side != "grader":
                raise DecodeError("a function handle sent to the kernel")
            return LearnerFunction(self.session, str(data["function"]), str(data.get("name", "")),
                                   _text_or_none(data.get("module")), bool(data.get("blank")),
                                   data.get("names") if isinstance(data.get("names"), list) else None,
                                   data.get("globals") if isinstance(data.get("globals"), dict) else {},
                                   str(data.get("describe", ""))[:300])
        if "rng" in data:
            state = data["rng"]
            generator = getattr(np.random, str(state.get("bit_generator", "")), None)
            if generator is None or not (isinstance(generator, type)
                                         and issubclass(generator, np.random.BitGenerator)):
                raise DecodeError("an unknown bit generator")
            bits = generator()
            bits.state = state
            return np.random.Generator(bits)
        # What only the grader sends, to the kernel: functions by name, objects by class.
        if self.side != "kernel":
            raise DecodeError(f"unexpected data {sorted(data)[:3]}")
        if "named" in data:
            return _resolve_in_kernel(data["named"])
        if "object" in data:
            cls = _resolve(data["object"])
            obj = cls.__new__(cls)
            self.refs[data["id"]] = obj
            for key, value in data["state"].items():
                setattr(obj, key, self.decode(value, depth + 1))
            return obj
        raise DecodeError(f"unexpected data {sorted(data)[:3]}")


def _array(data):
    dtype = np.dtype(str(data.get("array", data.get("scalar"))))
    if dtype.kind not in NUMERIC_KINDS or dtype.hasobject:
        raise DecodeError(f"an array of dtype {dtype} is not numbers")
    shape = tuple(int(n) for n in data["shape"])
    if any(n < 0 for n in shape):
        raise DecodeError("a negative size")
    raw = base64.b64decode(data["b64"], validate=True)
    if len(raw) != int(np.prod(shape, dtype=np.int64)) * dtype.itemsize:
        raise DecodeError("the array's bytes do not match its shape")
    array = np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    return array if "array" in data else array[()]


def loads(text: str, side: str, session=None, refs: dict | None = None):
    decoder = _Decoder(side, session, refs)
    return decoder.decode(json.loads(text)), decoder


# ============================================================================ sympy text

_STRING_FIRST = {"Symbol", "Dummy", "Wild", "Function", "Float"}
_NAMES = {"pi", "E", "I", "oo", "zoo", "nan", "true", "false"}
_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")


def _sympy_classes() -> dict:
    import sympy
    from sympy.matrices import MatrixBase

    found = {}
    for name in dir(sympy):
        obj = getattr(sympy, name, None)
        if isinstance(obj, type) and (issubclass(obj, sympy.Basic) or issubclass(obj, MatrixBase)):
            found[name] = obj
    for cls in (sympy.MutableDenseMatrix, sympy.ImmutableDenseMatrix, sympy.Tuple,
                sympy.core.numbers.Half, sympy.core.numbers.One, sympy.core.numbers.Zero,
                sympy.core.numbers.NegativeOne, sympy.core.numbers.Exp1, sympy.core.numbers.Pi,
                sympy.core.numbers.ImaginaryUnit, sympy.core.numbers.Infinity,
                sympy.core.numbers.NegativeInfinity, sympy.core.numbers.ComplexInfinity,
                sympy.core.numbers.NaN, sympy.core.relational.Equality,
                sympy.core.relational.Unequality, sympy.logic.boolalg.BooleanTrue,
                sympy.logic.boolalg.BooleanFalse):
        found[cls.__name__] = cls
    for unsafe in ("Basic", "Atom"):
        found.pop(unsafe, None)
    return found


_CLASSES: dict | None = None


def check_srepr(text: str) -> ast.Expression:
    """The parsed ``srepr`` text, or ValueError when it holds anything but sympy class calls,
    numbers, sympy's constant names and strings where sympy takes a name or a decimal."""
    global _CLASSES
    if _CLASSES is None:
        _CLASSES = _sympy_classes()
    if len(text) > MAX_TEXT:
        raise ValueError("too long")
    tree = ast.parse(text, mode="eval")

    def ok(node, string_allowed=False):
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                return string_allowed
            return isinstance(node.value, (int, float, bool)) or node.value is None
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            return isinstance(node.operand, ast.Constant) and ok(node.operand)
        if isinstance(node, ast.Name):
            return node.id in _NAMES
        if isinstance(node, (ast.List, ast.Tuple)):
            return all(ok(e) for e in node.elts)
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                name = func.id
                if name not in _CLASSES:
                    return False
            elif (isinstance(func, ast.Call) and isinstance(func.func, ast.Name)
                  and func.func.id == "Function" and ok(func)):
                name = "applied"
            else:
                return False
            if name == "Pow" and len(node.args) == 2 and _big_integer(node.args[1]):
                return False
            for position, arg in enumerate(node.args):
                takes_text = position == 0 and name in _STRING_FIRST
                if takes_text and isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    if name == "Float" and not _NUMBER.match(arg.value.strip()):
                        return False
                    continue
                if not ok(arg):
                    return False
            return all(k.arg is not None and not k.arg.startswith("_")
                       and isinstance(k.value, ast.Constant) and not isinstance(k.value.value, str)
                       for k in node.keywords)
        return False

    if not ok(tree.body):
        raise ValueError("not a sympy expression written as sympy's srepr writes one")
    return tree


def _big_integer(node) -> bool:
    """An exponent written Integer(n) (or a bare n) with |n| > 10⁴."""
    if isinstance(node, ast.Call) and node.args:
        node = node.args[0]
    if isinstance(node, ast.UnaryOp):
        node = node.operand
    return isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
        and abs(node.value) > 10_000


def parse_srepr(text: str):
    """Rebuild a sympy object from its ``srepr`` text, after ``check_srepr`` approved it.

    It is built under a time limit, and ``check_srepr`` refuses integer powers with
    exponents beyond 10⁴ (a forged 10^(10^9) would take the grader's memory).
    """
    import sympy

    from .exercises.timelimit import run_with_time_limit

    tree = check_srepr(text)
    space = dict(_CLASSES)
    space.update({"pi": sympy.pi, "E": sympy.E, "I": sympy.I, "oo": sympy.oo,
                  "zoo": sympy.zoo, "nan": sympy.nan, "true": sympy.true, "false": sympy.false})
    code = compile(tree, "<srepr>", "eval")

    def build():
        return eval(code, {"__builtins__": {}}, space)  # noqa: S307 (whitelisted above)

    built = run_with_time_limit(build, 10.0)
    if built.timed_out or built.error is not None:
        raise ValueError("could not rebuild it")
    return built.value


# ============================================================================ check calls

CHECK_NAME = "check"


def check_calls(source: str) -> list[tuple[str, str]] | None:
    """The ``check("ID", EXPR)`` calls of a cell, as (id, EXPR's text), in order; None when
    the cell is not Python (a syntax error: the cell's own error tells the learner)."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        source = TransformerManager().transform_cell(source)
    except Exception:
        pass
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(
            func, ast.Attribute) else None
        if name != CHECK_NAME:
            continue
        args = list(node.args)
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        first = args[0] if args else keywords.get("exercise_id")
        answer = args[1] if len(args) > 1 else keywords.get("answer")
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)) or answer is None:
            continue
        text = ast.get_source_segment(source, answer)
        if text is None:
            text = ast.unparse(answer)
        found.append((first.value.strip(), text, node.lineno, node.col_offset))
    found.sort(key=lambda item: (item[2], item[3]))
    return [(exercise_id, text) for exercise_id, text, _, _ in found]


# ============================================================================ the kernel side

#: the learner's functions handed out as handles, by handle (kernel side)
HANDLES: dict = {}


def _publish(payload: dict) -> None:
    from IPython.display import publish_display_data

    publish_display_data({MIME: json.dumps(payload, allow_nan=True)})


def capture(request: str) -> None:
    """Kernel side: evaluate each requested expression in the notebook's namespace and
    publish its value as data, with the values of the names asked about.

    ``request``: JSON of [{"expr": text, "names": [name, ...]}, ...].
    """
    from IPython import get_ipython

    namespace = get_ipython().user_ns
    results = []
    for item in json.loads(request):
        entry = {}
        try:
            value = eval(compile(item["expr"], "<check answer>", "eval"), namespace)  # noqa: S307
        except BaseException as error:  # the learner's expression: any error is theirs
            entry["error"] = [type(error).__name__, str(error)[:500]]
            results.append(entry)
            continue
        names = list(item.get("names", []))
        if type(value).__module__.split(".")[0] == "sympy":
            names += sorted(str(s) for s in getattr(value, "free_symbols", ()) or ())
        try:
            entry["value"] = json.loads(dumps(value, "kernel")[0])
        except BaseException as error:
            entry["value"] = _Encoder("kernel").opaque(value, f"could not be sent ({error})")
        space = {}
        for name in dict.fromkeys(names):
            if name in namespace:
                try:
                    space[name] = json.loads(dumps(namespace[name], "kernel")[0])
                except BaseException:
                    continue
        entry["names"] = space
        results.append(entry)
    _publish({"capture": results})


def call(handle: str, request: str) -> None:
    """Kernel side: call a learner's function with the arguments sent, publish its result
    (or its exception) and the arguments as the call left them."""
    try:
        decoded, decoder = loads(request, "kernel")
        args, kwargs = decoded
    except BaseException as error:  # noqa: BLE001
        _publish({"error": ["GraderError", f"the grader's arguments could not be rebuilt in "
                                           f"the kernel ({type(error).__name__}: {error})"]})
        return
    sent = {id(obj): ref for ref, obj in decoder.refs.items()}
    function = HANDLES[handle]
    try:
        value = function(*args, **kwargs)
    except BaseException as error:  # noqa: BLE001 (an interrupt, too, is reported)
        _publish({"error": [type(error).__name__, str(error)[:2000]],
                  "args": json.loads(dumps(list(args), "kernel", sent)[0])})
        return
    _publish({"value": json.loads(dumps(value, "kernel", sent)[0]),
              "args": json.loads(dumps(list(args), "kernel", sent)[0])})
