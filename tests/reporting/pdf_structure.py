"""An independent look at a tagged PDF's structure tree, for the rules of PDF/UA-1 (ISO 14289-1)
and ISO 32000-1 §14.8.4 that pdfua does not check: what may contain what in tables and lists,
that table headers say what they head, that every piece of page content is either in the
structure tree or an artefact, and that headings are short and do not skip levels.

`problems(data)` returns every problem found, in words, with the page; an empty list means none.
It reads the PDF with pikepdf only (not WeasyPrint), so it judges what WeasyPrint wrote.
"""

import re
from collections import Counter

import pikepdf

TABLE_PARTS = {"THead", "TBody", "TFoot"}
ALLOWED_CHILDREN = {
    "Table": {"Caption", "THead", "TBody", "TFoot", "TR"},
    "THead": {"TR"},
    "TBody": {"TR"},
    "TFoot": {"TR"},
    "TR": {"TH", "TD"},
    "L": {"Caption", "LI", "L"},
    "LI": {"Lbl", "LBody"},
}
ALLOWED_PARENTS = {
    "TR": {"Table"} | TABLE_PARTS,
    "TH": {"TR"},
    "TD": {"TR"},
    "THead": {"Table"},
    "TBody": {"Table"},
    "TFoot": {"Table"},
    "LI": {"L"},
    "Lbl": {"LI"},
    "LBody": {"LI"},
}
SCOPES = {"Row", "Column", "Both"}
HEADING_WORDS = 20  # a longer "heading" is a paragraph set in bold


def kids(node):
    k = node.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def role(node) -> str | None:
    if isinstance(node, pikepdf.Dictionary) and "/S" in node:
        return str(node.S)[1:]
    return None


def attributes(node) -> dict:
    found = {}
    a = node.get("/A")
    for entry in [] if a is None else (list(a) if isinstance(a, pikepdf.Array) else [a]):
        if isinstance(entry, pikepdf.Dictionary):
            found.update({str(key)[1:]: entry[key] for key in entry.keys()})
    return found


class Tree:
    """The structure elements of a PDF, with the page each starts on and the MCIDs under each."""

    def __init__(self, pdf: pikepdf.Pdf):
        self.pdf = pdf
        self.pages = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        self.elements = []  # (role, node, parent role, page)
        self.marked = set()  # (page number, mcid) reachable from the StructTreeRoot
        self.texts = {}  # objgen of an element -> its MCIDs, in order (for headings)
        root = pdf.Root.get("/StructTreeRoot")
        if root is not None:
            for kid in kids(root):
                self._walk(kid, "StructTreeRoot", None)

    def _page(self, node, inherited):
        page = node.get("/Pg")
        return self.pages.get(page.objgen, inherited) if page is not None else inherited

    def _walk(self, node, parent_role, page):
        name = role(node)
        if name is None:
            return []
        page = self._page(node, page)
        self.elements.append((name, node, parent_role, page))
        mcids = []
        for kid in kids(node):
            if isinstance(kid, int):
                self.marked.add((page, int(kid)))
                mcids.append((page, int(kid)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                mcid_page = self._page(kid, page)
                self.marked.add((mcid_page, int(kid.MCID)))
                mcids.append((mcid_page, int(kid.MCID)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                continue
            elif role(kid):
                mcids += self._walk(kid, name, page)
        self.texts[node.objgen] = mcids
        return mcids


def page_marked_content(pdf: pikepdf.Pdf):
    """For each page: the MCIDs of its real content, and how many times text is shown outside
    any marked content (neither real content nor an artefact)."""
    for number, page in enumerate(pdf.pages, start=1):
        mcids, loose = set(), 0
        stack = []  # per open BDC/BMC: "Artifact", an MCID, or None (inherits)
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BDC", "BMC"):
                mcid = None
                if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
                    mcid = operands[1].get("/MCID")
                if str(operands[0]) == "/Artifact":
                    stack.append("Artifact")
                elif mcid is not None:
                    stack.append(int(mcid))
                    mcids.add(int(mcid))
                else:
                    stack.append(None)
            elif op == "EMC" and stack:
                stack.pop()
            elif op in ("Tj", "TJ", "'", '"') and not any(s is not None for s in stack):
                loose += 1
        yield number, mcids, loose


def marked_text(data: bytes) -> dict:
    """(page number, MCID) -> the text it shows, read with pypdf (which decodes the fonts)."""
    import io

    from pypdf import PdfReader

    found = {}
    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages, start=1):
        stack = []

        def before(operator, operands, cm, tm, stack=stack):
            if operator in (b"BDC", b"BMC"):
                properties = operands[1] if operator == b"BDC" and len(operands) > 1 else {}
                mcid = properties.get("/MCID") if hasattr(properties, "get") else None
                stack.append(None if mcid is None else int(mcid))
            elif operator == b"EMC" and stack:
                stack.pop()

        def text(shown, cm, tm, font, size, stack=stack, number=number):
            mcid = next((m for m in reversed(stack) if m is not None), None)
            if mcid is not None:
                found[(number, mcid)] = found.get((number, mcid), "") + shown

        page.extract_text(visitor_operand_before=before, visitor_text=text)
    return found


def problems(data: bytes) -> list[str]:
    import io

    found = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        tree = Tree(pdf)
        for name, node, parent, page in tree.elements:
            where = f"page {page}: {name}"
            kid_roles = [role(kid) for kid in kids(node) if role(kid)]
            allowed = ALLOWED_CHILDREN.get(name)
            if allowed is not None:
                wrong = sorted(set(kid_roles) - allowed)
                if wrong:
                    found.append(f"{where} contains {', '.join(wrong)}")
            if name in ALLOWED_PARENTS and parent not in ALLOWED_PARENTS[name]:
                found.append(f"{where} is inside {parent}")
            if name == "Table":
                if kid_roles.count("Caption") > 1:
                    found.append(f"{where} has {kid_roles.count('Caption')} captions")
                if "Caption" in kid_roles and kid_roles[0] != "Caption":
                    found.append(f"{where} has its caption after its rows")
                if not any(r in TABLE_PARTS | {"TR"} for r in kid_roles):
                    found.append(f"{where} has no rows")
            if name == "TH":
                scope = attributes(node).get("Scope")
                if scope is None or str(scope)[1:] not in SCOPES:
                    found.append(f"{where} has no Scope")
            if name == "Figure" and not str(node.get("/Alt", "")).strip():
                found.append(f"{where} has no alternative text")
        # Headings: not empty, not a paragraph, no level skipped.
        for number, mcids, loose in page_marked_content(pdf):
            orphans = mcids - {m for p, m in tree.marked if p == number}
            if orphans:
                found.append(
                    f"page {number}: {len(orphans)} marked content not in the structure tree "
                    "nor an artefact"
                )
            if loose:
                found.append(f"page {number}: {loose} text shown outside marked content")
        text_of = marked_text(data)
        level = 0
        for name, node, _parent, page in tree.elements:
            if not re.fullmatch(r"H[1-6]", name):
                continue
            words = " ".join(text_of.get(m, "") for m in tree.texts.get(node.objgen, [])).split()
            if not words:
                found.append(f"page {page}: {name} is empty")
            elif len(words) > HEADING_WORDS:
                found.append(f"page {page}: {name} has {len(words)} words: {' '.join(words[:8])}…")
            new = int(name[1])
            if new > level + 1:
                found.append(f"page {page}: {name} follows H{level}")
            level = new
        for key in ("/Lang",):
            if not str(pdf.Root.get(key, "")).strip():
                found.append(f"the document has no {key[1:]}")
        if not str(pdf.docinfo.get("/Title", "")).strip():
            found.append("the document has no title")
    return found


def summary(found: list[str]) -> Counter:
    """Problems counted by kind, without the page: for a readable assertion message."""
    return Counter(re.sub(r"^page \d+: ", "", re.sub(r"\d+ words.*", "", p)) for p in found)
