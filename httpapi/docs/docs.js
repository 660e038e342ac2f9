// docs.js renders the OpenAPI document of this server as a list of
// operations grouped by tag, with their parameters, bodies and responses,
// and the schemas they refer to. It builds every node with the DOM API and
// never parses HTML, so the page needs no 'unsafe-inline' and no other
// origin.
"use strict";

(function () {
  const METHODS = ["get", "post", "put", "patch", "delete", "head", "options", "trace"];
  let spec = null;

  // el makes an element with attributes and children; strings become text.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  // prose renders the Markdown the document uses: paragraphs, `code` and
  // **bold**. Anything else stays as text.
  function prose(text, cls) {
    if (!text) return null;
    const box = el("div", { class: cls || "prose" });
    for (const para of String(text).split(/\n\s*\n/)) {
      const p = el("p");
      for (const part of para.split(/(`[^`]*`|\*\*[^*]+\*\*)/)) {
        if (part.startsWith("`") && part.endsWith("`") && part.length > 1) {
          p.append(el("code", {}, part.slice(1, -1)));
        } else if (part.startsWith("**") && part.endsWith("**") && part.length > 3) {
          p.append(el("strong", {}, part.slice(2, -2)));
        } else if (part) {
          p.append(document.createTextNode(part));
        }
      }
      box.append(p);
    }
    return box;
  }

  // resolve follows a local $ref ("#/components/...") to what it points at.
  function resolve(obj) {
    let seen = 0;
    while (obj && typeof obj.$ref === "string") {
      if (!obj.$ref.startsWith("#/") || ++seen > 32) return {};
      let node = spec;
      for (const raw of obj.$ref.slice(2).split("/")) {
        const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
        node = node && Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined;
      }
      obj = node || {};
    }
    return obj || {};
  }

  function refName(ref) {
    return ref.slice(ref.lastIndexOf("/") + 1);
  }

  function anchor(kind, name) {
    return kind + "-" + String(name).replace(/[^A-Za-z0-9_-]/g, "_");
  }

  // typeLabel is a one-line summary of a schema's type.
  function typeLabel(schema) {
    if (!schema || typeof schema !== "object") return schema === false ? "nothing" : "any";
    if (schema.$ref) return refName(schema.$ref);
    let t = schema.type;
    if (Array.isArray(t)) t = t.join(" | ");
    if (t === "array" || (Array.isArray(schema.type) && schema.type.includes("array"))) {
      t = t.replace("array", "array of " + typeLabel(schema.items));
    }
    if (!t) {
      if (schema.oneOf) return "one of";
      if (schema.anyOf) return "any of";
      if (schema.allOf) return "all of";
      if (schema.enum) return "enum";
      return "any";
    }
    if (schema.format) t += " (" + schema.format + ")";
    return t;
  }

  // constraints lists a schema's validation keywords as short phrases.
  function constraints(schema) {
    const out = [];
    const add = (label, value) => out.push(el("span", { class: "constraint" }, label + " " + value));
    if (schema.enum) add("one of", schema.enum.map((v) => JSON.stringify(v)).join(", "));
    if (schema.const !== undefined) add("always", JSON.stringify(schema.const));
    if (schema.minimum !== undefined) add("≥", String(schema.minimum));
    if (schema.maximum !== undefined) add("≤", String(schema.maximum));
    if (schema.minLength !== undefined) add("min length", String(schema.minLength));
    if (schema.maxLength !== undefined) add("max length", String(schema.maxLength));
    if (schema.minItems !== undefined) add("min items", String(schema.minItems));
    if (schema.maxItems !== undefined) add("max items", String(schema.maxItems));
    if (schema.pattern !== undefined) add("matches", schema.pattern);
    if (schema.default !== undefined) add("default", JSON.stringify(schema.default));
    return out;
  }

  // schemaView renders a schema. A $ref becomes a link to the schema's own
  // section and a fold that renders it when first opened, which also keeps
  // recursive schemas finite.
  function schemaView(schema, depth) {
    depth = depth || 0;
    if (!schema || typeof schema !== "object") return el("span", { class: "type" }, typeLabel(schema));
    if (schema.$ref) {
      const name = refName(schema.$ref);
      const target = resolve(schema);
      if (!target.properties && !target.oneOf && !target.anyOf && !target.allOf && !target.items) {
        return el("span", {}, el("a", { href: "#" + anchor("schema", name), class: "type" }, name), " ",
          el("span", { class: "type" }, typeLabel(target)), " ", constraints(target));
      }
      const fold = el("details", { class: "ref" },
        el("summary", {}, el("a", { href: "#" + anchor("schema", name), class: "type" }, name)));
      fold.addEventListener("toggle", () => {
        if (fold.open && fold.childElementCount === 1) fold.append(schemaView(resolve(schema), depth + 1));
      });
      return fold;
    }
    const box = el("div", { class: "schema" });
    const head = el("div", { class: "schema-head" }, el("span", { class: "type" }, typeLabel(schema)), constraints(schema));
    box.append(head);
    if (schema.title) head.prepend(el("span", { class: "title" }, schema.title + ": "));
    if (schema.description && depth > 0) box.append(prose(schema.description, "prose small"));
    for (const key of ["oneOf", "anyOf", "allOf"]) {
      if (Array.isArray(schema[key])) {
        box.append(el("ul", { class: "variants" }, schema[key].map((s) => el("li", {}, schemaView(s, depth + 1)))));
      }
    }
    if (schema.properties) box.append(propertiesView(schema, depth));
    if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
      box.append(el("div", { class: "extra" }, "each other key: ", schemaView(schema.additionalProperties, depth + 1)));
    }
    const items = schema.items;
    if (items && typeof items === "object" && !items.$ref && (items.properties || items.oneOf)) {
      box.append(el("div", { class: "extra" }, "items: ", schemaView(items, depth + 1)));
    } else if (items && items.$ref) {
      box.append(el("div", { class: "extra" }, "items: ", schemaView(items, depth + 1)));
    }
    return box;
  }

  function propertiesView(schema, depth) {
    const required = new Set(schema.required || []);
    const rows = Object.entries(schema.properties).map(([name, prop]) => {
      const target = prop && prop.$ref ? resolve(prop) : prop || {};
      const simple = !prop.$ref && !prop.properties && !prop.oneOf && !prop.anyOf && !prop.allOf &&
        !(prop.items && (prop.items.$ref || prop.items.properties));
      return el("tr", {},
        el("td", { class: "name" }, el("code", {}, name), required.has(name) ? el("span", { class: "req", title: "required" }, " *") : null),
        el("td", {}, simple ? [el("span", { class: "type" }, typeLabel(prop)), " ", constraints(prop)] : schemaView(prop, depth + 1)),
        el("td", {}, prose(prop.description || (prop.$ref ? "" : target.description), "prose small")));
    });
    return el("table", { class: "props" },
      el("thead", {}, el("tr", {}, el("th", {}, "field"), el("th", {}, "type"), el("th", {}, "description"))),
      el("tbody", {}, rows));
  }

  function contentView(content) {
    return Object.entries(content || {}).map(([type, media]) =>
      el("div", { class: "media" }, el("div", { class: "media-type" }, type), media.schema ? schemaView(media.schema, 0) : null));
  }

  function securityView(op) {
    const sec = op.security !== undefined ? op.security : spec.security || [];
    if (sec.length === 0) return el("span", { class: "badge open" }, "no credentials read");
    const optional = sec.some((req) => Object.keys(req).length === 0);
    const names = sec.flatMap((req) => Object.keys(req));
    return el("span", { class: "badge " + (optional ? "public" : "auth") },
      optional ? "public; " + names.join(", ") + " token optional" : names.join(", ") + " token required");
  }

  function parametersView(params) {
    if (!params.length) return null;
    const rows = params.map((raw) => {
      const p = resolve(raw);
      return el("tr", {},
        el("td", { class: "name" }, el("code", {}, p.name), p.required ? el("span", { class: "req", title: "required" }, " *") : null),
        el("td", {}, p.in),
        el("td", {}, p.schema ? [el("span", { class: "type" }, typeLabel(p.schema.$ref ? resolve(p.schema) : p.schema)), " ",
          constraints(p.schema.$ref ? resolve(p.schema) : p.schema),
          p.schema.items ? constraints(resolve(p.schema.items)) : null] : null),
        el("td", {}, prose(p.description, "prose small")));
    });
    return el("section", { class: "params" }, el("h4", {}, "Parameters"),
      el("table", { class: "props" },
        el("thead", {}, el("tr", {}, el("th", {}, "name"), el("th", {}, "in"), el("th", {}, "type"), el("th", {}, "description"))),
        el("tbody", {}, rows)));
  }

  function responsesView(responses) {
    const list = el("div", { class: "responses" });
    for (const [status, raw] of Object.entries(responses || {})) {
      const r = resolve(raw);
      const cls = status.startsWith("2") || status.startsWith("3") ? "ok" : "err";
      const headers = Object.entries(r.headers || {}).map(([name, h]) => {
        const hv = resolve(h);
        return el("li", {}, el("code", {}, name), hv.required ? " (always)" : "", hv.description ? ": " + hv.description : "");
      });
      const first = r.description ? r.description.split(/(?<=\.)\s/)[0] : "";
      const fold = el("details", { class: "response " + cls },
        el("summary", {}, el("span", { class: "status" }, status), " ", first));
      fold.addEventListener("toggle", () => {
        if (!fold.open || fold.dataset.done) return;
        fold.dataset.done = "1";
        if (r.description && r.description !== first) fold.append(prose(r.description, "prose small"));
        if (headers.length) fold.append(el("div", { class: "headers" }, el("span", {}, "Headers"), el("ul", {}, headers)));
        fold.append(...contentView(r.content));
      });
      list.append(fold);
    }
    return el("section", {}, el("h4", {}, "Responses"), list);
  }

  function operationView(path, method, op, pathItem) {
    const id = anchor("op", op.operationId || method + path);
    const params = [...(pathItem.parameters || []), ...(op.parameters || [])];
    const body = op.requestBody ? resolve(op.requestBody) : null;
    return el("article", { class: "op", id },
      el("h3", {},
        el("span", { class: "method " + method }, method.toUpperCase()), " ",
        el("code", { class: "path" }, path), " ",
        el("span", { class: "summary" }, op.summary || "")),
      el("div", { class: "meta" }, securityView(op), op.deprecated ? el("span", { class: "badge" }, "deprecated") : null),
      prose(op.description),
      parametersView(params),
      body ? el("section", { class: "body" }, el("h4", {}, "Request body" + (body.required ? "" : " (optional)")),
        prose(body.description, "prose small"), contentView(body.content)) : null,
      responsesView(op.responses));
  }

  function render() {
    const info = spec.info || {};
    document.title = (info.title || "API") + " " + (info.version || "");
    document.getElementById("title").textContent = (info.title || "API") + (info.version ? " v" + info.version : "");
    document.getElementById("summary").textContent = info.summary || "";
    const main = document.getElementById("doc");
    const toc = document.getElementById("toc");
    main.replaceChildren(prose(info.description) || "");

    // Operations by tag, in the order of the document's tags, then any
    // other tags as they come.
    const groups = new Map((spec.tags || []).map((t) => [t.name, { tag: t, ops: [] }]));
    for (const [path, rawItem] of Object.entries(spec.paths || {})) {
      const item = resolve(rawItem);
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        const tag = (op.tags && op.tags[0]) || "other";
        if (!groups.has(tag)) groups.set(tag, { tag: { name: tag }, ops: [] });
        groups.get(tag).ops.push([path, method, op, item]);
      }
    }
    const tocList = el("ul");
    for (const { tag, ops } of groups.values()) {
      if (!ops.length) continue;
      const tagId = anchor("tag", tag.name);
      main.append(el("section", { class: "tag", id: tagId },
        el("h2", {}, tag.name), prose(tag.description),
        ops.map(([path, method, op, item]) => operationView(path, method, op, item))));
      tocList.append(el("li", {}, el("a", { href: "#" + tagId, class: "tag-link" }, tag.name),
        el("ul", {}, ops.map(([path, method, op]) => el("li", {},
          el("a", { href: "#" + anchor("op", op.operationId || method + path) },
            el("span", { class: "method small " + method }, method.toUpperCase()), " ", path))))));
    }

    const schemas = (spec.components && spec.components.schemas) || {};
    if (Object.keys(schemas).length) {
      main.append(el("section", { class: "tag", id: "schemas" }, el("h2", {}, "Schemas"),
        Object.entries(schemas).map(([name, schema]) => el("article", { class: "op schema-def", id: anchor("schema", name) },
          el("h3", {}, el("code", {}, name)), prose(schema.description), schemaView(schema, 0)))));
      tocList.append(el("li", {}, el("a", { href: "#schemas", class: "tag-link" }, "schemas")));
    }
    toc.replaceChildren(tocList);

    if (location.hash) {
      const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (target) target.scrollIntoView();
    }
  }

  function fail(message) {
    const status = document.getElementById("status");
    if (status) {
      status.textContent = message;
      status.className = "error";
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    fetch("/api/v1/openapi.json", { headers: { Accept: "application/json" }, credentials: "omit" })
      .then((res) => {
        if (!res.ok) throw new Error("the server answered " + res.status);
        return res.json();
      })
      .then((doc) => {
        spec = doc;
        render();
      })
      .catch((err) => fail("Could not load the OpenAPI document: " + err.message));
  });
})();
