package io.csvx.web;

import io.csvx.dataset.Dataset;
import io.csvx.dataset.DatasetDiff;
import io.csvx.dataset.DatasetService;
import io.csvx.dataset.DatasetVersion;
import io.csvx.store.PageRequest;
import io.csvx.web.Pages.NotFound;
import io.csvx.web.Pages.Scope;
import io.javalin.config.RoutesConfig;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// An application's datasets in the console: the list with each one's latest diff, and a
/// dataset's versions and history of diffs with their sentences and files. Datasets are made
/// and changed through the API (docs/datasets.md); these pages show what they remember.
final class DatasetPages {
    /// Versions and diffs a dataset's page shows, newest first.
    private static final int SHOWN = 100;

    private final Pages pages;
    private final DatasetService datasets;

    DatasetPages(Pages pages, DatasetService datasets) {
        this.pages = pages;
        this.datasets = datasets;
    }

    /// A dataset in the list: its latest diff's sentence, if any.
    record Row(Dataset dataset, String latest) {
    }

    /// A diff as the history table shows it.
    record DiffRow(String jobId, int from, int to, String status, boolean significant, String rule, String sentence,
                   String diffFileId, Instant createdAt) {
        static DiffRow of(DatasetDiff d) {
            return new DiffRow(d.jobId(), d.fromVersion(), d.toVersion(), d.status().wire(), d.significant(), d.rule(),
                    d.sentence(), d.diffFileId(), d.createdAt());
        }
    }

    void routes(RoutesConfig routes, String base) {
        routes.get(base + "/datasets", pages.scoped(false, s -> ctx -> {
            Map<String, DatasetDiff> latest = datasets.latestDiffs(s.app().id());
            List<Row> rows = datasets.list(s.app().id(), new PageRequest(250, null, false)).data().stream()
                    .map(d -> new Row(d, Optional.ofNullable(latest.get(d.id())).map(DiffRow::of)
                            .map(r -> "v" + r.from() + " → v" + r.to() + ": " + r.sentence()).orElse("")))
                    .toList();
            pages.render(ctx, 200, "datasets.jte", Map.of("s", s, "rows", rows));
        }));
        routes.get(base + "/datasets/{dataset_id}", pages.scoped(false, s -> ctx -> {
            Dataset d = datasets.find(s.app().id(), ctx.pathParam("dataset_id")).orElseThrow(() -> new NotFound("dataset"));
            List<DatasetVersion> versions = datasets.versions(d, new PageRequest(SHOWN, null, true)).data();
            List<DiffRow> history = datasets.diffs(d, new PageRequest(SHOWN, null, true)).data().stream()
                    .map(DiffRow::of).toList();
            pages.render(ctx, 200, "dataset.jte", Map.of("s", s, "d", d, "versions", versions, "history", history));
        }));
    }
}
