"""What each incremental update after a signature changed, in terms a reader cares about.

pyHanko's strict diff policy calls much real-world signing-tool housekeeping "OTHER" (objects freed with
generation 65534, catalog or Info rewrites after a certification signature). Here each later revision is
compared with the one before it through pyHanko's historical resolvers: an overwritten object is judged
by the role it plays in rendering the previous revision (page content, resources, annotation appearance)
— so replacing anything a reader sees is ``visible`` (shadow attacks, page replacement, new annotations),
while signature fields, form filling, metadata and unreachable objects are ``benign``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

# Catalog entries that change what is shown or run.
_ACTIVE_CATALOG = {"/Pages", "/OpenAction", "/AA", "/Names", "/OCProperties", "/Collection", "/Dests"}
_HIDDEN = 2  # annotation flag bit "Hidden" (value 2)


@dataclass(frozen=True)
class RevisionChange:
    """One incremental update: what a reader would see changed, and what is housekeeping."""

    revision: int
    visible: tuple[str, ...] = ()
    benign: tuple[str, ...] = ()


@dataclass
class _Roles:
    """Role of every object reachable from the pages of one revision (most sensitive role wins)."""

    role: dict[tuple[int, int], str] = field(default_factory=dict)
    pages: set[tuple[int, int]] = field(default_factory=set)
    page_nodes: set[tuple[int, int]] = field(default_factory=set)

    _RANK = {"content": 4, "annot_other": 3, "annot_form": 2, "annot_sig": 1}

    def mark(self, key: tuple[int, int], role: str) -> bool:
        old = self.role.get(key)
        if old is not None and self._RANK[old] >= self._RANK[role]:
            return False
        self.role[key] = role
        return True


def _key(ref: generic.Reference | generic.IndirectObject) -> tuple[int, int]:
    return (ref.idnum, ref.generation)


def _walk(obj: generic.PdfObject, role: str, roles: _Roles, skip: frozenset[str] = frozenset()) -> None:
    """Mark everything reachable from ``obj`` (not following back-pointers) with ``role``."""
    stack = [obj]
    while stack:
        o = stack.pop()
        if isinstance(o, generic.IndirectObject):
            if not roles.mark(_key(o), role):
                continue
            try:
                o = o.get_object()
            except Exception:  # dangling reference: nothing to render
                continue
        if isinstance(o, generic.DictionaryObject):
            stack.extend(o.raw_get(k) for k in o if k not in skip and k not in ("/Parent", "/P"))
        elif isinstance(o, generic.ArrayObject):
            stack.extend(o.raw_get(i) for i in range(len(o)))


def _annot_kind(annot: generic.DictionaryObject) -> str:
    if annot.get("/Subtype") != "/Widget":
        return "annot_other"
    ft = annot.get("/FT")
    parent = annot.get("/Parent")
    while ft is None and isinstance(parent, generic.DictionaryObject):
        ft, parent = parent.get("/FT"), parent.get("/Parent")
    return "annot_sig" if ft == "/Sig" else "annot_form"


def _roles(resolver) -> _Roles:
    roles = _Roles()
    stack = [resolver.root.raw_get("/Pages")]
    while stack:
        ref = stack.pop()
        if not isinstance(ref, generic.IndirectObject) or _key(ref) in roles.page_nodes:
            continue
        node = ref.get_object()
        roles.page_nodes.add(_key(ref))
        if node.get("/Type") == "/Pages" or "/Kids" in node:
            kids = node.get("/Kids", generic.ArrayObject())
            stack.extend(kids.raw_get(i) for i in range(len(kids)))
            _walk(node.get("/Resources", generic.NullObject()), "content", roles)
            continue
        roles.pages.add(_key(ref))
        for k in ("/Contents", "/Resources", "/Group"):
            if k in node:
                _walk(node.raw_get(k), "content", roles)
        annots = node.get("/Annots", generic.ArrayObject())
        if isinstance(annots, generic.ArrayObject):
            for i in range(len(annots)):
                raw = annots.raw_get(i)
                try:
                    kind = _annot_kind(raw.get_object())
                except Exception:
                    continue
                _walk(raw, kind, roles, skip=frozenset({"/V"}))
    return roles


def _value(x: generic.FloatObject | generic.NumberObject) -> float | int:
    """A PDF number as the value a reader uses: an integer exactly, a real as the single-precision float
    ISO 32000 sizes reals by (Annex C: about 5 significant digits). So ``595.35`` and ``595.34997559``,
    which tools write for the same float32, are one value; ``595.35`` and ``595.36`` are not."""
    if isinstance(x, generic.NumberObject):
        return int(x)
    try:
        return struct.unpack("<f", struct.pack("<f", float(x)))[0]
    except OverflowError:  # beyond float32's range: keep it as it is
        return float(x)


def _norm(o: generic.PdfObject, by_token: bool = False) -> object:
    """Comparable form of a direct object (references stay references); numbers compared by value
    unless ``by_token``."""
    if isinstance(o, generic.IndirectObject):
        return ("ref", o.idnum, o.generation)
    if isinstance(o, generic.DictionaryObject):
        return {k: _norm(o.raw_get(k), by_token) for k in o}
    if isinstance(o, generic.ArrayObject):
        return [_norm(o.raw_get(i), by_token) for i in range(len(o))]
    if not by_token and isinstance(o, (generic.FloatObject, generic.NumberObject)):
        return ("number", _value(o))
    return o


def _visible_annot(annot: generic.DictionaryObject) -> bool:
    flags = int(annot.get("/F", 0))
    rect = [float(x) for x in annot.get("/Rect", [0, 0, 0, 0])]
    return not flags & _HIDDEN and abs(rect[2] - rect[0]) > 0 and abs(rect[3] - rect[1]) > 0


def _page_diff(
    old: generic.DictionaryObject, new: generic.DictionaryObject, out: RevisionChange
) -> RevisionChange:
    visible, benign = list(out.visible), list(out.benign)
    for k in sorted(set(old) | set(new)):
        if k in ("/Annots", "/Parent"):
            continue
        a = _norm(old.raw_get(k)) if k in old else None
        b = _norm(new.raw_get(k)) if k in new else None
        if a != b:
            visible.append(f"page entry {k} changed")
        elif a is not None and _norm(old.raw_get(k), True) != _norm(new.raw_get(k), True):
            benign.append(f"page entry {k} rewritten with the same numbers")
    old_a = old.get("/Annots", generic.ArrayObject())
    new_a = new.get("/Annots", generic.ArrayObject())
    old_refs = {
        _key(old_a.raw_get(i))
        for i in range(len(old_a))
        if isinstance(old_a.raw_get(i), generic.IndirectObject)
    }
    new_refs = {}
    for i in range(len(new_a)):
        raw = new_a.raw_get(i)
        if isinstance(raw, generic.IndirectObject):
            new_refs[_key(raw)] = raw
        else:
            visible.append("direct annotation added")
    for key in old_refs - set(new_refs):
        visible.append(f"annotation {key[0]} removed")
    for key, raw in new_refs.items():
        if key in old_refs:
            continue
        annot = raw.get_object()
        kind = _annot_kind(annot)
        if kind == "annot_sig":
            benign.append("signature field added")
        elif _visible_annot(annot):
            visible.append(f"annotation {annot.get('/Subtype', '?')} added")
        else:
            benign.append("hidden annotation added")
    return RevisionChange(out.revision, tuple(visible), tuple(benign))


def revision_changes(reader: PdfFileReader, after: int) -> list[RevisionChange]:
    """Classify every revision after revision ``after`` (the one a signature covers)."""
    xrefs = reader.xrefs
    result = []
    for rev in range(after + 1, xrefs.total_revisions):
        prev, cur = reader.get_historical_resolver(rev - 1), reader.get_historical_resolver(rev)
        roles = _roles(prev)
        change = RevisionChange(rev)
        visible, benign = [], []
        old_root, new_root = prev.root, cur.root
        for k in sorted(set(old_root) | set(new_root)):
            a = _norm(old_root.raw_get(k)) if k in old_root else None
            b = _norm(new_root.raw_get(k)) if k in new_root else None
            if a != b:
                (visible if k in _ACTIVE_CATALOG else benign).append(f"catalog {k} changed")
        # An ``f`` entry frees the object number whatever generation it names (tools write 65534 or
        # 65535 for a generation-0 object): match by number, and do not read it as an overwrite below.
        freed = xrefs.refs_freed_in_revision(rev)
        shown = {k[0] for k in roles.role} | {k[0] for k in roles.page_nodes}
        for ref in sorted(freed, key=lambda r: r.idnum):
            if ref.idnum in shown:
                visible.append(f"object {ref.idnum} shown on a page was freed")
            else:
                benign.append(f"object {ref.idnum} freed (xref generation {ref.generation + 1})")
        freed_keys = {_key(r) for r in freed}
        for ref in sorted(xrefs.explicit_refs_in_revision(rev), key=lambda r: r.idnum):
            key = _key(ref)
            if key in freed_keys:
                continue
            try:
                introduced = xrefs.get_introducing_revision(ref)
            except KeyError:  # a free entry pyHanko does not count as a freeing (next generation 0)
                continue
            if introduced == rev:
                continue  # new object: matters only through a changed object that points to it
            if key in roles.pages:
                old = prev.get_object(ref)
                new = cur.get_object(ref)
                change = _page_diff(old, new, RevisionChange(rev, tuple(visible), tuple(benign)))
                visible, benign = list(change.visible), list(change.benign)
            elif key in roles.page_nodes:
                a, b = _norm(prev.get_object(ref)), _norm(cur.get_object(ref))
                if a != b:
                    visible.append(f"page tree node {ref.idnum} changed")
            elif key in roles.role:
                role = roles.role[key]
                if role == "content":
                    visible.append(f"object {ref.idnum} used by page content replaced")
                elif role == "annot_other":
                    visible.append(f"annotation object {ref.idnum} replaced")
                elif role == "annot_form":
                    benign.append(f"form field object {ref.idnum} filled")
                else:
                    benign.append(f"signature field object {ref.idnum} updated")
            else:
                benign.append(f"object {ref.idnum} not shown on any page rewritten")
        result.append(RevisionChange(rev, tuple(visible), tuple(benign)))
    return result
