// The OpenPARS desk: a thin client of the JSON API. Every value is written with textContent, never as HTML,
// and the token lives in sessionStorage (this tab only).
"use strict";

const tokenKey = "openpars.token";
const $ = (id) => document.getElementById(id);
let nextCursor = null;
let currentArrest = null;

async function api(path, options = {}) {
  const headers = { Authorization: `Bearer ${sessionStorage.getItem(tokenKey)}`, ...(options.headers || {}) };
  const response = await fetch(path, { ...options, headers });
  const body = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const problem = body || {};
    const fields = problem.errors ? " " + Object.entries(problem.errors).map(([f, rules]) => `${f}: ${rules.map((r) => r.rule).join(", ")}`).join("; ") : "";
    throw new Error(`${problem.code || response.status} ${problem.detail || problem.title || ""}${fields}`);
  }
  return body;
}

function say(text, isError = false) {
  $("message").textContent = text;
  $("message").className = isError ? "error" : "";
}

function cell(row, text) {
  const td = document.createElement("td");
  td.textContent = text ?? "";
  row.appendChild(td);
}

function fillTable(table, items, append = false) {
  const body = table.querySelector("tbody");
  if (!append) body.replaceChildren();
  for (const item of items) {
    const row = document.createElement("tr");
    row.tabIndex = 0;
    row.dataset.arrest = item.arrestNumber;
    cell(row, item.arrestNumber);
    cell(row, new Date(item.bookedAt).toLocaleString());
    cell(row, item.district);
    cell(row, `${item.lastName}, ${item.firstName}`);
    cell(row, item.leadCharge ? `${item.leadCharge} (${item.leadGrade})` : "");
    cell(row, item.status);
    row.addEventListener("click", () => showRecord(item.arrestNumber));
    row.addEventListener("keydown", (e) => { if (e.key === "Enter") showRecord(item.arrestNumber); });
    body.appendChild(row);
  }
}

async function search(append = false) {
  const form = new FormData($("search-form"));
  const query = new URLSearchParams();
  for (const [name, value] of form) if (value) query.set(name, value);
  query.set("limit", "25");
  if (append && nextCursor) query.set("cursor", nextCursor);
  try {
    const page = await api(`/api/v1/arrests?${query}`);
    fillTable($("results"), page.items, append);
    nextCursor = page.nextCursor || null;
    $("more").hidden = !nextCursor;
    say(`${$("results").querySelectorAll("tbody tr").length} shown${nextCursor ? ", more available" : ""}.`);
  } catch (e) { say(e.message, true); }
}

async function showRecord(number) {
  try {
    const [record, history] = await Promise.all([api(`/api/v1/arrests/${encodeURIComponent(number)}`), api(`/api/v1/arrests/${encodeURIComponent(number)}/history`)]);
    currentArrest = record;
    $("record").hidden = false;
    $("record-title").textContent = `Arrest ${record.arrestNumber} — ${record.status}`;
    const facts = $("record-facts");
    facts.replaceChildren();
    const p = record.person;
    for (const [term, value] of [
      ["Name", `${p.lastName}, ${p.firstName}${p.middleName ? " " + p.middleName : ""}`],
      ["Date of birth", p.dateOfBirth], ["Sex", p.sex], ["District", record.district],
      ["Booked", new Date(record.bookedAt).toLocaleString()], ["Offense location", record.incident.offenseLocation],
      ["Arresting officer", `${record.arrestingOfficer.name} (#${record.arrestingOfficer.badgeNumber})`],
      ["Bail", record.arraignment ? `${record.arraignment.bailType}${record.arraignment.bailAmount ? " $" + record.arraignment.bailAmount : ""}, ${record.arraignment.custody}` : "—"],
    ]) {
      const dt = document.createElement("dt"); dt.textContent = term;
      const dd = document.createElement("dd"); dd.textContent = value ?? "";
      facts.append(dt, dd);
    }
    const charges = $("record-charges");
    charges.replaceChildren(...record.charges.map((c) => {
      const li = document.createElement("li");
      li.textContent = `${c.citation} — ${c.description} (${c.grade}) × ${c.counts}`;
      return li;
    }));
    $("record-history").replaceChildren(...history.events.map((e) => {
      const li = document.createElement("li");
      li.textContent = `${new Date(e.recordedAt).toLocaleString()} · ${e.type} · ${e.actor.userName} (${e.actor.agencyCode})`;
      return li;
    }));
    $("decide").hidden = record.status !== "awaiting-charging";
    $("record").scrollIntoView({ behavior: "smooth" });
  } catch (e) { say(e.message, true); }
}

async function decide(outcome) {
  const body = outcome === "decline" ? { outcome, reason: $("decline-reason").value } : { outcome };
  try {
    await api(`/api/v1/arrests/${encodeURIComponent(currentArrest.arrestNumber)}/charging-decision`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    say(`Arrest ${currentArrest.arrestNumber}: ${outcome === "decline" ? "declined" : "charged"}.`);
    await showRecord(currentArrest.arrestNumber);
  } catch (e) { say(e.message, true); }
}

function show(view) {
  for (const button of document.querySelectorAll("nav [data-view]")) button.setAttribute("aria-pressed", String(button.dataset.view === view));
  for (const section of document.querySelectorAll(".view")) section.hidden = section.id !== `view-${view}`;
  $("record").hidden = true;
  if (view === "queue") api("/api/v1/charging/queue?limit=50").then((p) => fillTable($("queue"), p.items)).catch((e) => say(e.message, true));
  if (view === "arraignment") $("arraignment-form").requestSubmit();
}

async function signIn(token) {
  sessionStorage.setItem(tokenKey, token);
  try {
    await api("/api/v1/districts");
    $("signin").hidden = true;
    $("desk").hidden = false;
    $("who").textContent = "Signed in";
    $("signin-error").textContent = "";
  } catch (e) {
    sessionStorage.removeItem(tokenKey);
    $("signin-error").textContent = e.message;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("signin-form").addEventListener("submit", (e) => { e.preventDefault(); signIn($("token").value.trim()); });
  $("signout").addEventListener("click", () => { sessionStorage.removeItem(tokenKey); location.reload(); });
  $("search-form").addEventListener("submit", (e) => { e.preventDefault(); search(false); });
  $("more").addEventListener("click", () => search(true));
  $("approve").addEventListener("click", () => decide("approve"));
  $("decline").addEventListener("click", () => decide("decline"));
  $("arraignment-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const date = new FormData($("arraignment-form")).get("date");
    api(`/api/v1/arraignment/list${date ? "?date=" + date : ""}`)
      .then((list) => fillTable($("arraignment"), [...list.waiting, ...list.arraigned]))
      .catch((err) => say(err.message, true));
  });
  for (const button of document.querySelectorAll("nav [data-view]")) button.addEventListener("click", () => show(button.dataset.view));
  if (sessionStorage.getItem(tokenKey)) signIn(sessionStorage.getItem(tokenKey));
});
