package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.svix.Svix;
import com.svix.SvixOptions;
import com.svix.api.MessageAttemptListAttemptedMessagesOptions;
import com.svix.api.MessageAttemptListByEndpointOptions;
import com.svix.api.MessageAttemptListByMsgOptions;
import com.svix.api.BackgroundTaskListOptions;
import com.svix.api.MessageListOptions;
import com.svix.models.BackgroundTaskOut;
import com.svix.models.BackgroundTaskStatus;
import com.svix.models.BackgroundTaskType;
import com.svix.models.BulkReplayIn;
import com.svix.models.EventExampleIn;
import com.svix.models.RecoverIn;
import com.svix.models.RecoverOut;
import com.svix.models.ReplayIn;
import com.svix.models.ReplayOut;
import com.svix.models.ApplicationIn;
import com.svix.models.EndpointIn;
import com.svix.models.EndpointMessageOut;
import com.svix.models.MessageAttemptOut;
import com.svix.models.MessageIn;
import com.svix.models.MessageOut;
import com.svix.models.StatusCodeClass;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The Svix API as Svix's own Java SDK drives it: every filter of every list route does what
/// Svix documents, checked on what comes back, not only on the status.
class SvixConformanceE2ETest {
    @TempDir
    Path dir;

    @Test
    void everyListFilterIsHonoured() throws Exception {
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir)) {
            Svix svix = svix(node);
            svix.getApplication().create(new ApplicationIn().name("Conf").uid("conf"));
            String ep = svix.getEndpoint().create("conf", new EndpointIn().url(URI.create(receiver.url("/a")))).getId();
            OffsetDateTime start = OffsetDateTime.now().minusSeconds(1);

            MessageOut m1 = svix.getMessage().create("conf", new MessageIn().eventType("order.created")
                    .payload("{\"n\":1}").channels(Set.of("eu")).tags(Set.of("vip")));
            MessageOut m2 = svix.getMessage().create("conf", new MessageIn().eventType("order.paid")
                    .payload("{\"n\":2}").channels(Set.of("us")));
            MessageOut m3 = svix.getMessage().create("conf", new MessageIn().eventType("order.created")
                    .payload("{\"n\":3}").tags(Set.of("bulk")));
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    svix.getMessageAttempt().listByEndpoint("conf", ep).getData().size() == 3);
            OffsetDateTime future = OffsetDateTime.now().plusHours(1);
            OffsetDateTime past = start.minusHours(1);

            // attempts at an endpoint
            assertThat(msgIds(svix.getMessageAttempt().listByEndpoint("conf", ep,
                    with(byEndpoint(), o -> { o.setEventTypes(Set.of("order.created")); })).getData())).containsExactly(m3.getId(), m1.getId());
            assertThat(msgIds(svix.getMessageAttempt().listByEndpoint("conf", ep, with(byEndpoint(), o -> { o.setChannel("eu"); }))
                    .getData())).containsExactly(m1.getId());
            assertThat(msgIds(svix.getMessageAttempt().listByEndpoint("conf", ep, with(byEndpoint(), o -> { o.setTag("bulk"); }))
                    .getData())).containsExactly(m3.getId());
            assertThat(svix.getMessageAttempt().listByEndpoint("conf", ep, with(byEndpoint(), o -> { o.setAfter(future); })).getData())
                    .isEmpty();
            assertThat(svix.getMessageAttempt().listByEndpoint("conf", ep, with(byEndpoint(), o -> { o.setBefore(past); })).getData())
                    .isEmpty();
            assertThat(svix.getMessageAttempt().listByEndpoint("conf", ep, with(byEndpoint(), o -> { o.setAfter(start); o.setBefore(future); }))
                    .getData()).hasSize(3);
            assertThat(svix.getMessageAttempt().listByEndpoint("conf", ep,
                    with(byEndpoint(), o -> { o.setStatusCodeClass(StatusCodeClass.CODE2XX); })).getData()).hasSize(3);
            assertThat(svix.getMessageAttempt().listByEndpoint("conf", ep,
                    with(byEndpoint(), o -> { o.setStatusCodeClass(StatusCodeClass.CODE5XX); })).getData()).isEmpty();
            MessageAttemptOut withMsg = svix.getMessageAttempt().listByEndpoint("conf", ep,
                    with(byEndpoint(), o -> { o.setWithMsg(true); o.setChannel("us"); })).getData().getFirst();
            assertThat(withMsg.getMsg().getId()).isEqualTo(m2.getId());
            assertThat(withMsg.getMsg().getEventType()).isEqualTo("order.paid");
            assertThat(svix.getMessageAttempt().listByEndpoint("conf", ep).getData().getFirst().getMsg()).isNull();
            assertThat(svix.getMessageAttempt().listByEndpoint("conf", ep).getData().getFirst().getResponse())
                    .startsWith("ok");
            assertThat(svix.getMessageAttempt().listByEndpoint("conf", ep, with(byEndpoint(), o -> { o.setWithContent(false); }))
                    .getData().getFirst().getResponse()).isEmpty();

            // attempts of a message
            assertThat(svix.getMessageAttempt().listByMsg("conf", m1.getId(),
                    with(new MessageAttemptListByMsgOptions(), o -> { o.setEventTypes(Set.of("order.paid")); })).getData()).isEmpty();
            assertThat(svix.getMessageAttempt().listByMsg("conf", m1.getId(),
                    with(new MessageAttemptListByMsgOptions(), o -> { o.setEventTypes(Set.of("order.created")); })).getData()).hasSize(1);
            assertThat(svix.getMessageAttempt().listByMsg("conf", m1.getId(),
                    with(new MessageAttemptListByMsgOptions(), o -> { o.setAfter(future); })).getData()).isEmpty();
            assertThat(svix.getMessageAttempt().listByMsg("conf", m1.getId(),
                    with(new MessageAttemptListByMsgOptions(), o -> { o.setBefore(future); o.setEndpointId(ep); o.setTag("vip"); })).getData()).hasSize(1);
            assertThat(svix.getMessageAttempt().listByMsg("conf", m1.getId(),
                    with(new MessageAttemptListByMsgOptions(), o -> { o.setChannel("us"); })).getData()).isEmpty();

            // messages sent to an endpoint
            assertThat(ids(svix.getMessageAttempt().listAttemptedMessages("conf", ep,
                    with(new MessageAttemptListAttemptedMessagesOptions(), o -> { o.setChannel("us"); })).getData())).containsExactly(m2.getId());
            assertThat(ids(svix.getMessageAttempt().listAttemptedMessages("conf", ep,
                    with(new MessageAttemptListAttemptedMessagesOptions(), o -> { o.setTag("bulk"); })).getData())).containsExactly(m3.getId());
            assertThat(ids(svix.getMessageAttempt().listAttemptedMessages("conf", ep,
                    with(new MessageAttemptListAttemptedMessagesOptions(), o -> { o.setEventTypes(Set.of("order.paid")); })).getData()))
                    .containsExactly(m2.getId());
            assertThat(svix.getMessageAttempt().listAttemptedMessages("conf", ep,
                    with(new MessageAttemptListAttemptedMessagesOptions(), o -> { o.setAfter(future); })).getData()).isEmpty();
            assertThat(svix.getMessageAttempt().listAttemptedMessages("conf", ep,
                    with(new MessageAttemptListAttemptedMessagesOptions(), o -> { o.setBefore(future); o.setWithContent(false); })).getData())
                    .hasSize(3).allSatisfy(m -> assertThat(m.getPayload()).isEqualTo(java.util.Map.of()));

            // messages
            var vip = svix.getMessage().list("conf", with(new MessageListOptions(), o -> { o.setTag("vip"); })).getData();
            assertThat(vip).extracting(MessageOut::getId).containsExactly(m1.getId());
            assertThat(vip.getFirst().getTags()).containsExactly("vip");
            assertThat(svix.getMessage().list("conf", with(new MessageListOptions(), o -> { o.setChannel("us"); o.setBefore(future); }))
                    .getData()).extracting(MessageOut::getId).containsExactly(m2.getId());

            // endpoint stats over a time range
            assertThat(svix.getEndpoint().getStats("conf", ep, with(new com.svix.api.EndpointGetStatsOptions(), o -> { o.setSince(start); o.setUntil(future); })).getSuccess()).isEqualTo(3L);
            assertThat(svix.getEndpoint().getStats("conf", ep, with(new com.svix.api.EndpointGetStatsOptions(), o -> { o.setSince(future); })).getSuccess()).isZero();
        }
    }

    @Test
    void unknownOrMalformedQueryParametersAreRefusedNamingThem() throws Exception {
        try (TestNode node = TestNode.start(dir)) {
            String app = node.api.app("conf");
            String ep = node.api.endpoint(app, "{\"url\":\"http://127.0.0.1:9/x\"}");
            String base = "/api/v1/app/" + app + "/attempt/endpoint/" + ep;
            Api.Resp unknown = node.api.get(base + "?statuscode=200");
            assertThat(unknown.status()).isEqualTo(422);
            assertThat(unknown.body().path("detail").get(0).path("loc").toString()).isEqualTo("[\"query\",\"statuscode\"]");
            assertThat(unknown.body().path("detail").get(0).path("msg").asText()).contains("status_code_class");
            for (String bad : new String[] {"?status_code_class=250", "?before=yesterday", "?with_msg=yes",
                    "?channel=a%25b", "?event_types=a%20b", "?limit=0"}) {
                assertThat(node.api.get(base + bad).status()).as(bad).isEqualTo(422);
            }
            assertThat(node.api.get("/api/v1/app/" + app + "?limit=5").status()).isEqualTo(422);
            assertThat(node.api.get("/api/v1/app?order=ascending&limit=5").status()).isEqualTo(200);
        }
    }

    @Test
    void resendAnswersAnEmptyJsonObject() throws Exception {
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir)) {
            String app = node.api.app("conf");
            String ep = node.api.endpoint(app, "{\"url\":\"" + receiver.url("/r") + "\"}");
            String msg = node.api.publish(app, "order.created", "{\"n\":1}");
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/r").size() == 1);
            Api.Resp resend = node.api.post("/api/v1/app/" + app + "/msg/" + msg + "/endpoint/" + ep + "/resend", "{}");
            assertThat(resend.status()).isEqualTo(202);
            assertThat(resend.headers().get("content-type")).startsWith("application/json");
            assertThat(resend.text()).isEqualTo("{}");
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/r").size() == 2);
            // a disabled endpoint is enabled before anything is sent to it
            node.api.patch("/api/v1/app/" + app + "/endpoint/" + ep, "{\"disabled\":true}");
            Api.Resp refused = node.api.post("/api/v1/app/" + app + "/msg/" + msg + "/endpoint/" + ep + "/resend", "{}");
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.str("detail")).contains("disabled");
            // Svix's Java SDK 1.99.1 cannot call this route (it passes OkHttp a POST without a body,
            // which OkHttp refuses before sending); JsSdkE2ETest calls it through the JavaScript SDK
        }
    }

    @Test
    void recoverReplayMissingAndBulkReplayRunAsBackgroundTasks() throws Exception {
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir)) {
            Svix svix = svix(node);
            svix.getApplication().create(new ApplicationIn().name("Conf").uid("conf"));
            OffsetDateTime start = OffsetDateTime.now().minusSeconds(1);
            svix.getMessage().create("conf", new MessageIn().eventType("order.created").payload("{\"n\":1}")
                    .tags(Set.of("first")));
            svix.getMessage().create("conf", new MessageIn().eventType("order.paid").payload("{\"n\":2}"));
            svix.getMessage().create("conf", new MessageIn().eventType("order.created").payload("{\"n\":3}"));

            // an endpoint created later gets, on replay-missing, what its filter takes of the messages before it
            String late = svix.getEndpoint().create("conf", new EndpointIn().url(URI.create(receiver.url("/late")))
                    .filterTypes(Set.of("order.created"))).getId();
            ReplayOut replay = svix.getEndpoint().replayMissing("conf", late, new ReplayIn().since(start));
            assertThat(replay.getId()).startsWith("qtask_");
            assertThat(replay.getTask()).isEqualTo(BackgroundTaskType.ENDPOINT_REPLAY);
            BackgroundTaskOut done = finished(svix, replay.getId());
            assertThat(done.getData()).isEqualTo(Map.of("appId", svix.getApplication().get("conf").getId(),
                    "endpointId", late, "since", start.toInstant().truncatedTo(ChronoUnit.MILLIS).toString(),
                    "until", ((Map<?, ?>) done.getData()).get("until"), "messagesScanned", 3, "deliveriesScheduled", 2));
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/late").size() == 2);
            assertThat(receiver.hits("/late")).extracting(Receiver.Hit::body)
                    .containsExactlyInAnyOrder("{\"n\":1}", "{\"n\":3}");
            // run again, it finds nothing missing
            assertThat(finished(svix, svix.getEndpoint().replayMissing("conf", late, new ReplayIn().since(start))
                    .getId()).getData()).extracting(d -> ((Map<?, ?>) d).get("deliveriesScheduled")).isEqualTo(0);

            // bulk replay sends again what the endpoint had, filtered
            ReplayOut bulk = svix.getEndpoint().bulkReplay("conf", late, new BulkReplayIn().since(start).tag("first")
                    .statusCodeClass(StatusCodeClass.CODE2XX));
            assertThat(bulk.getTask()).isEqualTo(BackgroundTaskType.ENDPOINT_BULK_REPLAY);
            finished(svix, bulk.getId());
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/late").size() == 3);
            assertThat(receiver.hits("/late").getLast().body()).isEqualTo("{\"n\":1}");

            // recover: what failed for good is sent again
            receiver.answer((path, n) -> Receiver.Answer.of(path.equals("/down") && n <= 4 ? 500 : 200));
            String down = svix.getEndpoint().create("conf", new EndpointIn().url(URI.create(receiver.url("/down"))))
                    .getId();
            MessageOut lost = svix.getMessage().create("conf", new MessageIn().eventType("order.paid")
                    .payload("{\"n\":4}"));
            await().atMost(Duration.ofSeconds(10)).until(() -> svix.getMessageAttempt().listAttemptedMessages("conf", down)
                    .getData().getFirst().getStatus() == com.svix.models.MessageStatus.FAIL);
            RecoverOut recover = svix.getEndpoint().recover("conf", down, new RecoverIn().since(start));
            assertThat(recover.getTask()).isEqualTo(BackgroundTaskType.ENDPOINT_RECOVER);
            finished(svix, recover.getId());
            await().atMost(Duration.ofSeconds(10)).until(() -> svix.getMessageAttempt().listAttemptedMessages("conf", down)
                    .getData().getFirst().getStatus() == com.svix.models.MessageStatus.SUCCESS);
            assertThat(receiver.hits("/down").getLast().body()).isEqualTo("{\"n\":4}");
            assertThat(svix.getMessageAttempt().listByMsg("conf", lost.getId()).getData()).hasSize(5);

            // the list, filtered
            assertThat(svix.getBackgroundTask().list(with(new BackgroundTaskListOptions(), o -> {
                o.setTask(BackgroundTaskType.ENDPOINT_REPLAY);
                o.setStatus(BackgroundTaskStatus.FINISHED);
            })).getData()).hasSize(2);
            assertThat(svix.getBackgroundTask().list().getData()).hasSize(4);
            assertThat(node.api.get("/api/v1/background-task/qtask_nothing").status()).isEqualTo(404);
            assertThat(node.api.post("/api/v1/app/conf/endpoint/" + late + "/bulk-replay",
                    "{\"since\":\"2026-01-01T00:00:00Z\",\"status\":9}").status()).isEqualTo(422);
        }
    }

    @Test
    void sendExampleExpungeAndPolling() throws Exception {
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir)) {
            Svix svix = svix(node);
            svix.getApplication().create(new ApplicationIn().name("Conf").uid("conf"));
            String ep = svix.getEndpoint().create("conf", new EndpointIn().url(URI.create(receiver.url("/ex"))))
                    .getId();
            // an example made from the schema of one of CSV-X's own event types
            MessageOut example = svix.getEndpoint().sendExample("conf", ep, new EventExampleIn().eventType("job.completed"));
            assertThat(example.getEventType()).isEqualTo("job.completed");
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/ex").size() == 1);
            var sent = Api.JSON.readTree(receiver.hits("/ex").getFirst().body());
            assertThat(sent.path("type").asText()).isEqualTo("job.completed");
            assertThat(sent.path("data").path("job").isObject()).isTrue();
            // or one of the examples an event type lists, by index
            var shipped = svix.getEventType().create(new com.svix.models.EventTypeIn().name("order.shipped")
                    .description("shipped").groupName("orders").featureFlags(Set.of("beta"))
                    .schemas(Map.of("1", Map.of("type", "object", "examples",
                            java.util.List.of(Map.of("order", 1), Map.of("order", 2))))));
            assertThat(shipped.getGroupName()).isEqualTo("orders");
            assertThat(shipped.getFeatureFlags()).containsExactly("beta");
            assertThat(svix.getEventType().get("order.shipped").getFeatureFlag()).isEqualTo("beta");
            svix.getEndpoint().sendExample("conf", ep, new EventExampleIn().eventType("order.shipped").exampleIndex(1L));
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/ex").size() == 2);
            assertThat(receiver.hits("/ex").getLast().body()).isEqualTo("{\"order\":2}");
            assertThat(svix.getMessage().list("conf").getData()).hasSize(2);
            assertThat(node.api.post("/api/v1/app/conf/endpoint/" + ep + "/send-example",
                    "{\"eventType\":\"order.shipped\",\"exampleIndex\":5}").body().path("detail").get(0)
                    .path("loc").get(1).asText()).isEqualTo("exampleIndex");
            assertThat(node.api.post("/api/v1/app/conf/endpoint/" + ep + "/send-example",
                    "{\"eventType\":\"no.such.type\"}").status()).isEqualTo(422);

            // expunging: the payload and the response body go, the message and attempt stay
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    svix.getMessageAttempt().listByMsg("conf", example.getId()).getData().size() == 1);
            String attempt = svix.getMessageAttempt().listByMsg("conf", example.getId()).getData().getFirst().getId();
            svix.getMessage().expungeContent("conf", example.getId());
            svix.getMessageAttempt().expungeContent("conf", example.getId(), attempt);
            assertThat(svix.getMessage().get("conf", example.getId()).getPayload()).isEqualTo(Map.of());
            assertThat(svix.getMessageAttempt().get("conf", example.getId(), attempt).getResponse()).isEmpty();
            assertThat(node.api.delete("/api/v1/app/conf/msg/" + example.getId() + "/attempt/atmpt_none/content")
                    .status()).isEqualTo(404);

            // polling: oldest first, from the iterator on; an empty poll keeps the iterator
            svix.getMessage().create("conf", new MessageIn().eventType("order.paid").payload("{}")
                    .channels(Set.of("eu")));
            Api.Resp first = node.api.get("/api/v1/app/conf/events?limit=2");
            assertThat(first.body().path("data")).extracting(n -> n.path("eventType").asText())
                    .containsExactly("job.completed", "order.shipped");
            assertThat(first.body().path("done").asBoolean()).isFalse();
            String iterator = first.str("iterator");
            Api.Resp rest = node.api.get("/api/v1/app/conf/events?limit=2&iterator=" + iterator);
            assertThat(rest.body().path("data")).extracting(n -> n.path("eventType").asText())
                    .containsExactly("order.paid");
            Api.Resp empty = node.api.get("/api/v1/app/conf/events?iterator=" + rest.str("iterator"));
            assertThat(empty.body().path("data")).isEmpty();
            assertThat(empty.str("iterator")).isEqualTo(rest.str("iterator"));
            assertThat(node.api.get("/api/v1/app/conf/events?channels=eu&channels=us").body().path("data"))
                    .hasSize(1);
            assertThat(node.api.get("/api/v1/app/conf/events?event_types=order.shipped,job.completed").body()
                    .path("data")).hasSize(2);
            assertThat(node.api.get("/api/v1/health/ping").status()).isEqualTo(204);
            assertThat(node.api.call(org.eclipse.jetty.http.HttpMethod.HEAD, "/api/v1/health", null, Map.of())
                    .status()).isEqualTo(204);
            new com.svix.api.Health(svix.getHttpClient()).get(); // the SDK's own health call
        }
    }

    @Test
    void eventTypesFromOpenApiAndAttemptStatistics() throws Exception {
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir)) {
            Svix svix = svix(node);
            String yaml = """
                    openapi: 3.1.0
                    info: {title: Shop, version: "1"}
                    webhooks:
                      order.created:
                        post:
                          description: An order was placed
                          requestBody:
                            content:
                              application/json:
                                schema: {$ref: '#/components/schemas/Order'}
                      order.refunded:
                        post:
                          summary: An order was refunded
                          deprecated: true
                    components:
                      schemas:
                        Order:
                          type: object
                          properties:
                            id: {type: string}
                            total: {type: number}
                    """;
            var dry = svix.getEventType().importOpenapi(new com.svix.models.EventTypeImportOpenApiIn().specRaw(yaml)
                    .dryRun(true)).getData();
            assertThat(dry.getModified()).containsExactly("order.created", "order.refunded");
            assertThat(dry.getToModify().getFirst().getSchemas()).isEqualTo(Map.of("1", Map.of("type", "object",
                    "properties", Map.of("id", Map.of("type", "string"), "total", Map.of("type", "number")))));
            assertThat(node.api.get("/api/v1/event-type/order.created").status()).isEqualTo(404);

            var done = svix.getEventType().importOpenapi(new com.svix.models.EventTypeImportOpenApiIn().specRaw(yaml))
                    .getData();
            assertThat(done.getModified()).containsExactly("order.created", "order.refunded");
            var created = svix.getEventType().get("order.created");
            assertThat(created.getDescription()).isEqualTo("An order was placed");
            assertThat(svix.getEventType().get("order.refunded").getDeprecated()).isTrue();
            // lists leave schemas out unless asked (Svix's with_content defaults to false)
            assertThat(node.api.get("/api/v1/event-type").body().path("data").get(0).path("schemas").isNull()).isTrue();
            assertThat(node.api.get("/api/v1/event-type?with_content=true").body().path("data"))
                    .anySatisfy(t -> assertThat(t.path("schemas").path("1").isObject()).isTrue());
            // the same document again changes nothing; one without a webhook archives it with replaceAll
            assertThat(svix.getEventType().importOpenapi(new com.svix.models.EventTypeImportOpenApiIn().specRaw(yaml))
                    .getData().getModified()).isEmpty();
            svix.getEventType().importOpenapi(new com.svix.models.EventTypeImportOpenApiIn().replaceAll(true)
                    .spec(Map.of("openapi", "3.1.0", "webhooks", Map.of("order.created", Map.of("post", Map.of(
                            "description", "An order was placed", "requestBody", Map.of("content", Map.of(
                                    "application/json", Map.of("schema", Map.of("type", "object", "properties",
                                            Map.of("id", Map.of("type", "string"), "total",
                                                    Map.of("type", "number"))))))))))));
            assertThat(svix.getEventType().get("order.refunded").getArchived()).isTrue();
            assertThat(svix.getEventType().get("job.completed").getArchived()).isFalse(); // CSV-X's own stay
            assertThat(node.api.post("/api/v1/event-type/import/openapi", "{\"specRaw\":\"openapi: [\"}").status())
                    .isEqualTo(422);
            assertThat(node.api.post("/api/v1/event-type/import/openapi", "{\"spec\":{\"openapi\":\"3.0.0\"}}")
                    .body().path("detail").get(0).path("msg").asText()).contains("webhooks");

            // attempt statistics of an application, by event type
            receiver.answer((path, n) -> Receiver.Answer.of(path.equals("/bad") ? 400 : 200));
            svix.getApplication().create(new ApplicationIn().name("Conf").uid("conf"));
            svix.getEndpoint().create("conf", new EndpointIn().url(URI.create(receiver.url("/ok"))));
            svix.getEndpoint().create("conf", new EndpointIn().url(URI.create(receiver.url("/bad")))
                    .filterTypes(Set.of("order.created")));
            OffsetDateTime since = OffsetDateTime.now().minusMinutes(1);
            svix.getMessage().create("conf", new MessageIn().eventType("order.created").payload("{}"));
            svix.getMessage().create("conf", new MessageIn().eventType("order.paid").payload("{}"));
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits().size() >= 3);
            String range = "?since=" + since.toInstant() + "&until=" + OffsetDateTime.now().plusMinutes(1).toInstant();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Api.Resp stats = node.api.get("/api/v1/app/conf/stats/attempts" + range);
                assertThat(stats.body().path("total_success").asLong()).isEqualTo(2);
                assertThat(stats.body().path("by_event_type").path("order.created").path("failure").asLong())
                        .isGreaterThanOrEqualTo(1);
                assertThat(stats.body().path("by_event_type").path("order.paid").path("success").asLong()).isEqualTo(1);
            });
            assertThat(node.api.get("/api/v1/app/conf/stats/attempts" + range + "&event_types=order.paid").body()
                    .path("by_event_type").size()).isEqualTo(1);
            assertThat(node.api.get("/api/v1/app/conf/stats/attempts?since=" + since.toInstant()).status())
                    .isEqualTo(422);
        }
    }

    @Test
    void countRawPrecheckDeliverAtAndRetention() throws Exception {
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir)) {
            Svix svix = svix(node);
            svix.getApplication().create(new ApplicationIn().name("Conf").uid("conf"));
            String ep = svix.getEndpoint().create("conf", new EndpointIn().url(URI.create(receiver.url("/p")))
                    .filterTypes(Set.of("order.created"))).getId();
            assertThat(svix.getMessage().precheck("conf", new com.svix.models.MessagePrecheckIn()
                    .eventType("order.created")).getActive()).isTrue();
            assertThat(svix.getMessage().precheck("conf", new com.svix.models.MessagePrecheckIn()
                    .eventType("order.paid")).getActive()).isFalse();

            // a message to be delivered later waits until its time, and says when (the Java SDK
            // 1.99.1 leaves deliverAt out of what it sends, so it is sent as the other SDKs do)
            OffsetDateTime later = OffsetDateTime.now().plusSeconds(2);
            Api.Resp created = node.api.post("/api/v1/app/conf/msg", "{\"eventType\":\"order.created\","
                    + "\"transformationsParams\":{\"rawPayload\":\"{ \\\"n\\\": 1 }\"},\"deliverAt\":\"" + later
                    + "\",\"payloadRetentionHours\":2}");
            assertThat(created.status()).as(created.text()).isEqualTo(202);
            MessageOut deferred = svix.getMessage().get("conf", created.str("id"));
            assertThat(deferred.getDeliverAt()).isNotNull();
            Thread.sleep(500);
            assertThat(receiver.hits("/p")).isEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/p").size() == 1);
            assertThat(svix.getMessage().get("conf", deferred.getId()).getDeliverAt().toInstant())
                    .isEqualTo(later.toInstant().truncatedTo(ChronoUnit.MILLIS));

            // the raw payload is the text as published
            assertThat(node.api.get("/api/v1/app/conf/msg/" + deferred.getId() + "/raw").str("payload"))
                    .isEqualTo("{ \"n\": 1 }");
            // counting attempts takes the list's filters
            await().atMost(Duration.ofSeconds(5)).until(() -> node.api.get("/api/v1/app/conf/attempt/endpoint/" + ep
                    + "/count").body().path("count").asLong() == 1);
            assertThat(node.api.get("/api/v1/app/conf/attempt/endpoint/" + ep + "/count?status_code_class=500")
                    .body().path("count").asLong()).isZero();
            assertThat(node.api.post("/api/v1/app/conf/msg", "{\"eventType\":\"a\",\"payload\":{},"
                    + "\"payloadRetentionPeriod\":5,\"payloadRetentionHours\":5}").status()).isEqualTo(422);
            assertThat(node.api.post("/api/v1/app/conf/msg", "{\"eventType\":\"a\",\"payload\":{},"
                    + "\"deliverAt\":\"" + OffsetDateTime.now().plusDays(2) + "\"}").status()).isEqualTo(422);
        }
    }

    /// Waits for a background task to finish and answers it.
    private static BackgroundTaskOut finished(Svix svix, String id) throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() ->
                svix.getBackgroundTask().get(id).getStatus() == BackgroundTaskStatus.FINISHED);
        return svix.getBackgroundTask().get(id);
    }

    private static <T> T with(T options, java.util.function.Consumer<T> set) {
        set.accept(options);
        return options;
    }

    private static MessageAttemptListByEndpointOptions byEndpoint() {
        return new MessageAttemptListByEndpointOptions();
    }

    private static java.util.List<String> msgIds(java.util.List<MessageAttemptOut> attempts) {
        return attempts.stream().map(MessageAttemptOut::getMsgId).toList();
    }

    private static java.util.List<String> ids(java.util.List<EndpointMessageOut> messages) {
        return messages.stream().map(EndpointMessageOut::getId).toList();
    }

    /// Svix's client, pointed at the test node: the only change a user makes.
    static Svix svix(TestNode node) {
        SvixOptions options = new SvixOptions();
        options.setServerUrl("http://127.0.0.1:" + node.app.port());
        return new Svix(TestNode.TOKEN, options);
    }
}
