package io.csvx.web;

import io.csvx.endpoint.Endpoint;
import io.csvx.endpoint.EndpointService;
import io.csvx.endpoint.Ordering;
import io.csvx.message.EventType;
import io.csvx.message.Message;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/// The endpoint edit form as typed: shown again as it was when something in it is wrong.
///
/// @param channels comma-separated
/// @param headers  one `Name: value` a line; credentials ([EndpointService#isSensitive]) are not
///                 shown, so a line for one replaces it and an absent one is kept
/// @param remove   the hidden credentials ticked for removal
/// @param filter   the payload filter, "" for none
/// @param ordering `off`, `block` or `skip`
record EndpointForm(String url, String description, List<String> types, String rate, String format,
                    String channels, String headers, List<String> remove, String filter, String ordering) {

    static EndpointForm of(Endpoint e, UnaryOperator<String> pretty) {
        StringBuilder headers = new StringBuilder();
        e.headers().forEach((k, v) -> {
            if (!EndpointService.isSensitive(k)) {
                headers.append(k).append(": ").append(v).append('\n');
            }
        });
        return new EndpointForm(e.url(), e.description(), e.eventTypes() == null ? List.of() : e.eventTypes(),
                e.throttleRate() == null ? "" : e.throttleRate().toString(),
                e.format() == null ? "" : pretty.apply(e.format().toString()),
                e.channels() == null ? "" : String.join(", ", e.channels()), headers.toString(), List.of(),
                e.filter() == null ? "" : e.filter(), e.ordering().wire());
    }

    static EndpointForm read(Context ctx) {
        return new EndpointForm(Pages.field(ctx, "url"), Pages.field(ctx, "description"),
                ctx.formParams("eventTypes").stream().filter(EventType::isName).toList(),
                Pages.field(ctx, "rate"), ctx.formParam("format") == null ? "" : ctx.formParam("format"),
                Pages.field(ctx, "channels"), ctx.formParam("headers") == null ? "" : ctx.formParam("headers"),
                ctx.formParams("removeHeader"), Pages.field(ctx, "filter"), Pages.field(ctx, "ordering"));
    }


    /// The chosen ordering; a value the form cannot send reads as off.
    Ordering orderingChoice() {
        return Ordering.of(ordering).orElse(Ordering.OFF);
    }

    List<String> channelList() {
        return Arrays.stream(channels.split(",")).map(String::strip).filter(c -> !c.isEmpty()).distinct().toList();
    }

    /// What is wrong with the channels, in the API's rule.
    Optional<String> channelsProblem() {
        List<String> list = channelList();
        if (list.size() > EndpointService.MAX_CHANNELS) {
            return Optional.of("An endpoint listens on at most " + EndpointService.MAX_CHANNELS + " channels.");
        }
        return list.stream().filter(c -> !Message.CHANNEL.matcher(c).matches()).findFirst()
                .map(c -> "The channel '" + c + "' may hold letters, digits, '-', '_', '.', ':' and '+' only.");
    }

    /// The typed headers; [IllegalArgumentException] names the line at fault.
    Map<String, String> headerMap() {
        Map<String, String> map = new LinkedHashMap<>();
        String[] lines = headers.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("Headers, line " + (i + 1) + ": write it as Name: value.");
            }
            String name = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            int n = i + 1;
            EndpointService.headerProblem(name, value).ifPresent(p -> {
                throw new IllegalArgumentException("Headers, line " + n + ": " + p + ".");
            });
            map.put(name, value);
        }
        return map;
    }
}
