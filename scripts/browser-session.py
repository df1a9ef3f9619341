#!/usr/bin/env python3
"""Drives headless Chromium over the DevTools protocol (pipe transport, standard library only)
to check a RegionRisk HTML report as a person uses it:

    browser-session.py CHROMIUM REPORT.html SHOT.png [--size 1400x1800]

1. the map is drawn: the SVG with the area's outline, density classes, flagged regions with
   their labels, and the legend with its density entries; checked in the DOM and in the
   screenshot's pixels (country fill, background, a flagged region's colour, legend text);
2. the wheel zooms in and a drag pans the map (the viewport's transform changes);
3. a click on a flagged region shows its incident list (rows) beside the map.
Prints one line per step; exits 1 at the first failure. The network is blocked."""
import base64
import fcntl
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
png_check = __import__("png-check")


class Browser:
    def __init__(self, chromium, width, height):
        self.profile = tempfile.mkdtemp(prefix="rr-chromium-")
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()
        # Chromium reads DevTools commands on fd 3 and answers on fd 4: move the child's ends
        # above both numbers first, so that wiring one cannot overwrite the other.
        to_child_r, from_child_w = (self._high(to_child_r), self._high(from_child_w))

        def wire():
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)

        self.proc = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
             "--no-first-run", "--disable-extensions", "--disable-sync", f"--user-data-dir={self.profile}",
             "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND", f"--window-size={width},{height}",
             "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=wire, pass_fds=(3, 4))
        os.close(to_child_r)
        os.close(from_child_w)
        self.buffer = b""
        self.next_id = 0
        self.session = None

    @staticmethod
    def _high(fd):
        high = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
        os.close(fd)
        return high

    def send(self, method, params=None, session=True, timeout=60):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_child, json.dumps(message).encode() + b"\0")
        deadline = time.time() + timeout
        while time.time() < deadline:
            while b"\0" in self.buffer:
                raw, self.buffer = self.buffer.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == self.next_id:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    return reply.get("result", {})
            chunk = os.read(self.from_child, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self.buffer += chunk
        raise RuntimeError(f"{method}: no answer in {timeout} s")

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails'].get('text')}: {expression[:80]}")
        return result["result"].get("value")

    def mouse(self, kind, x, y, **extra):
        self.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, **extra})

    def close(self):
        try:
            self.send("Browser.close", session=False, timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        subprocess.run(["rm", "-rf", self.profile])


def fail(message):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(1)


STATE = """(() => {
  const svg = document.querySelector('#map svg');
  if (!svg) return {map: false};
  const rect = (el) => { if (!el) return null; const r = el.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; };
  const legend = svg.querySelector('#legend');
  return {
    map: true,
    outline: !!svg.querySelector('#outline-fill') && svg.querySelector('#outline-fill').getAttribute('d').length > 20,
    mapRect: rect(svg.querySelector('#map-frame')), outlineRect: rect(svg.querySelector('#outline-fill')),
    densityClasses: svg.querySelectorAll('.density-class').length,
    flagged: Array.from(svg.querySelectorAll('.flagged-region')).map(g => g.getAttribute('data-id')),
    flagColours: Array.from(svg.querySelectorAll('.flagged-region path, .flagged-region circle')).map(p => p.getAttribute('stroke')),
    flagLabels: Array.from(svg.querySelectorAll('.flag-label')).map(t => t.textContent),
    legend: !!legend, legendRect: rect(legend),
    legendText: legend ? legend.textContent : '',
    legendSwatches: legend ? legend.querySelectorAll('.legend-swatch').length : 0,
    transform: (svg.querySelector('#viewport') || {getAttribute: () => null}).getAttribute('transform'),
    zoom: svg.getAttribute('data-zoom'),
  };
})()"""


def pixels_in(image, box, predicate):
    width, height, channels, rows = image
    x0, y0, w, h = [int(round(v)) for v in box]
    n = 0
    for y in range(max(0, y0), min(height, y0 + h)):
        line = rows[y]
        for x in range(max(0, x0), min(width, x0 + w)):
            px = line[x * channels:x * channels + 3]
            if predicate(px):
                n += 1
    return n


def main():
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 64
    chromium, report, shot = sys.argv[1:4]
    size = sys.argv[sys.argv.index("--size") + 1] if "--size" in sys.argv else "1400x1800"
    width, height = (int(v) for v in size.split("x"))
    browser = Browser(chromium, width, height)
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        browser.session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)["sessionId"]
        browser.send("Page.enable")
        browser.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        browser.send("Page.navigate", {"url": "file://" + os.path.abspath(report)})
        for _ in range(200):
            if browser.evaluate("document.readyState") == "complete":
                break
            time.sleep(0.1)
        state = browser.evaluate(STATE)

        # 1. What the reader sees first: the map, flagged regions with labels, the legend.
        if not state.get("map"):
            fail("no map: the report has no inline SVG map")
        if not state["outline"]:
            fail("the map has no area outline")
        if not state["legend"] or state["legendSwatches"] == 0:
            fail("the map has no legend")
        if "Event density" not in state["legendText"] and state["densityClasses"] > 0:
            fail("the legend has no density entries")
        if state["flagged"] and not state["flagLabels"]:
            fail("flagged regions are drawn without labels")
        shot_data = base64.b64decode(browser.send("Page.captureScreenshot", {"format": "png"})["data"])
        with open(shot, "wb") as f:
            f.write(shot_data)
        image = png_check.read_png(shot)
        background = bytes.fromhex("e9eef2")
        if pixels_in(image, state["mapRect"], lambda px: px == background) == 0:
            fail("screenshot: the map's background is not on screen")
        if pixels_in(image, state["outlineRect"], lambda px: px == b"\xff\xff\xff") < 1000:
            fail("screenshot: the area (white fill) is not on screen")
        legend_ink = pixels_in(image, state["legendRect"], lambda px: max(px) < 90)
        if legend_ink < 200:
            fail(f"screenshot: the legend shows no text ({legend_ink} dark pixels)")
        if state["flagColours"]:
            colour = bytes.fromhex(state["flagColours"][0].lstrip("#"))
            if pixels_in(image, state["mapRect"], lambda px: px == colour) < 20:
                fail(f"screenshot: no flagged region drawn in {state['flagColours'][0]}")
        print(f"ok: map, {state['densityClasses']} density classes, {len(state['flagged'])} flagged regions with "
              f"{len(state['flagLabels'])} labels, legend ({legend_ink} px of text); screenshot {shot}")

        # 2. Zoom with the wheel, then pan by dragging.
        mx, my, mw, mh = state["mapRect"]
        cx, cy = mx + mw / 2, my + mh / 2
        browser.mouse("mouseWheel", cx, cy, deltaX=0, deltaY=-400)
        time.sleep(0.3)
        zoomed = browser.evaluate(STATE)
        if not zoomed["zoom"] or float(zoomed["zoom"]) <= 1:
            fail(f"the wheel did not zoom (zoom {zoomed['zoom']})")
        browser.mouse("mousePressed", cx, cy, button="left", buttons=1, clickCount=1)
        for step in range(1, 6):
            browser.mouse("mouseMoved", cx + 16 * step, cy + 8 * step, button="left", buttons=1)
        browser.mouse("mouseReleased", cx + 80, cy + 40, button="left", buttons=0, clickCount=1)
        panned = browser.evaluate(STATE)
        if panned["transform"] == zoomed["transform"]:
            fail("dragging did not pan the map")
        print(f"ok: zoom ×{float(zoomed['zoom']):.2f}, pan to {panned['transform']}")
        browser.evaluate("document.getElementById('zoom-reset').click()")

        # 3. Click a flagged region: its incident list appears.
        if not state["flagged"]:
            print("ok: no flagged region to click")
            return 0
        region = state["flagged"][0]
        point = browser.evaluate("""(() => {
          const g = document.querySelector('#map svg .flagged-region[data-id="%s"]');
          const r = g.getBoundingClientRect();
          for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
            const x = r.left + r.width * i / 20, y = r.top + r.height * j / 20;
            const hit = document.elementFromPoint(x, y);
            if (hit && hit.closest('.flagged-region') === g) return [x, y];
          }
          return null;
        })()""" % region)
        if not point:
            fail(f"flagged region {region} cannot be clicked (covered everywhere)")
        browser.mouse("mousePressed", point[0], point[1], button="left", buttons=1, clickCount=1)
        browser.mouse("mouseReleased", point[0], point[1], button="left", buttons=0, clickCount=1)
        time.sleep(0.2)
        details = browser.evaluate("""(() => {
          const p = document.getElementById('region-details');
          return p ? {hidden: p.hidden, region: p.getAttribute('data-region'), rows: p.querySelectorAll('tbody tr').length,
                      text: p.textContent.slice(0, 120)} : null;
        })()""")
        if not details or details["hidden"] or details["region"] != region or details["rows"] == 0:
            fail(f"clicking flagged region {region} did not show its incident list: {details}")
        print(f"ok: clicking region {region} lists {details['rows']} incidents: {details['text'][:60]}…")
        return 0
    except (RuntimeError, OSError, ValueError) as e:
        fail(str(e))
    finally:
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
