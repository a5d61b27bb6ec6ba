package io.csvx.message;

import io.csvx.endpoint.Endpoint;
import io.csvx.endpoint.EndpointService;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.csvx.store.Ids;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import io.csvx.store.StoreException;
import io.csvx.tenant.Application;
import io.csvx.tenant.TenantService;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// Messages: publishing one into an application and reading them back with their delivery state.
public final class MessageService {
    /// The application was deleted while the message was being published.
    public static final class AppGone extends RuntimeException {
        AppGone(String appId) {
            super("application '" + appId + "' was deleted");
        }
    }

    private final MessageStore store;
    private final Publisher publisher;
    private final TenantService tenants;
    private final EndpointService endpoints;
    private final Ids ids;
    private final PublishTurns turns;
    private static final ObjectMapper EXAMPLES = new ObjectMapper();

    /// `publishesPerApp`: how many publish requests of one application run at once on this node
    /// ([#inTurn]); 0 for no limit; with `onlyWhenShared`, only while another application publishes
    /// on the node too.
    public MessageService(MessageStore store, Publisher publisher, TenantService tenants, EndpointService endpoints,
                          Ids ids, int publishesPerApp, boolean onlyWhenShared, Clock clock) {
        this.store = store;
        this.publisher = publisher;
        this.tenants = tenants;
        this.endpoints = endpoints;
        this.ids = ids;
        this.turns = new PublishTurns(publishesPerApp, onlyWhenShared, clock);
    }

    /// Runs `publishing` (a whole publish request: reading it, publishing, answering) in one of
    /// the application's turns on this node, so that an application publishing a flood holds only
    /// its share of the node and another's publish does not wait behind it. `appKey` names the
    /// application as the request does (id or uid).
    public void inTurn(String appKey, Runnable publishing) {
        turns.run(appKey, publishing);
    }

    /// Stores the message with one delivery per matching endpoint of `app`;
    /// [StoreException.Conflict] when its eventId was used already, [AppGone] when the
    /// application went away meanwhile.
    public void publish(Application app, Message message) {
        publish(app, message, null);
    }

    /// As above, keeping `answer` with the message in its transaction (null: none);
    /// [MessageStore.KeyTaken] when its key was answered already, and nothing is stored.
    public void publish(Application app, Message message, MessageStore.Answer answer) {
        whileAppExists(app, () -> publisher.publish(message, answer));
    }

    /// Sends `endpoint` alone an example of `type` (its schema's example at `index`, or one made
    /// from its schema), as a message of `app` kept for the default retention; [AppGone] as for
    /// [#publish].
    public ExampleResult sendExample(Application app, Endpoint endpoint, EventType type, int index, Instant now) {
        var payload = Examples.of(type.schemas(), index, EXAMPLES);
        if (payload.isEmpty()) {
            return new ExampleResult.NoExample();
        }
        if (endpoint.disabled()) {
            return new ExampleResult.EndpointDisabled();
        }
        Message m = new Message(ids.next("msg_"), app.id(), type.name(), null, null, payload.get().toString(), now,
                now.plus(Events.DEFAULT_RETENTION));
        whileAppExists(app, () -> publisher.publishTo(m, List.of(endpoint.id())));
        return new ExampleResult.Sent(m);
    }

    /// Runs `publish`, telling a store failure caused by the application's deletion ([AppGone])
    /// from others.
    private void whileAppExists(Application app, Runnable publish) {
        try {
            publish.run();
        } catch (StoreException.Conflict e) {
            throw e;
        } catch (StoreException e) {
            tenants.forget(app.id());
            if (tenants.find(app.id()).isEmpty()) {
                throw new AppGone(app.id());
            }
            throw e;
        }
    }

    /// Forgets a message's payload for good (it reads `{}` from then on); the message and its
    /// deliveries stay.
    public void expungeContent(Message message) {
        store.expungePayload(message.appId(), message.id());
    }

    /// Whether a message of this type and these channels would go to any enabled endpoint of the application now.
    public boolean wouldBeSent(Application app, String eventType, List<String> channels) {
        return endpoints.forApp(app.id()).stream().anyMatch(e -> e.accepts(eventType, channels));
    }

    public Optional<Message> find(String appId, String idOrEventId) {
        return store.find(appId, idOrEventId);
    }

    public Page<Message> list(String appId, PageRequest page, MessageStore.Filter filter) {
        return store.list(appId, page, filter);
    }

    /// Every endpoint the message went to, with its delivery state there.
    /// The endpoints the message would have reached but for their payload filter.
    public List<io.csvx.endpoint.Endpoint> filteredOut(Message message) {
        return publisher.filteredOut(message);
    }

    public List<MessageStore.Destination> destinations(Message message, Instant now) {
        return store.destinations(message.id(), now);
    }

    /// Messages sent to an endpoint, with their state there; `status` (0 success, 1 pending, 2 fail,
    /// 3 sending) filters when given.
    public Page<MessageStore.EndpointMessage> byEndpoint(String endpointId, PageRequest page, Integer status,
                                                         MessageStore.Filter filter, Instant now) {
        return store.byEndpoint(endpointId, page, status, filter, now);
    }

    /// The messages of an application among `ids`, by id.
    public Map<String, Message> findAll(String appId, Collection<String> ids) {
        Map<String, Message> byId = new HashMap<>();
        for (Message m : store.findAll(appId, ids)) {
            byId.put(m.id(), m);
        }
        return byId;
    }
}
