package io.csvx.job;

import io.csvx.file.CsvFile;
import io.csvx.file.FileService;
import io.csvx.net.Failures;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Response;

/// Fetches a job's input from a URL with the outbound client, so the SSRF guard checks every
/// address; the whole exchange has a time limit and the file the upload limit. What arrives is
/// stored (and announced) as an upload of the job's application.
public final class Fetcher {
    private final HttpClient client;
    private final FileService files;
    private final Duration timeout;

    public Fetcher(HttpClient client, FileService files, Duration timeout) {
        this.client = client;
        this.files = files;
        this.timeout = timeout;
    }

    CsvFile fetch(String appId, String url) throws IOException {
        InputStreamResponseListener listener = new InputStreamResponseListener();
        client.newRequest(url).timeout(timeout.toMillis(), TimeUnit.MILLISECONDS).send(listener);
        Response response;
        try {
            response = listener.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IOException("no answer within " + timeout.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            throw new IOException(Failures.describe(e.getCause()), e);
        }
        try (InputStream body = listener.getInputStream()) {
            if (response.getStatus() / 100 != 2) {
                throw new IOException("the server answered " + response.getStatus());
            }
            return files.upload(appId, name(url), body);
        } catch (FileService.TooLarge e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /// The last segment of the URL's path, or `fetched.csv`.
    static String name(String url) {
        try {
            String path = URI.create(url).getPath();
            String last = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
            return last.isBlank() || last.length() > 255 ? "fetched.csv" : last;
        } catch (IllegalArgumentException e) {
            return "fetched.csv";
        }
    }
}
