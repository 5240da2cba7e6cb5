// qoldau console: a little progressive JavaScript. Pages work without it, except
// the upload form (a presigned upload needs a script); with it, choosers submit
// themselves, countdown clocks tick, and uploads show sheets and progress.
(function () {
  "use strict";

  // Choosers that show another period or year submit on change.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (s) {
    s.addEventListener("change", function () { s.form.submit(); });
  });

  // Countdown clocks: "2 d 5 h left", "overdue by 3 h 10 min" in the page's language.
  function words(ms, el) {
    var over = ms < 0, t = Math.abs(ms);
    var u = (el.dataset.units || "d,h,min").split(",");
    var d = Math.floor(t / 864e5), h = Math.floor(t % 864e5 / 36e5), m = Math.floor(t % 36e5 / 6e4);
    var parts = [];
    if (d > 0) parts.push(d + "\u00a0" + u[0]);
    if (h > 0 || d > 0) parts.push(h + "\u00a0" + u[1]);
    if (d === 0) parts.push(m + "\u00a0" + u[2]);
    return (over ? el.dataset.over : el.dataset.left).replace("{t}", parts.join(" "));
  }
  // The server's clock (it may replay history): the page counts from it.
  var skew = (Number(document.body.dataset.now) * 1000 || Date.now()) - Date.now();
  function tick() {
    var now = Date.now() + skew;
    document.querySelectorAll("time.clock[data-end]").forEach(function (el) {
      var ms = Number(el.dataset.end) * 1000 - now;
      el.textContent = words(ms, el);
      el.classList.toggle("over", ms < 0);
      el.classList.toggle("soon", ms >= 0 && ms < 864e5);
    });
  }
  if (document.querySelector("time.clock[data-end]")) { tick(); setInterval(tick, 30000); }

  var form = document.getElementById("upload");
  if (!form) return;
  var file = document.getElementById("file"), drop = document.getElementById("drop");
  var err = document.getElementById("upload-error"), prog = document.getElementById("progress");
  var bar = document.getElementById("bar"), pct = document.getElementById("pct");
  var sheet = document.getElementById("sheet"), sheets = document.getElementById("sheets");
  var choice = document.getElementById("sheet-choice");

  function kind() { var k = form.querySelector("input[name=kind]:checked"); return k ? k.value : "register"; }
  function showKind() {
    form.querySelectorAll("[data-for-kind]").forEach(function (el) { el.hidden = el.dataset.forKind !== kind(); });
  }
  form.querySelectorAll("input[name=kind]").forEach(function (r) { r.addEventListener("change", showKind); });
  showKind();
  function fail(msg) { err.textContent = msg; err.hidden = false; prog.hidden = true; form.querySelector("button[type=submit]").disabled = false; }

  // Drag and drop onto the drop zone puts the file in the picker.
  ["dragenter", "dragover"].forEach(function (e) {
    drop.addEventListener(e, function (ev) { ev.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (e) {
    drop.addEventListener(e, function (ev) { ev.preventDefault(); drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (ev) {
    if (ev.dataTransfer && ev.dataTransfer.files.length) { file.files = ev.dataTransfer.files; readSheets(); }
  });
  file.addEventListener("change", readSheets);

  // The sheets of an .xlsx: read workbook.xml out of the zip (its central
  // directory, then the one entry), so the operator can choose the register's.
  function u16(v, o) { return v.getUint16(o, true); }
  function u32(v, o) { return v.getUint32(o, true); }
  function readSheets() {
    sheets.textContent = ""; choice.hidden = true; choice.textContent = "";
    var f = file.files[0];
    if (!f || !/\.xlsx$/i.test(f.name) || typeof DecompressionStream === "undefined") return;
    var tail = Math.min(f.size, 65557);
    f.slice(f.size - tail).arrayBuffer().then(function (buf) {
      var v = new DataView(buf), i = buf.byteLength - 22;
      while (i >= 0 && u32(v, i) !== 0x06054b50) i--;
      if (i < 0) throw new Error("no zip");
      var count = u16(v, i + 10), size = u32(v, i + 12), off = u32(v, i + 16);
      return f.slice(off, off + size).arrayBuffer().then(function (cd) {
        var c = new DataView(cd), p = 0;
        for (var n = 0; n < count && p + 46 <= cd.byteLength; n++) {
          if (u32(c, p) !== 0x02014b50) break;
          var method = u16(c, p + 10), csize = u32(c, p + 20), nlen = u16(c, p + 28), elen = u16(c, p + 30), klen = u16(c, p + 32), loc = u32(c, p + 42);
          var name = new TextDecoder().decode(new Uint8Array(cd, p + 46, nlen));
          if (name === "xl/workbook.xml") return entry(f, loc, csize, method);
          p += 46 + nlen + elen + klen;
        }
        throw new Error("no workbook.xml");
      });
    }).then(function (xml) {
      var names = [], re = /<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"/g, m;
      while ((m = re.exec(xml))) names.push(m[1].replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&apos;/g, "'").replace(/&amp;/g, "&"));
      names.forEach(function (s) { var o = document.createElement("option"); o.value = s; sheets.appendChild(o); });
      if (names.length > 1) {
        names.forEach(function (s, k) { var o = document.createElement("option"); o.value = k === 0 ? "" : s; o.textContent = s + (k === 0 ? " " + form.dataset.msgFirstsheet : ""); choice.appendChild(o); });
        choice.hidden = false; sheet.hidden = true;
        choice.onchange = function () { sheet.value = choice.value; };
        sheet.value = "";
        document.getElementById("sheet-help").textContent = form.dataset.msgSheets.replace("{0}", names.join(", "));
      } else { sheet.hidden = false; }
    }).catch(function () { sheet.hidden = false; });
  }
  function entry(f, loc, csize, method) {
    return f.slice(loc, loc + 30).arrayBuffer().then(function (h) {
      var v = new DataView(h), start = loc + 30 + u16(v, 26) + u16(v, 28);
      var blob = f.slice(start, start + csize);
      if (method === 0) return blob.text();
      return new Response(blob.stream().pipeThrough(new DecompressionStream("deflate-raw"))).text();
    });
  }

  // Upload: ask the API for a link (with the session's CSRF token), send the file
  // with a progress bar, then open the outcome page.
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    err.hidden = true;
    var f = file.files[0];
    if (!f) { fail(form.dataset.msgNofile); return; }
    var max = Number(form.dataset.max);
    if (max && f.size > max) { fail(form.dataset.msgToolarge.replace("{0}", Math.floor(max / 1048576))); return; }
    form.querySelector("button[type=submit]").disabled = true;
    var body = { kind: kind(), name: f.name };
    if (body.kind === "register") { body.period = form.period.value; body.sheet = sheet.value.trim(); }
    fetch("/api/uploads", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": form.dataset.csrf },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (j) {
        if (!r.ok) throw new Error((j.error && j.error.message && j.error.message[document.documentElement.lang]) || form.dataset.msgFailed);
        return j;
      });
    }).then(function (t) {
      prog.hidden = false; bar.value = 0;
      var x = new XMLHttpRequest();
      x.open(t.method || "PUT", t.url);
      x.upload.onprogress = function (e) {
        if (e.lengthComputable) { var p = Math.round(e.loaded * 100 / e.total); bar.value = p; pct.textContent = form.dataset.msgSending.replace("{0}", p); }
      };
      x.onload = function () {
        if (x.status >= 200 && x.status < 300) { location.href = "/uploads/" + encodeURIComponent(t.id); return; }
        var msg = form.dataset.msgFailed;
        try { var j = JSON.parse(x.responseText); msg = j.error.message[document.documentElement.lang] || msg; } catch (e) { /* S3 answers XML */ }
        fail(msg);
      };
      x.onerror = function () { fail(form.dataset.msgFailed); };
      x.send(f);
    }).catch(function (e) { fail(e.message || form.dataset.msgFailed); });
  });
})();
