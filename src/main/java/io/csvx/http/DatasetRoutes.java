package io.csvx.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.csvx.dataset.Dataset;
import io.csvx.dataset.DatasetDiff;
import io.csvx.dataset.DatasetService;
import io.csvx.dataset.DatasetVersion;
import io.csvx.dataset.Notify;
import io.csvx.job.DiffSpec;
import io.csvx.job.Glob;
import io.csvx.job.JobView;
import io.csvx.store.PageRequest;
import io.csvx.store.StoreException;
import io.csvx.tenant.Application;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;

/// `/api/v1/app/{app_id}/dataset`: datasets, their versions, the diffs between them and their
/// history.
final class DatasetRoutes {
    private final Services s;
    private final Http http;

    DatasetRoutes(Services s, Http http) {
        this.s = s;
        this.http = http;
    }

    /// A dataset as the API answers with it.
    record DatasetOut(String id, String uid, String name, List<String> key, String match, String pipeline,
                      @JsonProperty("notify") @JsonRawValue String notifyRule,
                      String diffFormat, Instant createdAt, Instant updatedAt) {
        static DatasetOut of(Dataset d) {
            return new DatasetOut(d.id(), d.uid(), d.name(), d.key(), d.match() == null ? null : d.match().text(),
                    d.pipelineId(), d.notifyRule().toJson().toString(), d.diffFormat(), d.createdAt(), d.updatedAt());
        }
    }

    record VersionOut(int version, String fileId, long rows, Instant createdAt) {
        static VersionOut of(DatasetVersion v) {
            return new VersionOut(v.version(), v.fileId(), v.rows(), v.createdAt());
        }
    }

    /// One diff: its summary when it completed, the file of every change and where to fetch it.
    record DiffOut(String jobId, int from, int to, String status, boolean significant, String rule, String error,
                   @JsonRawValue String summary, String diffFileId, String diffUrl, Instant createdAt) {
        static DiffOut of(String appId, DatasetDiff d) {
            return new DiffOut(d.jobId(), d.fromVersion(), d.toVersion(), d.status().wire(), d.significant(), d.rule(),
                    d.error(), d.summary(), d.diffFileId(), d.diffFileId() == null ? null
                    : "/api/v1/app/" + appId + "/file/" + d.diffFileId() + "/content", d.createdAt());
        }
    }

    void create(Context ctx) {
        Application app = AppRoutes.find(s, ctx);
        Dataset d = read(ctx, app.id(), s.ids().next("ds_"), Http.now());
        try {
            http.send(ctx, 201, DatasetOut.of(s.datasets().create(d)));
        } catch (StoreException.Conflict e) {
            throw ApiError.conflict("a dataset with uid '" + d.uid() + "' already exists");
        }
    }

    void list(Context ctx) {
        Application app = AppRoutes.find(s, ctx);
        http.send(ctx, 200, Out.ListResponse.of(s.datasets().list(app.id(), http.page(ctx, false)), DatasetOut::of));
    }

    void get(Context ctx) {
        http.send(ctx, 200, DatasetOut.of(find(ctx)));
    }

    /// Replaces the definition; versions and history stay.
    void update(Context ctx) {
        Dataset old = find(ctx);
        Dataset d = read(ctx, old.appId(), old.id(), old.createdAt());
        try {
            http.send(ctx, 200, DatasetOut.of(s.datasets().update(d)));
        } catch (StoreException.Conflict e) {
            throw ApiError.conflict("a dataset with uid '" + d.uid() + "' already exists");
        }
    }

    void delete(Context ctx) {
        s.datasets().delete(find(ctx));
        ctx.status(204);
    }

    void versions(Context ctx) {
        Dataset d = find(ctx);
        PageRequest page = http.page(ctx, false);
        if (page.iterator() != null && !page.iterator().matches("[0-9]{1,9}")) {
            throw ApiError.invalid("query", "iterator", "a version number, as the previous page's iterator gave it");
        }
        http.send(ctx, 200, Out.ListResponse.of(s.datasets().versions(d, page), VersionOut::of));
    }

    void history(Context ctx) {
        Dataset d = find(ctx);
        http.send(ctx, 200, Out.ListResponse.of(s.datasets().diffs(d, http.page(ctx, true)),
                diff -> DiffOut.of(d.appId(), diff)));
    }

    /// The diff from `from` to `to`; `to` defaults to the latest version and `from` to the one
    /// before `to`: a bare GET answers the latest version's diff.
    void diff(Context ctx) {
        Dataset d = find(ctx);
        Integer to = Http.positiveIntParam(ctx, "to");
        if (to == null) {
            to = s.datasets().versions(d, new PageRequest(1, null, true)).data().stream()
                    .map(DatasetVersion::version).findFirst()
                    .orElseThrow(() -> ApiError.notFound("dataset '" + d.id() + "' has no version yet; its diff"));
        }
        Integer from = Http.positiveIntParam(ctx, "from");
        if (from == null) {
            from = to - 1;
        }
        int a = from;
        int b = to;
        DatasetDiff diff = s.datasets().diff(d, a, b).orElseThrow(() -> ApiError.notFound("a completed diff from version "
                + a + " to " + b + " (a new version's diff is queued as it arrives; POST to this path with"
                + " {\"from\": " + a + ", \"to\": " + b + "} compares any two)"));
        http.send(ctx, 200, DiffOut.of(d.appId(), diff));
    }

    /// Compares any two versions: queues a diff job, answered as 202 with the job.
    void compare(Context ctx) {
        Dataset d = find(ctx);
        Input in = http.body(ctx);
        Integer from = in.integer("from", 1, Integer.MAX_VALUE);
        Integer to = in.integer("to", 1, Integer.MAX_VALUE);
        if (from == null && !in.has("from")) {
            in.reject("from", "field required: the version to compare from");
        }
        if (to == null && !in.has("to")) {
            in.reject("to", "field required: the version to compare with it");
        }
        in.check();
        DiffSpec spec;
        try {
            spec = s.datasets().compare(d, from, to);
        } catch (IllegalArgumentException e) {
            throw atField(e);
        }
        http.send(ctx, 202, JobView.of(s.jobs().diff(d.appId(), spec)));
    }

    /// The service's `field: why` as a 422 naming the field.
    private static ApiError atField(IllegalArgumentException e) {
        String msg = e.getMessage();
        int colon = msg.indexOf(": ");
        return colon < 0 ? ApiError.invalid("body", "body", msg)
                : ApiError.invalid("body", msg.substring(0, colon), msg.substring(colon + 2));
    }

    private Dataset find(Context ctx) {
        Application app = AppRoutes.find(s, ctx);
        String id = ctx.pathParam("dataset_id");
        return s.datasets().find(app.id(), id).orElseThrow(() -> ApiError.notFound("dataset '" + id + "'"));
    }

    /// `name`, `uid`, `key`, `match`, `pipeline`, `notify` and `diffFormat`, each checked by the
    /// rule that owns it.
    private Dataset read(Context ctx, String appId, String id, Instant createdAt) {
        Input in = http.body(ctx);
        String name = in.string("name", true, 1, 256, null);
        String uid = in.string("uid", false, 1, 256, Input.UID);
        List<String> key = in.strings("key", 32, null);
        if (key == null && !in.has("key")) {
            in.reject("key", "field required: the columns that identify a row, e.g. [\"order_id\"]");
        }
        String matchText = in.string("match", false, 1, 256, null);
        Glob match = null;
        if (matchText != null) {
            try {
                match = Glob.of(matchText);
            } catch (IllegalArgumentException e) {
                in.reject("match", e.getMessage());
            }
        }
        String pipelineRef = in.string("pipeline", false, 1, 256, null);
        String pipelineId = null;
        if (pipelineRef != null) {
            pipelineId = s.pipelines().find(appId, pipelineRef).map(p -> p.id()).orElse(null);
            if (pipelineId == null) {
                in.reject("pipeline", "no pipeline '" + pipelineRef + "' in this application");
            }
        }
        Notify notify = Notify.DEFAULT;
        try {
            notify = Notify.parse(in.raw().get("notify"));
        } catch (IllegalArgumentException e) {
            in.reject("notify", e.getMessage());
        }
        String format = in.string("diffFormat", false, 1, 16, null);
        in.check();
        Dataset d = new Dataset(id, appId, uid, name, key, match, pipelineId, notify, format == null ? "csv" : format, createdAt,
                Http.now());
        try {
            DatasetService.check(d);
        } catch (IllegalArgumentException e) {
            throw atField(e);
        }
        return d;
    }
}
