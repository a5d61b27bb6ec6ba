package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.csvx.node.App;
import io.csvx.store.postgres.TestDatabase;
import io.csvx.testing.RequiresPostgres;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Two nodes on one PostgreSQL database with data dirs of their own: a file uploaded to one is
/// processed by a job on the other, and its output downloads from the first.
@RequiresPostgres
class MultiNodeFilesE2ETest {
    @TempDir
    Path dir;

    @Test
    void nodesShareFilesThroughTheDatabase() throws Exception {
        try (TestDatabase db = new TestDatabase();
             App front = App.start(TestNode.config(dir.resolve("front")).withDatabase(db.url()).withJobs(0));
             App worker = App.start(TestNode.config(dir.resolve("worker")).withDatabase(db.url()).withDispatch(false));
             Api api = new Api("http://127.0.0.1:" + front.port(), TestNode.TOKEN);
             Api workerApi = new Api("http://127.0.0.1:" + worker.port(), TestNode.TOKEN)) {
            String appId = api.app("acme");
            api.post("/api/v1/app/acme/pipeline", "{\"name\":\"ids\",\"uid\":\"ids\",\"steps\":[{\"select\":[\"id\"]}],"
                    + "\"output\":{\"format\":\"csv\"}}");
            String fileId = api.call(HttpMethod.POST, "/api/v1/app/acme/file?name=a.csv&pipeline=ids",
                    "id,name\n1,Ann\n2,Bob\n", Map.of()).str("id");
            // the front node runs no jobs: the worker does, with the input from the database
            JsonNode job = JobE2ETest.awaitJob(api, fileId, "completed");
            String out = job.path("outputFileIds").get(0).asText();
            assertThat(dir.resolve("worker").resolve("files").resolve(appId).resolve(fileId + ".csv")).exists();
            // and the front node serves the output the worker wrote
            assertThat(api.get("/api/v1/app/acme/file/" + out + "/content").text()).isEqualTo("id\r\n1\r\n2\r\n");
            assertThat(workerApi.get("/api/v1/app/acme/file/" + fileId + "/content").text())
                    .isEqualTo("id,name\n1,Ann\n2,Bob\n");
        }
    }
}
