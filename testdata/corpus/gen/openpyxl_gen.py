"""Writes the openpyxl files of testdata/corpus (see its README.md).

Run by generate.sh from the repository root with Debian's python3-openpyxl
(/usr/bin/python3): the edge cases of src/edge.json in the 1900 and the 1904 date
systems, and the sample register read and saved again.
"""
import datetime
import json
import os
import sys

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

DIR = "testdata/corpus"


def when(e):
    w = e["When"]
    if "T" in w:
        return datetime.datetime.strptime(w, "%Y-%m-%dT%H:%M")
    if ":" in w:
        return datetime.datetime.strptime(w, "%H:%M").time()
    return datetime.datetime.strptime(w, "%Y-%m-%d").date()


def edge_book(path, date1904):
    with open(os.path.join(DIR, "src/edge.json"), encoding="utf-8") as f:
        spec = json.load(f)
    wb = openpyxl.Workbook()
    if date1904:
        wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Edge"
    ws.append(["kind", "value", "note"])
    for i, e in enumerate(spec["Edges"]):
        r = i + 2
        ws.cell(r, 1, e["Kind"])
        ws.cell(r, 3, e["Note"])
        b = ws.cell(r, 2)
        k = e["Kind"]
        if k == "text":
            b.value = e.get("Text", "")
        elif k in ("number", "percent"):
            b.value = e.get("Num", 0)
            if k == "percent":
                b.number_format = "0.0%"
        elif k in ("date", "datetime"):
            v = when(e)
            first = datetime.date(1904, 1, 1) if date1904 else datetime.date(1900, 1, 1)
            if (v.date() if isinstance(v, datetime.datetime) else v) < first:
                b.value = "(not in this date system)"
                continue
            b.value = v
            b.number_format = "dd.mm.yyyy" if k == "date" else "dd.mm.yyyy hh:mm"
        elif k == "time":
            b.value = when(e)
            b.number_format = "hh:mm"
        elif k == "bool":
            b.value = bool(e.get("Bool", False))
        elif k == "formula":  # openpyxl writes no cached result
            b.value = "=" + spec["Formulas"][i]
    ws2 = wb.create_sheet("Второй лист")
    ws2.append(["second sheet", 1])
    wb.save(os.path.join(DIR, path))


def resave_register():
    wb = openpyxl.load_workbook(os.path.join(DIR, "qoldau-register.xlsx"))
    wb.save(os.path.join(DIR, "openpyxl-register.xlsx"))


if __name__ == "__main__":
    if not os.path.isdir(DIR):
        sys.exit("run from the repository root")
    edge_book("openpyxl-edge.xlsx", False)
    edge_book("openpyxl-edge1904.xlsx", True)
    resave_register()
