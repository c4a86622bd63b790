#!/usr/bin/python3
"""check.py REPORT.json DOM.html SHOT.png CHROMIUM.log SQNR - checks a --report-html page
as Chromium loaded it (python3's standard library only): no console message (the page
has no script), one layer table row and one bar per kernel call of the JSON report, the
totals of the JSON report, an arena timeline of buffers that each name their tensor,
an SQNR column when SQNR is 1 (none when 0), no element a model's name could have
injected, and a screenshot that is not one colour. Prints what is wrong; exit 1 then."""
import html.parser
import json
import struct
import sys
import zlib


class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.count, self.rows, self.th = [], {}, 0, []
        self.svgs, self.bars, self.bufs, self.titled, self.totals = set(), {}, 0, 0, []
        self.sqnr_cells, self.cell = 0, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.count[tag] = self.count.get(tag, 0) + 1
        ids = [x.get("id") for _, x in self.stack]
        if tag == "svg" and a.get("id"):
            self.svgs.add(a["id"])
        if tag == "tr" and "layers" in ids and any(t == "tbody" for t, _ in self.stack):
            self.rows += 1
        if tag == "g" and self.stack and self.stack[-1][0] == "svg":
            svg = self.stack[-1][1].get("id")
            self.bars[svg] = self.bars.get(svg, 0) + 1
        if tag == "rect" and "buf" in a.get("class", "").split():
            self.bufs += 1
        if tag == "title" and self.stack and "buf" in self.stack[-1][1].get("class", "").split():
            self.titled += 1
        if tag in ("td", "th"):
            self.cell = ""
        if tag not in ("meta", "br", "img", "input", "link", "hr"):
            self.stack.append((tag, a))

    def handle_endtag(self, tag):
        ids = [x.get("id") for _, x in self.stack]
        if tag in ("td", "th") and self.cell is not None:
            if tag == "th" and "layers" in ids:
                self.th.append(self.cell.strip())
            if tag == "td" and "totals" in ids:
                self.totals.append(self.cell.strip())
            if tag == "td" and "layers" in ids and len(self.th) and self.th[-1] == "SQNR dB":
                self.sqnr_cells += self.cell.strip() != ""
            self.cell = None
        while tag in [t for t, _ in self.stack]:
            t, _ = self.stack.pop()
            if t == tag:
                break

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def png_colours(path, limit=64):
    """distinct pixel colours of an 8-bit RGB or RGBA PNG (stops counting at limit)"""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return 0
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            bpp = {2: 3, 6: 4}.get(ctype) if depth == 8 else None
            if not bpp:
                return 0
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride, prev, seen = zlib.decompress(idat), w * bpp, None, set()
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        up = prev or bytearray(stride)
        if f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif f == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, up))
        elif f == 3:
            for i in range(stride):
                line[i] = (line[i] + ((line[i - bpp] if i >= bpp else 0) + up[i]) // 2) & 255
        elif f == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = up[i], up[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = line
        if y % 8 == 0:  # every 8th row is plenty to tell a page from a blank
            seen.update(bytes(line[i:i + bpp]) for i in range(0, stride, bpp * 4))
            if len(seen) >= limit:
                break
    return len(seen)


def main():
    report, dom_path, shot, log, want_sqnr = sys.argv[1:6]
    r = json.load(open(report))
    d = Dom()
    d.feed(open(dom_path, encoding="utf-8", errors="replace").read())
    bad = []
    console = [l for l in open(log, errors="replace") if "CONSOLE" in l]
    if console:
        bad.append("console messages: " + " | ".join(l.strip() for l in console[:3]))
    k = r["kernels"]
    if d.rows != k:
        bad.append("%d layer table rows, %d kernel calls" % (d.rows, k))
    for svg in ("cycles", "ram"):
        if d.bars.get(svg, 0) != k:
            bad.append("%d bars in svg#%s, %d kernel calls" % (d.bars.get(svg, 0), svg, k))
    if "timeline" not in d.svgs or d.bufs < 1 or d.titled != d.bufs:
        bad.append("timeline: svg %s, %d buffers, %d with a title" %
                   ("timeline" in d.svgs, d.bufs, d.titled))
    want = [str(int(r[x])) for x in ("kernels", "macs", "arena_bytes", "weights_bytes", "est_cycles")]
    if d.totals != want:
        bad.append("totals %s, the JSON report says %s" % (d.totals, want))
    if ("SQNR dB" in d.th) != (want_sqnr == "1") or (want_sqnr == "1" and not d.sqnr_cells):
        bad.append("SQNR column: %s, %d values (wanted: %s)" % ("SQNR dB" in d.th, d.sqnr_cells, want_sqnr))
    for tag in ("script", "img", "iframe", "object"):
        if d.count.get(tag):
            bad.append("%d <%s> elements" % (d.count[tag], tag))
    colours = png_colours(shot)
    if colours < 8:
        bad.append("screenshot %s has %d colours" % (shot, colours))
    for b in bad:
        print("  " + b)
    sys.exit(1 if bad else 0)


main()
