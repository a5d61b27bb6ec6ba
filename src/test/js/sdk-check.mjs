// Drives a CSV-X node with Svix's own JavaScript SDK and prints what came back, as JSON, for
// JsSdkE2ETest to check. Arguments: server URL, token, application, endpoint, message.
import { Svix } from "svix";

const [serverUrl, token, app, endpoint, msg] = process.argv.slice(2);
const svix = new Svix(token, { serverUrl });
const out = {};
// the SDK parses the body of every 202 as JSON: an empty body throws here
out.resend = await svix.messageAttempt.resend(app, msg, endpoint);
const byType = await svix.messageAttempt.listByEndpoint(app, endpoint, { eventTypes: ["order.created"], withMsg: true });
out.attempts = byType.data.map((a) => ({ msgId: a.msgId, eventType: a.msg?.eventType ?? null }));
const later = await svix.message.create(app, {
  eventType: "order.created",
  payload: { later: true },
  deliverAt: new Date(Date.now() + 60_000),
});
out.deliverAt = later.deliverAt ? later.deliverAt.toISOString() : null;
const task = await svix.endpoint.replayMissing(app, endpoint, { since: new Date(Date.now() - 3_600_000) });
out.task = { task: task.task, status: task.status };
out.fetched = (await svix.backgroundTask.get(task.id)).id === task.id;
console.log(JSON.stringify(out));
