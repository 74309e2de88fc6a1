// The Cedar side of `bench/run policy`: node bench/cedar/decide.mjs <requests.json> [--seconds S]
// Reads the request mix the .NET side wrote (principal, action, resource, context, entities per request, already
// in Cedar's JSON form), pre-parses ice-2026.cedar once (preparsePolicySet), warms up, then times
// statefulIsAuthorized over the same requests in a loop for about S seconds (default 3), and for comparison the
// stateless isAuthorized with the policy text (parsed on every call), and the same stateful calls against a
// permit-all policy set (the cost of the call without the agreement), each for a third of that. Prints one JSON object:
// { cedarVersion, requests, preparsed: {calls, seconds, perSecond}, text: {...}, permitAll: {...}, decisions: "1001…" } where
// decisions has one character per request (1 = Allow), from the first timed pass.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith("--"));
if (!file) {
  console.error("usage: node decide.mjs <requests.json> [--seconds S]");
  process.exit(2);
}
const secondsArg = args.indexOf("--seconds");
const seconds = secondsArg >= 0 ? Number(args[secondsArg + 1]) : 3;
const here = dirname(fileURLToPath(import.meta.url));
const policyText = readFileSync(join(here, "ice-2026.cedar"), "utf8");
const requests = JSON.parse(readFileSync(file, "utf8"));

const parsed = cedar.preparsePolicySet("ice-2026", { staticPolicies: policyText });
if (parsed.type !== "success") {
  console.error(JSON.stringify(parsed.errors, null, 2));
  process.exit(1);
}

// Calls built once, outside the timed loop: only the authorization (and its crossing into wasm) is timed.
const stateful = requests.map((r) => ({
  principal: r.principal, action: r.action, resource: r.resource, context: r.context, entities: r.entities,
  preparsedPolicySetId: "ice-2026",
}));
const stateless = requests.map((r) => ({
  principal: r.principal, action: r.action, resource: r.resource, context: r.context, entities: r.entities,
  policies: { staticPolicies: policyText },
}));

function pass(calls, fn, out) {
  let allowed = 0;
  for (let i = 0; i < calls.length; i++) {
    const answer = fn(calls[i]);
    if (answer.type !== "success") {
      throw new Error(JSON.stringify(answer.errors));
    }
    const allow = answer.response.decision === "allow";
    if (allow) allowed++;
    if (out) out[i] = allow ? "1" : "0";
  }
  return allowed;
}

function time(calls, fn, budgetSeconds) {
  for (let w = 0; w < 3; w++) pass(calls, fn); // warm-up: the JIT and wasm tiers
  const decisions = new Array(calls.length);
  let n = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  do {
    pass(calls, fn, n === 0 ? decisions : undefined);
    n += calls.length;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  } while (elapsed < budgetSeconds);
  return { calls: n, seconds: elapsed, perSecond: n / elapsed, decisions: decisions.join("") };
}

const pre = time(stateful, cedar.statefulIsAuthorized, seconds);
// Baseline for the cost of the call itself (request, context and entities into wasm, validation, the answer back):
// the same calls against a one-line policy set that permits everything.
const trivial = cedar.preparsePolicySet("permit-all", { staticPolicies: "permit (principal, action, resource);" });
if (trivial.type !== "success") {
  console.error(JSON.stringify(trivial.errors, null, 2));
  process.exit(1);
}
const permitAll = time(stateful.map((c) => ({ ...c, preparsedPolicySetId: "permit-all" })), cedar.statefulIsAuthorized, seconds / 3);
const text = time(stateless, cedar.isAuthorized, seconds / 3);
if (pre.decisions !== text.decisions) {
  console.error("preparsed and text policy sets disagree");
  process.exit(1);
}
console.log(JSON.stringify({
  cedarVersion: cedar.getCedarVersion(),
  sdkVersion: cedar.getCedarSDKVersion(),
  node: process.version,
  requests: requests.length,
  preparsed: { calls: pre.calls, seconds: pre.seconds, perSecond: pre.perSecond },
  text: { calls: text.calls, seconds: text.seconds, perSecond: text.perSecond },
  permitAll: { calls: permitAll.calls, seconds: permitAll.seconds, perSecond: permitAll.perSecond },
  decisions: pre.decisions,
}));
