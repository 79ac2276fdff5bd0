/* Field pages: the offline queue, the session and workshop forms, offline search.
 *
 * Plain JavaScript, no build step. Sessions and workshops are put in an
 * IndexedDB queue first and sent from there, each with the UUID made for it
 * here, so a resend after a lost answer is stored once by the server. Each
 * queued item names its endpoint (items queued before that go to config.api).
 */
(function () {
  "use strict";

  var config = document.currentScript.dataset;
  var USER = config.user;
  var BATCH = 100; // sessions in one request, as the batch endpoint takes them

  /* ---- The queue: one IndexedDB store of sessions waiting to be sent ---- */

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open("field", 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore("queue", { keyPath: "uuid" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, action) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction("queue", mode);
        var request = action(transaction.objectStore("queue"));
        transaction.oncomplete = function () { db.close(); resolve(request.result); };
        transaction.onerror = function () { db.close(); reject(transaction.error); };
      });
    });
  }

  var queue = {
    put: function (item) { return withStore("readwrite", function (s) { return s.put(item); }); },
    remove: function (uuid) { return withStore("readwrite", function (s) { return s.delete(uuid); }); },
    get: function (uuid) { return withStore("readonly", function (s) { return s.get(uuid); }); },
    mine: function () {
      return withStore("readonly", function (s) { return s.getAll(); }).then(function (items) {
        // A shared phone: each account sends only what it logged itself.
        return items.filter(function (item) { return item.user === USER; });
      });
    },
  };

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = document.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function callApi(method, url, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfToken(),
      },
      body: JSON.stringify(body),
    });
  }

  /* Every message of an error body: the API's shape ({detail, errors: field ->
   * messages}) or the older flat one (field -> messages; "services" nests). */
  function messages(body) {
    var found = [];
    function walk(value) {
      if (typeof value === "string") { if (found.indexOf(value) < 0) found.push(value); }
      else if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === "object") Object.keys(value).forEach(function (key) {
        if (key !== "id") walk(value[key]);
      });
    }
    if (body && (body.errors || typeof body.code === "string")) {
      if (typeof body.detail === "string") found.push(body.detail);
      walk(body.errors);
    } else {
      walk(body);
    }
    return found.join(" ");
  }

  /* What one answer makes of a queued item: "sent", "refused", or why it waits. */
  function settle(item, status, body) {
    if (status >= 200 && status < 300) {
      return queue.remove(item.uuid).then(function () { return "sent"; });
    }
    if (status === 400 || status === 409) {
      item.status = "refused";
      item.error = messages(body) || String(status);
      if (body && body.candidates) item.candidates = body.candidates;
      return queue.put(item).then(function () { return "refused"; });
    }
    return Promise.resolve(status === 401 || status === 403 ? "signin" : "later");
  }

  /* Send one queued item on its own. */
  function send(item) {
    return callApi("POST", item.api || config.api, item.payload).then(function (response) {
      if (response.status !== 400 && response.status !== 409) return settle(item, response.status, {});
      return response.json().catch(function () { return {}; }).then(function (body) {
        return settle(item, response.status, body);
      });
    }, function () { return "offline"; });
  }

  /* Send up to BATCH queued sessions in one request; each is answered on its own. */
  function sendBatch(items) {
    var body = { sessions: items.map(function (item) { return item.payload; }) };
    return callApi("POST", config.batch, body).then(function (response) {
      if (response.status === 401 || response.status === 403) return "signin";
      // A server without the batch, or one that refuses its size: one by one.
      if (response.status === 400 || response.status === 404 || response.status === 413) {
        return inTurn(items.map(function (item) { return function () { return send(item); }; }));
      }
      if (response.status !== 200) return "later";
      return response.json().then(function (answer) {
        var results = answer.results || [];
        var state = "sent";
        return items.reduce(function (chain, item, index) {
          return chain.then(function () {
            var result = results[index];
            return settle(item, result ? result.status : 0, result ? result.body : {});
          }).then(function (settled) {
            if (state !== "signin" && state !== "later") state = settled;
          });
        }, Promise.resolve()).then(function () { return state; });
      }, function () { return "later"; });
    }, function () { return "offline"; });
  }

  /* Run the sends one after another, until one says to stop for now. */
  function inTurn(sends) {
    return sends.reduce(function (chain, next) {
      return chain.then(function (state) {
        if (state === "offline" || state === "signin" || state === "later") return state;
        return next();
      });
    }, Promise.resolve("idle"));
  }

  var syncing = null;
  var lastState = "idle";
  var pendingCount = null; // what showQueue last counted, for signing out

  function sync() {
    if (syncing) return syncing;
    syncing = queue.mine().then(function (items) {
      var pending = items.filter(function (item) { return item.status === "pending"; });
      var sessions = pending.filter(function (item) { return (item.api || config.api) === config.api; });
      var sends = [];
      if (sessions.length > 1 && config.batch) {
        // Several sessions waiting (a phone back online): together, BATCH at a time.
        for (var start = 0; start < sessions.length; start += BATCH) {
          sends.push(sendBatch.bind(null, sessions.slice(start, start + BATCH)));
        }
        pending = pending.filter(function (item) { return sessions.indexOf(item) === -1; });
      }
      pending.forEach(function (item) { sends.push(function () { return send(item); }); });
      return inTurn(sends);
    }).then(function (state) {
      lastState = state;
      syncing = null;
      return showQueue().then(function () { return state; });
    }, function (error) {
      syncing = null;
      throw error;
    });
    return syncing;
  }

  /* ---- What is waiting, and what was refused, on every field page ---- */

  function showQueue() {
    var box = document.getElementById("queue-status");
    if (!box || !window.indexedDB) return Promise.resolve();
    return queue.mine().then(function (items) {
      var pending = items.filter(function (item) { return item.status === "pending"; });
      var refused = items.filter(function (item) { return item.status === "refused"; });
      pendingCount = pending.length;
      document.querySelectorAll("[data-pending-count]").forEach(function (node) {
        node.textContent = String(pending.length);
      });
      box.textContent = "";
      var text = box.dataset;
      if (!navigator.onLine) addLine(box, text.offline, "offline");
      if (pending.length) {
        addLine(box, pending.length === 1 ? text.pendingOne
          : text.pendingMany.replace("%(count)s", pending.length), "pending");
      }
      if (lastState === "signin" && pending.length) addLine(box, text.signin, "signin");
      refused.forEach(function (item) {
        var line = addLine(box, text.refused + ": " + item.label + " — " + item.error, "refused");
        var discard = document.createElement("button");
        discard.type = "button";
        discard.className = "linklike";
        discard.textContent = text.discard;
        discard.addEventListener("click", function () {
          queue.remove(item.uuid).then(showQueue);
        });
        line.appendChild(document.createTextNode(" "));
        line.appendChild(discard);
      });
      box.hidden = !box.firstChild;
    });
  }

  function addLine(box, message, kind) {
    var line = document.createElement("p");
    line.className = "queue-" + kind;
    line.textContent = message;
    box.appendChild(line);
    return line;
  }

  /* ---- Search without diacritics, also offline ---- */

  function fold(value) {
    // Invisible characters (zero-width, bidirectional controls) as the
    // server drops them (core.text.INVISIBLE).
    return (value || "")
      .replace(/[\u00ad\u061c\u180e\ufeff\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f]/g, "")
      .replace(/[đĐ]/g, "d").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase().split(/\s+/).filter(Boolean);
  }

  /* 0 the exact name, 1 its whole words in order, 2 word starts in order,
     3 the rest: as core.text.match_rank. */
  function rank(name, words) {
    var parts = fold(name);
    if (parts.join(" ") === words.join(" ")) return 0;
    if (inOrder(parts, words, function (part, word) { return part === word; })) return 1;
    if (inOrder(parts, words, function (part, word) { return part.indexOf(word) === 0; })) return 2;
    return 3;
  }

  function inOrder(parts, words, fits) {
    var position = 0;
    for (var i = 0; i < words.length; i++) {
      while (position < parts.length && !fits(parts[position], words[i])) position++;
      if (position === parts.length) return false;
      position++;
    }
    return true;
  }

  function offlineFind(query, target, form) {
    var words = fold(query);
    if (words.join("").length < 2) { target.textContent = ""; return; }
    var matches = function (key) {
      return words.every(function (word) { return key.indexOf(word) !== -1; });
    };
    fetch(config.index, { credentials: "same-origin" }).then(function (response) {
      return response.json();
    }).then(function (index) {
      var found = index.households.filter(function (row) {
        return matches(row.key) || row.residents.some(function (person) { return matches(person[3]); });
      });
      // The best match first, as the server ranks (core.text.match_rank):
      // the head's or a resident's name, then the household's code.
      found.forEach(function (row) {
        row.rank = rank(row.head, words);
        row.residents.forEach(function (person) {
          row.rank = Math.min(row.rank, rank(person[1], words));
        });
      });
      found.sort(function (a, b) {
        return a.rank - b.rank || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
      });
      found = found.slice(0, 15);
      target.textContent = "";
      // Only what this phone keeps is searched: say so, and how much that is.
      var note = document.createElement("p");
      note.className = "help offline-scope";
      note.textContent = form.dataset.offlineFind.replace("%(count)s", index.households.length);
      target.appendChild(note);
      if (!found.length) {
        addLine(target, form.dataset.noneFound, "none").className = "help";
        return;
      }
      var list = document.createElement("ul");
      list.className = "found";
      found.forEach(function (row) {
        var item = document.createElement("li");
        var label = row.code + " — " + row.head;
        item.appendChild(pickButton(row.id, "", label, row.head + " " + row.code,
          [row.address, row.hamlet].filter(Boolean).join(" · ")));
        var people = document.createElement("div");
        people.className = "people";
        row.residents.forEach(function (person) {
          people.appendChild(pickButton(row.id, person[0], label + " · " + person[1],
            person[1] + " " + (person[2] || ""), ""));
        });
        item.appendChild(people);
        list.appendChild(item);
      });
      target.appendChild(list);
    }).catch(function () { target.textContent = form.dataset.noneFound; });
  }

  function pickButton(household, resident, label, title, detail) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = resident ? "pick person" : "pick";
    button.dataset.household = household;
    if (resident) button.dataset.resident = resident;
    button.dataset.label = label;
    button.textContent = title;
    if (detail) {
      var small = document.createElement("small");
      small.textContent = detail;
      button.appendChild(document.createElement("br"));
      button.appendChild(small);
    }
    return button;
  }

  /* ---- The log form ---- */

  function newUuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function localNow() {
    var now = new Date();
    now.setMinutes(now.getMinutes() - now.getTimezoneOffset());
    return now.toISOString().slice(0, 16);
  }

  function checked(form, name) {
    var input = form.querySelector("[name='" + name + "']:checked");
    return input ? input.value : "";
  }

  function collect(form, uuid) {
    var fields = form.elements;
    var data = {
      started_at: new Date(fields.started_at.value || localNow()).toISOString(),
      place: checked(form, "place"),
      notes: fields.notes.value.trim(),
      services: [],
    };
    if (uuid) { data.client_uuid = uuid; data.source = "field"; }
    var members = Array.prototype.map.call(
      form.querySelectorAll("[name=members]:checked"), function (input) { return +input.value; });
    if (members.length) data.members = members;
    data.service_point = fields.service_point && fields.service_point.value ? +fields.service_point.value : null;
    var duration = checked(form, "duration_minutes");
    data.duration_minutes = duration ? +duration : null;
    if (checked(form, "who") === "walkin") {
      data.household = null;
      data.resident = null;
      data.walk_in_gender = checked(form, "walk_in_gender");
      data.walk_in_age_group = checked(form, "walk_in_age_group");
      ["elderly_alone", "disability", "poor", "ethnic_minority", "no_smartphone"].forEach(function (flag) {
        data["walk_in_" + flag] = fields["walk_in_" + flag].checked;
      });
    } else {
      data.household = fields.household.value ? +fields.household.value : null;
      data.resident = fields.resident.value ? +fields.resident.value : null;
    }
    form.querySelectorAll("[name=service]:checked").forEach(function (input) {
      var code = input.value;
      var dossier = fields["dossier-" + code];
      data.services.push({
        service: code,
        outcome: checked(form, "outcome-" + code),
        reason: fields["reason-" + code].value.trim(),
        dossier_ref: dossier ? dossier.value.trim() : "",
      });
    });
    return data;
  }

  /* The checks a phone can make alone, so that little is refused later. */
  function problems(form, data) {
    var text = form.dataset;
    var found = [];
    if (checked(form, "who") === "walkin") {
      if (!data.walk_in_gender || !data.walk_in_age_group) found.push(text.needWalkin);
    } else if (!data.household && !data.resident) {
      found.push(text.needWho);
    }
    if (!data.services.length) found.push(text.needService);
    data.services.forEach(function (line) {
      if (line.outcome === "failed" && !line.reason) found.push(text.needReason);
    });
    return found;
  }

  function summary(form, data) {
    var who = data.household ? document.getElementById("chosen-label").textContent.trim()
      : form.querySelector("[name=who][value=walkin]").parentNode.textContent.trim();
    var names = data.services.map(function (line) {
      return form.querySelector(".svc[data-service='" + line.service + "'] .svc-name").textContent.trim();
    });
    return who + ": " + names.join(", ");
  }

  function showErrors(form, list) {
    var box = document.getElementById("log-errors");
    box.textContent = "";
    list.forEach(function (message) {
      var line = document.createElement("p");
      line.textContent = message;
      box.appendChild(line);
    });
    box.hidden = !list.length;
    if (list.length) box.scrollIntoView({ block: "center" });
  }

  function showDone(form, message, detail) {
    form.hidden = true;
    var done = document.getElementById("log-done");
    document.getElementById("log-done-message").textContent = message;
    document.getElementById("log-done-summary").textContent = detail;
    done.hidden = false;
    window.scrollTo(0, 0);
  }

  /* What the form shows follows what is chosen: the household or walk-in panel,
   * a service's outcome once ticked, the reason once it failed, the chosen
   * chips. Done here, not with CSS :has(), which phones before 2022 lack;
   * without this script everything stays shown. */
  function reflect(form) {
    var who = checked(form, "who");
    form.querySelectorAll(".panel").forEach(function (panel) {
      panel.hidden = !!who && !panel.classList.contains("panel-" + who);
    });
    form.querySelectorAll(".svc").forEach(function (box) {
      box.querySelector(".svc-detail").hidden = !box.querySelector("[name=service]").checked;
      box.querySelector(".svc-reason").hidden = !box.querySelector("[value=failed]:checked");
    });
    form.querySelectorAll(".seg input, .chips input").forEach(function (input) {
      input.parentNode.classList.toggle("on", input.checked);
    });
  }

  /* The chip of the focused choice is outlined when the keyboard moved there. */
  function trackFocus(form) {
    function mark(event, on) {
      var label = event.target.parentNode;
      if (!label || !label.parentNode || !/\b(seg|chips)\b/.test(label.parentNode.className)) return;
      var keyboard = true;
      try { keyboard = event.target.matches(":focus-visible"); } catch (error) { /* an old browser */ }
      label.classList.toggle("focus", on && keyboard);
    }
    form.addEventListener("focusin", function (event) { mark(event, true); });
    form.addEventListener("focusout", function (event) { mark(event, false); });
  }

  function watch(form) {
    form.addEventListener("change", function () { reflect(form); });
    trackFocus(form);
    reflect(form);
  }

  function choose(form, household, resident, label) {
    form.elements.household.value = household;
    form.elements.resident.value = resident || "";
    document.getElementById("chosen-label").textContent = label;
    document.getElementById("chosen").hidden = false;
    document.getElementById("find-results").textContent = "";
    form.elements.q.value = "";
  }

  function resetForm(form) {
    form.reset();
    ["household", "resident"].forEach(function (name) { form.elements[name].value = ""; });
    document.getElementById("chosen").hidden = true;
    document.getElementById("find-results").textContent = "";
    form.elements.started_at.value = localNow();
    showErrors(form, []);
    reflect(form);
  }

  function setupForm(form) {
    var editing = JSON.parse(document.getElementById("session-editing").textContent);
    var results = document.getElementById("find-results");
    if (!form.elements.started_at.value) form.elements.started_at.value = localNow();
    if (editing) {
      editing.services.forEach(function (line) {
        var box = form.querySelector(".svc[data-service='" + line.service + "']");
        if (!box) return;
        box.querySelector("[name=service]").checked = true;
        var outcome = box.querySelector("[value='" + line.outcome + "']");
        if (outcome) outcome.checked = true;
        form.elements["reason-" + line.service].value = line.reason;
        if (form.elements["dossier-" + line.service]) form.elements["dossier-" + line.service].value = line.dossier_ref;
      });
    }
    watch(form);
    if (!editing) presetFromUrl(form);
    form.addEventListener("click", function (event) {
      var pick = event.target.closest(".pick");
      if (pick) choose(form, pick.dataset.household, pick.dataset.resident, pick.dataset.label);
    });
    document.getElementById("chosen-clear").addEventListener("click", function () {
      form.elements.household.value = "";
      form.elements.resident.value = "";
      document.getElementById("chosen").hidden = true;
      form.elements.q.focus();
    });
    form.elements.q.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
    document.body.addEventListener("htmx:sendError", function (event) {
      if (event.detail.elt === form.elements.q) offlineFind(form.elements.q.value, results, form);
    });
    document.body.addEventListener("htmx:responseError", function (event) {
      if (event.detail.elt === form.elements.q) offlineFind(form.elements.q.value, results, form);
    });
    document.getElementById("log-again").addEventListener("click", function () {
      resetForm(form);
      document.getElementById("log-done").hidden = true;
      form.hidden = false;
      window.scrollTo(0, 0);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = collect(form, editing ? null : newUuid());
      var found = problems(form, data);
      showErrors(form, found);
      if (found.length) return;
      var button = form.querySelector("[type=submit]");
      button.disabled = true;
      var done = editing ? saveEdit(form, editing, data) : saveNew(form, data);
      done.then(function () { button.disabled = false; }, function () { button.disabled = false; });
    });
    keepIndexFresh();
  }

  function saveEdit(form, editing, data) {
    return callApi("PUT", config.api + editing.id + "/", data).then(function (response) {
      if (response.ok) {
        showDone(form, form.dataset.changed, summary(form, data));
        return;
      }
      return response.json().catch(function () { return {}; }).then(function (body) {
        showErrors(form, [messages(body) || String(response.status)]);
      });
    }, function () {
      showErrors(form, [document.getElementById("queue-status").dataset.offline]);
    });
  }

  function saveNew(form, data) {
    return enqueue(form, data, summary(form, data));
  }

  /* Queue a new record, try to send it, and say what became of it.
   * ``refused``, if given, may show a refusal itself (it returns true). */
  function enqueue(form, data, label, refused) {
    var item = {
      uuid: data.client_uuid,
      user: USER,
      status: "pending",
      created: Date.now(),
      api: form.dataset.api || config.api,
      label: label,
      payload: data,
    };
    if (data.household) visited.add(data.household);
    return queue.put(item).then(sync).then(function () {
      return queue.get(item.uuid);
    }).then(function (stored) {
      if (!stored) {
        showDone(form, form.dataset.saved, item.label);
      } else if (stored.status === "refused") {
        // Refused while the member is still here: fix it on the form instead.
        return queue.remove(item.uuid).then(function () {
          if (!refused || !refused(stored)) showErrors(form, [stored.error]);
          return showQueue();
        });
      } else {
        showDone(form, form.dataset.queued, item.label);
      }
    });
  }

  /* The kept copy of the log page, opened offline for a household (from the
   * visit list), has none chosen: choose it from the households kept here. */
  function presetFromUrl(form) {
    var params = new URLSearchParams(location.search);
    var household = params.get("household");
    if (!household || form.elements.household.value) return;
    fetch(config.index, { credentials: "same-origin" }).then(function (response) {
      return response.json();
    }).then(function (index) {
      var row = index.households.filter(function (row) { return String(row.id) === household; })[0];
      if (!row) return;
      var label = row.code + " — " + row.head;
      var person = row.residents.filter(function (person) { return String(person[0]) === params.get("resident"); })[0];
      if (person) choose(form, row.id, person[0], label + " · " + person[1]);
      else choose(form, row.id, "", label);
      var service = params.get("service");
      var box = service && form.querySelector("[name=service][value='" + service + "']");
      if (box) { box.checked = true; reflect(form); }
    }).catch(function () {});
  }

  /* ---- The visit list ("Cần đến") ---- */

  /* Households this phone logged a session for, and when: the kept copy of the
   * list, read before, drops them at once, also offline. */
  var visited = {
    key: "field-visited-" + USER,
    all: function () {
      try { return JSON.parse(localStorage.getItem(this.key) || "{}"); } catch (error) { return {}; }
    },
    add: function (household) {
      var all = this.all();
      var monthAgo = Date.now() - 40 * 24 * 3600 * 1000;
      Object.keys(all).forEach(function (id) { if (all[id] < monthAgo) delete all[id]; });
      all[household] = Date.now();
      localStorage.setItem(this.key, JSON.stringify(all));
    },
  };

  function setupVisits(list) {
    var rendered = +list.dataset.rendered;
    var params = new URLSearchParams(location.search);
    // The kept copy shown offline for a filtered address: filter it here.
    var filterHere = params.toString() !== list.dataset.query;
    var form = document.querySelector(".visit-filters");
    if (filterHere && form) {
      ["hamlet", "group"].forEach(function (name) {
        if (form.elements[name]) form.elements[name].value = params.get(name) || "";
      });
      form.elements.mine.checked = params.get("mine") === "1";
    }
    function fits(row) {
      if (!filterHere) return true;
      var area = params.get("hamlet");
      var group = params.get("group");
      if (area && area !== row.dataset.hamlet) return false;
      if (group && (" " + row.dataset.groups).indexOf(" " + group + " ") === -1) return false;
      if (params.get("mine") === "1" && !row.dataset.mine) return false;
      return true;
    }
    function show(queued) {
      var done = visited.all();
      var shown = 0;
      list.querySelectorAll(".visit").forEach(function (row) {
        var id = row.dataset.household;
        var logged = queued.indexOf(id) !== -1 || (done[id] || 0) > rendered;
        row.hidden = logged || !fits(row);
        if (!row.hidden) shown++;
      });
      var count = document.getElementById("visit-count");
      count.textContent = shown === 1 ? count.dataset.one : count.dataset.many.replace("%(count)s", shown);
      document.getElementById("visit-none").hidden = shown > 0;
      list.dataset.ready = "1";
    }
    var pending = window.indexedDB ? queue.mine() : Promise.resolve([]);
    pending.then(function (items) {
      return items.filter(function (item) { return item.status === "pending" && item.payload.household; })
        .map(function (item) { return String(item.payload.household); });
    }, function () { return []; }).then(show);
  }

  /* ---- The workshop form: one screen, counted with + and − ---- */

  function localToday() {
    return localNow().slice(0, 10);
  }

  function setupWorkshop(form) {
    var fields = form.elements;
    var counts = ["attendees", "women", "elderly", "disability", "poor"];
    var today = function () {
      // The page may be a copy kept days ago: today is the phone's today.
      fields.held_on.value = localToday();
      fields.held_on.max = localToday();
    };
    today();
    form.addEventListener("click", function (event) {
      var button = event.target.closest("[data-step]");
      if (!button) return;
      var input = document.getElementById(button.dataset.for);
      input.value = String(Math.max(0, (parseInt(input.value, 10) || 0) + +button.dataset.step));
    });
    watch(form);
    document.getElementById("log-again").addEventListener("click", function () {
      form.reset();
      reflect(form);
      today();
      showErrors(form, []);
      document.getElementById("log-done").hidden = true;
      form.hidden = false;
      window.scrollTo(0, 0);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = form.dataset;
      var data = {
        client_uuid: newUuid(),
        held_on: fields.held_on.value || localToday(),
        place: fields.place.value.trim(),
        topic: checked(form, "topic"),
        audience: checked(form, "audience"),
      };
      counts.forEach(function (name) { data[name] = parseInt(fields[name].value, 10) || 0; });
      var found = [];
      if (data.held_on > localToday()) found.push(text.future);
      if (!data.place) found.push(text.needPlace);
      if (!data.topic) found.push(text.needTopic);
      if (!data.audience) found.push(text.needAudience);
      if (data.attendees < 1) found.push(text.needAttendees);
      counts.slice(1).forEach(function (name) {
        if (data[name] > data.attendees) found.push(text.tooMany + " " + fields[name].dataset.label);
      });
      showErrors(form, found);
      if (found.length) return;
      var topic = form.querySelector("[name=topic]:checked").parentNode.textContent.trim();
      var label = text.label + ": " + topic + ", " + data.place + " (" + data.attendees + ")";
      var button = form.querySelector("[type=submit]");
      button.disabled = true;
      enqueue(form, data, label).then(function () { button.disabled = false; },
        function () { button.disabled = false; });
    });
  }


  /* ---- Adding a household: warned of the ones it may repeat ---- */

  var HOUSEHOLD_FLAGS = ["elderly_alone", "disability", "ethnic_minority", "no_smartphone"];

  /* How many slips two names may differ by, as households.duplicates says:
   * none up to 5 letters, one up to 12, two above. */
  function slipsAllowed(name) {
    var letters = name.replace(/ /g, "").length;
    return letters <= 5 ? 0 : letters <= 12 ? 1 : 2;
  }

  /* Damerau–Levenshtein distance, its optimal string alignment form (an
   * adjacent swap counts one), as households.duplicates.edit_distance. */
  function editDistance(left, right) {
    var rows = [];
    for (var i = 0; i <= left.length; i++) rows.push([i]);
    for (var j = 1; j <= right.length; j++) rows[0][j] = j;
    for (i = 1; i <= left.length; i++) {
      for (j = 1; j <= right.length; j++) {
        var cost = left[i - 1] === right[j - 1] ? 0 : 1;
        rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && left[i - 1] === right[j - 2] && left[i - 2] === right[j - 1]) {
          rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
        }
      }
    }
    return rows[left.length][right.length];
  }

  function namesClose(left, right) {
    if (!left || !right) return false;
    if (left === right) return true;
    var limit = Math.min(slipsAllowed(left), slipsAllowed(right));
    return limit > 0 && Math.abs(left.length - right.length) <= limit && editDistance(left, right) <= limit;
  }

  /* A light check of a Vietnamese number, in the form the server stores
   * (core.phones): "+84 912.345.678" is "0912345678". The server decides. */
  function phoneKey(value) {
    var digits = (value || "").replace(/[\s.\-()]/g, "");
    if (/^\+84/.test(digits) || /^84\d{9}$/.test(digits)) digits = "0" + digits.replace(/^\+?84/, "");
    return /^0\d{9}$/.test(digits) ? digits : "";
  }

  /* A kept household's phone: the index holds it only inside its search key
   * (code, head, address, phone), stored there normalised. */
  function keptPhone(row) {
    if (row.phone !== undefined) return row.phone;
    var found = (row.key || "").split(" ").filter(function (word) { return /^0\d{9}$/.test(word); });
    return found.length ? found[found.length - 1] : "";
  }

  /* The reasons a household as typed may repeat a kept one, as
   * households.duplicates.Candidate.reasons gives them. */
  function duplicateReasons(entry, row) {
    var found = [];
    var name = fold(row.head).join(" ");
    if (entry.name && entry.place === String(row.hamlet_id) && entry.name === name) found.push("same_name");
    if (entry.phone && entry.phone === keptPhone(row)) found.push("same_phone");
    if (entry.address && entry.address === fold(row.address).join(" ") &&
        found.indexOf("same_name") === -1 && namesClose(entry.name, name)) found.push("close_name");
    return found;
  }

  function chosenId(select) {
    return select && select.value ? +select.value : null;
  }

  function setupHousehold(form) {
    var fields = form.elements;
    var text = form.dataset;
    var panel = document.getElementById("household-duplicates");
    var list = document.getElementById("household-duplicate-list");
    var reasonLabels = { same_name: text.sameName, same_phone: text.samePhone, close_name: text.closeName };
    var button = form.querySelector("[type=submit]");
    watch(form);

    function collectHousehold() {
      var data = {
        client_uuid: newUuid(),
        head_name: fields.head_name.value.trim(),
        address: fields.address.value.trim(),
        phone: fields.phone.value.trim(),
        size: parseInt(fields.size.value, 10) || 0,
        poverty: checked(form, "poverty"),
        hamlet: chosenId(fields.hamlet),
      };
      HOUSEHOLD_FLAGS.forEach(function (flag) { data[flag] = fields[flag].checked; });
      // A ward team names the hamlet; a hamlet team's is its own (not sent).
      if (!fields.hamlet) delete data.hamlet;
      return data;
    }

    /* The hamlet a household is added in: chosen, or the team's. */
    function hamletOf(sent) {
      return String([sent.hamlet, text.hamlet].filter(Boolean)[0]);
    }

    function householdProblems(data) {
      var found = [];
      if (!data.head_name) found.push(text.needHead);
      if ("hamlet" in data && !data.hamlet) found.push(text.needHamlet);
      if (data.phone && !phoneKey(data.phone)) found.push(text.badPhone);
      if (data.size < 1 || data.size > 99) found.push(text.badSize);
      return found;
    }

    /* The kept households (and the ones waiting in the queue) it may repeat. */
    function keptDuplicates(data) {
      var entry = {
        name: fold(data.head_name).join(" "),
        phone: phoneKey(data.phone),
        address: fold(data.address).join(" "),
        place: hamletOf(data),
      };
      var kept = fetch(config.index, { credentials: "same-origin" }).then(function (response) {
        return response.json();
      }).then(function (index) { return index.households; }, function () { return []; });
      return Promise.all([kept, queue.mine()]).then(function (both) {
        var waiting = both[1].filter(function (item) {
          return item.api === text.api && item.status === "pending";
        }).map(function (item) {
          var sent = item.payload;
          return { id: "", code: "", head: sent.head_name, address: sent.address, hamlet: "",
            phone: phoneKey(sent.phone), hamlet_id: hamletOf(sent), waiting: true };
        });
        var found = [];
        both[0].concat(waiting).forEach(function (row) {
          var reasons = duplicateReasons(entry, row);
          if (reasons.length) {
            found.push({ id: row.id, code: row.code, head: row.head, waiting: row.waiting,
              where: [row.address, row.hamlet].filter(Boolean).join(" · "),
              reasons: reasons.map(function (reason) { return reasonLabels[reason]; }) });
          }
        });
        found.sort(function (a, b) { return b.reasons.length - a.reasons.length; });
        return found;
      });
    }

    function showDuplicates(found) {
      list.textContent = "";
      found.forEach(function (candidate) {
        var item = document.createElement("li");
        var title = document.createElement("strong");
        title.textContent = candidate.head;
        item.appendChild(title);
        if (candidate.code) item.appendChild(document.createTextNode(" " + candidate.code));
        var detail = document.createElement("small");
        detail.className = "reasons";
        detail.textContent = [candidate.where].concat(candidate.reasons).filter(Boolean).join(" · ");
        item.appendChild(document.createElement("br"));
        item.appendChild(detail);
        item.appendChild(document.createElement("br"));
        if (candidate.waiting) {
          item.appendChild(document.createTextNode(text.waiting));
        } else {
          var open = document.createElement("a");
          open.className = "btn";
          open.href = text.log + "?household=" + encodeURIComponent(candidate.id);
          open.textContent = list.dataset.thisOne;
          item.appendChild(open);
        }
        list.appendChild(item);
      });
      panel.hidden = false;
      panel.scrollIntoView({ block: "start" });
    }

    function fromServer(candidate) {
      return { id: candidate.id, code: candidate.code, head: candidate.head,
        where: [candidate.address, candidate.hamlet].filter(Boolean).join(" · "),
        reasons: candidate.reasons.map(function (reason) { return reason.label; }) };
    }

    function add(data) {
      var label = text.label + ": " + data.head_name;
      button.disabled = true;
      return enqueue(form, data, label, function (stored) {
        if (!stored.candidates || !stored.candidates.length) return false;
        showDuplicates(stored.candidates.map(fromServer));
        return true;
      }).then(function () {
        button.disabled = false;
        if (form.hidden && navigator.onLine) keepIndexFresh(true);
      }, function () { button.disabled = false; });
    }

    function submit(confirmed) {
      var data = collectHousehold();
      var found = householdProblems(data);
      showErrors(form, found);
      if (found.length) return;
      if (confirmed) {
        data.confirm_duplicate = true;
        panel.hidden = true;
        add(data);
        return;
      }
      button.disabled = true;
      keptDuplicates(data).then(function (candidates) {
        button.disabled = false;
        if (candidates.length) showDuplicates(candidates);
        else add(data);
      }, function () { button.disabled = false; add(data); });
    }

    form.addEventListener("input", function () { panel.hidden = true; });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submit(false);
    });
    document.getElementById("household-confirm").addEventListener("click", function () {
      submit(true);
    });
    document.getElementById("log-again").addEventListener("click", function () {
      form.reset();
      reflect(form);
      showErrors(form, []);
      panel.hidden = true;
      document.getElementById("log-done").hidden = true;
      form.hidden = false;
      window.scrollTo(0, 0);
    });
    keepIndexFresh();
  }

  /* Fetched while online so that the service worker keeps it for offline
   * search; ``now`` after a household was added, so that it is kept too. */
  function keepIndexFresh(now) {
    var key = "field-index-" + USER;
    var last = +(localStorage.getItem(key) || 0);
    if (!navigator.onLine || (!now && Date.now() - last < 3600 * 1000)) return;
    fetch(config.index, { credentials: "same-origin" }).then(function (response) {
      if (response.ok) localStorage.setItem(key, String(Date.now()));
    }).catch(function () {});
  }

  /* ---- Signing out ---- */

  function forgetOffline() {
    localStorage.removeItem("field-index-" + USER);
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage("forget");
    }
  }

  /* One stray tap must not sign out with records unsent: ask first, naming how
   * many. The count showQueue last made is used, so that confirm() and the
   * sign-out stay in the tap itself; before the first count, it is made here. */
  function guardSignOut(logout) {
    function allowed(count) {
      var text = logout.dataset;
      if (!count || !text.confirmOne) return true;
      return window.confirm(count === 1 ? text.confirmOne : text.confirmMany.replace("%(count)s", count));
    }
    logout.addEventListener("submit", function (event) {
      if (pendingCount === null && window.indexedDB) {
        event.preventDefault();
        showQueue().then(function () { return pendingCount; }, function () { return 0; }).then(function (count) {
          if (allowed(count)) { forgetOffline(); logout.submit(); }
        });
      } else if (allowed(pendingCount)) {
        forgetOffline();
      } else {
        event.preventDefault();
      }
    });
  }

  /* ---- Start ---- */

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(config.sw, { scope: config.scope }).catch(function () {});
  }
  document.querySelectorAll("form[action*='logout']").forEach(guardSignOut);
  var form = document.getElementById("log-form");
  if (form) setupForm(form);
  var visitList = document.getElementById("visit-list");
  if (visitList) setupVisits(visitList);
  var workshop = document.getElementById("workshop-form");
  if (workshop) setupWorkshop(workshop);
  var household = document.getElementById("household-form");
  if (household) setupHousehold(household);
  window.addEventListener("online", sync);
  window.addEventListener("offline", showQueue);
  setInterval(function () { if (navigator.onLine) sync(); }, 30000);
  if (window.indexedDB) sync();
  window.fieldQueue = { sync: sync, mine: queue.mine };
})();
