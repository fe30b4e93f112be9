"""The scoring of shared/eval/score.py, for tests that must run without ../shared.

Same folding, same symbol keys, same figures; only the extraction side differs: documents are
extracted in-process (``vanban.api.extract``) instead of through the CLI. Findings are not scored.
tests/test_real_gold.py checks that this mirror agrees with score.py whenever that file is present.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

_DASHES = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")


def fold(s: str | None) -> str:
    """Case-, diacritic- and spacing-insensitive form (đ folds to d)."""
    if s is None:
        return ""
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return re.sub(r"\s+", " ", s).strip().casefold()


def symbol_key(s: str | None) -> str:
    if not s:
        return ""
    s = _DASHES.sub("-", unicodedata.normalize("NFC", s))
    return fold(re.sub(r"\s+", "", s)).upper()


@dataclass
class Tally:
    c: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    def add(self, **kw: int) -> None:
        self.c.update(kw)


NAMES = ("header", "citations", "citation_dates", "citation_types", "deadlines", "targets", "units",
         "sections", "signers", "recipients")


def new_tallies() -> dict[str, Tally]:
    return {n: Tally() for n in NAMES}


def score_doc(gold: dict[str, Any], ext: dict[str, Any], t: dict[str, Tally], name: str) -> None:
    """Add one document's counts to ``t`` (score.py's score_doc without findings)."""
    doc = ext.get("document") or {}
    h = t["header"]
    g = gold.get("document", {})
    for fld in ("type_code", "family", "symbol", "date", "place"):
        if fld not in g or (fld == "family" and g[fld] is None):
            continue
        want, got = g[fld], doc.get(fld)
        ok = (symbol_key(want) == symbol_key(got)) if fld == "symbol" else (fold(want) == fold(got) if want else not got)
        h.add(n=1, ok=int(ok))
        if not ok:
            h.misses.append(f"{name}: document.{fld} want {want!r} got {got!r}")
    for fld, key in (("issuer_contains", "issuer"), ("title_contains", "title")):
        if fld in g:
            ok = fold(g[fld]) in fold(doc.get(key))
            h.add(n=1, ok=int(ok))
            if not ok:
                h.misses.append(f"{name}: document.{key} should contain {g[fld]!r}, got {doc.get(key)!r}")

    gold_c = {symbol_key(c["symbol"]): c for c in gold.get("citations", [])}
    out_c: dict[str, dict[str, Any]] = {}
    for c in ext.get("citations", []):
        k = symbol_key(c.get("symbol"))
        if not k:
            continue
        slot = out_c.setdefault(k, {"date": None, "type_code": None})
        slot["date"] = slot["date"] or c.get("date")
        slot["type_code"] = slot["type_code"] or c.get("type_code")
    t["citations"].add(tp=len(set(gold_c) & set(out_c)), out=len(out_c), gold=len(gold_c))
    t["citations"].misses += [f"{name}: citation missed {gold_c[k]['symbol']}" for k in sorted(set(gold_c) - set(out_c))]
    t["citations"].misses += [f"{name}: citation spurious {k}" for k in sorted(set(out_c) - set(gold_c))]
    for k in set(gold_c) & set(out_c):
        gd = gold_c[k].get("date")
        ok = (out_c[k]["date"] == gd) if gd else (out_c[k]["date"] is None)
        t["citation_dates"].add(n=1, ok=int(ok))
        if not ok:
            t["citation_dates"].misses.append(f"{name}: {gold_c[k]['symbol']} date want {gd} got {out_c[k]['date']}")
        if gold_c[k].get("type_code"):
            t["citation_types"].add(n=1, ok=int(fold(out_c[k]["type_code"]) == fold(gold_c[k]["type_code"])))

    gd_ = Counter(d["date"] for d in gold.get("deadlines", []) if d.get("date"))
    od = Counter(d.get("date") for d in ext.get("deadlines", []) if d.get("date"))
    t["deadlines"].add(tp=sum((gd_ & od).values()), out=sum(od.values()), gold=sum(gd_.values()))
    t["deadlines"].misses += [f"{name}: deadline missed {d}" for d in (gd_ - od)]
    t["deadlines"].misses += [f"{name}: deadline spurious {d}" for d in (od - gd_)]

    out_t = [fold(x.get("text")) for x in ext.get("targets", [])]
    keys = [fold(x["contains"]) for x in gold.get("targets", [])]
    hit = sum(any(k in o for o in out_t) for k in keys)
    used = sum(any(k in o for k in keys) for o in out_t)
    t["targets"].add(tp=hit, gold=len(keys), out=len(out_t), out_matched=used)
    t["targets"].misses += [f"{name}: target missed {x['contains']!r}"
                            for k, x in zip(keys, gold.get("targets", []), strict=True) if not any(k in o for o in out_t)]

    out_u = [fold(u.get("name")) for u in ext.get("units", [])]
    for u in gold.get("units", []):
        fu = fold(u)
        ok = any(fu in o or (o and o in fu) for o in out_u)
        t["units"].add(n=1, ok=int(ok))
        if not ok:
            t["units"].misses.append(f"{name}: unit missed {u!r}")

    out_s = {fold(s.get("number")).upper(): s for s in ext.get("sections", []) if s.get("level", 1) == 1}
    for s in gold.get("sections", []):
        got = out_s.get(s["number"].upper())
        t["sections"].add(n=1, found=int(got is not None), role_ok=int(got is not None and got.get("role") == s["role"]))
        if got is None or got.get("role") != s["role"]:
            t["sections"].misses.append(f"{name}: section {s['number']} want role {s['role']} got {got and got.get('role')}")

    names = [fold(s.get("name")) for s in doc.get("signers", []) or []]
    for s in gold.get("signers", []):
        ok = fold(s["name"]) in names
        t["signers"].add(n=1, ok=int(ok))
        if not ok:
            t["signers"].misses.append(f"{name}: signer missed {s['name']!r}")
    if "recipients" in gold:
        rec = doc.get("recipients") or []
        ok = len(rec) == gold["recipients"]["count"]
        t["recipients"].add(n=1, ok=int(ok))
        if not ok:
            t["recipients"].misses.append(f"{name}: recipients want {gold['recipients']['count']} got {len(rec)}")


def _prf(tp: int, n_out: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_out if n_out else (1.0 if n_gold == 0 else 0.0)
    r = tp / n_gold if n_gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def figures(t: dict[str, Tally]) -> dict[str, float]:
    """The figures score.py prints (without the findings ones)."""
    fig: dict[str, float] = {}
    for n in ("citations", "deadlines"):
        fig[f"{n}_p"], fig[f"{n}_r"], fig[f"{n}_f1"] = _prf(t[n].c["tp"], t[n].c["out"], t[n].c["gold"])
    tc = t["targets"].c
    fig["targets_r"] = tc["tp"] / tc["gold"] if tc["gold"] else 1.0
    fig["targets_p_lenient"] = tc["out_matched"] / tc["out"] if tc["out"] else 1.0
    for n in ("header", "citation_dates", "citation_types", "units", "signers", "recipients"):
        c = t[n].c
        fig[f"{n}_acc"] = c["ok"] / c["n"] if c["n"] else 1.0
    sc = t["sections"].c
    fig["sections_found"] = sc["found"] / sc["n"] if sc["n"] else 1.0
    fig["sections_role_acc"] = sc["role_ok"] / sc["n"] if sc["n"] else 1.0
    return fig
