"""Two corrections to the tags WeasyPrint writes, made with pikepdf after it has written the PDF.

Everything else in the stocktake's tags comes right from its markup and print.css. These two
WeasyPrint (70) gets wrong whatever the markup says, so they are put right here, narrowly, and
each has a test that fails once an upgrade makes it unnecessary (tests/reporting/
test_stocktake_pdf_tags.py), so the correction can then be deleted:

- Running headers, footers and page numbers (the @page margin boxes) are written as marked
  content that no structure element contains, instead of as pagination artefacts, so a checker
  finds content that is neither real content nor an artefact on every page. WeasyPrint issue
  #1836 "PDF/UA page header and footer" (open): the maintainers say artefacts in the tree need
  PDF 2.0, and PDF/UA-1 asks for marked-content artefacts, which WeasyPrint cannot write yet.
  Here that content becomes `/Artifact <</Type /Pagination>>` and leaves the parent tree.
- Header cells carry no Scope: WeasyPrint links data cells to their headers with Headers and
  IDs but ignores `scope`, so a header cell's TH has no /Scope attribute. WeasyPrint issue #2508
  "PDF/UA: Tags for header cells in tables are missing" (open). Here a TH in a THead gets
  /Scope /Column and a TH in a body row /Scope /Row, which is what every scope="col" and
  scope="row" in reporting/stocktake/document.html says.

Not corrected: an element that a page break splits is tagged once per page (a Sect, P or L on
each page it touches), WeasyPrint issue #2903 "Table and list split into separate structure
elements at page breaks" (open; also reported as #2902, closed). The checkers accept it, and
print.css keeps every table on one page, so each table is tagged once; merging the other
fragments would need to know which ones belong together, which the PDF does not say.
"""

import io
from typing import Any

import pikepdf

PAGINATION = pikepdf.Dictionary(Type=pikepdf.Name.Pagination)


def fix(data: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        in_tree = _structure_elements(pdf)
        artefacts_for_margins(pdf, in_tree)
        scopes_for_header_cells(pdf, in_tree)
        out = io.BytesIO()
        # Object streams off and the same IDs: only what changed differs from WeasyPrint's file.
        pdf.save(out, static_id=False, deterministic_id=True)
        return out.getvalue()


def _kids(node) -> list:
    kids = node.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _structure_elements(pdf: pikepdf.Pdf) -> dict:
    """Every structure element reachable from the StructTreeRoot, by object id, with its parent."""
    found = {}
    root = pdf.Root.get("/StructTreeRoot")
    stack: list[tuple[Any, Any]] = [(kid, None) for kid in _kids(root)] if root else []
    while stack:
        node, parent = stack.pop()
        if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
            continue
        found[node.objgen] = (node, parent)
        stack += [(kid, node) for kid in _kids(node)]
    return found


def artefacts_for_margins(pdf: pikepdf.Pdf, in_tree: dict) -> int:
    """Mark as artefacts the marked content no structure element in the tree contains (WeasyPrint
    #1836: the margin boxes). Returns how many pieces of content were changed."""
    parent_tree = pdf.Root.StructTreeRoot.ParentTree
    nums = parent_tree.Nums
    by_page = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    changed = 0
    for number, page in enumerate(pdf.pages):
        mcid_parents = by_page.get(number)
        if not isinstance(mcid_parents, pikepdf.Array):
            continue
        orphans = {
            mcid
            for mcid, element in enumerate(mcid_parents)
            if isinstance(element, pikepdf.Dictionary) and element.objgen not in in_tree
        }
        if not orphans:
            continue
        instructions = pikepdf.parse_content_stream(page)
        rewritten = []
        for instruction in instructions:
            operands: Any = instruction.operands
            operator = instruction.operator
            if (
                str(operator) == "BDC"
                and isinstance(operands[1], pikepdf.Dictionary)
                and int(operands[1].get("/MCID", -1)) in orphans
            ):
                operands = [pikepdf.Name.Artifact, PAGINATION]
                changed += 1
            rewritten.append((operands, operator))
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(rewritten))
        for mcid in orphans:
            mcid_parents[mcid] = None
    return changed


def scopes_for_header_cells(pdf: pikepdf.Pdf, in_tree: dict) -> int:
    """Give every TH a Scope: Column in a table's head, Row in its body (WeasyPrint #2508)."""
    changed = 0
    for node, parent in in_tree.values():
        if node.S != "/TH" or parent is None:
            continue
        section = in_tree.get(parent.objgen, (None, None))[1]
        scope = "/Column" if section is not None and section.S == "/THead" else "/Row"
        attributes = node.get("/A")
        if not isinstance(attributes, pikepdf.Dictionary):
            attributes = pikepdf.Dictionary(O=pikepdf.Name.Table)
            node.A = attributes
        if "/Scope" not in attributes:
            attributes.Scope = pikepdf.Name(scope)
            changed += 1
    return changed
